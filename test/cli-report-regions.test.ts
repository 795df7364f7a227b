/** `report` gains the per-group region summary: checked against a kernel-truth case. */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED, SKIP_REASON } from './support/shared.js';

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
