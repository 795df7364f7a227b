/**
 * src/audit/explain-amd.ts where mutation testing found it unasserted: the whole naming record,
 * a device on a segment no IVHD serves, and the IOMMU itself when the IVRS repeats it in IVHDs of
 * several types (real AMD tables carry types 0x10, 0x11 and 0x40 for one IOMMU; Linux uses one
 * type, kernel-semantics §6). Offsets by hand: header 0x30, IVHD header 0x18 bytes, select entries
 * 4 bytes each, so an IVHD with the eight QEMU select entries is 0x38 bytes long.
 */
import { describe, expect, it } from 'vitest';
import { amdStructures } from '../src/audit/explain-amd.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { ivhd, ivmd, ivrsBytes, QEMU_IVHD, QEMU_IVHD_IDS, select } from './support/ivrs-model.js';

const at = (bus: number, device: number, fn: number, segment = 0) => ({ segment, bus, device, function: fn });

describe('amdStructures records', () => {
  it('every record is a certain IVRS naming without steps', () => {
    const table = parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)]));
    expect(amdStructures(table, at(0, 3, 0))).toEqual([
      { table: 'IVRS', structure: 'IVHD 0x10', offset: 0x30, how: 'its entry @0x54 hands device ID 00:03.0 (0x0018) to this IOMMU, so the device\'s requester ID 00:03.0 (0x0018) is translated by it', steps: [], certainty: 'certain' },
      { table: 'IVRS', structure: 'IVMD (one device)', offset: 0x70, how: 'it covers device ID 00:03.0 (0x0018), the device\'s among them: [0x80100000-0x80100fff] is a unity map: a direct region of the device', steps: [], certainty: 'certain' },
    ]);
  });

  it('a device on a segment no IVHD or IVMD names: nothing, and no failure', () => {
    const table = parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)]));
    expect(amdStructures(table, at(0, 3, 0, 1))).toEqual([]);
  });

  it('a device above an IVMD\'s range is not covered by it; one below neither', () => {
    const table = parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x22, 0x7, 0x10, 0x18, 0x80100000n, 0x1000n)]));
    expect(amdStructures(table, at(0, 4, 0)).map((item) => item.structure)).toEqual(['IVHD 0x10']);
    expect(amdStructures(table, at(0, 1, 0)).map((item) => item.structure)).toEqual(['IVHD 0x10']);
    expect(amdStructures(table, at(0, 2, 0)).map((item) => item.structure)).toEqual(['IVHD 0x10', 'IVMD (device range)']);
  });
});

describe('the IOMMU itself', () => {
  it('is named at the IVHD of the type Linux uses, not at an earlier block of another type', () => {
    // IVHD 0x10 at 0x30 (0x38 bytes), IVHD 0x11 at 0x68 (0x28-byte header + 0x20 of entries): Linux 6.1 uses 0x11.
    const entries = QEMU_IVHD_IDS.map(select);
    const table = parseIvrs(ivrsBytes([ivhd(0x10, 0x08, entries), ivhd(0x11, 0x08, entries)]));
    expect(amdStructures(table, at(0, 1, 0))).toEqual([
      { table: 'IVRS', structure: 'IVHD 0x11', offset: 0x68, how: 'its device ID 00:01.0 (0x0008) is the IOMMU itself, which never translates its own DMA', steps: [], certainty: 'certain' },
    ]);
    expect(amdStructures(table, at(0, 3, 0))[0]).toMatchObject({ structure: 'IVHD 0x11', offset: 0x68 });
  });

  it('is named at its own IVHD among several IOMMUs and segments', () => {
    // Segment 1's IVHD for 0x08 at 0x30 (0x20 bytes: two entries), segment 0's IVHD for 0x10 at 0x50, segment 0's for 0x08 at 0x70.
    const table = parseIvrs(ivrsBytes([
      ivhd(0x10, 0x08, [select(0x08), select(0x18)], { pciSegmentGroup: 1 }),
      ivhd(0x10, 0x10, [select(0x10), select(0x20)]),
      ivhd(0x10, 0x08, [select(0x08), select(0x18)]),
    ]));
    expect(amdStructures(table, at(0, 1, 0)).map((item) => [item.structure, item.offset])).toEqual([['IVHD 0x10', 0x70]]);
    expect(amdStructures(table, at(0, 2, 0)).map((item) => [item.structure, item.offset])).toEqual([['IVHD 0x10', 0x50]]);
  });
});
