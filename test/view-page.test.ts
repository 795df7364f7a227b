/**
 * The view page in headless Chromium: tables given through `acpi-iommu view` (embedded) and
 * picked in an empty page, fields ↔ bytes both ways, diagnostics, and the regions drawn against
 * `regions --json` and the real kernel's reserved_regions. Screenshots go to test/artifacts/view
 * (git-ignored; looked at, never compared).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_SKIP_REASON, HAVE_BROWSER, launchBrowser } from './support/browser-page.js';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED, REPO_ROOT, SKIP_REASON } from './support/shared.js';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts', 'view');
const SAMPLES = join(REPO_ROOT, 'corpus', 'samples');
const KERNEL = join(CORPUS_ROOT, 'kernel');
const REAL = join(CORPUS_ROOT, 'real');

interface Drawn { start: string; end: string; type: string }

let browser: Browser;
let scratch: string;

describe.skipIf(!HAVE_BROWSER)(`view page (${HAVE_BROWSER ? 'headless Chromium' : BROWSER_SKIP_REASON})`, () => {
  beforeAll(async () => {
    // Build the page from the current sources: the CLI embeds into dist/view/index.html.
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-view.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    scratch = mkdtempSync(join(tmpdir(), 'acpi-iommu-view-test-'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  /** `acpi-iommu view … --no-open --out <scratch file>`; returns the file. */
  async function viewFile(name: string, args: string[]): Promise<string> {
    const out = join(scratch, `${name}.html`);
    const result = await runCli(['view', ...args, '--no-open', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return out;
  }

  async function open(file: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`file://${file}`);
    await page.waitForSelector('#loaded');
    return { page, errors };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  function drawn(page: Page, row: string): Promise<Drawn[]> {
    return page.$$eval(`[data-row="${row}"] rect.region`, (rects) => rects.map((rect) => ({ start: rect.getAttribute('data-start')!, end: rect.getAttribute('data-end')!, type: rect.getAttribute('data-type')! })));
  }

  async function regionsJson(args: string[]): Promise<any> {
    const result = await runCli(['regions', '--json', ...args]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  }

  /** Every group row of the page equals `regions --json` for the same inputs. */
  async function expectGroupsAsCli(page: Page, args: string[]): Promise<number> {
    const json = await regionsJson(args);
    expect(json.groups.length).toBeGreaterThan(0);
    for (const group of json.groups) {
      expect({ group: group.group, regions: await drawn(page, `group-${group.group}`) }).toEqual({
        group: group.group,
        regions: group.regions.map((region: Drawn) => ({ start: region.start, end: region.end, type: region.type })),
      });
    }
    return json.groups.length;
  }

  it('links fields and bytes both ways (bundled sample laptop, picked in the empty page)', async () => {
    const { page, errors } = await open(await viewFile('empty', []));
    expect(await page.textContent('#loaded')).toBe('No tables loaded yet.');
    await page.setInputFiles('#file-input', [join(SAMPLES, 'x86-laptop', 'DMAR.bin'), join(SAMPLES, 'x86-laptop', 'pci.json')]);
    await page.waitForSelector('#address-map');
    expect(await page.textContent('#loaded')).toContain('PCI topology with 8 functions');

    // Field → bytes: the first DRHD (0x30) has its Register Base Address at +8, 8 bytes.
    await page.click('[data-field="t.structures.0:registerBaseAddress"]');
    const lit = await page.$$eval('#t0 .b.sel', (cells) => cells.map((cell) => Number(cell.getAttribute('data-o'))));
    expect(lit).toEqual([0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f]);
    expect(await page.textContent('#t0-detail')).toContain('registerBaseAddress = 0xfed90000');

    // Byte → field: 0xb8 is the Base Address of the RMRR at 0xb0 (README's dump: 0x7a400000).
    await page.click('#t0 [data-o="184"]');
    const detail = await page.textContent('#t0-detail');
    expect(detail).toContain('baseAddress = 0x7a400000');
    expect(detail).toContain('in @0x00b0 RMRR');
    expect(await page.getAttribute('#t0 .tree .current', 'data-field')).toMatch(/:baseAddress$/);

    // Keyboard in the tree: ↓ from the DRHD's last field reaches its endpoint scope (dump: @0x0040 ENDPOINT).
    await page.focus('[data-field="t.structures.0:registerBaseAddress"]');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.textContent)).toBe('@0x0040 ENDPOINT');

    // Keyboard: Enter on the hex view picks the cursor byte; → moves it.
    await page.focus('#t0 .hex');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    expect(await page.textContent('#t0-detail')).toContain('baseAddress = 0x7a400000');

    await expectGroupsAsCli(page, [join(SAMPLES, 'x86-laptop'), '--pci', join(SAMPLES, 'x86-laptop', 'pci.json')]);

    // Keyboard focus on a region says where it came from and why it has its type (README's explain of 01:00.0).
    await page.focus('[data-row="group-4"] rect.region[data-type="direct"]');
    const said = await page.textContent('#map-explain');
    expect(said).toContain('0x7a400000–0x7a4fffff direct: DMAR RMRR @0xb0 [bridge 00:1c.0 @0xc8');
    expect(said).toContain('neither USB (0x0c03xx) nor display (0x03xxxx): not relaxable');

    // Guest RAM: the overlaps listed are those of `conflicts --json`.
    await page.fill('#guest-ram', '0x0-0x7fffffff');
    await page.press('#guest-ram', 'Enter');
    await page.waitForSelector('#ram-conflicts li');
    const conflicts = await runCli(['conflicts', '--json', join(SAMPLES, 'x86-laptop'), '--pci', join(SAMPLES, 'x86-laptop', 'pci.json'), '--guest-ram', '0x0-0x7fffffff']);
    const expected = JSON.parse(conflicts.stdout) as { conflicts: { overlap: { start: string; end: string } }[]; blocking: number };
    const listed = await page.$$eval('#ram-conflicts li', (items) => items.map((item) => ({ text: item.textContent ?? '', blocking: item.classList.contains('blocking') })));
    expect(listed.map((item) => /overlaps (0x[0-9a-f]+)–(0x[0-9a-f]+)/.exec(item.text)!.slice(1, 3))).toEqual(expected.conflicts.map((conflict) => [conflict.overlap.start, conflict.overlap.end]));
    expect(listed.filter((item) => item.blocking).length).toBe(expected.blocking);
    expect(await page.getAttribute('[data-row="guest-ram"] rect', 'class')).toBe('ram conflict');
    await shoot(page, 'sample-laptop');
    expect(errors).toEqual([]);
  });

  it('lists diagnostics by offset and marks their bytes (hermetic malformed DMAR)', async () => {
    const file = join(REPO_ROOT, 'corpus', 'malformed', 'dmar-rmrr-base-after-limit.bin');
    const expected = JSON.parse(readFileSync(file.replace(/\.bin$/, '.expected.json'), 'utf8')) as { diagnostics: { code: string; offset: number }[] };
    const { page, errors } = await open(await viewFile('malformed', [file]));
    const listed = await page.$$eval('#t0 .diag-item', (items) => items.map((item) => item.textContent ?? ''));
    const offsets = listed.map((text) => Number.parseInt(text.slice(2, 6), 16));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    for (const item of expected.diagnostics) expect(listed.some((text) => text.includes(item.code) && text.startsWith(`0x${item.offset.toString(16).padStart(4, '0')}`))).toBe(true);

    const index = listed.findIndex((text) => text.includes('dmar.rmrr.base-after-limit'));
    await page.click(`#t0 [data-diag="${index}"]`);
    expect(await page.getAttribute('#t0 [data-o="120"]', 'class')).toMatch(/\bsel\b.*\bdiag\b/);
    expect(await page.textContent('#t0-detail')).toContain('dmar.rmrr.base-after-limit');
    await shoot(page, 'malformed-dmar');
    expect(errors).toEqual([]);
  });

  it('lights the ID path of a requester in the IORT graph (bundled Arm server)', async () => {
    const dir = join(SAMPLES, 'arm-server');
    const { page, errors } = await open(await viewFile('arm-server', [dir, '--pci', join(dir, 'pci.json')]));
    // 00:01.0 is RID 0x8; the root complex maps IDs 0–0xffff 1:1 to the SMMUv3 at 0x48, which maps them 1:1 to the ITS group at 0x30.
    await page.fill('#rid-input', '0000:00:01.0');
    expect(await page.textContent('#rid-result')).toBe('RID 0x0008: stream ID 0x8 at smmu-v3 @0x0048; ITS device ID 0x8 at its-group @0x0030');
    const litNodes = await page.$$eval('#iort-graph .gnode.lit', (nodes) => nodes.map((node) => node.getAttribute('data-gnode')).sort());
    expect(litNodes).toEqual(['180', '48', '72']);
    expect(await page.$$eval('#iort-graph .edge.lit', (edges) => edges.length)).toBe(2);
    const dump = await runCli(['dump', '--json', join(dir, 'IORT.bin')]);
    const mappings = (JSON.parse(dump.stdout)[0].table.nodes as { idMappings: unknown[] }[]).reduce((sum, node) => sum + node.idMappings.length, 0);
    expect(await page.$$eval('#iort-graph .mapping-list li', (items) => items.length)).toBe(mappings);
    await page.fill('#rid-input', 'nonsense');
    expect(await page.textContent('#rid-result')).toContain('is not a PCI address');
    await expectGroupsAsCli(page, [dir, '--pci', join(dir, 'pci.json')]);
    await shoot(page, 'arm-server');
    expect(errors).toEqual([]);
  });

  it('takes real tables dropped on the empty page (Dell Latitude E6230 DMAR)', async ({ skip }) => {
    if (!HAVE_SHARED) skip(SKIP_REASON);
    const { page, errors } = await open(await viewFile('drop', []));
    const bytes = [...readFileSync(join(REAL, 'linuxhw', 'Dell_Latitude-E6230_CA3D50C521D1', 'DMAR.bin'))];
    // Runs in the page; the test's own compile has no DOM types.
    await page.evaluate((data) => {
      const web = globalThis as any;
      const transfer = new web.DataTransfer();
      transfer.items.add(new web.File([new Uint8Array(data)], 'DMAR.bin'));
      web.document.getElementById('drop').dispatchEvent(new web.DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, bytes);
    await page.waitForSelector('#dmar-scopes');
    expect(await page.textContent('#loaded')).toBe('Loaded: DMAR (DMAR.bin); no PCI topology.');
    // `dump` of this table: RMRR @0x68 [0xdbd41000, 0xdbd60fff] names 00:1d.0, 00:1a.0 and 00:14.0.
    const scopes = await page.textContent('#dmar-scopes');
    expect(scopes).toContain('RMRR @0x0068 segment 0 0xdbd41000–0xdbd60fff');
    expect(scopes).toContain('endpoint 00:1d.0 @0x0080');
    await shoot(page, 'dropped-dell');
    expect(errors).toEqual([]);
  });

  it('refuses to overwrite a page without --force, replaces it with --force', async () => {
    const out = join(scratch, 'taken.html');
    writeFileSync(out, 'mine');
    const refused = await runCli(['view', join(SAMPLES, 'x86-laptop'), '--no-open', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = await runCli(['view', join(SAMPLES, 'x86-laptop'), '--no-open', '--out', out, '--force', '--guest-ram', '0x0-0x7fffffff,0x100000000-0x17fffffff']);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"guestRam":"0x0-0x7fffffff,0x100000000-0x17fffffff"');
    const { page, errors } = await open(out);
    expect(await page.$$eval('[data-row="guest-ram"] rect', (rects) => rects.map((rect) => rect.getAttribute('data-start')))).toEqual(['0x0', '0x100000000']);
    expect(errors).toEqual([]);
  });

  describe.skipIf(!HAVE_SHARED)(`real tables and kernel cases${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
    it('draws the groups the real kernel printed (x86-laptop-latitude-e6230, DMAR + sysfs)', async () => {
      const dir = join(KERNEL, 'x86-laptop-latitude-e6230');
      const args = [join(dir, 'DMAR.bin'), '--pci', join(dir, 'sysfs')];
      const { page, errors } = await open(await viewFile('kernel-e6230', args));
      const groups = await expectGroupsAsCli(page, args);
      for (let group = 0; group < groups; group++) {
        const path = join(dir, 'expected', `${group}.reserved_regions`);
        if (!existsSync(path)) continue;
        const kernel = readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
          const [start, end, type] = line.split(' ');
          return { start: `0x${BigInt(start!).toString(16)}`, end: `0x${BigInt(end!).toString(16)}`, type };
        });
        expect({ group, regions: await drawn(page, `group-${group}`) }).toEqual({ group, regions: kernel });
      }
      await shoot(page, 'kernel-e6230');
      expect(errors).toEqual([]);
    });

    it('draws the Arm RMR case as regions --json does (arm64-rmr-flags-descriptors)', async () => {
      const dir = join(KERNEL, 'arm64-rmr-flags-descriptors');
      const args = [join(dir, 'IORT.bin'), '--pci', join(dir, 'sysfs')];
      const { page, errors } = await open(await viewFile('kernel-arm-rmr', args));
      await expectGroupsAsCli(page, args);
      await shoot(page, 'kernel-arm-rmr');
      expect(errors).toEqual([]);
    });

    it('stays fast on the largest real IORT: the hex view keeps only visible rows in the DOM', async () => {
      const dir = join(REAL, 'linux-surface', 'surface_pro_x_sq1');
      const started = performance.now();
      const { page, errors } = await open(await viewFile('surface-pro-x', [join(dir, 'IORT.bin'), join(dir, 'APIC.bin')]));
      const loaded = performance.now() - started;
      console.info(`[view] surface_pro_x_sq1 IORT (6467 bytes) + APIC: page written and shown in ${loaded.toFixed(0)} ms`);
      const iort = (await page.$$eval('section.table-panel', (panels) => panels.map((panel) => panel.id)))[0]!;
      const cells = await page.$$eval(`#${iort} .b`, (nodes) => nodes.length);
      expect(cells).toBeGreaterThan(0);
      expect(cells).toBeLessThan(2000);
      // Scroll to the end: the last byte appears and still links to its field.
      await page.$eval(`#${iort} .hex`, (hex) => { hex.scrollTop = hex.scrollHeight; });
      await page.click(`#${iort} [data-o="6466"]`);
      expect(await page.textContent(`#${iort}-detail`)).toMatch(/bytes 0x19/);
      // Without a topology the drawn regions are the unscoped list of regions --json.
      const json = await regionsJson([join(dir, 'IORT.bin'), join(dir, 'APIC.bin')]);
      const all = await page.$$eval('#address-map rect.region', (rects) => rects.map((rect) => `${rect.getAttribute('data-start')} ${rect.getAttribute('data-end')} ${rect.getAttribute('data-type')}`));
      expect(all.sort()).toEqual(json.regions.map((region: Drawn) => `${region.start} ${region.end} ${region.type}`).sort());
      expect(loaded).toBeLessThan(15_000);
      await shoot(page, 'surface-pro-x-iort');
      expect(errors).toEqual([]);
    });
  });
});
