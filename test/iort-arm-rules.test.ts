/**
 * The Arm region rules of src/iort/regions (arm.ts, arm-rmr.ts, arm-unscoped.ts) boundary by
 * boundary, against Linux 6.1 drivers/acpi/arm64/iort.c (`iort_rmr_desc_check`, `iort_get_rmrs`,
 * `iort_rmr_has_dev`, `iort_iommu_msi_get_resv_regions`) and docs/kernel-semantics.md §4.2–4.4.
 * Tables are built with test/support/iort-builder.ts: an RMR node's mappings start at node + 28
 * and its 20-byte descriptors follow them.
 */
import { describe, expect, it } from 'vitest';
import { parseIort, type IortTable } from '../src/iort/index.js';
import { armDeviceLists, armUnscopedRegions, hisiliconMsiRegions, pciStreams, rmrDescriptorRange, rmrRegions, rmrTableFindings } from '../src/iort/regions/index.js';
import { parseMadt } from '../src/madt/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { TopologyIndex } from '../src/pci/topology.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { buildIort, itsGroup, rmr, rootComplex, smmuV1V2, smmuV3, type NodeSpec } from './support/iort-builder.js';
import { gicIts, madt } from './support/madt-builder.js';

const FULL = { inputBase: 0, idCount: 0xffff };
const hex = (value: number) => `0x${value.toString(16)}`;
/** RMR flags: bit 0 remapping permitted, bit 1 privileged, bits 9:2 access attributes. */
const flags = (remap: boolean, priv: boolean, attributes: number) => (remap ? 1 : 0) | (priv ? 2 : 0) | (attributes << 2);

/** ITS group (0), SMMUv3 (1), root complex segment 0 → SMMUv3 1:1 (2), then the given nodes (3, 4, …). */
function table(extra: NodeSpec[], revision = 5): { table: IortTable; at: number[] } {
  const built = buildIort([itsGroup([0]), smmuV3({ mappings: [{ ...FULL, target: 0 }] }), rootComplex(0, { mappings: [{ ...FULL, target: 1 }] }), ...extra], { revision });
  return { table: parseIort(built.bytes), at: built.offsets };
}

const descriptorAt = (node: number, mappings: number, index: number) => node + 28 + 20 * mappings + 20 * index;
const summary = (found: { code: string; message: string; offset?: number | undefined; table?: string | undefined }[]) => found.map(({ code, message, offset, table: source }) => ({ code, message, offset, ...(source === 'IORT' ? {} : { source }) }));

