/**
 * Hand-named malformed specimens for the classic traps (docs/spec.md §5), each built by the
 * encoder from a small model. `expect` lists the codes the specimen exists to show; the build
 * refuses a specimen whose parse does not raise them.
 */
import { checksumOf } from '../../src/bytes/sdt.js';
import { encodeTable, type DmarModel, type IortModel, type IvrsBlockModel, type MadtModel, type TableModel } from '../../src/encode/index.js';
import type { TargetName } from '../targets/index.js';
import { ARM_SERVER_APIC, ARM_SERVER_IORT, X86_LAPTOP_APIC, X86_LAPTOP_DMAR } from './samples.js';

export interface Specimen {
  name: string;
  table: TargetName;
  description: string;
  expect: string[];
  bytes: Uint8Array;
}

type Structure = NonNullable<DmarModel['structures']>[number];
type Node = NonNullable<IortModel['nodes']>[number];
type Entry = NonNullable<MadtModel['entries']>[number];

const laptop = X86_LAPTOP_DMAR.structures!;
const dmar = (structures: readonly Structure[], extra: Partial<DmarModel> = {}): Uint8Array => encodeTable({ ...X86_LAPTOP_DMAR, structures, ...extra });
const [its, smmu, rc, nc, rmr] = ARM_SERVER_IORT.nodes! as [Node, Node, Node, Node, Node];
const iort = (nodes: readonly Node[], extra: Partial<IortModel> = {}): Uint8Array => encodeTable({ ...ARM_SERVER_IORT, nodes, ...extra });
const madt = (entries: readonly Entry[], base: MadtModel = X86_LAPTOP_APIC): Uint8Array => encodeTable({ ...base, entries });
const scope = (length: number) => ({ type: 1, length, startBusNumber: 0, path: [{ device: 2, function: 0 }] });
const devid = smmu.idMappings![0]!;
const toNode = (node: number) => ({ inputBase: 0, idCount: 0xff, outputBase: 0, outputReference: { node }, flags: 0 });
const truncated = (bytes: Uint8Array, keep: number) => bytes.slice(0, keep);

/** Rewrites fields of built bytes (lies the encoder's padding would hide), then the checksum. */
function patch(bytes: Uint8Array, edits: readonly (readonly [at: number, width: 1 | 2 | 4, value: number])[]): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [at, width, value] of edits) {
    if (width === 1) view.setUint8(at, value);
    else if (width === 2) view.setUint16(at, value, true);
    else view.setUint32(at, value, true);
  }
  bytes[9] = 0;
  bytes[9] = (0x100 - checksumOf(bytes)) & 0xff;
  return bytes;
}
/**
 * A small AMD table: IVHD 0x10 at 48 (24-byte header; select 00:00.0 at 72, select 00:02.0 at 76,
 * range 00:03.0–00:04.0 at 80/84, special IOAPIC at 88; ends at 96), one IVMD 0x21 at 96–128.
 */
const AMD_IVHD: IvrsBlockModel = {
  type: 0x10, flags: 0xd1, deviceId: 0x08, capabilityOffset: 0x40, baseAddress: '0xfed80000', pciSegmentGroup: 0, info: 0, featureReporting: 0x44,
  entries: [{ kind: 'select', deviceId: 0x00 }, { kind: 'select', deviceId: 0x10 }, { kind: 'range-start', deviceId: 0x18 }, { kind: 'range-end', deviceId: 0x20 }, { kind: 'special', sourceDeviceId: 0xa0, handle: 0, variety: 1 }],
};
const AMD_IVMD: IvrsBlockModel = { type: 0x21, flags: 0x7, deviceId: 0x18, auxiliaryData: 0, startAddress: '0x3e000000', memoryLength: '0x100000' };
const ivrs = (blocks: readonly IvrsBlockModel[]): Uint8Array => encodeTable({ signature: 'IVRS', header: { oemId: 'ACPIIO', oemTableId: 'AMDTEST', revision: 2 }, ivinfo: 0x203043, blocks });

/** The ACPI 5.0 form of a GICC: fields up to the GICv2 base address, 40 bytes. */
const GICC_ACPI_5_0 = { kind: 'gicc', cpuInterfaceNumber: 0, processorUid: 0, flags: 1, parkingProtocolVersion: 0, performanceInterruptGsiv: 23, parkedAddress: 0, baseAddress: '0x2c000000' };

