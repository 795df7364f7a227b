/** The group merge (docs/kernel-semantics.md §2) and the VFIO usable-IOVA rule (§5.1). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vfioUsableIova, type IovaRange } from '../src/regions/iova.js';
import { insertRegion, mergeGroupRegions, mergeRegions, normaliseRegions } from '../src/regions/merge.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { REGION_TYPES, REGION_TYPE_ORDER, type RegionDescriptor, type RegionType } from '../src/regions/types.js';

const SETTINGS = { seed: 0x5eed, numRuns: 400 };
const MAX = (1n << 64n) - 1n;

function region(start: bigint, end: bigint, type: RegionType): RegionDescriptor {
  return { start, end, type, prot: 0, source: { table: 'kernel', structure: 'test' } };
}

const triples = (list: readonly RegionDescriptor[]) => list.map(({ start, end, type }) => `${start}-${end}-${type}`);

/**
 * Well-formed regions (end >= start, end < 2^64 − 1) in a small window so overlaps and exact
 * adjacency are common; the window sits at 0 or right below the top of the 64-bit space.
 */
const regionsArb = fc
  .tuple(
    fc.constantFrom(0n, MAX - 200n),
    fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 120n }), fc.bigInt({ min: 0n, max: 40n }), fc.constantFrom(...REGION_TYPES)), { maxLength: 24 }),
  )
  .map(([base, items]) => items.map(([offset, size, type]) => region(base + offset, base + offset + size, type)));

const withOrder = regionsArb.chain((list) => fc.tuple(fc.constant(list), fc.array(fc.nat(), { minLength: list.length, maxLength: list.length })));

function permute<T>(list: readonly T[], keys: readonly number[]): T[] {
  return list.map((item, index) => ({ item, key: keys[index]! })).sort((left, right) => left.key - right.key).map((entry) => entry.item);
}

/** Union of inclusive ranges, adjacent ones joined (interval arithmetic). */
function union(ranges: readonly IovaRange[]): IovaRange[] {
  const sorted = [...ranges].sort((left, right) => (left.start < right.start ? -1 : left.start > right.start ? 1 : 0));
  const result: IovaRange[] = [];
  for (const range of sorted) {
    const last = result[result.length - 1];
    if (last !== undefined && range.start <= last.end + 1n) {
      if (range.end > last.end) last.end = range.end;
    } else result.push({ start: range.start, end: range.end });
  }
  return result;
}

function clip(ranges: readonly IovaRange[], aperture: IovaRange): IovaRange[] {
  return ranges
    .filter((range) => range.end >= aperture.start && range.start <= aperture.end)
    .map((range) => ({ start: range.start > aperture.start ? range.start : aperture.start, end: range.end < aperture.end ? range.end : aperture.end }));
}

describe('group merge: literal insertion', () => {
  it('equals the per-type reference algorithm for well-formed regions', () => {
    fc.assert(fc.property(regionsArb, (list) => {
      expect(triples(mergeRegions(list))).toEqual(triples(normaliseRegions(list)));
    }), SETTINGS);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(regionsArb, (list) => {
      const once = mergeRegions(list);
      expect(triples(mergeRegions(once))).toEqual(triples(once));
    }), SETTINGS);
  });

  it('does not depend on insertion order (nor on how regions are split among devices)', () => {
    fc.assert(fc.property(withOrder, ([list, keys]) => {
      const shuffled = permute(list, keys);
      const half = Math.floor(shuffled.length / 2);
      const byDevices = mergeGroupRegions([{ device: 'a', regions: shuffled.slice(0, half) }, { device: 'b', regions: shuffled.slice(half) }]);
      expect(triples(mergeRegions(shuffled))).toEqual(triples(mergeRegions(list)));
      expect(triples(byDevices)).toEqual(triples(mergeRegions(list)));
    }), SETTINGS);
  });

  it('is sorted by (start, type) and leaves no same-type overlap or adjacency', () => {
    fc.assert(fc.property(regionsArb, (list) => {
      const merged = mergeRegions(list);
      for (let index = 1; index < merged.length; index++) {
        const [previous, current] = [merged[index - 1]!, merged[index]!];
        expect(previous.start < current.start || (previous.start === current.start && REGION_TYPE_ORDER[previous.type] < REGION_TYPE_ORDER[current.type])).toBe(true);
      }
      for (const type of REGION_TYPES) {
        const ofType = merged.filter((entry) => entry.type === type);
        for (let index = 1; index < ofType.length; index++) expect(ofType[index]!.start > ofType[index - 1]!.end + 1n).toBe(true);
      }
    }), SETTINGS);
  });

  it('keeps exactly the addresses covered per type', () => {
    fc.assert(fc.property(regionsArb, (list) => {
      const merged = mergeRegions(list);
      for (const type of REGION_TYPES) {
        const input = union(list.filter((entry) => entry.type === type));
        const output = merged.filter((entry) => entry.type === type).map(({ start, end }) => ({ start, end }));
        expect(output).toEqual(input);
      }
    }), SETTINGS);
  });

  it('keeps every contributing descriptor as a part', () => {
    fc.assert(fc.property(regionsArb, (list) => {
      expect(mergeRegions(list).reduce((total, entry) => total + entry.parts.length, 0)).toBe(list.length);
    }), SETTINGS);
  });
});

