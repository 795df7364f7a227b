/** The regions, iova and conflicts commands end to end (in process through runCli; test/cli-process.test.ts spawns each command). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFakeSysfs } from './support/fake-sysfs.js';
import { buildDmar } from './support/region-tables.js';
import { runCli } from './support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dmar = join(work, 'DMAR.bin');
// T2 of docs/kernel-semantics.md §7: an RMRR on the NIC 00:1f.6, plus an xHCI and the LPC bridge.
writeFileSync(dmar, buildDmar({ rmrrs: [{ base: 0x3e2e0000n, end: 0x3e2fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1f, 6]] }] }] }));
const badDmar = join(work, 'BAD.bin');
writeFileSync(badDmar, buildDmar({ rmrrs: [{ base: 0x3e2e0000n, end: 0x3e2fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1c, 0]] }] }] }));
const sysfs = makeFakeSysfs([
  { bdf: '0000:00:14.0', class: 0x0c0330, group: 1 },
  { bdf: '0000:00:1c.0', class: 0x060400, group: 2 },
  { bdf: '0000:00:1f.0', class: 0x060100, group: 3 },
  { bdf: '0000:00:1f.6', class: 0x020000, group: 4 },
]);
afterAll(() => rmSync(sysfs, { recursive: true, force: true }));

const run = (...args: string[]) => runCli(args);

describe('acpi-iommu regions / iova / conflicts', () => {
  it('regions --sysfs --group prints the kernel text only; human output explains each line', async () => {
    expect(await run('regions', dmar, '--pci', sysfs, '--group', '4', '--sysfs')).toEqual({
      code: 0,
      stdout: '0x000000003e2e0000 0x000000003e2fffff direct\n0x00000000fee00000 0x00000000feefffff msi\n',
      stderr: '',
    });
    const human = await run('regions', dmar, '--pci', sysfs, '--device', '00:1f.6');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/group 4: 0000:00:1f\.6 \[020000\]/);
    expect(human.stdout).toMatch(/direct +DMAR RMRR @0x40 \[endpoint 00:1f\.6 @0x58 → 0000:00:1f\.6\] for 0000:00:1f\.6 — neither USB/);
    expect(human.stdout).toMatch(/refused on Linux ≥ 6\.6/);
  });

  it('regions without --pci lists every region with its scope; --json keeps provenance', async () => {
    const result = await run('regions', dmar, '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.regions[0]).toMatchObject({ start: '0x3e2e0000', end: '0x3e2fffff', type: 'direct', sources: [{ table: 'DMAR', offset: 0x40, structure: 'RMRR', device: '0000:00:1f.6' }] });
  });

  it('regions reports usage and table problems with exit codes', async () => {
    const missing = await run('regions', dmar, '--pci', sysfs, '--group', '9', '--sysfs');
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(/group 9 does not exist \(groups: 1, 2, 3, 4\)/);
    const off = await run('regions', badDmar, '--pci', sysfs, '--group', '4', '--sysfs');
    expect([off.code, off.stdout]).toEqual([1, '']);
    expect(off.stderr).toMatch(/Device scope type does not match for 0000:00:1c\.0/);
    expect((await run('regions', dmar, '--group', '4')).stderr).toMatch(/need a PCI topology/);
  });

  it('iova prints the VFIO ranges of a group', async () => {
    const result = await run('iova', dmar, '--pci', sysfs, '--group', '4', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.aperture).toEqual({ start: '0x0', end: '0x7fffffffff' });
    expect(json.groups[0].vfio.ranges).toEqual([
      { start: '0x0', end: '0x3e2dffff' },
      { start: '0x3e300000', end: '0xfedfffff' },
      { start: '0xfef00000', end: '0x7fffffffff' },
    ]);
  });

  it('conflicts exits 1 when guest RAM overlaps a carved-out region', async () => {
    const result = await run('conflicts', dmar, '--pci', sysfs, '--guest-ram', '0x0-0x7fffffff');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/0x000000003e2e0000-0x000000003e2fffff RAM .* direct .*\(0000:00:1f\.6, group 4\): VFIO_IOMMU_MAP_DMA fails/);
    expect(result.stdout).toMatch(/relaxable: not carved out .*ISA bridge/);
    const file = join(work, 'ram.json');
    writeFileSync(file, JSON.stringify([{ start: '0x100000000', size: '0x80000000' }]));
    expect((await run('conflicts', dmar, '--pci', sysfs, '--guest-ram', file)).code).toBe(0);
  });
});
