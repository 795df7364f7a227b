/**
 * Cases for the mutants that survived the first mutation run of src/audit (docs/mutation.md,
 * regions-audit): each input is the smallest that tells the rule apart from its mutant. Expected
 * values by hand. Notes of the e820 replay are checked for shape, not wording (reworded elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { auditTables, memoryMap } from '../src/audit/index.js';
import { rangeCoverage } from '../src/audit/coverage.js';
import { replayDmesgE820 } from '../src/audit/e820-replay.js';
import type { AuditedRange } from '../src/audit/audit.js';
import { memoryFindings } from '../src/audit/memory-findings.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { ivmd, ivrsBytes, QEMU_IVHD } from './support/ivrs-model.js';

const log = (...lines: string[]) => `${lines.map((line) => `[    0.000000] ${line}`).join('\n')}\n`;
const entries = (text: string) => replayDmesgE820(text)!.entries.map((entry) => [entry.start, entry.end, entry.type]);
const USABLE = 'BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable';

describe('e820 replay', () => {
  it('an update whose range starts on an entry\'s last byte, or ends on its first, changes that one byte', () => {
    expect(entries(log(USABLE, 'e820: update [mem 0x7fffffff-0x80000fff] usable ==> reserved'))).toEqual([[0x100000n, 0x7ffffffen, 'usable'], [0x7fffffffn, 0x7fffffffn, 'reserved']]);
    expect(entries(log(USABLE, 'e820: update [mem 0x00000000-0x00100000] usable ==> reserved'))).toEqual([[0x100000n, 0x100000n, 'reserved'], [0x100001n, 0x7fffffffn, 'usable']]);
  });

  it('a map of another name starting above the last entry still replaces the table', () => {
    const replay = replayDmesgE820(log('BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] usable', 'user: [mem 0x0000000000002000-0x0000000000002fff] reserved'))!;
    expect(replay.entries.map((entry) => [entry.start, entry.end, entry.type])).toEqual([[0x2000n, 0x2fffn, 'reserved']]);
    expect(replay.notes).toContain('later full maps taken in log order: user');
  });

  it('a DMAR line before the firmware table does not end the replay', () => {
    expect(entries(log('DMAR: Host address width 39', USABLE))).toEqual([[0x100000n, 0x7fffffffn, 'usable']]);
  });

  it('the "no change" note only when nothing changed; every note says something', () => {
    const noChange = /shows no change/;
    const reprinted = replayDmesgE820(log(USABLE, 'modified: [mem 0x0000000000100000-0x000000007fffffff] usable'))!;
    const updated = replayDmesgE820(log(USABLE, 'e820: update [mem 0x100000-0x100fff] usable ==> reserved'))!;
    const plain = replayDmesgE820(log(USABLE))!;
    expect([reprinted, updated, plain].map((replay) => replay.notes.some((note) => noChange.test(note)))).toEqual([false, false, true]);
    for (const replay of [reprinted, updated, plain]) {
      expect(replay.notes.every((note) => note.length > 0 && !note.includes('undefined'))).toBe(true);
      expect(replay.notes.some((note) => /\(line \d+\)/.test(note))).toBe(false);
    }
  });
});

describe('coverage and memory findings', () => {
  const MAP = memoryMap('json', [
    { start: 0n, end: 0xfffn, type: 'System RAM' },
    { start: 0x1000n, end: 0x1fffn, type: 'Reserved' },
    { start: 0x2000n, end: 0x2fffn, type: 'System RAM' },
  ]);

  it('no single entry: the field is absent, not undefined', () => {
    expect('singleEntry' in rangeCoverage({ start: 0n, end: 0x2fffn }, MAP, ['reserved'])).toBe(false);
  });

  it('two parts in OS memory are both named', () => {
    const range: AuditedRange = { table: 'DMAR', structure: 'RMRR', offset: 0x40, start: 0n, end: 0x2fffn, claims: [], findings: [], kernelLog: [], kernelLogNotes: [] };
    const [inRam] = memoryFindings(range, rangeCoverage({ start: 0n, end: 0x2fffn }, MAP, ['reserved']), { inRam: 'audit.rmrr.in-ram', outside: 'audit.rmrr.outside-reserved', partly: 'audit.rmrr.partly-reserved', union: 'audit.rmrr.reserved-union-only' }, 'R');
    expect(inRam!.message).toBe('RMRR [0x0-0x2fff] overlaps memory the OS allocates (0x0-0xfff, 0x2000-0x2fff; entries: 0x0-0xfff System RAM, 0x1000-0x1fff Reserved, 0x2000-0x2fff System RAM)');
  });
});

describe('IVMD audit', () => {
  const MAP = memoryMap('json', [
    { start: 0n, end: 0x7fffffffn, type: 'usable' },
    { start: 0x80000000n, end: 0x80000fffn, type: 'reserved' },
    { start: 0x80001000n, end: 0x80001fffn, type: 'reserved' },
    { start: 0x80002000n, end: 0x80002fffn, type: 'ACPI NVS' },
  ]);
  const audit = (block: ReturnType<typeof ivmd>) => auditTables({ ivrs: parseIvrs(ivrsBytes([QEMU_IVHD, block])) }, { memoryMap: MAP }).ranges[0]!;

  it('findings are placed in the IVRS', () => {
    const range = audit(ivmd(0x21, 0x6, 0x18, 0, 0x80000800n, 0n));
    expect(range.findings.map((item) => [item.code, item.table])).toEqual([['audit.ivmd.ignored', 'IVRS'], ['audit.ivmd.zero-length', 'IVRS']]);
    expect(audit(ivmd(0x21, 0x1, 0x18, 0, 0x80000800n, 0x800n)).findings.map((item) => [item.code, item.table])).toEqual([['audit.ivmd.misaligned', 'IVRS']]);
  });

  it('an ignored IVMD is judged as stated, not as the window a unity map would get', () => {
    // Stated [0x7ffff800, 0x800007ff]: half usable. Its page-aligned window would be [0x80000000, 0x80000fff], reserved.
    const range = audit(ivmd(0x21, 0x6, 0x18, 0, 0x7ffff800n, 0x1000n));
    expect(range.coverage).toMatchObject({ verdict: 'partly', coveredBytes: 0x800n });
  });

  it('a zero-length IVMD is not compared with the map, whether Linux uses it or not (even at address 0)', () => {
    expect(audit(ivmd(0x21, 0x6, 0x18, 0, 0x1000n, 0n)).coverage).toBeUndefined();
    expect(audit(ivmd(0x21, 0x1, 0x18, 0, 0n, 0n)).coverage).toBeUndefined();
  });

  it('ACPI NVS counts as reserved; several entries or a part are reported as outside-reserved', () => {
    expect(audit(ivmd(0x21, 0x1, 0x18, 0, 0x80002000n, 0x1000n)).findings).toEqual([]);
    const union = audit(ivmd(0x21, 0x1, 0x18, 0, 0x80000000n, 0x2000n));
    expect(union.coverage?.verdict).toBe('inside-union');
    expect(union.findings.map((item) => item.code)).toEqual(['audit.ivmd.outside-reserved']);
    const partly = audit(ivmd(0x21, 0x1, 0x18, 0, 0x80002000n, 0x2000n));
    expect(partly.coverage?.verdict).toBe('partly');
    expect(partly.findings.map((item) => item.code)).toEqual(['audit.ivmd.outside-reserved']);
  });
});