describe('RMR findings, as the kernel logs them', () => {
  it('a kernel before 6.0 ignores every RMR node; the count and the first node are named', () => {
    const { table: iort, at } = table([rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ target: 1 }] }), rmr([[0x6100_0000n, 0x1_0000n]], { mappings: [{ target: 1 }] })]);
    expect(summary(rmrTableFindings(iort, 4096, kernelBehaviour('5.15')))).toEqual([{ code: 'regions.arm.rmr-kernel', message: 'Linux 5.15 predates IORT RMR support (v6.0): the 2 RMR node(s) are ignored', offset: at[3] }]);
    expect(rmrTableFindings(iort, 4096, kernelBehaviour('6.0'))).toEqual([]);
  });

  it('a table revision below 5 is ignored by Linux; revision 5 is read', () => {
    const nodes = [rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ target: 1 }] })];
    const old = table(nodes, 4);
    expect(summary(rmrTableFindings(old.table, 4096))).toEqual([{ code: 'regions.arm.rmr-revision', message: 'IORT revision 4 < 5: the 1 RMR node(s) are ignored by Linux', offset: old.at[3] }]);
    expect(rmrTableFindings(table(nodes, 5).table, 4096)).toEqual([]);
  });

  it('an RMR without mappings is skipped, with its offset', () => {
    const { table: iort, at } = table([rmr([[0x6000_0000n, 0x1_0000n]])]);
    expect(summary(rmrTableFindings(iort, 4096))).toEqual([{ code: 'regions.arm.rmr-no-mapping', message: `RMR @${hex(at[3]!)}: "Invalid ID mapping, skipping RMR node"`, offset: at[3] }]);
  });

  it('a zero-length descriptor: its base in the message, the descriptor\'s offset', () => {
    const { table: iort, at } = table([rmr([[0x5200_0000n, 0n]], { mappings: [{ target: 1 }] })]);
    expect(summary(rmrTableFindings(iort, 4096))).toEqual([{ code: 'regions.arm.rmr-zero-length', message: `RMR @${hex(at[3]!)}: descriptor[0x52000000] with zero length, continue anyway`, offset: descriptorAt(at[3]!, 1, 0) }]);
  });

  it('not aligned to 64K: the range as given and as the kernel rounds it to its page size', () => {
    const { table: iort, at } = table([rmr([[0x5050_0800n, 0x1000n], [0x7000_0000n, 0x1000n]], { mappings: [{ target: 1 }] })]);
    expect(summary(rmrTableFindings(iort, 4096))).toEqual([
      { code: 'regions.arm.rmr-unaligned', message: `RMR @${hex(at[3]!)}: descriptor [0x50500800 - 0x505017ff] not aligned to 64K, continue with [0x50500000 - 0x50501fff] (page size 4096)`, offset: descriptorAt(at[3]!, 1, 0) },
      { code: 'regions.arm.rmr-unaligned', message: `RMR @${hex(at[3]!)}: descriptor [0x70000000 - 0x70000fff] not aligned to 64K, continue with [0x70000000 - 0x70000fff] (page size 4096)`, offset: descriptorAt(at[3]!, 1, 1) },
    ]);
    expect(rmrTableFindings(iort, 65536).map((item) => item.message)[0]).toBe(`RMR @${hex(at[3]!)}: descriptor [0x50500800 - 0x505017ff] not aligned to 64K, continue with [0x50500000 - 0x5050ffff] (page size 65536)`);
  });

  it('overlap (start ≤ other end and end ≥ other start) is reported on the earlier descriptor, touching ranges are not', () => {
    const overlaps = (ranges: [bigint, bigint][]) => {
      const { table: iort, at } = table([rmr(ranges, { mappings: [{ target: 1 }] })]);
      return rmrTableFindings(iort, 65536).filter((item) => item.code === 'regions.arm.rmr-overlap').map((item) => [item.offset! - descriptorAt(at[3]!, 1, 0), item.message.replace(/^RMR @0x[0-9a-f]+: /, '')]);
    };
    expect(overlaps([[0x1_0000n, 0x1_0000n], [0x2_0000n, 0x1_0000n]])).toEqual([]);
    expect(overlaps([[0x2_0000n, 0x1_0000n], [0x1_0000n, 0x1_0000n]])).toEqual([]);
    // Sharing one byte, on either side.
    expect(overlaps([[0x1_0000n, 0x1_0001n], [0x2_0000n, 0x1_0000n]])).toEqual([[0, 'descriptor [0x10000 - 0x20000] overlaps, continue anyway']]);
    expect(overlaps([[0x2_0000n, 0x1_0000n], [0x1_0000n, 0x1_0001n]])).toEqual([[0, 'descriptor [0x20000 - 0x2ffff] overlaps, continue anyway']]);
    // A later zero-length descriptor at 0 ends at 2^64 − 1 (u64 arithmetic): it overlaps everything.
    expect(overlaps([[0x1_0000n, 0x1_0000n], [0n, 0n]])).toEqual([[0, 'descriptor [0x10000 - 0x1ffff] overlaps, continue anyway']]);
    // Three descriptors: each pair is checked once.
    expect(overlaps([[0x1_0000n, 0x3_0000n], [0x2_0000n, 0x1_0000n], [0x2_0000n, 0x1_0000n]]).map(([at]) => at)).toEqual([0, 0, 20]);
  });
});

describe('the range the kernel uses for a descriptor', () => {
  it('64 KiB aligned base and length: as given', () => {
    expect(rmrDescriptorRange({ baseAddress: 0x1_0000n, length: 0x2_0000n }, 4096)).toEqual({ start: 0x1_0000n, end: 0x2_ffffn, rounded: false });
  });

  it('either one unaligned: rounded to pages', () => {
    expect(rmrDescriptorRange({ baseAddress: 0x1_0000n, length: 0x1000n }, 4096)).toEqual({ start: 0x1_0000n, end: 0x1_0fffn, rounded: true });
    expect(rmrDescriptorRange({ baseAddress: 0x1_1000n, length: 0x1_0000n }, 4096)).toEqual({ start: 0x1_1000n, end: 0x2_0fffn, rounded: true });
    expect(rmrDescriptorRange({ baseAddress: 0x1_1800n, length: 0x1000n }, 16384)).toEqual({ start: 0x1_0000n, end: 0x1_3fffn, rounded: true });
  });

  it('a zero length ends one below the start', () => {
    expect(rmrDescriptorRange({ baseAddress: 0x6000_0000n, length: 0n }, 4096)).toEqual({ start: 0x6000_0000n, end: 0x5fff_ffffn, rounded: false });
  });
});

