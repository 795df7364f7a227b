/**
 * `report` gains the per-group region summary: on the bundled sample laptop (every clone), and
 * against a kernel-truth case when ../shared is there.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED, REPO_ROOT, SKIP_REASON } from './support/shared.js';

const SAMPLE = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop');
const MSI = '0x00000000fee00000 0x00000000feefffff msi\n';

describe('report: reserved regions per group on the bundled sample laptop', () => {
  it('applies the Intel rules group by group', async () => {
    const result = await runCli(['report', SAMPLE, '--pci', join(SAMPLE, 'pci.json'), '--json']);
    expect(result.code).toBe(0);
    const groups: { group: number; sysfs: string }[] = JSON.parse(result.stdout).regions.groups;
    // By hand from DMAR.model.json and pci.json: the RMRR on the display (0x03xxxx) and the one on
    // the xHCI (0x0c03xx) are relaxable; the bridge-scope RMRR on 00:1c.0 reaches 01:00.0 too
    // (direct); the ISA bridge 00:1f.0 brings 0–16 MiB to its group; the MSI window everywhere.
    expect(Object.fromEntries(groups.map((group) => [group.group, group.sysfs]))).toEqual({
      0: MSI,
      1: `0x000000007c000000 0x00000000803fffff direct-relaxable\n${MSI}`,
      2: `0x000000007a5e8000 0x000000007a807fff direct-relaxable\n${MSI}`,
      3: MSI,
      4: `0x000000007a400000 0x000000007a4fffff direct\n${MSI}`,
      5: `0x0000000000000000 0x0000000000ffffff direct-relaxable\n${MSI}`,
    });
  });
});

const CASE = join(CORPUS_ROOT, 'kernel', 'x86-bridge-scope');

function tablesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'acpi-iommu-report-'));
  copyFileSync(join(CASE, 'DMAR.bin'), join(dir, 'DMAR'));
  return dir;
}

describe.skipIf(!HAVE_SHARED)(`report: reserved regions per group (${HAVE_SHARED ? 'kernel case x86-bridge-scope' : SKIP_REASON})`, () => {
  it('prints the same sysfs text as the kernel for every group, in --json', async () => {
    const result = await runCli(['report', tablesDir(), '--pci', join(CASE, 'sysfs'), '--json']);
    expect(result.code).toBe(0);
    const groups: { group: number; sysfs: string }[] = JSON.parse(result.stdout).regions.groups;
    const expected = readdirSync(join(CASE, 'expected')).map((name) => Number(name.split('.')[0]));
    expect(groups.map((group) => group.group).sort()).toEqual(expected.sort());
    for (const group of groups) {
      expect(group.sysfs, `group ${group.group}`).toBe(readFileSync(join(CASE, 'expected', `${group.group}.reserved_regions`), 'utf8'));
    }
  });

  it('explains each region and the passthrough verdict in human text', async () => {
    const result = await runCli(['report', tablesDir(), '--pci', join(CASE, 'sysfs')]);
    expect(result.stdout).toMatch(/group 6: .*0000:03:02\.0 \[0c0330\]/);
    expect(result.stdout).toMatch(/direct-relaxable DMAR RMRR @0x68 .* for 0000:03:02\.0 — USB controller/);
    expect(result.stdout).toMatch(/refused on Linux ≥ 6\.6 \(direct region on 0000:02:00\.0, 0000:03:01\.0, 0000:03:03\.0\)/);
    expect(result.stdout).toMatch(/group 4: 0000:00:1f\.0 \[060100\]/);
  });

  it('lists regions by the scope that claims them when no topology is given', async () => {
    const result = await runCli(['report', tablesDir()]);
    expect(result.stdout).toContain('no PCI topology (give --pci)');
    expect(result.stdout).toMatch(/0x000000003e700000-0x000000003e70ffff .*RMRR @0xaa/);
  });
});
