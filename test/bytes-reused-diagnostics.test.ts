/**
 * ReusedDiagnostics (src/bytes/reused-diagnostics.ts): one list serves parse after parse while
 * they raise nothing; a clean table holds the shared frozen empty list; a table with findings
 * keeps its own, which later parses neither reuse nor change; a cap changed between parses holds
 * for the next one. Through parseDmar (which uses it) and directly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FINDING_CAP_PER_CODE, setFindingCapPerCode, type CodeTable } from '../src/bytes/diagnostics.js';
import { NO_DIAGNOSTICS, ReusedDiagnostics } from '../src/bytes/reused-diagnostics.js';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd, scope } from './support/dmar-builder.js';

afterEach(() => setFindingCapPerCode(DEFAULT_FINDING_CAP_PER_CODE));

const CLEAN = dmar({ structures: [drhd({ flags: 1 })] }).bytes;
// Three path entries out of range in one scope (DRHD 16 + scope 6 + 3 × 2 bytes at 48): at 70, 72 and 74.
const THREE_FINDINGS = dmar({ structures: [drhd({ flags: 1, scopes: [scope({ type: 1, path: [[32, 0], [33, 0], [34, 0]] })] })] }).bytes;

describe('ReusedDiagnostics through parseDmar', () => {
  it('clean tables share the frozen empty list; a table with findings keeps its own, untouched by the parses after it', () => {
    const first = parseDmar(CLEAN);
    expect(first.diagnostics).toBe(NO_DIAGNOSTICS);
    expect(Object.isFrozen(first.diagnostics)).toBe(true);
    const found = parseDmar(THREE_FINDINGS);
    expect(found.diagnostics.map((item) => [item.code, item.offset])).toEqual([
      ['dmar.scope.path-range', 70],
      ['dmar.scope.path-range', 72],
      ['dmar.scope.path-range', 74],
    ]);
    const again = parseDmar(CLEAN);
    expect(again.diagnostics).toBe(NO_DIAGNOSTICS);
    const foundAgain = parseDmar(THREE_FINDINGS);
    expect(foundAgain.diagnostics).not.toBe(found.diagnostics);
    expect(found.diagnostics).toHaveLength(3);
    expect(foundAgain.diagnostics).toEqual(found.diagnostics);
  });

  it('a cap set after a clean parse holds for the next parse, and the default after it', () => {
    parseDmar(CLEAN);
    setFindingCapPerCode(1);
    const capped = parseDmar(THREE_FINDINGS).diagnostics;
    expect(capped.map((item) => [item.offset, item.omitted])).toEqual([[70, undefined], [72, 2]]);
    expect(capped[1]!.message).toBe('… and 2 more dmar.scope.path-range finding(s) from here on, not listed (limit 1 per code)');
    setFindingCapPerCode(DEFAULT_FINDING_CAP_PER_CODE);
    parseDmar(CLEAN);
    expect(parseDmar(THREE_FINDINGS).diagnostics).toHaveLength(3);
  });
});

describe('ReusedDiagnostics directly', () => {
  const CODES = { 'sdt.checksum': { severity: 'warning', summary: 'test' } } as const satisfies CodeTable;

  it('hands out the same list while it stays empty, a new one after a list with findings', () => {
    const reused = new ReusedDiagnostics(CODES);
    const list = reused.take();
    expect(reused.finish(list)).toBe(NO_DIAGNOSTICS);
    expect(reused.take()).toBe(list);
    list.add('sdt.checksum', 9, 'a finding');
    const kept = reused.finish(list);
    expect(kept.map((item) => item.message)).toEqual(['a finding']);
    const next = reused.take();
    expect(next).not.toBe(list);
    expect(next.items).toEqual([]);
  });

  it('a list left with findings by a parse that never finished is not handed out again', () => {
    const reused = new ReusedDiagnostics(CODES);
    const list = reused.take();
    list.add('sdt.checksum', 9, 'left behind');
    expect(reused.take()).not.toBe(list);
  });
});
