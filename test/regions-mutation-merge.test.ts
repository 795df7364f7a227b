/**
 * The per-type reference sweep of src/regions/merge.ts (`normaliseRegions`, kernel-semantics §2)
 * keeps every input region as a part of the region it merged into, as `mergeRegions` does: the
 * property tests compare only (start, end, type), so a sweep that dropped the parts went unseen
 * by mutation testing.
 */
import { describe, expect, it } from 'vitest';
import { mergeRegions, normaliseRegions } from '../src/regions/merge.js';
import type { RegionDescriptor } from '../src/regions/types.js';

const region = (start: bigint, end: bigint, structure: string): RegionDescriptor =>
  ({ start, end, type: 'direct', prot: 3, source: { table: 'DMAR', structure } });

describe('normaliseRegions parts', () => {
  it('an overlapping and an adjacent region join the first one, each kept as a part in start order', () => {
    const a = region(0x1000n, 0x1fffn, 'a');
    const b = region(0x1800n, 0x27ffn, 'b'); // overlaps a
    const c = region(0x2800n, 0x2fffn, 'c'); // starts at b's end + 1
    const far = region(0x5000n, 0x5fffn, 'far'); // a gap before it: its own region
    const merged = normaliseRegions([c, far, a, b]);
    expect(merged.map(({ start, end, parts }) => ({ start, end, parts: parts.map((part) => part.source.structure) }))).toEqual([
      { start: 0x1000n, end: 0x2fffn, parts: ['a', 'b', 'c'] },
      { start: 0x5000n, end: 0x5fffn, parts: ['far'] },
    ]);
    // The kernel-order insertion keeps the same parts (in its own order).
    expect(mergeRegions([c, far, a, b]).map((item) => item.parts.map((part) => part.source.structure).sort())).toEqual([['a', 'b', 'c'], ['far']]);
  });
});
