/**
 * A hermetic IVRS for the page tests, encoded with src/encode's `encodeTable` so they run without
 * ../shared: an IVHD 0x10 that Linux leaves unused (a later IVHD 0x40 carries the same IOMMU
 * device ID), the IVHD 0x40 with one entry of each kind the page draws, and two IVMDs. Offsets
 * worked out by hand from src/ivrs/layout.ts: header 48 bytes, IVHD 0x10 at 0x30
 * (24 + 4 bytes), IVHD 0x40 at 0x4c (40 + 82 bytes), IVMD range at 0xc6, IVMD select at 0xe6.
 */
import { encodeTable } from '../../src/encode/index.js';
import type { PciTopology } from '../../src/pci/model.js';
import { ivhd, ivmd, select, topology } from './ivrs-model.js';

const IOMMU_ID = 0x02; // 00:00.2, where AMD puts its IOMMU

export const VIEW_IVRS_OFFSETS = { ivhd10: 0x30, ivhd40: 0x4c, ivmdRange: 0xc6, ivmdSelect: 0xe6, length: 0x106 } as const;

export function viewIvrsBytes(): Uint8Array {
  const efr = { featureReporting: undefined, attributes: 0, efrRegisterImage: 0n, efrRegisterImage2: 0n };
  return encodeTable({
    signature: 'IVRS',
    header: { signature: 'IVRS', revision: 2, oemId: 'HERMTC', oemTableId: 'VIEWIVRS', oemRevision: 1 },
    ivinfo: 0x203041,
    blocks: [
      ivhd(0x10, IOMMU_ID, [{ kind: 'all', deviceId: 0 }]),
      ivhd(0x40, IOMMU_ID, [
        select(0x0000), // 00:00.0
        { kind: 'range-start', deviceId: 0x0010 }, // 00:02.0 …
        { kind: 'range-end', deviceId: 0x0017 }, // … 00:02.7
        { kind: 'alias-range-start', deviceId: 0x0100, sourceDeviceId: 0x00a4 }, // 01:00.0 … as 00:14.4
        { kind: 'range-end', deviceId: 0x0101 }, // … 01:00.1
        { kind: 'alias-select', deviceId: 0x0200, sourceDeviceId: 0x00a4 }, // 02:00.0 as 00:14.4
        { kind: 'extended-select', deviceId: 0x0018, extendedData: 0x80000000 }, // 00:03.0, ATS disabled
        { kind: 'special', sourceDeviceId: 0x00a0, handle: 0x21, variety: 1 }, // IOAPIC 0x21 at 00:14.0
        { kind: 'special', sourceDeviceId: 0x00a0, handle: 0, variety: 2 }, // HPET 0 at 00:14.0
        { kind: 'acpi-hid', deviceId: 0x00a5, hid: 'AMDI0020', cid: 'PNP0501', uidFormat: 2, uid: 'ID00' }, // 22 + 4 bytes
      ], { baseAddress: 0xfd200000n, ...efr }),
      ivmd(0x22, 0x07, 0x0010, 0x0017, 0x9d000000n, 0x1000n), // unity R/W for 00:02.0–00:02.7
      ivmd(0x21, 0x08, 0x0018, 0, 0xa0000000n, 0x100000n), // exclusion range for 00:03.0
    ],
  });
}

/** The functions of the fixture, each in its own group; the IOMMU (00:00.2) has none. */
export function viewIvrsTopology(): PciTopology {
  return topology([0x0000, IOMMU_ID, 0x0010, 0x0018, 0x0100, 0x0200], [[0x0000], [0x0010], [0x0018], [0x0100], [0x0200]]);
}
