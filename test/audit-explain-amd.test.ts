/**
 * `explain` on AMD (src/audit/explain-amd.ts): the sentences naming the IVHD entry, the alias
 * entry and the IVMDs, with their offsets and IDs worked out by hand. IVRS from the test encoder:
 * header 0x30; the IVHD at 0x30 has its entries from 0x48 (4 bytes each, 8 for alias and special
 * entries); IVMDs follow the IVHD, 32 bytes each.
 */
import { describe, expect, it } from 'vitest';
import { amdStructures } from '../src/audit/explain-amd.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { ivhd, ivmd, ivrsBytes, QEMU_IVHD, select } from './support/ivrs-model.js';

const at = (bus: number, device: number, fn: number) => ({ segment: 0, bus, device, function: fn });
const hows = (table: ReturnType<typeof parseIvrs>, address: ReturnType<typeof at>) => amdStructures(table, address).map((item) => [item.structure, item.offset, item.how]);

describe('amdStructures', () => {
  // QEMU's IVHD (0x40 bytes) → IVMDs at 0x70, 0x90, 0xb0.
  const table = parseIvrs(ivrsBytes([
    QEMU_IVHD,
    ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x2000n),
    ivmd(0x22, 0x8, 0x10, 0x20, 0x80200000n, 0x1000n),
    ivmd(0x20, 0x1, 0, 0, 0x80300000n, 0x1000n),
  ]));

  it('a device with an IVHD select entry and three IVMDs over it', () => {
    // Select entries from 0x48: 0x00 @0x48, 0x08 @0x4c, 0x10 @0x50, 0x18 @0x54.
    expect(hows(table, at(0, 3, 0))).toEqual([
      ['IVHD 0x10', 0x30, 'its entry @0x54 hands device ID 00:03.0 (0x0018) to this IOMMU, so the device\'s requester ID 00:03.0 (0x0018) is translated by it'],
      [expect.any(String), 0x70, 'it covers device ID 00:03.0 (0x0018), the device\'s among them: [0x80100000-0x80101fff] is a unity map: a direct region of the device'],
      [expect.any(String), 0x90, 'it covers device IDs 00:02.0 (0x0010)–00:04.0 (0x0020), the device\'s among them: [0x80200000-0x80200fff] is an exclusion range, which Linux 6.1 maps 1:1 read/write: a direct region of the device'],
      [expect.any(String), 0xb0, 'it covers device IDs 00:00.0 (0x0000)–00:1f.3 (0x00fb), the device\'s among them: [0x80300000-0x80300fff] is a unity map: a direct region of the device'],
    ]);
  });

  it('a device no IVHD entry names: only the all-devices IVMD, which has no effect on it', () => {
    expect(hows(table, at(0, 0x1e, 0))).toEqual([
      [expect.any(String), 0xb0, 'it covers device IDs 00:00.0 (0x0000)–00:1f.3 (0x00fb), the device\'s among them: [0x80300000-0x80300fff] is a unity map; no effect here: the device has no IOMMU'],
    ]);
  });

  it('the IOMMU itself, and a device past the last device ID', () => {
    expect(hows(table, at(0, 1, 0))[0]).toEqual(['IVHD 0x10', 0x30, 'its device ID 00:01.0 (0x0008) is the IOMMU itself, which never translates its own DMA']);
    expect(hows(table, at(0, 0x1f, 5))).toEqual([]);
    expect(hows(table, at(1, 0, 0))).toEqual([]);
  });

  it('alias entries: same bus joins the group, another bus does not', () => {
    const aliased = parseIvrs(ivrsBytes([ivhd(0x10, 0x08, [select(0x08), select(0x20), { kind: 'alias-select', deviceId: 0x21, sourceDeviceId: 0x20 }, { kind: 'alias-select', deviceId: 0x100, sourceDeviceId: 0x20 }])]));
    // Entries: select 0x08 @0x48, select 0x20 @0x4c, alias 0x21 @0x50 (8 bytes), alias 0x100 @0x58.
    expect(hows(aliased, at(0, 4, 1))).toEqual([
      ['IVHD 0x10', 0x30, 'its entry @0x50 hands device ID 00:04.1 (0x0021) to this IOMMU, so the device\'s requester ID 00:04.1 (0x0021) is translated by it'],
      ['IVHD alias entry', 0x50, 'DMA from device ID 00:04.1 (0x0021) arrives as 00:04.0 (0x0020); Linux adds it as a PCI DMA alias, so the device shares a group with that ID'],
    ]);
    expect(hows(aliased, at(1, 0, 0))[1]).toEqual(['IVHD alias entry', 0x58, 'DMA from device ID 01:00.0 (0x0100) arrives as 00:04.0 (0x0020); the alias is on another bus, so Linux does not use it for grouping']);
  });

  it('an IVRS whose IOMMU Linux leaves off names nothing', () => {
    expect(amdStructures(parseIvrs(ivrsBytes([ivhd(0x10, 0x08, []), ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)])), at(0, 3, 0))).toEqual([]);
  });
});
