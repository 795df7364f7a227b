/**
 * `map`: translation paths on a real table, checked by hand against its hex.
 * Lenovo ThinkPad X13s IORT: RC (segment 3) @0x660, mapping @0x684 = 00000000 ffff0000 00000300
 * 2c180000 00000000 → input 0..0xffff to 0x30000+ at the SMMUv3 @0x182c; SMMUv3 mapping @0x1870 =
 * 00000000 ffff0600 00000800 84180000 → input 0..0x6ffff to 0x80000+ at the ITS group @0x1884.
 * APIC GIC ITS @0x2d5: 0f 14 …, ITS ID 0, base 0x17a40000 → GITS_TRANSLATER 0x17a50040.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED, REPO_ROOT, SKIP_REASON } from './support/shared.js';

const X13S = join(CORPUS_ROOT, 'real', 'aarch64-laptops', 'lenovo-thinkpad-x13s');

describe.skipIf(!HAVE_SHARED)(`map on a real IORT (${HAVE_SHARED ? 'Lenovo X13s' : SKIP_REASON})`, () => {
  it('walks RID 0x100 of segment 3 to stream ID 0x30100, device ID 0xb0100 and the ITS doorbell', async () => {
    const result = await runCli(['map', X13S, '--segment', '3', '--rid', '0x100']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('root-complex @0x660  mapping #0 @0x684: id 0x100 in [0x0, 0xffff] → 0x30100 at node @0x182c');
    expect(result.stdout).toContain('smmu-v3 @0x182c: stream ID 0x30100');
    expect(result.stdout).toContain('smmu-v3 @0x182c  mapping #0 @0x1870: id 0x30100 in [0x0, 0x6ffff] → 0xb0100 at node @0x1884');
    expect(result.stdout).toContain('its-group @0x1884: device ID 0xb0100');
    expect(result.stdout).toContain('GIC ITS 0 (MADT @0x2d5): base 0x17a40000, doorbell GITS_TRANSLATER 0x17a50040');
  });

  it('gives every hop in --json', async () => {
    const result = await runCli(['map', X13S, '--segment', '3', '--rid', '0x100', '--json']);
    const body = JSON.parse(result.stdout);
    expect(body.iommu.walks[0].hops.map((hop: { nodeOffset: number }) => hop.nodeOffset)).toEqual([0x660]);
    expect(body.msi.walks[0].hops.map((hop: { mappingOffset: number }) => hop.mappingOffset)).toEqual([0x684, 0x1870]);
    expect(body.doorbells[0].translaterAddress).toBe('0x17a50040');
  });

  it('exits 1 when the segment has no root complex', async () => {
    const result = await runCli(['map', X13S, '--segment', '9', '--rid', '0x100']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('stops: no such node');
    expect(result.stdout).not.toContain('no-start-node');
  });
});

describe('map on the bundled Arm sample', () => {
  it('follows a named component by its ACPI path through its single mapping', async () => {
    const result = await runCli(['map', join(REPO_ROOT, 'corpus', 'samples', 'arm-server'), '--node', '\\_SB.ETH0']);
    expect(result.stdout).toMatch(/named-component @0x[0-9a-f]+ +mapping #0 @0x[0-9a-f]+: single mapping → 0x20000/);
    expect(result.stdout).toMatch(/smmu-v3 @0x[0-9a-f]+: stream ID 0x20000/);
  });

  it('rejects a call without a start', async () => {
    const result = await runCli(['map', join(REPO_ROOT, 'corpus', 'samples', 'arm-server')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give --rid');
  });
});

describe('map in the words a user has', () => {
  const sample = join(REPO_ROOT, 'corpus', 'samples', 'arm-server');

  it('--rid takes a PCI address: 01:00.0 is requester ID 0x100, 0001:01:00.0 also names segment 1', async () => {
    const byAddress = JSON.parse((await runCli(['map', sample, '--rid', '01:00.0', '--json'])).stdout);
    const byId = JSON.parse((await runCli(['map', sample, '--rid', '0x100', '--json'])).stdout);
    expect(byAddress.start).toEqual({ segment: 0, requesterId: 0x100 });
    expect(byAddress.iommu).toEqual(byId.iommu);
    expect(JSON.parse((await runCli(['map', sample, '--rid', '0001:02:03.4', '--json'])).stdout).start).toEqual({ segment: 1, requesterId: (2 << 8) | (3 << 3) | 4 });
    expect((await runCli(['map', sample, '--rid', 'eth0'])).stderr).toMatch(/--rid takes a PCI address \(01:00\.0, 0000:01:00\.0\) or a 16-bit requester ID/);
  });

  // The sample IORT (IORT.model.json): nodes right after the 48-byte header, the ITS group first at 0x30
  // (16-byte node header + count + one ITS ID = 24 bytes), so the SMMUv3 at 0x48; its named component is \_SB.ETH0.
  it('a --node that names nothing is exit 2 listing the nodes and named components there are', async () => {
    const offset = await runCli(['map', sample, '--node', '0x50']);
    expect([offset.code, offset.stdout]).toEqual([2, '']);
    expect(offset.stderr).toMatch(/^acpi-iommu: --node: no IORT node starts at 0x50; nodes: 0x30 its-group, 0x48 smmu-v3, .*; named components: \\_SB\.ETH0\n$/);
    const name = await runCli(['map', sample, '--node', '\\_SB.ETH9']);
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/no IORT named component is called \\_SB\.ETH9; .*named components: \\_SB\.ETH0/);
  });
});
