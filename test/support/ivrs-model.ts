/**
 * IVRS models for the AMD tests, encoded with src/encode: QEMU 7.2's own IVHD for the q35 +
 * amd-iommu machine of ../shared/corpus/kernel/amd-basic (IOMMU at 00:01.0, select entries for
 * 00:00.0, 00:01.0, 00:02.0, 00:03.0, 00:04.0, 00:1f.0, 00:1f.2, 00:1f.3, IOAPIC special entry),
 * written out field by field, plus IVMD blocks.
 */
import { encodeIvrs, type IvrsBlockModel, type IvrsEntryModel } from '../../src/encode/index.js';
import type { PciDevice, PciTopology } from '../../src/pci/model.js';

export const QEMU_IVHD_IDS = [0x00, 0x08, 0x10, 0x18, 0x20, 0xf8, 0xfa, 0xfb];

export function ivhd(type: number, deviceId: number, entries: IvrsEntryModel[], extra: Partial<IvrsBlockModel> = {}): IvrsBlockModel {
  return { type, flags: 0xd1, deviceId, capabilityOffset: 0x40, baseAddress: 0xfed80000n, pciSegmentGroup: 0, info: 0, featureReporting: 0x44, entries, ...extra };
}

export const select = (deviceId: number): IvrsEntryModel => ({ kind: 'select', deviceId });

export const QEMU_IVHD = ivhd(0x10, 0x08, [...QEMU_IVHD_IDS.map(select), { kind: 'special', sourceDeviceId: 0xa0, handle: 0, variety: 1 }]);

export function ivmd(type: number, flags: number, deviceId: number, auxiliaryData: number, startAddress: bigint, memoryLength: bigint, pciSegmentGroup = 0): IvrsBlockModel {
  return { type, flags, deviceId, auxiliaryData, pciSegmentGroup, startAddress, memoryLength };
}

export function ivrsBytes(blocks: IvrsBlockModel[]): Uint8Array {
  return encodeIvrs({ header: { oemId: 'BOCHS ', oemTableId: 'BXPC    ', oemRevision: 2, revision: 1 }, ivinfo: 0x2800, blocks });
}

/** A PCI function on segment 0 with the given class; `id` is the requester ID. */
export function pciDevice(id: number, classCode = 0x020000): PciDevice {
  return { segment: 0, bus: id >> 8, device: (id >> 3) & 0x1f, function: id & 7, classCode, vendor: 0x1af4, deviceId: 0x1000 };
}

/** Devices in probe order with the kernel's groups (`groups`: lists of requester IDs). */
export function topology(ids: number[], groups: number[][]): PciTopology {
  const devices = ids.map((id) => pciDevice(id));
  const bdf = (id: number) => `0000:${(id >> 8).toString(16).padStart(2, '0')}:${((id >> 3) & 0x1f).toString(16).padStart(2, '0')}.${id & 7}`;
  return { devices, groups: new Map(groups.map((members, index) => [index, members.map(bdf)])), groupsGuessed: false, notes: [] };
}
