/**
 * The memory-map findings (src/audit/memory-findings.ts) and coverage numbers (coverage.ts) with
 * their exact text: the addresses, entries and percentages in them are facts a user acts on.
 * Every expected string is written by hand from the map below.
 */
import { describe, expect, it } from 'vitest';
import type { AuditedRange } from '../src/audit/audit.js';
import { coveredPercent, rangeCoverage, type Coverage } from '../src/audit/coverage.js';
import { memoryMap } from '../src/audit/memmap.js';
import { memoryFindings } from '../src/audit/memory-findings.js';

const MAP = memoryMap('json', [
  { start: 0x0n, end: 0xfffffn, type: 'System RAM' },
  { start: 0x100000n, end: 0x1fffffn, type: 'Reserved' },
  { start: 0x200000n, end: 0x2fffffn, type: 'ACPI NVS' },
  { start: 0x400000n, end: 0x4fffffn, type: 'Reserved' },
  { start: 0x500000n, end: 0x5fffffn, type: 'Persistent Memory' },
  { start: 0x600000n, end: 0x6fffffn, type: 'Soft Reserved' },
  { start: 0x700000n, end: 0x7fffffn, type: 'ACPI Tables' },
]);
const ACCEPTED = ['reserved', 'nvs'] as const;
const CODES = { inRam: 'audit.rmrr.in-ram', outside: 'audit.rmrr.outside-reserved', partly: 'audit.rmrr.partly-reserved', union: 'audit.rmrr.reserved-union-only' } as const;

function findingsFor(start: bigint, end: bigint) {
  const range: AuditedRange = { table: 'DMAR', structure: 'RMRR', offset: 0x48, start, end, claims: [], findings: [], kernelLog: [], kernelLogNotes: [] };
  return memoryFindings(range, rangeCoverage({ start, end }, MAP, ACCEPTED), CODES, 'REACTION').map((item) => [item.code, item.table, item.offset, item.message]);
}

describe('memory findings: code, table, offset and the exact message', () => {
  it('inside one reserved entry: none', () => {
    expect(findingsFor(0x100000n, 0x1fffffn)).toEqual([]);
  });

  it('across a reserved and an NVS entry: the union message with the count and both entries', () => {
    expect(findingsFor(0x1ff000n, 0x200fffn)).toEqual([
      ['audit.rmrr.reserved-union-only', 'DMAR', 0x48, 'RMRR [0x1ff000-0x200fff]: covered by 2 adjacent reserved entries but by no single one (entries: 0x100000-0x1fffff Reserved, 0x200000-0x2fffff ACPI NVS)'],
    ]);
  });

  it('half in System RAM: the RAM part, then the share inside reserved memory (floor of the percentage)', () => {
    // [0xff000, 0x100fff]: 0x1000 bytes RAM, 0x1000 reserved → 50 %.
    expect(findingsFor(0xff000n, 0x100fffn)).toEqual([
      ['audit.rmrr.in-ram', 'DMAR', 0x48, 'RMRR [0xff000-0x100fff] overlaps memory the OS allocates (0xff000-0xfffff; entries: 0x0-0xfffff System RAM, 0x100000-0x1fffff Reserved)'],
      ['audit.rmrr.partly-reserved', 'DMAR', 0x48, 'RMRR [0xff000-0x100fff]: only 50% inside reserved memory (entries: 0x0-0xfffff System RAM, 0x100000-0x1fffff Reserved); REACTION'],
    ]);
    // 0x1000 of 0x3000 bytes reserved: 33.3… % → 33 %.
    expect(findingsFor(0x2ff000n, 0x301fffn)[0]![3]).toBe('RMRR [0x2ff000-0x301fff]: only 33% inside reserved memory (entries: 0x200000-0x2fffff ACPI NVS); REACTION');
  });

  it('in a hole: no entry; in ACPI Tables: outside, but not OS memory', () => {
    expect(findingsFor(0x300000n, 0x300fffn)).toEqual([
      ['audit.rmrr.outside-reserved', 'DMAR', 0x48, 'RMRR [0x300000-0x300fff]: no firmware reserved region can cover it (entries: no entry); REACTION'],
    ]);
    expect(findingsFor(0x700000n, 0x700fffn)).toEqual([
      ['audit.rmrr.outside-reserved', 'DMAR', 0x48, 'RMRR [0x700000-0x700fff]: no firmware reserved region can cover it (entries: 0x700000-0x7fffff ACPI Tables); REACTION'],
    ]);
  });

  it('persistent and soft-reserved memory are memory the OS hands out, listed part by part', () => {
    expect(findingsFor(0x5ff000n, 0x600fffn)[0]).toEqual(['audit.rmrr.in-ram', 'DMAR', 0x48, 'RMRR [0x5ff000-0x600fff] overlaps memory the OS allocates (0x5ff000-0x600fff; entries: 0x500000-0x5fffff Persistent Memory, 0x600000-0x6fffff Soft Reserved)']);
  });
});

describe('coverage numbers', () => {
  it('overlapping entries in address order, only those that share a byte', () => {
    const coverage = rangeCoverage({ start: 0xfffffn, end: 0x200000n }, MAP, ACCEPTED);
    expect(coverage.overlapping.map((entry) => entry.start)).toEqual([0x0n, 0x100000n, 0x200000n]);
    expect([coverage.coveredBytes, coverage.totalBytes, coverage.verdict]).toEqual([0x100001n, 0x100002n, 'partly']);
    expect(coverage.osMemory).toEqual([{ start: 0xfffffn, end: 0xfffffn }]);
    expect(coverage.holes).toEqual([]);
    expect(coverage.singleEntry).toBeUndefined();
  });

  it('a single entry is one of an accepted kind holding both ends', () => {
    expect(rangeCoverage({ start: 0x200000n, end: 0x2fffffn }, MAP, ACCEPTED).singleEntry).toMatchObject({ start: 0x200000n, end: 0x2fffffn, type: 'ACPI NVS' });
    expect(rangeCoverage({ start: 0x200000n, end: 0x2fffffn }, MAP, ['reserved']).singleEntry).toBeUndefined();
    expect(rangeCoverage({ start: 0x0n, end: 0xfffn }, MAP, ACCEPTED)).toMatchObject({ verdict: 'outside', osMemory: [{ start: 0n, end: 0xfffn }], holes: [] });
  });

  it('a hole and RAM together: each part in its own list', () => {
    const coverage = rangeCoverage({ start: 0x2ff000n, end: 0x400fffn }, MAP, ACCEPTED);
    expect(coverage.holes).toEqual([{ start: 0x300000n, end: 0x3fffffn }]);
    expect(coverage.osMemory).toEqual([]);
  });

  it('percent: floor of covered × 100 / total; 0 for an empty total', () => {
    const of = (coveredBytes: bigint, totalBytes: bigint) => coveredPercent({ coveredBytes, totalBytes } as Coverage);
    expect([of(1n, 3n), of(2n, 3n), of(3n, 3n), of(0n, 0n), of(199n, 200n)]).toEqual([33n, 66n, 100n, 0n, 99n]);
  });
});