describe('which devices an RMR reaches (iort_rmr_has_dev)', () => {
  const regions = (rmrs: NodeSpec[], device: { isPci: boolean; streamIds: number[]; smmu?: number }, preserveBootConfig = true) => {
    const { table: iort, at } = table(rmrs);
    return rmrRegions(iort, { isPci: device.isPci, smmuOffset: at[device.smmu ?? 1]!, streamIds: device.streamIds, device: 'dev' }, { preserveBootConfig, pageSize: 4096 });
  };
  const node = (outputBase: number, idCount: number, extra: Partial<NodeSpec> & { flags?: number } = {}) => rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ outputBase, idCount, target: 1 }], ...extra });

  it('the stream IDs output base … output base + count, both ends', () => {
    expect([0x0f, 0x10, 0x14, 0x15].map((sid) => regions([node(0x10, 4)], { isPci: false, streamIds: [sid] }).length)).toEqual([0, 1, 1, 0]);
  });

  it('the last stream ID is a u32 sum: a range past 0xffffffff wraps and holds nothing above its base', () => {
    expect(regions([node(0xffff_fff0, 0x20)], { isPci: false, streamIds: [0xffff_fff8] })).toEqual([]);
  });

  it('only mappings to the device\'s own SMMU count', () => {
    expect(regions([node(0x10, 4)], { isPci: false, streamIds: [0x10], smmu: 2 })).toEqual([]);
  });

  it('a PCI device needs preserve_config; a named component does not', () => {
    expect(regions([node(0x10, 4)], { isPci: true, streamIds: [0x10] }, false)).toEqual([]);
    expect(regions([node(0x10, 4)], { isPci: false, streamIds: [0x10] }, false)).toHaveLength(1);
    expect(regions([node(0x10, 4)], { isPci: true, streamIds: [0x10] }, true)).toHaveLength(1);
  });

  it('a node without descriptors gives nothing', () => {
    expect(regions([rmr([], { mappings: [{ outputBase: 0x10, target: 1 }] })], { isPci: false, streamIds: [0x10] })).toEqual([]);
  });

  it('every descriptor of a matching node, with type, prot, source and the matched stream in the detail', () => {
    const { table: iort, at } = table([rmr([[0x6000_0000n, 0x1_0000n], [0x6100_0800n, 0x800n]], { flags: flags(true, true, 5), mappings: [{ outputBase: 0x10, idCount: 4, target: 1 }] })]);
    const found = rmrRegions(iort, { isPci: false, smmuOffset: at[1]!, streamIds: [0x3, 0x12], device: 'dev' }, { preserveBootConfig: true, pageSize: 4096 });
    const mapping = at[3]! + 28;
    expect(found).toEqual([
      { start: 0x6000_0000n, end: 0x6000_ffffn, type: 'direct-relaxable', prot: 1 | 2 | 4 | 32, source: { table: 'IORT', offset: at[3], structure: 'RMR', detail: `descriptor @${hex(descriptorAt(at[3]!, 1, 0))}; StreamID 0x12 in 0x10–0x14 (mapping @${hex(mapping)})` }, reason: 'RMR flags bit 0 (remapping permitted): relaxable', device: 'dev' },
      { start: 0x6100_0000n, end: 0x6100_0fffn, type: 'direct-relaxable', prot: 1 | 2 | 4 | 32, source: { table: 'IORT', offset: at[3], structure: 'RMR', detail: `descriptor @${hex(descriptorAt(at[3]!, 1, 1))} rounded to 4096-byte pages; StreamID 0x12 in 0x10–0x14 (mapping @${hex(mapping)})` }, reason: 'RMR flags bit 0 (remapping permitted): relaxable', device: 'dev' },
    ]);
  });

  it('prot: MMIO for attributes 0x00–0x03, cacheable for 0x05, neither for 0x04; privileged with bit 1; direct without bit 0', () => {
    const prot = (flagBits: number) => regions([node(0x10, 0, { flags: flagBits })], { isPci: false, streamIds: [0x10] })[0]!;
    expect([0, 3, 4, 5, 6].map((attributes) => prot(flags(false, false, attributes)).prot)).toEqual([3 | 16, 3 | 16, 3, 3 | 4, 3]);
    expect(prot(flags(false, true, 4)).prot).toBe(3 | 32);
    expect([prot(flags(false, false, 0)).type, prot(flags(false, false, 0)).reason]).toEqual(['direct', 'RMR flags bit 0 clear: must stay identity-mapped']);
  });

  it('an older kernel or table revision gives no RMR region', () => {
    const { table: iort, at } = table([node(0x10, 4)], 4);
    expect(rmrRegions(iort, { isPci: false, smmuOffset: at[1]!, streamIds: [0x10] }, { preserveBootConfig: true, pageSize: 4096 })).toEqual([]);
    const current = table([node(0x10, 4)]);
    expect(rmrRegions(current.table, { isPci: false, smmuOffset: current.at[1]!, streamIds: [0x10] }, { preserveBootConfig: true, pageSize: 4096, kernel: kernelBehaviour('5.19') })).toEqual([]);
    expect(rmrRegions(current.table, { isPci: false, smmuOffset: current.at[1]!, streamIds: [0x10] }, { preserveBootConfig: true, pageSize: 4096 })[0]!.device).toBeUndefined();
  });
});

