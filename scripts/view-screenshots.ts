/**
 * The README's pictures of the view page: the address map and the hex view of a real Dell
 * laptop's DMAR (../shared/corpus/real). Run after changing the page:
 *   node scripts/build-view.mjs && node --import tsx scripts/view-screenshots.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { launchBrowser } from '../test/support/browser-page.js';
import { CORPUS_ROOT, REPO_ROOT } from '../test/support/shared.js';

const TABLE = join(CORPUS_ROOT, 'real', 'linuxhw', 'Dell_Latitude-E6230_CA3D50C521D1', 'DMAR.bin');
const IMAGES = join(REPO_ROOT, 'docs', 'images');

const scratch = mkdtempSync(join(tmpdir(), 'acpi-iommu-shots-'));
const page = join(scratch, 'dell.html');
// A path relative to the checkout, so the picture shows no machine's directories.
const made = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'view', relative(REPO_ROOT, TABLE), '--no-open', '--out', page], { cwd: REPO_ROOT, encoding: 'utf8' });
if (made.status !== 0) throw new Error(made.stderr);

const browser = await launchBrowser();
try {
  const tab = await browser.newPage({ viewport: { width: 1240, height: 900 } });
  await tab.goto(`file://${page}`);
  await tab.focus('#address-map rect.region');
  await tab.locator('#address-map').screenshot({ path: join(IMAGES, 'view-address-map.png') });
  await tab.click('[data-field="t.structures.2:baseAddress"]');
  await tab.locator('#t0').screenshot({ path: join(IMAGES, 'view-hex.png') });
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`wrote ${relative(REPO_ROOT, IMAGES)}/view-address-map.png and view-hex.png`);
