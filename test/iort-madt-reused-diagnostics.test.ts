/**
 * parseIort and parseMadt take their diagnostic list from ReusedDiagnostics (src/bytes/reused-diagnostics.ts):
 * a clean table holds the shared frozen empty list, and a table with findings keeps its own, which
 * the parses after it (clean or not) neither reuse nor change. The MADT walk notes subtable offsets in
 * a reused array: each table keeps a copy of its own.
 */
import { describe, expect, it } from 'vitest';
import { NO_DIAGNOSTICS } from '../src/bytes/reused-diagnostics.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { buildIort, itsGroup } from './support/iort-builder.js';
import { gicIts, madt } from './support/madt-builder.js';

const codesAndOffsets = (diagnostics: readonly { code: string; offset: number }[]) => diagnostics.map((item) => [item.code, item.offset]);

describe('IORT and MADT diagnostics across parses', () => {
  it('IORT: clean tables share the frozen empty list; findings stay with their table', () => {
    const clean = buildIort([itsGroup([0])]).bytes;
    // The same table with the header's reserved word (offset 44) set: one iort.reserved.nonzero at 44.
    const dirty = buildIort([itsGroup([0])]).bytes.slice();
    dirty[44] = 1;
    dirty[9] = (dirty[9]! - 1) & 0xff;
    const first = parseIort(clean);
    expect(first.diagnostics).toBe(NO_DIAGNOSTICS);
    expect(Object.isFrozen(first.diagnostics)).toBe(true);
    const found = parseIort(dirty);
    expect(codesAndOffsets(found.diagnostics)).toEqual([['iort.reserved.nonzero', 44]]);
    expect(parseIort(clean).diagnostics).toBe(NO_DIAGNOSTICS);
    const foundAgain = parseIort(dirty);
    expect(foundAgain.diagnostics).not.toBe(found.diagnostics);
    expect(codesAndOffsets(found.diagnostics)).toEqual([['iort.reserved.nonzero', 44]]);
  });

  it('MADT: clean tables share the frozen empty list; findings stay with their table', () => {
    const clean = madt([gicIts(0, 0x8000000n), gicIts(1, 0x8020000n)]);
    // Two ITS entries with ID 7: one madt.id.duplicate at the second one's ID (44 + 20 + 4).
    const dirty = madt([gicIts(7, 0x8000000n), gicIts(7, 0x8020000n)]);
    const first = parseMadt(clean);
    expect(first.diagnostics).toBe(NO_DIAGNOSTICS);
    const found = parseMadt(dirty);
    expect(codesAndOffsets(found.diagnostics)).toEqual([['madt.id.duplicate', 68]]);
    expect(parseMadt(clean).diagnostics).toBe(NO_DIAGNOSTICS);
    const foundAgain = parseMadt(dirty);
    expect(foundAgain.diagnostics).not.toBe(found.diagnostics);
    expect(codesAndOffsets(found.diagnostics)).toEqual([['madt.id.duplicate', 68]]);
  });

  it('MADT: a table keeps its own subtable offsets after later parses of other tables', () => {
    const three = parseMadt(madt([gicIts(0, 0n), gicIts(1, 0n), gicIts(2, 0n)]));
    const one = parseMadt(madt([gicIts(5, 0n)]));
    expect(three.entryOffsets).toEqual([44, 64, 84]);
    expect(one.entryOffsets).toEqual([44]);
  });
});