describe('stream IDs of a PCI function (iort_pci_iommu_init)', () => {
  const devices = (list: Record<string, unknown>[]) => topologyFromJson({ devices: list });

  it('no root complex for the segment', () => {
    const { table: iort } = table([]);
    const topology = devices([{ bdf: '0001:00:01.0', class: '0x020000' }]);
    const result = pciStreams(iort, new TopologyIndex(topology), topology.devices[0]!);
    expect(result).toMatchObject({ code: 'regions.arm.no-root-complex', message: '0001:00:01.0: no IORT root complex node for PCI segment 0x0001', device: '0001:00:01.0' });
  });

  it('an ID that maps to no SMMU: the device gets no IOMMU, with the walk\'s stop', () => {
    const built = buildIort([smmuV3(), rootComplex(0, { mappings: [{ inputBase: 0, idCount: 0xff, target: 0 }] })]);
    const iort = parseIort(built.bytes);
    const topology = devices([{ bdf: '0000:01:00.0', class: '0x020000' }]);
    const result = pciStreams(iort, new TopologyIndex(topology), topology.devices[0]!);
    expect(result).toMatchObject({ code: 'regions.arm.unmapped', message: '0000:01:00.0: requester ID 0x0100 (own requester ID) maps to no SMMU (walk stopped: no mapping of the node accepts the ID); the device gets no IOMMU', offset: built.offsets[1] });
  });

  it('the SMMU, its kind and the stream ID, with a note', () => {
    const built = buildIort([smmuV1V2(), rootComplex(0, { mappings: [{ ...FULL, outputBase: 0x40, target: 0 }] })]);
    const topology = devices([{ bdf: '0000:00:01.0', class: '0x020000' }]);
    expect(pciStreams(parseIort(built.bytes), new TopologyIndex(topology), topology.devices[0]!)).toEqual({
      smmuOffset: built.offsets[0],
      smmuKind: 'smmu-v1v2',
      streamIds: [0x48],
      notes: [`RID 0x0008 (own requester ID) → StreamID 0x48 on smmu-v1v2 @${hex(built.offsets[0]!)}`],
      assumptions: [],
    });
  });

  it('an alias that reaches another SMMU ends the alias walk with a note, keeping the first stream', () => {
    // Root port 00:01.0 → PCIe-to-PCI bridge 01:00.0 (secondary bus 2) → 02:01.0: aliases 0x208 then 0x200.
    const list = [
      { bdf: '0000:00:01.0', class: '0x060400', pcieType: 'root-port', secondaryBus: 1 },
      { bdf: '0000:01:00.0', class: '0x060400', pcieType: 'pcie-to-pci-bridge', secondaryBus: 2, parent: '0000:00:01.0' },
      { bdf: '0000:02:01.0', class: '0x020000', parent: '0000:01:00.0' },
    ];
    const built = buildIort([smmuV3(), smmuV3(), rootComplex(0, { mappings: [{ inputBase: 0x201, idCount: 0xfdfe, outputBase: 0x201, target: 0 }, { inputBase: 0x200, idCount: 0, target: 1 }] })]);
    const topology = devices(list);
    const result = pciStreams(parseIort(built.bytes), new TopologyIndex(topology), topology.devices[2]!);
    expect('code' in result).toBe(false);
    if ('code' in result) return;
    expect(result.streamIds).toEqual([0x208]);
    // The alias reason's wording is src/pci/aliases.ts's; the rest is this rule's.
    expect(result.notes[1]).toMatch(/^0000:02:01\.0: requester ID 0x0200 \(PCIe-to-PCI bridge .+ via 0000:01:00\.0\) maps to no SMMU \(reaches a different SMMU\); the alias walk stops here$/);
  });
});

