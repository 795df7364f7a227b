/**
 * Findings are capped per code (issue 17 §1): a hostile table raising millions of findings
 * keeps at most `cap` items per code plus one "… and N more" item whose count is exact.
 * Counts below come from how the generated tables are laid out, not from the parser.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FINDING_CAP_PER_CODE, DiagnosticList, findingCapPerCodeInUse, setFindingCapPerCode, type CodeTable } from '../src/bytes/diagnostics.js';
import { parseDmar } from '../src/dmar/index.js';
import { dmarOfBadScopes, dmarOfUnknownStructures } from './support/hostile-tables.js';

// Real code names (codes are a typed registry), with this test's own severities and refs.
const CODES = {
  'sdt.checksum': { severity: 'warning', summary: 'a', ref: 'spec §1' },
  'sdt.signature': { severity: 'error', summary: 'b' },
} as const satisfies CodeTable;

afterEach(() => setFindingCapPerCode(DEFAULT_FINDING_CAP_PER_CODE));

describe('DiagnosticList cap', () => {
  it('keeps `cap` items of a code, then one summary item with the exact number left out', () => {
    const list = new DiagnosticList(CODES, 3);
    for (let index = 0; index < 10; index++) list.add('sdt.checksum', 100 + index, `a${index}`);
    list.add('sdt.signature', 5, 'b0');
    list.add('sdt.signature', 6, 'b1');
    expect(list.items.map((item) => item.message)).toEqual(['a0', 'a1', 'a2', expect.stringContaining('… and 7 more sdt.checksum'), 'b0', 'b1']);
    const summary = list.items[3]!;
    expect(summary).toMatchObject({ code: 'sdt.checksum', severity: 'warning', offset: 103, ref: 'docs/spec.md §1', omitted: 7 });
    expect(list.totals.get('sdt.checksum')).toBe(10);
    expect(list.omitted('sdt.checksum')).toBe(7);
    expect(list.omitted('sdt.signature')).toBe(0);
    // JSON carries the final count.
    expect(JSON.parse(JSON.stringify(summary))).toMatchObject({ omitted: 7, message: expect.stringContaining('7 more') });
  });

  it('takes its default from setFindingCapPerCode and rejects a cap that is not a positive integer', () => {
    expect(findingCapPerCodeInUse()).toBe(1000);
    setFindingCapPerCode(2);
    const list = new DiagnosticList(CODES);
    for (let index = 0; index < 5; index++) list.add('sdt.signature', index, 'b');
    expect(list.items).toHaveLength(3);
    expect(list.hasErrors).toBe(true);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => setFindingCapPerCode(bad)).toThrow(RangeError);
  });
});

describe('hostile tables keep a bounded number of findings', () => {
  it('a 1 MiB DMAR of out-of-range path entries: at most cap+1 items per code, exact total', () => {
    const { bytes, badPathEntries } = dmarOfBadScopes(1 << 20);
    expect(badPathEntries).toBeGreaterThan(400_000);
    const table = parseDmar(bytes);
    const pathRange = table.diagnostics.filter((item) => item.code === 'dmar.scope.path-range');
    expect(pathRange).toHaveLength(DEFAULT_FINDING_CAP_PER_CODE + 1);
    expect(pathRange.at(-1)!.omitted).toBe(badPathEntries - DEFAULT_FINDING_CAP_PER_CODE);
    const codes = new Set(table.diagnostics.map((item) => item.code));
    expect(table.diagnostics.length).toBeLessThanOrEqual(codes.size * (DEFAULT_FINDING_CAP_PER_CODE + 1));
  });

  it('a DMAR of 200,000 unknown 4-byte structures: one item stands for all but the first cap', () => {
    const table = parseDmar(dmarOfUnknownStructures(200_000));
    const unknown = table.diagnostics.filter((item) => item.code === 'dmar.type.unknown');
    expect(unknown).toHaveLength(DEFAULT_FINDING_CAP_PER_CODE + 1);
    expect(unknown.at(-1)!.omitted).toBe(200_000 - DEFAULT_FINDING_CAP_PER_CODE);
  });

  it('the summary item cites the same shipped reference as the items it follows', () => {
    const unknown = parseDmar(dmarOfUnknownStructures(1200)).diagnostics.filter((item) => item.code === 'dmar.type.unknown');
    expect(unknown.at(-1)!.omitted).toBe(200);
    expect(unknown.at(-1)!.ref).toBe(unknown[0]!.ref);
    expect(unknown[0]!.ref).toMatch(/^docs\/spec\.md §/);
  });
});