describe('usable IOVA (VFIO type1)', () => {
  const apertureArb = fc.tuple(fc.bigInt({ min: 0n, max: 60n }), fc.bigInt({ min: 0n, max: 160n }));

  it('usable ∪ non-relaxable = aperture and usable ∩ non-relaxable = ∅', () => {
    fc.assert(fc.property(regionsArb.filter((list) => list.every((entry) => entry.end < 1000n)), apertureArb, (list, [start, size]) => {
      const aperture = { start, end: start + size };
      const merged = mergeRegions(list);
      const usable = vfioUsableIova(aperture, merged).ranges;
      const blocked = clip(union(merged.filter((entry) => entry.type !== 'direct-relaxable')), aperture);
      expect(union([...usable, ...blocked])).toEqual([aperture]);
      for (const range of usable) for (const cut of blocked) expect(range.end < cut.start || cut.end < range.start).toBe(true);
      for (let index = 1; index < usable.length; index++) expect(usable[index]!.start > usable[index - 1]!.end).toBe(true);
    }), SETTINGS);
  });
});

describe('merge examples', () => {
  it('reproduces the worked example of §2', () => {
    const merged = mergeGroupRegions([
      { device: 'A', regions: [region(0x1000n, 0x1fffn, 'direct'), region(0xfee00000n, 0xfeefffffn, 'msi')] },
      {
        device: 'B',
        regions: [region(0x2000n, 0x2fffn, 'direct'), region(0x1800n, 0x27ffn, 'direct-relaxable'), region(0xfee00000n, 0xfeefffffn, 'msi')],
      },
    ]);
    expect(formatSysfs(merged)).toBe(
      '0x0000000000001000 0x0000000000002fff direct\n0x0000000000001800 0x00000000000027ff direct-relaxable\n0x00000000fee00000 0x00000000feefffff msi\n',
    );
    expect(merged[0]!.parts.map((part) => part.device)).toEqual(['A', 'B']);
  });

  it('prints sw-msi as msi and keeps it apart from msi', () => {
    const merged = mergeRegions([region(0x8000000n, 0x80fffffn, 'sw-msi'), region(0x8000000n, 0x80fffffn, 'msi')]);
    expect(formatSysfs(merged)).toBe('0x0000000008000000 0x00000000080fffff msi\n0x0000000008000000 0x00000000080fffff msi\n');
    expect(merged.map((entry) => entry.type)).toEqual(['msi', 'sw-msi']);
  });

  it('absorbs a zero-length region that starts one past a same-type region', () => {
    const merged = mergeRegions([region(0x1000n, 0x1fffn, 'direct'), region(0x2000n, 0x1fffn, 'direct')]);
    expect(formatSysfs(merged)).toBe('0x0000000000001000 0x0000000000001fff direct\n');
  });

  it('prints a lone zero-length region as start start-1, and end < start verbatim', () => {
    expect(formatSysfs(mergeRegions([region(0x80000000n, 0x7fffffffn, 'direct')]))).toBe('0x0000000080000000 0x000000007fffffff direct\n');
    expect(formatSysfs(mergeRegions([region(0n, MAX, 'direct')]))).toBe('0x0000000000000000 0xffffffffffffffff direct\n');
  });

  it('depends on insertion order only for a malformed region sharing a start (literal step 1)', () => {
    const good = region(0x5000n, 0x5fffn, 'direct');
    const bad = region(0x5000n, 0xfffn, 'direct');
    // Newer element goes first on equal (start, type); the sweep then compares against its end.
    expect(formatSysfs(insertRegion(insertRegion([], good), bad))).toBe('0x0000000000005000 0x0000000000000fff direct\n0x0000000000005000 0x0000000000005fff direct\n');
    expect(formatSysfs(insertRegion(insertRegion([], bad), good))).toBe('0x0000000000005000 0x0000000000005fff direct\n');
  });

  it('does not merge past the top of the address space (end + 1 wraps)', () => {
    const regions = [region(MAX - 0xfffn, MAX, 'reserved'), region(MAX - 0x7ffn, MAX - 0x100n, 'reserved')];
    expect(mergeRegions(regions)).toHaveLength(2);
    // The reference sweep says the same (its own end-of-space guard).
    expect(triples(normaliseRegions(regions))).toEqual(triples(mergeRegions(regions)));
  });
});