describe('the device lists (armDeviceLists)', () => {
  it('a second device with the same StreamID on an SMMUv3 is refused, naming the owner', () => {
    const built = buildIort([smmuV3(), rootComplex(0, { mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0, target: 0 }] }), rootComplex(1, { mappings: [{ ...FULL, target: 0 }] })]);
    const topology = topologyFromJson({ devices: [{ bdf: '0000:00:01.0', class: '0x020000' }, { bdf: '0001:00:01.0', class: '0x020000' }] });
    const lists = armDeviceLists(parseIort(built.bytes), undefined, topology);
    expect(lists.devices.map((entry) => entry.device)).toEqual(['0000:00:01.0']);
    expect(summary(lists.findings)).toEqual([{ code: 'regions.arm.duplicate-stream', message: '0001:00:01.0: "stream 0x8 already in tree" (owned by 0000:00:01.0): the device gets no IOMMU group', offset: built.offsets[0] }]);
  });

  it('SMMUv1/v2 stream IDs may repeat (no stream tree)', () => {
    const built = buildIort([smmuV1V2(), rootComplex(0, { mappings: [{ ...FULL, target: 0 }] }), rootComplex(1, { mappings: [{ ...FULL, target: 0 }] })]);
    const topology = topologyFromJson({ devices: [{ bdf: '0000:00:01.0', class: '0x020000' }, { bdf: '0001:00:01.0', class: '0x020000' }] });
    expect(armDeviceLists(parseIort(built.bytes), undefined, topology).devices).toHaveLength(2);
  });

  it('states preserve_config and the page size only when RMRs apply, and says when they were given', () => {
    const topology = topologyFromJson({ devices: [{ bdf: '0000:00:01.0', class: '0x020000' }] });
    const withRmr = table([rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ outputBase: 8, target: 1 }] })]).table;
    expect(armDeviceLists(withRmr, undefined, topology).assumptions).toEqual([
      'host bridge preserve_config (_DSM function 5) = yes (assumed; not in IORT or sysfs): RMRs apply to PCI devices only when yes',
      'kernel page size 4096 (assumed), used to round RMR descriptors not aligned to 64 KiB',
    ]);
    expect(armDeviceLists(withRmr, undefined, topology, { preserveBootConfig: false, pageSize: 16384 }).assumptions).toEqual([
      'host bridge preserve_config (_DSM function 5) = no: RMRs apply to PCI devices only when yes',
      'kernel page size 16384, used to round RMR descriptors not aligned to 64 KiB',
    ]);
    expect(armDeviceLists(table([]).table, undefined, topology).assumptions).toEqual([]);
    expect(armDeviceLists(withRmr, undefined, topology, { kernel: kernelBehaviour('5.15') }).assumptions).toEqual([]);
    const regions = armDeviceLists(withRmr, undefined, topology).devices[0]!.regions;
    expect(regions.map((region) => [region.start, region.end, region.type, region.prot, region.device])).toEqual([
      [0x800_0000n, 0x80f_ffffn, 'sw-msi', 2 | 8 | 16, '0000:00:01.0'],
      [0x6000_0000n, 0x6000_ffffn, 'direct', 3 | 16, '0000:00:01.0'],
    ]);
  });
});

describe('HiSilicon Hi161x ITS doorbells (iort_iommu_msi_get_resv_regions)', () => {
  // ITS group with ITS IDs 3 and 4 (0); a Hi161x SMMUv3 (model 1) mapping to it (1); root complex (2).
  const built = buildIort([itsGroup([3, 4]), smmuV3({ model: 1, mappings: [{ ...FULL, target: 0 }] }), rootComplex(0, { mappings: [{ ...FULL, target: 1 }] })]);
  const iort = parseIort(built.bytes);
  const gic = parseMadt(madt([gicIts(3, 0x2010_0000n)]));
  const streams = { smmuOffset: built.offsets[1]!, smmuKind: 'smmu-v3' as const, streamIds: [8], notes: [], assumptions: [] };

  it('one MSI region per ITS in the MADT: the GITS_TRANSLATER page (base + 64 KiB), a finding for a missing ITS', () => {
    const findings: Parameters<typeof hisiliconMsiRegions>[4] = [];
    const regions = hisiliconMsiRegions(iort, gic, streams, 'dev', findings);
    expect(regions.map((region) => [region.start, region.end, region.type, region.prot, region.device, region.source.detail])).toEqual([
      [0x2011_0000n, 0x2011_ffffn, 'msi', 2 | 8 | 16, 'dev', `translation ID 3 via IORT ITS group @${hex(built.offsets[0]!)}; GITS_TRANSLATER page`],
    ]);
    expect(summary(findings)).toEqual([{ code: 'regions.arm.its-missing', message: `ITS group @${hex(built.offsets[0]!)}: GIC ITS 4 is not in the MADT; no MSI region for it`, offset: built.offsets[0] }]);
    const none: typeof findings = [];
    expect(hisiliconMsiRegions(iort, undefined, streams, undefined, none)).toEqual([]);
    expect(none.map((item) => item.message)).toEqual([3, 4].map((id) => `ITS group @${hex(built.offsets[0]!)}: GIC ITS ${id} is not in the MADT (no MADT given); no MSI region for it`));
    expect(none[0]!.device).toBeUndefined();
  });

  it('other SMMU models have none', () => {
    const plain = buildIort([itsGroup([3]), smmuV3({ model: 0, mappings: [{ ...FULL, target: 0 }] })]);
    expect(hisiliconMsiRegions(parseIort(plain.bytes), gic, { ...streams, smmuOffset: plain.offsets[1]! }, 'dev', [])).toEqual([]);
  });

  it('the unscoped list: SW MSI, then each doorbell once, naming the SMMU', () => {
    const regions = armUnscopedRegions(iort, gic);
    expect(regions.map((region) => [region.start, region.type, region.source.detail])).toEqual([
      [0x800_0000n, 'sw-msi', 'every device behind an SMMU'],
      [0x2011_0000n, 'msi', `translation ID 3 via IORT ITS group @${hex(built.offsets[0]!)}; GITS_TRANSLATER page; devices behind SMMUv3 @${hex(built.offsets[1]!)}`],
    ]);
  });
});

