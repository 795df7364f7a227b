/**
 * The AMD boot model (src/ivrs/regions/boot.ts, device.ts, aliases.ts) rule by rule, against
 * Linux 6.1 drivers/iommu/amd/init.c (`get_highest_supported_ivhd_type`,
 * `find_last_devid_from_ivhd`, `init_iommu_from_acpi`, `init_memory_definitions`,
 * `init_unity_map_range`), docs/kernel-semantics.md §6. Every finding's text is checked with its
 * numbers: a wrong offset or type in a message is a wrong answer. Offsets are stated by hand from
 * the layout: the IVRS header is 48 bytes (0x30); an IVHD 0x10 header 24 bytes and 0x11/0x40 40
 * bytes; select/range/all entries 4 bytes, alias/extended/special entries 8; an IVMD 32 bytes.
 */
import { describe, expect, it } from 'vitest';
import { parseIvrs } from '../src/ivrs/index.js';
import { amdBootModel, amdDeviceList, amdDeviceRegions, amdDmaAlias, amdFixedRegions, coveringEntry, ivhdAliasOf, unityRegion, unityWindow, type AmdBootModel } from '../src/ivrs/regions/index.js';
import { QEMU_IVHD, ivhd, ivmd, ivrsBytes, pciDevice, select, topology } from './support/ivrs-model.js';

type Blocks = Parameters<typeof ivrsBytes>[0];
const model = (blocks: Blocks): AmdBootModel => amdBootModel(parseIvrs(ivrsBytes(blocks)));
const findings = (blocks: Blocks) => model(blocks).findings.map(({ code, message, offset }) => ({ code, message, offset }));
const EXTRA = { attributes: 0, efrRegisterImage: 0n, efrRegisterImage2: 0n };
const covered = (blocks: Blocks, id: number, segment = 0) => amdDeviceRegions(model(blocks), { ...pciDevice(id), segment }) !== undefined;

describe('the IVHD type Linux selects', () => {
  it('type 0x40 is still scanned (ACPI_IVHD_TYPE_MAX_SUPPORTED is 0x40), and the unused 0x10 is named with its offset', () => {
    const blocks = [ivhd(0x10, 0x02, [select(0x10)]), ivhd(0x40, 0x02, [select(0x18)], EXTRA)];
    expect(model(blocks).ivhdType).toBe(0x40);
    // 0x10 block at 0x30 (24 + 4 bytes), the 0x40 block at 0x4c.
    expect(findings(blocks)).toEqual([{ code: 'regions.amd.ivhd-unused', message: 'IVHD type 0x10 at 0x30 is not used: Linux selects type 0x40', offset: 0x30 }]);
  });

  it('a later block for another device ID does not change the type', () => {
    const blocks = [ivhd(0x10, 0x02, [select(0x10)]), ivhd(0x11, 0x03, [select(0x18)], EXTRA)];
    const amd = model(blocks);
    expect(amd.ivhdType).toBe(0x10);
    expect(covered(blocks, 0x10)).toBe(true);
    expect(covered(blocks, 0x18)).toBe(false);
    expect(amd.findings.map((item) => item.message)).toEqual(['IVHD type 0x11 at 0x4c is not used: Linux selects type 0x10']);
  });

  it('an IVRS without blocks: no IOMMU, said at offset 0', () => {
    const amd = model([]);
    expect(amd.enabled).toBe(false);
    expect(amd.ivhdType).toBeUndefined();
    expect(findings([])).toEqual([{ code: 'regions.amd.iommu-off', message: 'the table has no block: no IVHD', offset: 0 }]);
  });

  it('an IVMD carrying the first IVHD\'s device ID becomes the "IVHD type": the message names it and its offset', () => {
    // QEMU_IVHD: 24 + 8 × 4 + 8 = 64 bytes at 0x30; the IVMD at 0x70.
    expect(findings([QEMU_IVHD, ivmd(0x21, 0x7, 0x08, 0, 0x3e000000n, 0x1000n)])).toEqual([
      { code: 'regions.amd.ivhd-unused', message: 'IVHD type 0x10 at 0x30 is not used: Linux selects type 0x21', offset: 0x30 },
      { code: 'regions.amd.iommu-off', message: 'Linux takes type 0x21 of the block at 0x70 (it carries the first IVHD\'s device ID) as the IVHD type to use, which is not an IVHD type ("Unsupported IVHD type")', offset: 0x70 },
    ]);
  });
});