describe('merge bookkeeping (what the sysfs text does not show)', () => {
  it('never changes the list it inserts into', () => {
    const before = insertRegion(insertRegion([], region(0x1000n, 0x1fffn, 'direct')), region(0x4000n, 0x4fffn, 'msi'));
    const snapshot = triples(before);
    const after = insertRegion(before, region(0x1800n, 0x2fffn, 'direct'));
    expect(triples(after)).toEqual(['4096-12287-direct', '16384-20479-msi']);
    expect(triples(before)).toEqual(snapshot);
  });

  it('never changes the parts of the list it inserts into, even when it extends one of its regions', () => {
    const before = mergeRegions([region(0x1000n, 0x1fffn, 'direct')]);
    const after = insertRegion(before, region(0x2000n, 0x2fffn, 'direct'));
    expect(after[0]!.parts).toHaveLength(2);
    expect(before[0]!.parts).toHaveLength(1);
  });

  it('insertRegion merges an exactly adjacent region of its type by default (v5.3+), not with adjacent: false (before v5.3)', () => {
    const first = insertRegion([], region(0x1000n, 0x1fffn, 'direct'));
    const next = region(0x2000n, 0x2fffn, 'direct');
    expect(triples(insertRegion(first, next))).toEqual(['4096-12287-direct']);
    expect(triples(insertRegion(first, next, { adjacent: true }))).toEqual(['4096-12287-direct']);
    expect(triples(insertRegion(first, next, { adjacent: false }))).toEqual(['4096-8191-direct', '8192-12287-direct']);
    // Overlapping regions merge under both rules.
    expect(triples(insertRegion(first, region(0x1800n, 0x2fffn, 'direct'), { adjacent: false }))).toEqual(['4096-12287-direct']);
  });

  it('keeps the parts of an already merged region it is given', () => {
    const merged = mergeRegions([region(0x1000n, 0x1fffn, 'direct'), region(0x2000n, 0x2fffn, 'direct')]);
    expect(merged[0]!.parts).toHaveLength(2);
    expect(insertRegion([], merged[0]!)[0]!.parts).toHaveLength(2);
  });

  it('tags parts with their device unless the region names one; no device, no tag', () => {
    const own = { ...region(0x3000n, 0x3fffn, 'direct'), device: '0000:00:02.0' };
    const list = mergeGroupRegions([{ device: '0000:00:14.0', regions: [region(0x1000n, 0x1fffn, 'direct'), own] }, { regions: [region(0x5000n, 0x5fffn, 'msi')] }]);
    expect(list.map((item) => item.parts.map((part) => part.device))).toEqual([['0000:00:14.0'], ['0000:00:02.0'], [undefined]]);
    expect('device' in list[2]!.parts[0]!).toBe(false);
  });
});