describe('the unscoped RMR list', () => {
  it('every descriptor of every RMR with mappings, with the stream IDs and the SMMU they name', () => {
    const { table: iort, at } = table([
      rmr([[0x6000_0000n, 0x1_0000n], [0x6100_0800n, 0x800n]], { flags: 1, mappings: [{ outputBase: 0x10, idCount: 4, target: 1 }, { outputBase: 0x20, reference: 7 }] }),
      rmr([[0x6200_0000n, 0x1_0000n]]),
    ]);
    const regions = armUnscopedRegions(iort, undefined, { pageSize: 4096 }).slice(1);
    const claims = `StreamIDs 0x10–0x14 on smmu-v3 @${hex(at[1]!)}, StreamIDs 0x20–0x20 on no node @0x7`;
    expect(regions.map((region) => [region.start, region.end, region.type, region.source.detail, region.reason])).toEqual([
      [0x6000_0000n, 0x6000_ffffn, 'direct-relaxable', `descriptor @${hex(descriptorAt(at[3]!, 2, 0))}; ${claims}`, 'remapping permitted: relaxable; PCI devices only with preserve_config'],
      [0x6100_0000n, 0x6100_0fffn, 'direct-relaxable', `descriptor @${hex(descriptorAt(at[3]!, 2, 1))}; ${claims}`, 'remapping permitted: relaxable; PCI devices only with preserve_config'],
    ]);
    expect(armUnscopedRegions(iort, undefined, { kernel: kernelBehaviour('5.15') })).toHaveLength(1);
  });
});

describe('more boundaries of the Arm rules', () => {
  const topologyOf = (list: Record<string, unknown>[]) => topologyFromJson({ devices: list });

  it('without RMR nodes there is no RMR finding, whatever the kernel', () => {
    expect(rmrTableFindings(table([]).table, 4096, kernelBehaviour('5.15'))).toEqual([]);
  });

  it('a truncated RMR node is no RMR node; a mapping count with a zero array reference is no mapping', () => {
    const cut = table([{ type: 6, revision: 3, length: 20 }]);
    expect(rmrTableFindings(cut.table, 4096)).toEqual([]);
    expect(armUnscopedRegions(cut.table, undefined)).toHaveLength(1);
    const noArray = table([rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ target: 1 }], mappingOffset: 0 })]);
    expect(rmrTableFindings(noArray.table, 4096).map((item) => item.code)).toEqual(['regions.arm.rmr-no-mapping']);
    expect(rmrRegions(noArray.table, { isPci: false, smmuOffset: noArray.at[1]!, streamIds: [0] }, { preserveBootConfig: true, pageSize: 4096 })).toEqual([]);
    const noCount = table([rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ target: 1 }], mappingCount: 0 })]);
    expect(rmrTableFindings(noCount.table, 4096).map((item) => item.code)).toEqual(['regions.arm.rmr-no-mapping']);
  });

  it('every matching mapping is named in the detail; no device field without a device', () => {
    const { table: iort, at } = table([rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ outputBase: 0x10, target: 1 }, { outputBase: 0x20, target: 1 }] })]);
    const [region] = rmrRegions(iort, { isPci: false, smmuOffset: at[1]!, streamIds: [0x20, 0x10] }, { preserveBootConfig: true, pageSize: 4096 });
    expect(region!.source.detail).toBe(`descriptor @${hex(descriptorAt(at[3]!, 2, 0))}; StreamID 0x10 in 0x10–0x10 (mapping @${hex(at[3]! + 28)}), StreamID 0x20 in 0x20–0x20 (mapping @${hex(at[3]! + 48)})`);
    expect('device' in region!).toBe(false);
  });

  it('a device on a segment without root complex is a finding, not a device', () => {
    const lists = armDeviceLists(table([]).table, undefined, topologyOf([{ bdf: '0002:00:01.0', class: '0x020000' }]));
    expect(lists.devices).toEqual([]);
    expect(lists.findings.map(({ code, table: source, device }) => [code, source, device])).toEqual([['regions.arm.no-root-complex', 'IORT', '0002:00:01.0']]);
  });

  it('a PCI device needs preserve_config in the device lists too; each assumption about a bridge is listed once', () => {
    const withRmr = table([rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ outputBase: 0x108, idCount: 8, target: 1 }] })]).table;
    const list = [
      { bdf: '0000:00:01.0', class: '0x060400', secondaryBus: 1 },
      { bdf: '0000:01:01.0', class: '0x020000', parent: '0000:00:01.0' },
      { bdf: '0000:01:02.0', class: '0x020000', parent: '0000:00:01.0' },
    ];
    const off = armDeviceLists(withRmr, undefined, topologyOf(list), { preserveBootConfig: false });
    expect(off.devices.find((entry) => entry.device === '0000:01:01.0')!.regions.map((region) => region.type)).toEqual(['sw-msi']);
    const on = armDeviceLists(withRmr, undefined, topologyOf(list), { preserveBootConfig: true });
    expect(on.devices.find((entry) => entry.device === '0000:01:01.0')!.regions.map((region) => region.type)).toEqual(['sw-msi', 'direct']);
    expect(on.assumptions.filter((note) => note.startsWith('0000:00:01.0'))).toHaveLength(1);
  });

  it('the SW MSI window as the driver reports it, per device and unscoped', () => {
    const lists = armDeviceLists(table([]).table, undefined, topologyOf([{ bdf: '0000:00:01.0', class: '0x020000' }]));
    expect(lists.devices[0]!.regions).toEqual([
      { start: 0x800_0000n, end: 0x80f_ffffn, type: 'sw-msi', prot: 2 | 8 | 16, source: { table: 'kernel', structure: 'SW MSI window', detail: 'MSI_IOVA_BASE, MSI_IOVA_LENGTH' }, reason: 'software-managed MSI window of the SMMU driver, every device', device: '0000:00:01.0' },
    ]);
    expect(armUnscopedRegions(table([]).table, undefined)).toEqual([
      { start: 0x800_0000n, end: 0x80f_ffffn, type: 'sw-msi', prot: 2 | 8 | 16, source: { table: 'kernel', structure: 'SW MSI window', detail: 'every device behind an SMMU' }, reason: 'software-managed MSI window of the SMMU driver' },
    ]);
  });

  it('an unscoped RMR without bit 0 is direct; its source names the node', () => {
    const { table: iort, at } = table([rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ outputBase: 0x10, target: 1 }] })]);
    const [, region] = armUnscopedRegions(iort, undefined);
    expect([region!.type, region!.reason, region!.source.table, region!.source.offset, region!.source.structure]).toEqual(['direct', 'remapping not permitted; PCI devices only with preserve_config', 'IORT', at[3], 'RMR']);
  });
});