describe('last_bdf (find_last_devid_from_ivhd)', () => {
  const lastBdf = (blocks: Blocks, segment = 0) => model(blocks).segments.get(segment)?.lastBdf;

  it('is the highest select ID, not the last one', () => {
    expect(lastBdf([ivhd(0x10, 0x02, [select(0x50), select(0x20)])])).toBe(0x50);
  });

  it('counts alias-select and extended-select device IDs (not the alias source)', () => {
    expect(lastBdf([ivhd(0x10, 0x02, [{ kind: 'alias-select', deviceId: 0x30, sourceDeviceId: 0x90 }])])).toBe(0x30);
    expect(lastBdf([ivhd(0x10, 0x02, [{ kind: 'extended-select', deviceId: 0x40, extendedData: 0 }])])).toBe(0x40);
  });

  it('does not count range-start, alias-range-start or special entries', () => {
    const entries = [select(0x10), { kind: 'alias-range-start', deviceId: 0x200, sourceDeviceId: 0x300 }, { kind: 'range-end', deviceId: 0x20 }, { kind: 'special', sourceDeviceId: 0xa0, handle: 0, variety: 1 }];
    expect(lastBdf([ivhd(0x10, 0x02, entries)])).toBe(0x20);
  });

  it('"all" is 0xffff wherever it stands', () => {
    expect(lastBdf([ivhd(0x10, 0x02, [select(0x10), { kind: 'all' }, select(0x20)])])).toBe(0xffff);
  });

  it('is the maximum over the IVHDs of one segment, kept apart per segment', () => {
    const blocks = [ivhd(0x10, 0x02, [select(0x50)]), ivhd(0x10, 0x02, [select(0x20)]), ivhd(0x10, 0x02, [select(0x70)], { pciSegmentGroup: 1 })];
    expect(lastBdf(blocks)).toBe(0x50);
    expect(lastBdf(blocks, 1)).toBe(0x70);
    expect(covered(blocks, 0x70, 1)).toBe(true);
    expect(covered(blocks, 0x70, 0)).toBe(false);
    expect(covered(blocks, 0x50, 1)).toBe(false);
  });

  it('an IVHD without a device ID turns the IOMMU off, named with its offset', () => {
    // The second IVHD (0x30 + 28 = 0x4c) has only a range-start.
    const blocks = [ivhd(0x10, 0x02, [select(0x10)]), ivhd(0x10, 0x02, [{ kind: 'range-start', deviceId: 0x10 }])];
    expect(findings(blocks)).toEqual([{ code: 'regions.amd.iommu-off', message: 'IVHD at 0x4c names no device ID (no select, range-end, alias or "all" entry): find_last_devid_acpi fails', offset: 0x4c }]);
    expect(model(blocks).enabled).toBe(false);
  });
});

