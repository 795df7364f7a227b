/**
 * src/audit/e820-replay.ts on small hand-made logs: each case states by hand what
 * `__e820__range_update`, `e820__range_remove` and `e820__update_table` (arch/x86/kernel/e820.c)
 * leave in the table, and which lines the replay takes. Notes that name the stopping line are
 * matched on the line number only (their wording is being reworded elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { replayDmesgE820 } from '../src/audit/e820-replay.js';

const at = (text: string) => `[    0.000000] ${text}`;
const log = (...lines: string[]) => `${lines.map(at).join('\n')}\n`;
const table = (text: string) => replayDmesgE820(text)!.entries.map((entry) => [entry.start, entry.end, entry.type]);

const BIOS = [
  'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
  'BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved',
  'BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable',
  'BIOS-e820: [mem 0x0000000080000000-0x00000000807fffff] ACPI NVS',
];

describe('update and remove (e820.c)', () => {
  it('an update changes only entries of its "from" type, splits the entry it cuts, and joins touching entries of one type', () => {
    // usable [0, 0x9fbff] → reserved over [0, 0xfff]: the rest stays usable. The reserved [0x9fc00, ..] is not "usable": untouched.
    expect(table(log(...BIOS, 'e820: update [mem 0x00000000-0x00000fff] usable ==> reserved'))).toEqual([
      [0n, 0xfffn, 'reserved'], [0x1000n, 0x9fbffn, 'usable'], [0x9fc00n, 0x9ffffn, 'reserved'], [0x100000n, 0x7fffffffn, 'usable'], [0x80000000n, 0x807fffffn, 'ACPI NVS'],
    ]);
    // The whole first entry turned reserved touches the reserved one after it: one entry.
    expect(table(log(...BIOS, 'e820: update [mem 0x00000000-0x0009ffff] usable ==> reserved')).slice(0, 2)).toEqual([[0n, 0x9ffffn, 'reserved'], [0x100000n, 0x7fffffffn, 'usable']]);
    // A cut strictly inside an entry leaves a part below and a part above.
    expect(table(log(...BIOS, 'e820: update [mem 0x10000000-0x1fffffff] usable ==> reserved')).slice(2, 5)).toEqual([
      [0x100000n, 0xfffffffn, 'usable'], [0x10000000n, 0x1fffffffn, 'reserved'], [0x20000000n, 0x7fffffffn, 'usable'],
    ]);
  });

  it('an update reaching past an entry changes only the part inside it', () => {
    // [0x7ff00000, 0x800fffff] usable → reserved: the usable entry ends at 0x7fffffff; ACPI NVS is not usable.
    expect(table(log(...BIOS, 'e820: update [mem 0x7ff00000-0x800fffff] usable ==> reserved')).slice(2)).toEqual([
      [0x100000n, 0x7fefffffn, 'usable'], [0x7ff00000n, 0x7fffffffn, 'reserved'], [0x80000000n, 0x807fffffn, 'ACPI NVS'],
    ]);
  });

  it('a range ending a byte before an entry and starting a byte after another changes nothing', () => {
    // [0xa0000, 0xfffff] is the gap between reserved (ends 0x9ffff) and usable (starts 0x100000).
    expect(table(log(...BIOS, 'e820: update [mem 0x000a0000-0x000fffff] usable ==> reserved'))).toEqual(table(log(...BIOS)));
  });

  it('a remove with a type removes only that type; without one, any type', () => {
    expect(table(log(...BIOS, 'e820: remove [mem 0x00000000-0x7fffffff] reserved'))).toEqual([
      [0n, 0x9fbffn, 'usable'], [0x100000n, 0x7fffffffn, 'usable'], [0x80000000n, 0x807fffffn, 'ACPI NVS'],
    ]);
    expect(table(log(...BIOS, 'e820: remove [mem 0x0009f000-0x0010ffff]'))).toEqual([
      [0n, 0x9efffn, 'usable'], [0x110000n, 0x7fffffffn, 'usable'], [0x80000000n, 0x807fffffn, 'ACPI NVS'],
    ]);
  });

  it('pre-3.x lines: exclusive ends, no 0x, types in parentheses', () => {
    expect(table(log(...BIOS, 'e820 update range: 0000000000000000 - 0000000000001000 (usable) ==> (reserved)')).slice(0, 2)).toEqual([[0n, 0xfffn, 'reserved'], [0x1000n, 0x9fbffn, 'usable']]);
    expect(table(log(...BIOS, 'e820 remove range: 0000000000100000 - 0000000000200000 (usable)')).slice(2, 3)).toEqual([[0x200000n, 0x7fffffffn, 'usable']]);
    expect(table(log(...BIOS, 'e820 remove range: 0000000000000000 - 00000000000a0000')).slice(0, 1)).toEqual([[0x100000n, 0x7fffffffn, 'usable']]);
  });
});

describe('which lines the replay takes', () => {
  it('no firmware table: undefined; a re-print before the firmware table is ignored', () => {
    expect(replayDmesgE820(log('modified: [mem 0x0000000000000000-0x0000000000000fff] usable', 'e820: remove [mem 0x0-0xfff]'))).toBeUndefined();
    expect(table(log('user: [mem 0x0000000000000000-0x0000000000000fff] reserved', ...BIOS))).toEqual(table(log(...BIOS)));
  });

  it('BIOS-88, BIOS-e801 and Xen tables are firmware tables too', () => {
    for (const who of ['BIOS-88', 'BIOS-e801', 'Xen']) {
      const replay = replayDmesgE820(log(`${who}: [mem 0x0000000000000000-0x000000000009ffff] usable`, 'e820: update [mem 0x0-0xfff] usable ==> reserved'))!;
      expect(replay.entries.map((entry) => [entry.start, entry.end, entry.type])).toEqual([[0n, 0xfffn, 'reserved'], [0x1000n, 0x9ffffn, 'usable']]);
      expect(replay.notes).not.toContainEqual(expect.stringMatching(/later full maps/));
    }
  });

  it('a full re-print replaces the table; the last one wins, and updates before it are superseded', () => {
    const replay = replayDmesgE820(log(
      ...BIOS,
      'e820: update [mem 0x00000000-0x00000fff] usable ==> reserved',
      'modified: [mem 0x0000000000000000-0x000000000000ffff] usable',
      'modified: [mem 0x0000000000010000-0x000000000001ffff] reserved',
      'user: [mem 0x0000000000000000-0x0000000000007fff] usable',
    ))!;
    expect(replay.entries.map((entry) => [entry.start, entry.end, entry.type])).toEqual([[0n, 0x7fffn, 'usable']]);
    expect(replay.notes).toContain('later full maps taken in log order: modified, user');
    expect(replay.notes).toContain('1 e820 update/remove line(s) applied');
  });

  it('a print of the same name starting at or below the last entry\'s start is a new print', () => {
    // Two "modified:" maps back to back, the second starting where the first's last entry starts.
    const replay = replayDmesgE820(log(...BIOS, 'modified: [mem 0x0000000000000000-0x000000000000ffff] usable', 'modified: [mem 0x0000000000000000-0x0000000000007fff] reserved'))!;
    expect(replay.entries.map((entry) => [entry.start, entry.end, entry.type])).toEqual([[0n, 0x7fffn, 'reserved']]);
    expect(replay.notes).toContain('later full maps taken in log order: modified, modified');
  });

  it('stops at the first DMAR parse line ("Host address width" or "RMRR base"), naming its line', () => {
    for (const stop of ['DMAR: Host address width 39', 'DMAR: RMRR base: 0x0000003e2e0000 end: 0x0000003e2fffff']) {
      const replay = replayDmesgE820(log(...BIOS, 'e820: update [mem 0x0-0xfff] usable ==> reserved', stop, 'e820: update [mem 0x1000-0x1fff] usable ==> reserved'))!;
      expect(replay.entries.slice(0, 2).map((entry) => [entry.start, entry.end, entry.type])).toEqual([[0n, 0xfffn, 'reserved'], [0x1000n, 0x9fbffn, 'usable']]);
      expect(replay.notes).toContainEqual(expect.stringMatching(/\(line 6\)$/));
      expect(replay.notes).toContain('1 e820 update/remove line(s) applied');
    }
  });

  it('a second firmware table ends the replay (a later boot), naming its line', () => {
    const replay = replayDmesgE820(log(...BIOS, 'e820: update [mem 0x0-0xfff] usable ==> reserved', 'BIOS-e820: [mem 0x0000000000000000-0x00000000000fffff] reserved'))!;
    expect(replay.entries[0]).toEqual({ start: 0n, end: 0xfffn, type: 'reserved' });
    expect(replay.notes[0]).toBe('a second BIOS-e820 table (line 6, a later boot) ends the replay');
  });

  it('notes without any change: none applied, no re-print, the warning about filtered logs', () => {
    const replay = replayDmesgE820(log(...BIOS))!;
    expect(replay.notes).toHaveLength(2);
    expect(replay.notes[1]).toBe('the log shows no change after BIOS-e820 (a log filtered before the kernel\'s "e820: update/remove" lines would hide them)');
    expect(replay.notes).not.toContainEqual(expect.stringMatching(/applied|later full maps/));
  });

  it('a table entry with trailing spaces and CRLF line ends still reads', () => {
    expect(replayDmesgE820(`${BIOS.map((line) => `${at(line)}  `).join('\r\n')}\r\n`)!.entries).toHaveLength(4);
  });
});