const specimens: (Omit<Specimen, 'bytes'> & { build: () => Uint8Array | TableModel })[] = [
  { name: 'dmar-subtable-zero-length', table: 'dmar', expect: ['dmar.length.zero'], description: 'second DRHD has Length 0: the walk must stop, not spin', build: () => dmar([laptop[0]!, { ...laptop[1]!, length: 0 }, laptop[2]!]) },
  { name: 'dmar-subtable-short', table: 'dmar', expect: ['dmar.length.short'], description: 'an RMRR whose Length (16) is below its 24-byte fixed part', build: () => dmar([laptop[0]!, { kind: 'unknown', type: 1, length: 16 }]) },
  { name: 'dmar-subtable-overrun', table: 'dmar', expect: ['dmar.length.overrun'], description: 'the last structure claims more bytes than the table has', build: () => patch(dmar([laptop[0]!, laptop[2]!]), [[48 + 24 + 2, 2, 200]]) },
  { name: 'dmar-scope-zero-length', table: 'dmar', expect: ['dmar.scope.length'], description: 'a device scope of Length 0 inside a DRHD (Linux would spin)', build: () => dmar([{ ...laptop[0]!, deviceScopes: [scope(8), scope(0)] }, laptop[1]!]) },
  { name: 'dmar-scope-overrun', table: 'dmar', expect: ['dmar.scope.overrun'], description: 'a device scope runs past the end of its DRHD', build: () => patch(dmar([{ ...laptop[0]!, deviceScopes: [scope(8), scope(8)] }, laptop[1]!]), [[48 + 24 + 1, 1, 14]]) },
  { name: 'dmar-scope-no-path', table: 'dmar', expect: ['dmar.scope.no-path'], description: 'a scope of Length 6: no path entry, names no device', build: () => dmar([{ ...laptop[0]!, deviceScopes: [{ type: 1, length: 6, path: [] }] }, laptop[1]!]) },
  { name: 'dmar-scope-path-odd', table: 'dmar', expect: ['dmar.scope.path-odd'], description: 'a scope of Length 9: half a path entry', build: () => dmar([{ ...laptop[0]!, deviceScopes: [scope(9)] }, laptop[1]!]) },
  { name: 'dmar-rmrr-base-after-limit', table: 'dmar', expect: ['dmar.rmrr.base-after-limit'], description: 'an RMRR whose Base lies above its Limit', build: () => dmar([...laptop.slice(0, 2), { ...laptop[2]!, baseAddress: '0x7a808000', limitAddress: '0x7a5e7fff' }]) },
  { name: 'dmar-andd-unterminated', table: 'dmar', expect: ['dmar.andd.unterminated'], description: 'an ANDD object name without NUL (Linux fails the whole DMAR)', build: () => dmar([...laptop.slice(0, 5), { ...laptop[5]!, objectNameTerminated: false }]) },
  { name: 'dmar-haw-invalid', table: 'dmar', expect: ['dmar.haw.invalid'], description: 'Host Address Width byte 5 (6 bits): Linux rejects the table', build: () => dmar(laptop, { hostAddressWidthRaw: 5 }) },
  { name: 'dmar-drhd-base-zero', table: 'dmar', expect: ['dmar.drhd.base-zero'], description: 'a DRHD with Register Base Address 0', build: () => dmar([{ ...laptop[0]!, registerBaseAddress: 0 }, ...laptop.slice(1)]) },
  { name: 'dmar-truncated', table: 'dmar', expect: ['sdt.length.truncated'], description: 'a capture cut in the middle of the first RMRR', build: () => truncated(dmar(laptop), 120) },
  { name: 'dmar-checksum-wrong', table: 'dmar', expect: ['sdt.checksum'], description: 'a stale checksum byte', build: () => dmar(laptop, { header: { ...X86_LAPTOP_DMAR.header, checksum: 0 } }) },
  { name: 'iort-output-ref-cycle', table: 'iort', expect: ['iort.graph.cycle'], description: 'two SMMUv3 nodes whose ID mappings point at each other', build: () => iort([its, { ...smmu, idMappings: [devid, toNode(2)] }, { ...smmu, identifier: 9, idMappings: [devid, toNode(1)] }, { ...rc, idMappings: [toNode(1)] }]) },
  { name: 'iort-output-ref-self', table: 'iort', expect: ['iort.mapping.target-type'], description: 'an SMMUv3 ID mapping whose output reference is the SMMU itself', build: () => iort([its, { ...smmu, idMappings: [devid, toNode(1)] }, rc]) },
  { name: 'iort-output-ref-null', table: 'iort', expect: ['iort.mapping.null-ref'], description: 'a root complex mapping with output reference 0', build: () => iort([its, smmu, { ...rc, idMappings: [{ ...toNode(1), outputReference: 0 }] }]) },
  { name: 'iort-output-ref-mid-node', table: 'iort', expect: ['iort.mapping.target-not-a-node'], description: 'a root complex mapping pointing 4 bytes into the SMMUv3 node', build: () => iort([its, smmu, { ...rc, idMappings: [{ ...toNode(1), outputReference: 48 + 24 + 4 }] }]) },
  { name: 'iort-node-count-huge', table: 'iort', expect: ['iort.node.overflow'], description: 'Number of nodes 0xFFFFFFFF over a table of five nodes', build: () => iort(ARM_SERVER_IORT.nodes!, { nodeCount: 0xffffffff }) },
  { name: 'iort-node-zero-length', table: 'iort', expect: ['iort.length.zero'], description: 'a node of Length 0 (Linux would revisit it Number-of-nodes times)', build: () => iort([its, { ...smmu, length: 0 }, rc]) },
  { name: 'iort-node-array-offset-in-header', table: 'iort', expect: ['iort.node.array-offset'], description: 'the node array offset points into the 48-byte header', build: () => iort(ARM_SERVER_IORT.nodes!, { nodeArrayOffset: 16 }) },
  { name: 'iort-mapping-outside-node', table: 'iort', expect: ['iort.mapping.outside-node'], description: 'a root complex ID array reference past the node end', build: () => iort([its, smmu, { ...rc, mappingArrayOffset: 200, idMappings: [] , mappingCount: 1 }]) },
  { name: 'iort-mapping-count-overflow', table: 'iort', expect: ['iort.mapping.outside-node'], description: 'Number of ID mappings 0x0CCCCCCD: 20·n wraps a 32-bit product to 4', build: () => iort([its, smmu, { ...rc, mappingCount: 0x0ccccccd }]) },
  { name: 'iort-nc-unterminated', table: 'iort', expect: ['iort.nc.unterminated'], description: 'a named component whose name runs into its ID array without NUL', build: () => iort([its, smmu, rc, { ...nc, deviceNameTerminated: false, mappingArrayOffset: 38 }]) },
  { name: 'iort-rmr-no-ranges', table: 'iort', expect: ['iort.rmr.no-ranges'], description: 'an RMR node with zero memory range descriptors', build: () => iort([its, smmu, rc, nc, { ...rmr, memoryRanges: [] }]) },
  { name: 'iort-smmuv3-devid-index', table: 'iort', expect: ['iort.smmuv3.devid-index'], description: 'SMMUv3 DeviceID mapping index 7 with two mappings', build: () => iort([its, { ...smmu, deviceIdMappingIndex: 7 }, rc]) },
  { name: 'madt-subtable-zero-length', table: 'madt', expect: ['madt.length.zero'], description: 'an I/O APIC entry of Length 0 (Linux: "Invalid zero length")', build: () => madt([...X86_LAPTOP_APIC.entries!.slice(0, 4), { ...X86_LAPTOP_APIC.entries![4]!, length: 0 }, ...X86_LAPTOP_APIC.entries!.slice(5)]) },
  { name: 'madt-subtable-overrun', table: 'madt', expect: ['madt.length.overrun'], description: 'the last entry claims 200 bytes', build: () => patch(madt(X86_LAPTOP_APIC.entries!), [[114 - 6 + 1, 1, 200]]) },
  { name: 'madt-gicc-short', table: 'madt', expect: ['madt.length.short'], description: 'a 40-byte ACPI 5.0 GICC: Linux needs 76 bytes', build: () => madt([GICC_ACPI_5_0, ...ARM_SERVER_APIC.entries!.slice(4)], ARM_SERVER_APIC) },
  { name: 'ivrs-block-zero-length', table: 'ivrs', expect: ['ivrs.block.zero-length'], description: 'the IVMD after the IVHD has Length 0 (Linux 6.1 would loop on it)', build: () => ivrs([AMD_IVHD, { ...AMD_IVMD, length: 0 }]) },
  { name: 'ivrs-block-overrun', table: 'ivrs', expect: ['ivrs.block.overrun'], description: 'the IVMD claims 200 bytes of a 128-byte table', build: () => patch(ivrs([AMD_IVHD, AMD_IVMD]), [[96 + 2, 2, 200]]) },
  { name: 'ivrs-block-truncated', table: 'ivrs', expect: ['ivrs.block.truncated'], description: 'two bytes follow the IVHD: less than a block header', build: () => patch(ivrs([AMD_IVHD, AMD_IVMD]).slice(0, 98), [[4, 4, 98]]) },
  { name: 'ivrs-block-short', table: 'ivrs', expect: ['ivrs.block.short'], description: 'an IVMD (type 0x21) of Length 16, below its 32 bytes', build: () => ivrs([AMD_IVHD, { type: 0x21, kind: 'unknown', flags: 7, payload: new Uint8Array(12) }]) },
  { name: 'ivrs-block-unknown', table: 'ivrs', expect: ['ivrs.block.unknown'], description: 'a 32-byte block of type 0x51 after the IVMD, as three Lenovo ThinkPads carry', build: () => ivrs([AMD_IVHD, AMD_IVMD, { type: 0x51, kind: 'unknown', flags: 0, payload: new Uint8Array(28) }]) },
  { name: 'ivrs-entry-truncated', table: 'ivrs', expect: ['ivrs.entry.truncated'], description: 'the IVHD\'s last entry retyped as an ACPI HID (0xF0): its UID length byte lies past the IVHD end', build: () => patch(ivrs([AMD_IVHD, AMD_IVMD]), [[88, 1, 0xf0]]) },
  { name: 'ivrs-entry-reserved', table: 'ivrs', expect: ['ivrs.entry.reserved'], description: 'the second device entry has the reserved type 0x05 (skipped as 4 bytes)', build: () => patch(ivrs([AMD_IVHD, AMD_IVMD]), [[76, 1, 0x05]]) },
];

export function malformedSpecimens(): Specimen[] {
  return specimens.map(({ build, ...specimen }) => {
    const built = build();
    return { ...specimen, bytes: built instanceof Uint8Array ? built : encodeTable(built) };
  });
}