describe('which IVHD entry covers an ID (rlookup_table: the later entry wins)', () => {
  // IVHD at 0x30, entries from 0x48: select 0x10 @0x48, range-start 0x08 @0x4c, range-end 0x18 @0x50.
  const blocks = [ivhd(0x10, 0x02, [select(0x10), { kind: 'range-start', deviceId: 0x08 }, { kind: 'range-end', deviceId: 0x18 }])];

  it('returns the range-end entry for an ID both name, and the IVHD', () => {
    expect(coveringEntry(model(blocks).segments.get(0), 0x10)).toEqual({ first: 0x08, last: 0x18, ivhd: 0x30, entry: 0x50 });
  });

  it('an ID above last_bdf has no IOMMU although a special entry names it (check_device: devid > last_bdf)', () => {
    const blocks = [ivhd(0x10, 0x02, [select(0x10), { kind: 'special', sourceDeviceId: 0xa0, handle: 0, variety: 1 }])];
    expect(covered(blocks, 0xa0)).toBe(false);
    expect(coveringEntry(model(blocks).segments.get(0), 0xa0)).toBeUndefined();
    expect(covered(blocks, 0x10)).toBe(true);
  });

  it('an unknown segment covers nothing', () => {
    expect(coveringEntry(undefined, 0x10)).toBeUndefined();
  });

  it('an extended range-start opens a range like a range-start', () => {
    const extended = [ivhd(0x10, 0x02, [{ kind: 'extended-range-start', deviceId: 0x40, extendedData: 0 }, { kind: 'range-end', deviceId: 0x47 }])];
    expect([0x3f, 0x40, 0x47].map((id) => covered(extended, id))).toEqual([false, true, true]);
  });

  it('a reversed range covers nothing', () => {
    const reversed = [ivhd(0x10, 0x02, [select(0x40), { kind: 'range-start', deviceId: 0x30 }, { kind: 'range-end', deviceId: 0x20 }])];
    expect([0x20, 0x28, 0x30].map((id) => covered(reversed, id))).toEqual([false, false, false]);
  });

  it('an ACPI HID entry with an empty HID gives nothing (Linux: "Invalid HID.")', () => {
    const hid = (hidValue: bigint) => ({ kind: 'acpi-hid', deviceId: 0xa5, hidValue, cidValue: 0, uidFormat: 0, uidLength: 0 });
    expect(covered([ivhd(0x40, 0x02, [select(0xff), hid(0n)], EXTRA)], 0xa5)).toBe(false);
    expect(covered([ivhd(0x40, 0x02, [select(0xff), hid(0x41n)], EXTRA)], 0xa5)).toBe(true);
  });
});

describe('IVHD aliases (alias_table)', () => {
  const segmentOf = (blocks: Blocks) => model(blocks).segments.get(0);

  it('a later alias entry for the same ID wins', () => {
    const blocks = [ivhd(0x10, 0x02, [{ kind: 'alias-select', deviceId: 0x18, sourceDeviceId: 0x10 }, { kind: 'alias-select', deviceId: 0x18, sourceDeviceId: 0x20 }])];
    // Entries at 0x48 and 0x50.
    expect(ivhdAliasOf(segmentOf(blocks), 0x18)).toEqual({ first: 0x18, last: 0x18, alias: 0x20, entry: 0x50 });
    expect(amdDmaAlias(model(blocks), pciDevice(0x18))).toEqual({ device: '0000:00:03.0', aliasId: 0x20, sameBus: true, entry: 0x50 });
  });

  it('an alias naming the device itself is no alias', () => {
    const blocks = [ivhd(0x10, 0x02, [{ kind: 'alias-select', deviceId: 0x18, sourceDeviceId: 0x18 }])];
    expect(ivhdAliasOf(segmentOf(blocks), 0x18)).toBeUndefined();
    expect(amdDmaAlias(model(blocks), pciDevice(0x18))).toBeUndefined();
  });

  it('an alias range also gives the alias ID an IOMMU; a range-start after it ends the aliasing', () => {
    const blocks = [
      ivhd(0x10, 0x02, [
        { kind: 'alias-range-start', deviceId: 0x300, sourceDeviceId: 0x2a5 },
        { kind: 'range-end', deviceId: 0x30f },
        { kind: 'range-start', deviceId: 0x400 },
        { kind: 'range-end', deviceId: 0x40f },
      ]),
    ];
    expect(covered(blocks, 0x2a5)).toBe(true);
    expect(ivhdAliasOf(segmentOf(blocks), 0x30f)?.alias).toBe(0x2a5);
    expect(ivhdAliasOf(segmentOf(blocks), 0x400)).toBeUndefined();
    expect(covered(blocks, 0x400)).toBe(true);
  });

  it('a plain range gives no alias and does not cover ID 0', () => {
    const blocks = [ivhd(0x10, 0x02, [{ kind: 'range-start', deviceId: 0x300 }, { kind: 'range-end', deviceId: 0x30f }])];
    expect(ivhdAliasOf(segmentOf(blocks), 0x300)).toBeUndefined();
    expect(covered(blocks, 0)).toBe(false);
  });

  it('an unknown segment has no aliases', () => {
    expect(ivhdAliasOf(undefined, 0x18)).toBeUndefined();
  });
});

