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

const iortClean = buildIort([itsGroup([0])]).bytes;
// The same table with the header's reserved word (offset 44) set: one iort.reserved.nonzero at 44.
const iortDirty = iortClean.slice();
iortDirty[44] = 1;
iortDirty[9] = (iortDirty[9]! - 1) & 0xff;

const CASES = [
  { name: 'IORT', parse: parseIort, clean: iortClean, dirty: iortDirty, finding: ['iort.reserved.nonzero', 44] },
  // Two ITS entries with ID 7: one madt.id.duplicate at the second one's ID (44 + 20 + 4).
  { name: 'MADT', parse: parseMadt, clean: madt([gicIts(0, 0x8000000n), gicIts(1, 0x8020000n)]), dirty: madt([gicIts(7, 0x8000000n), gicIts(7, 0x8020000n)]), finding: ['madt.id.duplicate', 68] },
];

describe('IORT and MADT diagnostics across parses', () => {
  it.each(CASES)('$name: clean tables share the frozen empty list; findings stay with their table', ({ parse, clean, dirty, finding }) => {
    const first = parse(clean);
    expect(first.diagnostics).toBe(NO_DIAGNOSTICS);
    expect(Object.isFrozen(first.diagnostics)).toBe(true);
    const found = parse(dirty);
    expect(codesAndOffsets(found.diagnostics)).toEqual([finding]);
    expect(parse(clean).diagnostics).toBe(NO_DIAGNOSTICS);
    const foundAgain = parse(dirty);
    expect(foundAgain.diagnostics).not.toBe(found.diagnostics);
    expect(codesAndOffsets(found.diagnostics)).toEqual([finding]);
  });

  it('MADT: a table keeps its own subtable offsets after later parses of other tables', () => {
    const three = parseMadt(madt([gicIts(0, 0n), gicIts(1, 0n), gicIts(2, 0n)]));
    const one = parseMadt(madt([gicIts(5, 0n)]));
    expect(three.entryOffsets).toEqual([44, 64, 84]);
    expect(one.entryOffsets).toEqual([44]);
  });
});
