/**
 * The duplicate check's key array (src/iort/validate.ts, spec §5 rule 32), tested independently of
 * test order. The array is module state reused from parse to parse (64 entries to start with, grown
 * to two per node when a table needs more), so a test that relies on its growth must first put it
 * back to its starting size: `resetDuplicateKeysForTest`. Without that, an earlier test's table
 * decides the size, and a growth that keeps too few entries can go unseen (docs/mutation.md).
 * Layout by hand (test/support/iort-builder.ts, docs/spec.md §3): first node at 0x30; an ITS group
 * of one ITS ID is 16 + 4 + 4 = 24 bytes; the 40-byte root complex holds its PCI segment at +28.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { resetDuplicateKeysForTest } from '../src/iort/validate.js';
import { buildIort, itsGroup, rootComplex } from './support/iort-builder.js';

describe('the duplicate check keeps every key when its array must grow (spec §5 rule 32)', () => {
  it('the 65th key, one past the 64 the array starts with, repeats the 64th: found', () => {
    // Table revision 0: no Identifier keys, one PCI segment key per root complex. 63 ITS groups
    // (0x30 + 24n) then 65 root complexes from 0x30 + 63 * 24 = 0x618, 40 bytes each: the 64th (k = 63)
    // at 0xff0, the 65th (k = 64) at 0x1018 with the 64th's segment 0x3f. 128 nodes: the array must
    // hold 256 entries; any smaller array here drops the 65th key, the only one that repeats.
    const nodes = [
      ...Array.from({ length: 63 }, (_, index) => itsGroup([0x1000 + index])),
      ...Array.from({ length: 65 }, (_, index) => rootComplex(index === 64 ? 63 : index)),
    ];
    resetDuplicateKeysForTest();
    const duplicates = parseIort(buildIort(nodes, { revision: 0 }).bytes).diagnostics
      .filter((item) => item.code === 'iort.id.duplicate').map(({ offset, message }) => ({ offset, message }));
    expect(duplicates).toEqual([{ offset: 0x1034, message: 'PCI segment 0x003f has root complexes at 0xff0, 0x1018; Linux uses the first' }]);
  });
});