describe('IVMDs (init_memory_definitions, init_unity_map_range)', () => {
  const unity = (blocks: Blocks, segment = 0) => model(blocks).segments.get(segment)?.unityMaps ?? [];

  it('an IVMD with neither unity nor exclusion flag is ignored, with its offset and flags in the message', () => {
    expect(findings([QEMU_IVHD, ivmd(0x21, 0x6, 0x10, 0, 0x3e000000n, 0x1000n)])).toEqual([
      { code: 'regions.amd.ivmd-ignored', message: 'IVMD at 0x70 (flags 0x6) has neither the unity nor the exclusion flag: Linux ignores it', offset: 0x70 },
    ]);
    expect(unity([QEMU_IVHD, ivmd(0x21, 0x6, 0x10, 0, 0x3e000000n, 0x1000n)])).toEqual([]);
  });

  it('the unity flag alone or the exclusion flag alone is enough', () => {
    expect(unity([QEMU_IVHD, ivmd(0x21, 0x1, 0x10, 0, 0x3e000000n, 0x1000n)])).toHaveLength(1);
    expect(unity([QEMU_IVHD, ivmd(0x21, 0x8, 0x10, 0, 0x3e000000n, 0x1000n)])).toHaveLength(1);
  });

  it('rounding is reported when only the start or only the length is off a 4 KiB boundary, with both values', () => {
    expect(findings([QEMU_IVHD, ivmd(0x21, 0x1, 0x10, 0, 0x3e000800n, 0x1000n)])).toEqual([
      { code: 'regions.amd.ivmd-rounded', message: 'IVMD at 0x70: start 0x3e000800 / length 0x1000 are rounded up to 4 KiB', offset: 0x70 },
    ]);
    expect(findings([QEMU_IVHD, ivmd(0x21, 0x1, 0x10, 0, 0x3e000000n, 0x800n)]).map((item) => item.message)).toEqual(['IVMD at 0x70: start 0x3e000000 / length 0x800 are rounded up to 4 KiB']);
    expect(findings([QEMU_IVHD, ivmd(0x21, 0x1, 0x10, 0, 0x3e000000n, 0x1000n)])).toEqual([]);
  });

  it('IR (bit 1) gives read, IW (bit 2) write', () => {
    const prot = (flags: number) => unity([QEMU_IVHD, ivmd(0x21, flags, 0x10, 0, 0x3e000000n, 0x1000n)])[0]!.prot;
    expect([0x1, 0x3, 0x5, 0x7, 0x8, 0x9].map(prot)).toEqual([0, 1, 2, 3, 3, 3]);
  });

  it('device-ID ranges per type: 0x20 all up to last_bdf, 0x21 one, 0x22 from the device ID to the auxiliary ID', () => {
    const maps = unity([QEMU_IVHD, ivmd(0x20, 0x1, 0x30, 0x40, 0x1000n, 0x1000n), ivmd(0x21, 0x1, 0x30, 0x40, 0x2000n, 0x1000n), ivmd(0x22, 0x1, 0x30, 0x40, 0x3000n, 0x1000n)]);
    expect(maps.map((map) => [map.first, map.last])).toEqual([[0, 0xfb], [0x30, 0x30], [0x30, 0x40]]);
  });

  it('an IVMD of a segment without IVHD is kept there and reaches no device', () => {
    const blocks = [QEMU_IVHD, ivmd(0x21, 0x1, 0x10, 0, 0x3e000000n, 0x1000n, 1)];
    expect(unity(blocks, 1).map((map) => [map.first, map.last, map.start])).toEqual([[0x10, 0x10, 0x3e000000n]]);
    expect(unity(blocks, 0)).toEqual([]);
    expect(amdDeviceRegions(model(blocks), pciDevice(0x10))!.map((region) => region.source.table)).toEqual(['kernel', 'kernel']);
  });

  it('PAGE_ALIGN wraps like a u64: the window can end below its start', () => {
    const window = (startAddress: bigint, memoryLength: bigint) => unityWindow(parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x21, 0x1, 0x10, 0, startAddress, memoryLength)])).ivmds().next().value!);
    expect(window(0xffff_ffff_ffff_f000n, 0x2000n)).toEqual({ start: 0xffff_ffff_ffff_f000n, end: 0xfffn });
    expect(window(0xffff_ffff_ffff_f001n, 0x1000n)).toEqual({ start: 0n, end: 0xfffn });
    expect(window(0x1001n, 0x1001n)).toEqual({ start: 0x2000n, end: 0x3fffn });
    expect(window(0n, 0n)).toEqual({ start: 0n, end: 0xffff_ffff_ffff_ffffn });
  });
});

