/**
 * Survivors of the StrykerJS 10 run over src/ivrs/regions/boot.ts after the issue 14 speed
 * rewrite (docs/mutation.md, last section): the ID lists the boot model keeps per segment.
 * Expected values come from Linux 6.1 `init_iommu_from_acpi` (drivers/iommu/amd/init.c): a
 * range-end entry runs `for (dev_i = devid_start; dev_i <= devid; ++dev_i)`, so a range whose
 * start is above its end covers nothing and sets no alias, and a range of one ID sets that ID's
 * alias. Offsets by hand: IVRS header 0x30 bytes, IVHD 0x10 header 24 bytes (entries from 0x48),
 * select/range-start/range-end 4 bytes, alias-range-start 8 bytes.
 */
import { describe, expect, it } from 'vitest';
import { parseIvrs } from '../src/ivrs/index.js';
import { amdBootModel, coveringEntry, ivhdAliasOf } from '../src/ivrs/regions/index.js';
import { ivhd, ivrsBytes, select } from './support/ivrs-model.js';

type Blocks = Parameters<typeof ivrsBytes>[0];
const segment0 = (blocks: Blocks) => amdBootModel(parseIvrs(ivrsBytes(blocks))).segments.get(0)!;

describe('IVHD ranges the kernel walks with dev_i <= devid', () => {
  it('a range whose start is above its end covers no ID and the segment keeps no alias', () => {
    // select 0x08 at 0x48, range-start 0x20 at 0x4c, range-end 0x10 at 0x50.
    const segment = segment0([ivhd(0x10, 0x02, [select(0x08), { kind: 'range-start', deviceId: 0x20 }, { kind: 'range-end', deviceId: 0x10 }])]);
    expect(segment.lastBdf).toBe(0x10);
    expect(segment.covered).toEqual([{ first: 0x08, last: 0x08, ivhd: 0x30, entry: 0x48 }]);
    expect(segment.aliases).toEqual([]);
  });

  it('an alias range whose start is above its end records no alias', () => {
    // alias-range-start 0x20 → 0x50 at 0x48, range-end 0x10 at 0x50.
    const segment = segment0([ivhd(0x10, 0x02, [{ kind: 'alias-range-start', deviceId: 0x20, sourceDeviceId: 0x50 }, { kind: 'range-end', deviceId: 0x10 }])]);
    expect(segment.aliases).toEqual([]);
    expect(ivhdAliasOf(segment, 0x10)).toBeUndefined();
  });

  it('an alias range of one ID (start = end) gives that ID its alias', () => {
    const segment = segment0([ivhd(0x10, 0x02, [{ kind: 'alias-range-start', deviceId: 0x10, sourceDeviceId: 0x50 }, { kind: 'range-end', deviceId: 0x10 }])]);
    expect(segment.aliases).toEqual([{ first: 0x10, last: 0x10, alias: 0x50, entry: 0x50 }]);
    expect(ivhdAliasOf(segment, 0x10)).toEqual({ first: 0x10, last: 0x10, alias: 0x50, entry: 0x50 });
    expect(coveringEntry(segment, 0x10)).toEqual({ first: 0x10, last: 0x10, ivhd: 0x30, entry: 0x50 });
  });

  it('a segment no IVHD names has no alias and no covering entry', () => {
    expect(ivhdAliasOf(undefined, 0x10)).toBeUndefined();
    expect(coveringEntry(undefined, 0x10)).toBeUndefined();
  });
});
