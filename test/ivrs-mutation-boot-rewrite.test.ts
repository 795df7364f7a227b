/**
 * Survivors of the StrykerJS 10 run over the AMD boot model after the session 6 speed rewrite
 * (boot.ts, kernel-walk.ts; docs/mutation.md, "AMD boot model after the session 6 speed rewrite").
 * Expected values come from Linux 6.1 drivers/iommu/amd/init.c, not from the model's output:
 *  - `init_iommu_all` walks the IVHDs of the selected type in table order and calls
 *    `get_pci_segment` for each; a segment met for the first time is allocated by
 *    `alloc_pci_segment`, whose `find_last_devid_acpi(ivrs_base, id)` walks every IVHD *of that
 *    segment* in table order and fails (`last_bdf < 0` → NULL, the IOMMU init fails) at the first
 *    whose `find_last_devid_from_ivhd` gives -EINVAL (no select, range-end, alias-select or
 *    extended-select entry). So segments are walked in the order the IVHDs first name them, and
 *    within a segment in table order.
 *  - `find_last_devid_from_ivhd` switches on the entry type only: a special entry (0x48) never
 *    names a device ID, whatever its other bytes hold.
 *  - `init_memory_definitions` applies an IVMD only with IVMD_FLAG_UNITY_MAP (0x01) or
 *    IVMD_FLAG_EXCL_RANGE (0x08); `init_unity_map_range` maps
 *    [PAGE_ALIGN(range_start), PAGE_ALIGN(range_start) + PAGE_ALIGN(range_length)).
 * Offsets by hand: IVRS header 0x30 bytes, IVHD type 0x10 header 24 bytes, select, range-start and
 * pad4 entries 4 bytes, special 8 bytes.
 */
import { describe, expect, it } from 'vitest';
import { auditTables } from '../src/audit/index.js';
import type { IvrsEntryModel } from '../src/encode/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { amdBootModel, coveringEntry, ivmdAligned, ivmdApplied } from '../src/ivrs/regions/index.js';
import { ivhd, ivmd, ivrsBytes, QEMU_IVHD, select } from './support/ivrs-model.js';

const pad4: IvrsEntryModel = { kind: 'pad4' };
const rangeStart = (deviceId: number): IvrsEntryModel => ({ kind: 'range-start', deviceId });
/** An IVHD's first entry and its PCI segment. */
type Row = [IvrsEntryModel, number];
/** Type 0x10 IVHDs, one per (entry, PCI segment), each but the last closed by four pad4 entries (16 zero bytes). */
function ivhdsOn(list: Row[]): Uint8Array {
  return ivrsBytes(list.map(([entry, segment], index) => ivhd(0x10, 0x02, index < list.length - 1 ? [entry, pad4, pad4, pad4, pad4] : [entry], { pciSegmentGroup: segment })));
}
const findingsOf = (bytes: Uint8Array) => amdBootModel(parseIvrs(bytes)).findings.map((item) => [item.code, item.offset]);

describe('the order the kernel walks IVHDs of several segments in (find_last_devid_acpi per segment)', () => {
  // IVHDs at 0x30 (segment 0), 0x5c (segment 1), 0x88 (segment 2), 0xb4 (segment 1). The ones at
  // 0x88 and 0xb4 name no device ID (a range-start only). The four pad4 entries closing the first
  // three make the 16 bytes before each next IVHD zero, so a segment read 16 bytes too early
  // (at the pad entries) reads segment 0.
  const [a, b, c, d]: [Row, Row, Row, Row] = [
    [select(0x08), 0],
    [select(0x10), 1],
    [rangeStart(0x18), 2],
    [rangeStart(0x20), 1],
  ];
  const bytes = ivhdsOn([a, b, c, d]);

  it('segment 1 (met second) is walked whole before segment 2: its IVHD at 0xb4 fails first, not the one at 0x88', () => {
    const model = amdBootModel(parseIvrs(bytes));
    expect(model.enabled).toBe(false);
    expect(findingsOf(bytes)).toEqual([['regions.amd.iommu-off', 0xb4]]);
    expect(model.findings[0]!.message).toBe('IVHD at 0xb4 names no device ID (no select, range-end, alias or "all" entry): find_last_devid_acpi fails');
  });

  it('with segment 2 before segment 1 in the table, the IVHD of segment 2 fails first', () => {
    // Same IVHDs, the second and third swapped: 0x30 segment 0, 0x5c segment 2, 0x88 segment 1, 0xb4 segment 1.
    const swapped = ivhdsOn([a, c, b, d]);
    expect(findingsOf(swapped)).toEqual([['regions.amd.iommu-off', 0x5c]]);
  });
});