describe('the region list (amd_iommu_get_resv_regions)', () => {
  it('names the IVMD type and says why an exclusion range is direct', () => {
    const blocks = [QEMU_IVHD, ivmd(0x20, 0x1, 0, 0, 0x1000n, 0x1000n), ivmd(0x21, 0x8, 0x10, 0, 0x2000n, 0x1000n), ivmd(0x22, 0x1, 0x10, 0x18, 0x3000n, 0x1000n)];
    const regions = amdDeviceRegions(model(blocks), pciDevice(0x10))!;
    expect(regions.slice(0, 3).map((region) => [region.source.structure, region.source.offset, region.source.detail, region.reason, region.device])).toEqual([
      ['IVMD (all devices)', 0x70, 'device IDs 00:00.0–00:1f.3', 'unity-mapped range: reported as direct', '0000:00:02.0'],
      ['IVMD (one device)', 0x90, 'device IDs 00:02.0–00:02.0', 'exclusion range: Linux 6.1 maps it 1:1 read/write (init_unity_map_range), reported as direct', '0000:00:02.0'],
      ['IVMD (device range)', 0xb0, 'device IDs 00:02.0–00:03.0', 'unity-mapped range: reported as direct', '0000:00:02.0'],
    ]);
    expect(regions.slice(3).map((region) => [region.type, region.device])).toEqual([['msi', '0000:00:02.0'], ['reserved', '0000:00:02.0']]);
  });

  it('a device the IVHD does not name is a finding with its address and ID; with the IOMMU off there are no such findings', () => {
    const topo = topology([0x10, 0x28], [[0x10], [0x28]]);
    const list = amdDeviceList(parseIvrs(ivrsBytes([QEMU_IVHD])), topo);
    expect(list.iommuEnabled).toBe(true);
    expect(list.devices.map((entry) => entry.device)).toEqual(['0000:00:02.0']);
    expect(list.findings.map(({ code, message, device }) => ({ code, message, device }))).toEqual([
      { code: 'regions.amd.no-iommu', message: '0000:00:05.0 (ID 0x28): no IVHD entry gives it an IOMMU', device: '0000:00:05.0' },
    ]);
    const off = amdDeviceList(parseIvrs(ivrsBytes([ivhd(0x10, 0x02, [{ kind: 'range-start', deviceId: 0x10 }])])), topo);
    expect(off.iommuEnabled).toBe(false);
    expect(off.devices).toEqual([]);
    expect(off.findings.map((item) => item.code)).toEqual(['regions.amd.iommu-off']);
  });
});