describe('HiSilicon doorbells: which SMMU and which ITS group', () => {
  const gic = parseMadt(madt([gicIts(3, 0x2010_0000n), gicIts(4, 0x2020_0000n)]));

  it('only an SMMUv3 of model 1: an SMMUv1/v2 with model 1 has none; an offset that is no node has none', () => {
    const built = buildIort([itsGroup([3]), smmuV1V2({ model: 1, mappings: [{ ...FULL, target: 0 }] })]);
    const iort = parseIort(built.bytes);
    expect(hisiliconMsiRegions(iort, gic, { smmuOffset: built.offsets[1]!, smmuKind: 'smmu-v1v2', streamIds: [8], notes: [], assumptions: [] }, 'dev', [])).toEqual([]);
    expect(hisiliconMsiRegions(iort, gic, { smmuOffset: -1, smmuKind: 'smmu-v3', streamIds: [8], notes: [], assumptions: [] }, 'dev', [])).toEqual([]);
    const plain = buildIort([itsGroup([3]), smmuV3({ model: 0, mappings: [{ ...FULL, target: 0 }] })]);
    expect(armUnscopedRegions(parseIort(plain.bytes), gic)).toHaveLength(1);
  });

  it('the first stream ID that reaches an ITS group decides; none reaching one gives none', () => {
    const built = buildIort([itsGroup([3]), itsGroup([4]), smmuV3({ model: 1, mappings: [{ inputBase: 0x10, idCount: 0xf, target: 1 }, { inputBase: 0x20, idCount: 0xf, target: 0 }] })]);
    const iort = parseIort(built.bytes);
    const streams = (streamIds: number[]) => ({ smmuOffset: built.offsets[2]!, smmuKind: 'smmu-v3' as const, streamIds, notes: [], assumptions: [] });
    const findings: Parameters<typeof hisiliconMsiRegions>[4] = [];
    expect(hisiliconMsiRegions(iort, gic, streams([0x5000, 0x25, 0x12]), 'dev', findings).map((region) => region.start)).toEqual([0x2011_0000n]);
    expect(hisiliconMsiRegions(iort, gic, streams([0x5000]), 'dev', findings)).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('a missing ITS is reported for the device; a region without a device has no device field', () => {
    const built = buildIort([itsGroup([7]), smmuV3({ model: 1, mappings: [{ ...FULL, target: 0 }] })]);
    const findings: Parameters<typeof hisiliconMsiRegions>[4] = [];
    hisiliconMsiRegions(parseIort(built.bytes), gic, { smmuOffset: built.offsets[1]!, smmuKind: 'smmu-v3', streamIds: [8], notes: [], assumptions: [] }, 'dev', findings);
    expect(findings.map(({ code, table: source, device }) => [code, source, device])).toEqual([['regions.arm.its-missing', 'IORT', 'dev']]);
    const own = buildIort([itsGroup([3]), smmuV3({ model: 1, mappings: [{ ...FULL, target: 0 }] })]);
    const [region] = hisiliconMsiRegions(parseIort(own.bytes), gic, { smmuOffset: own.offsets[1]!, smmuKind: 'smmu-v3', streamIds: [8], notes: [], assumptions: [] }, undefined, []);
    expect('device' in region!).toBe(false);
    expect([region!.source.table, region!.source.structure, region!.reason]).toEqual(['MADT', 'GIC ITS', 'HiSilicon Hi161x SMMUv3 (model 1): the ITS doorbell is not translated']);
  });

  it('unscoped: stream IDs from every mapping but the DeviceID one; one region per SMMU and doorbell', () => {
    // The DeviceID mapping (index 0, in effect: a GSIV is 0) starts at 0x100, which mapping 2 sends to ITS 3;
    // the other mappings start at 0x10 (to ITS 4) and 0x100. Without the DeviceID mapping the first stream ID is 0x10.
    const smmu = smmuV3({ model: 1, gsivs: [0, 101, 102, 103], index: 0, mappings: [{ inputBase: 0x100, target: 0, flags: 1 }, { inputBase: 0x10, idCount: 0xef, target: 1 }, { inputBase: 0x100, idCount: 0xff, target: 0 }] });
    // ITS group 1 lists ITS 4 twice: its doorbell is listed once per SMMU.
    const built = buildIort([itsGroup([3]), itsGroup([4, 4]), smmu, smmuV3({ model: 1, mappings: [{ inputBase: 0x10, idCount: 0xef, target: 1 }] })]);
    const regions = armUnscopedRegions(parseIort(built.bytes), gic).slice(1);
    expect(regions.map((region) => [region.start, region.source.detail])).toEqual([2, 3].map((smmuNode) => [0x2021_0000n, `translation ID 4 via IORT ITS group @${hex(built.offsets[1]!)}; GITS_TRANSLATER page; devices behind SMMUv3 @${hex(built.offsets[smmuNode]!)}`]));
  });
});

describe('last boundaries of the Arm rules', () => {
  it('overlap and unmapped findings name the IORT', () => {
    const { table: iort } = table([rmr([[0x1_0000n, 0x2_0000n], [0x2_0000n, 0x1_0000n]], { mappings: [{ target: 1 }] })]);
    expect(rmrTableFindings(iort, 65536).map((item) => [item.code, item.table])).toEqual([['regions.arm.rmr-overlap', 'IORT']]);
    const built = buildIort([smmuV3(), rootComplex(0, { mappings: [{ inputBase: 0, idCount: 0xff, target: 0 }] })]);
    const topology = topologyFromJson({ devices: [{ bdf: '0000:01:00.0', class: '0x020000' }] });
    expect(pciStreams(parseIort(built.bytes), new TopologyIndex(topology), topology.devices[0]!)).toMatchObject({ code: 'regions.arm.unmapped', table: 'IORT' });
  });

  it('an ITS group cut before its identifiers gives no doorbell', () => {
    const built = buildIort([itsGroup([3], { length: 16 }), smmuV3({ model: 1, mappings: [{ ...FULL, target: 0 }] })]);
    const streams = { smmuOffset: built.offsets[1]!, smmuKind: 'smmu-v3' as const, streamIds: [8], notes: [], assumptions: [] };
    expect(hisiliconMsiRegions(parseIort(built.bytes), parseMadt(madt([gicIts(3, 0x2010_0000n)])), streams, 'dev', [])).toEqual([]);
  });

  it('a missing ITS without a device: no device field in the finding', () => {
    const built = buildIort([itsGroup([7]), smmuV3({ model: 1, mappings: [{ ...FULL, target: 0 }] })]);
    const findings: Parameters<typeof hisiliconMsiRegions>[4] = [];
    hisiliconMsiRegions(parseIort(built.bytes), undefined, { smmuOffset: built.offsets[1]!, smmuKind: 'smmu-v3', streamIds: [8], notes: [], assumptions: [] }, undefined, findings);
    expect(findings.map((item) => 'device' in item)).toEqual([false]);
  });
});