describe('an entry past the table end after another IVHD (the walk cursor is shared by the IVHDs)', () => {
  // IVHD at 0x30 (select 00:0a.0 = 0x50 at 0x48), then IVHD at 0x4c whose only entry, a special at
  // 0x64, has 6 of its 8 bytes in the table (the table ends at 0x6a): its source ID (bytes 5–6) is
  // past the end, its type byte is not.
  function cutTable(): Uint8Array {
    const whole = ivrsBytes([ivhd(0x10, 0x02, [select(0x50)]), ivhd(0x10, 0x02, [{ kind: 'special', sourceDeviceId: 0xa0, handle: 0, variety: 1 }])]);
    const bytes = whole.slice(0, whole.length - 2);
    const view = new DataView(bytes.buffer);
    view.setUint32(4, bytes.length, true);
    view.setUint16(0x4c + 2, bytes.length - 0x4c, true);
    return bytes;
  }

  it('the second IVHD names no device ID (a special entry never does): the IOMMU stays off at it', () => {
    const bytes = cutTable();
    expect(bytes.length).toBe(0x6a);
    expect(amdBootModel(parseIvrs(bytes)).enabled).toBe(false);
    expect(findingsOf(bytes)).toEqual([
      ['regions.amd.entry-past-table', 0x64],
      ['regions.amd.iommu-off', 0x4c],
    ]);
  });
});

describe('an "all" entry that runs past its IVHD end', () => {
  // IVHD at 0x30, Length 0x1f: select 00:00.0 at 0x48, "all" at 0x4c whose last byte (0x4f, its
  // DTE setting) is the table's last byte, after the IVHD. find_last_devid_from_ivhd returns 0xffff
  // at the "all" entry, before its WARN_ON(p != end); init_iommu_from_acpi's IVHD_DEV_ALL sets every
  // ID from 0 to last_bdf.
  const bytes = ivrsBytes([ivhd(0x10, 0x08, [select(0x00), { kind: 'all' }])]);
  bytes[0x32] = 0x1f;

  it('is applied (every ID up to 0xffff gets the IOMMU) and prints no WARN', () => {
    const model = amdBootModel(parseIvrs(bytes));
    expect(model.enabled).toBe(true);
    expect(model.lastDevidWarnings).toEqual([]);
    expect(findingsOf(bytes)).toEqual([['regions.amd.entry-past-ivhd', 0x4c]]);
    expect(model.findings[0]!.message).toContain('no WARN');
    const segment = model.segments.get(0)!;
    expect(segment.lastBdf).toBe(0xffff);
    expect(coveringEntry(segment, 0xffff)).toEqual({ first: 0, last: 0xffff, ivhd: 0x30, entry: 0x4c });
  });
});

describe('ivmdApplied and ivmdAligned (used by lint and the IVMD audit)', () => {
  const ivmdOf = (flags: number, start: bigint, length: bigint) => [...parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x21, flags, 0x18, 0, start, length)])).ivmds()][0]!;

  it('applied with the unity flag or the exclusion flag, alone; not with read and write only', () => {
    expect(ivmdApplied(ivmdOf(0x1, 0x80100000n, 0x1000n))).toBe(true);
    expect(ivmdApplied(ivmdOf(0x8, 0x80100000n, 0x1000n))).toBe(true);
    expect(ivmdApplied(ivmdOf(0x6, 0x80100000n, 0x1000n))).toBe(false);
  });

  it('aligned only when start and length are both multiples of 4 KiB', () => {
    expect(ivmdAligned(ivmdOf(0x7, 0x80100000n, 0x2000n))).toBe(true);
    expect(ivmdAligned(ivmdOf(0x7, 0x80100800n, 0x2000n))).toBe(false);
    expect(ivmdAligned(ivmdOf(0x7, 0x80100000n, 0x1800n))).toBe(false);
  });

  it('audit: a misaligned start alone or a misaligned length alone moves the window Linux maps', () => {
    const misaligned = (start: bigint, length: bigint) =>
      auditTables({ ivrs: parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x21, 0x7, 0x18, 0, start, length)])) }, {})
        .ranges[0]!.findings.filter((item) => item.code === 'audit.ivmd.misaligned')
        .map((item) => item.message.replace(/^.*Linux maps /, ''));
    // PAGE_ALIGN(0x80100800) = 0x80101000, + 0x2000 → last byte 0x80102fff.
    expect(misaligned(0x80100800n, 0x2000n)).toEqual(['[0x80101000-0x80102fff] instead']);
    // Start kept, PAGE_ALIGN(0x1800) = 0x2000 → last byte 0x80101fff.
    expect(misaligned(0x80100000n, 0x1800n)).toEqual(['[0x80100000-0x80101fff] instead']);
    expect(misaligned(0x80100000n, 0x2000n)).toEqual([]);
  });
});