describe('more boundaries of the boot model', () => {
  it('findings and coverage are built on first read, once, and read the same either way round', () => {
    // 0x10 block at 0x30 (entry at 0x48), 0x11 block at 0x4c (40-byte header: entry at 0x74); same device ID, so 0x11 is used.
    const blocks = [ivhd(0x10, 0x02, [select(0x10)]), ivhd(0x11, 0x02, [select(0x18)], EXTRA)];
    const coverageFirst = model(blocks);
    const segment = coverageFirst.segments.get(0)!;
    expect(segment.covered).toEqual([{ first: 0x18, last: 0x18, ivhd: 0x4c, entry: 0x74 }]);
    expect(segment.covered).toBe(segment.covered);
    expect(segment.iommuIds).toEqual([0x02]);
    const findingsFirst = model(blocks);
    expect(findingsFirst.findings.map((item) => item.message)).toEqual(['IVHD type 0x10 at 0x30 is not used: Linux selects type 0x11']);
    expect(findingsFirst.findings).toBe(findingsFirst.findings);
    expect(findingsFirst.segments.get(0)!.covered).toEqual(segment.covered);
    expect(coverageFirst.findings).toEqual(findingsFirst.findings);
  });

  it('a first block of a type above 0x40 is still the type Linux takes (last_type starts there)', () => {
    const blocks = [{ type: 0x51, kind: 'unknown', payload: new Uint8Array(4) }, QEMU_IVHD];
    expect(findings(blocks).filter((item) => item.code === 'regions.amd.iommu-off')).toEqual([
      { code: 'regions.amd.iommu-off', message: 'Linux takes type 0x51 of the block at 0x30 (it carries the first IVHD\'s device ID) as the IVHD type to use, which is not an IVHD type ("Unsupported IVHD type")', offset: 0x30 },
    ]);
  });

  it('an IVHD whose only device ID is 0 is valid (last_bdf 0)', () => {
    const amd = model([ivhd(0x10, 0x02, [select(0)])]);
    expect([amd.enabled, amd.segments.get(0)!.lastBdf]).toEqual([true, 0]);
  });

  it('an extended select gives its device an IOMMU', () => {
    expect(covered([ivhd(0x10, 0x02, [select(0x50), { kind: 'extended-select', deviceId: 0x40, extendedData: 0 }])], 0x40)).toBe(true);
  });

  it('a range end without a start aliases nothing', () => {
    const amd = model([ivhd(0x10, 0x02, [{ kind: 'range-end', deviceId: 0x08 }])]);
    expect(ivhdAliasOf(amd.segments.get(0), 0x08)).toBeUndefined();
    expect(amdDmaAlias(amd, pciDevice(0x08))).toBeUndefined();
  });

  it('the fixed windows, with and without a device; a unity region without a device has no device field', () => {
    expect(amdFixedRegions()).toEqual([
      { start: 0xfee00000n, end: 0xfeefffffn, type: 'msi', prot: 0, source: { table: 'kernel', structure: 'interrupt window', detail: 'MSI_RANGE_START–MSI_RANGE_END' }, reason: 'AMD MSI address range, reported for every device' },
      { start: 0xfd00000000n, end: 0xffffffffffn, type: 'reserved', prot: 0, source: { table: 'kernel', structure: 'HyperTransport range', detail: 'HT_RANGE_START–HT_RANGE_END' }, reason: 'HyperTransport reserved window, reported for every device' },
    ]);
    expect(amdFixedRegions().some((region) => 'device' in region)).toBe(false);
    expect(amdFixedRegions('0000:00:02.0').map((region) => region.device)).toEqual(['0000:00:02.0', '0000:00:02.0']);
    const [map] = model([QEMU_IVHD, ivmd(0x21, 0x1, 0x10, 0, 0x1000n, 0x1000n)]).segments.get(0)!.unityMaps;
    expect('device' in unityRegion(map!)).toBe(false);
    expect(unityRegion(map!, 'x').device).toBe('x');
  });

  it('a device entry in the list carries no notes', () => {
    const list = amdDeviceList(parseIvrs(ivrsBytes([QEMU_IVHD])), topology([0x10], [[0x10]]));
    expect(list.devices.map((entry) => entry.notes)).toEqual([[]]);
  });
});
