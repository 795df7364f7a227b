/**
 * The MADT walk (src/madt/walk.ts) and the IORT node framing (src/iort/walk.ts) note offsets in an
 * array reused from parse to parse and hand each table a copy of its own: a table keeps its
 * offsets whatever is parsed after it, longer or shorter.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { buildIort, itsGroup } from './support/iort-builder.js';
import { gicIts, madt } from './support/madt-builder.js';

describe('offsets noted in a reused array', () => {
  it('MADT: a table keeps its own subtable offsets after later parses of other tables', () => {
    const three = parseMadt(madt([gicIts(0, 0n), gicIts(1, 0n), gicIts(2, 0n)]));
    const one = parseMadt(madt([gicIts(5, 0n)]));
    // 44-byte header, then 20-byte ITS entries.
    expect(three.entryOffsets).toEqual([44, 64, 84]);
    expect(one.entryOffsets).toEqual([44]);
  });

  it('IORT: a table keeps its own node offsets after later parses of other tables', () => {
    // 48-byte header, then ITS group nodes of 16 + 4 + 4 × IDs bytes: 24 bytes with one ID.
    const three = parseIort(buildIort([itsGroup([0]), itsGroup([1]), itsGroup([2])]).bytes);
    const one = parseIort(buildIort([itsGroup([5])]).bytes);
    expect(three.nodeOffsets).toEqual([48, 72, 96]);
    expect(one.nodeOffsets).toEqual([48]);
  });
});
