/**
 * The MADT flyweight cursor is one object for every kind, shared by the walks of every table
 * (src/madt/cursors.ts): on each subtable it reads that subtable's kind and fields (a field name
 * of another kind reads undefined), pointed at one table it reads that table's bytes and revision, a walk of another table
 * from inside a callback does not move the outer cursor, a callback that throws leaves the next
 * walk whole, and a cursor kept past its walk holds no table's bytes. GICC Flags bit 3
 * (online capable) is decoded from MADT revision 6 on; the header is 44 bytes, a GICC 80.
 */
import { describe, expect, it } from 'vitest';
import { parseMadt, type MadtEntry } from '../src/madt/index.js';
import { gicc, ioApic, localApic, madt } from './support/madt-builder.js';

const older = parseMadt(madt([gicc({ uid: 1, flags: 0x9 }), gicc({ uid: 2, flags: 0x9 })], { revision: 5 }));
const newer = parseMadt(madt([gicc({ uid: 7, flags: 0x9 })], { revision: 6 }));

const fields = (entry: MadtEntry): unknown[] => (entry.kind === 'gicc' ? [entry.offset, entry.processorUid, entry.onlineCapable] : [entry.offset, entry.kind]);

describe('MADT cursors shared across tables', () => {
  it('one cursor takes each subtable\'s kind and fields, processorUid at the offset of each kind', () => {
    // Local APIC at 44 (8 bytes, UID byte at +2), I/O APIC at 52 (12 bytes), GICC at 64 (80 bytes, UID u32 at +8).
    const mixed = parseMadt(madt([localApic(3, 5, 1), ioApic(2, 0xfec01000, 24), gicc({ uid: 0x1234, flags: 0 })], { revision: 5 }));
    const seen: unknown[] = [];
    const cursors = new Set<object>();
    mixed.forEachEntry((entry) => {
      cursors.add(entry);
      const loose = entry as unknown as Record<string, unknown>;
      seen.push([entry.kind, entry.type, entry.offset, entry.length, loose.processorUid, loose.ioApicAddress, loose.enabled]);
    });
    expect(seen).toEqual([
      ['local-apic', 0x00, 44, 8, 3, undefined, true],
      ['io-apic', 0x01, 52, 12, undefined, 0xfec01000, undefined],
      ['gicc', 0x0b, 64, 80, 0x1234, undefined, false],
    ]);
    expect(cursors.size).toBe(1);
  });

  it('one cursor serves both tables, reading each one\'s bytes and revision', () => {
    const seen: unknown[] = [];
    const cursors = new Set<object>();
    for (const table of [older, newer, older]) {
      table.forEachEntry((entry) => {
        cursors.add(entry);
        seen.push(fields(entry));
      });
    }
    expect(seen).toEqual([[44, 1, undefined], [124, 2, undefined], [44, 7, true], [44, 1, undefined], [124, 2, undefined]]);
    expect(cursors.size).toBe(1);
  });

  it('a walk of another table inside the callback leaves the outer cursor where it was', () => {
    const outer: unknown[] = [];
    older.forEachEntry((entry) => {
      const inner: unknown[] = [];
      newer.forEachEntry((other) => inner.push(fields(other)));
      expect(inner).toEqual([[44, 7, true]]);
      outer.push(fields(entry));
    });
    expect(outer).toEqual([[44, 1, undefined], [124, 2, undefined]]);
  });

  it('a callback that throws leaves the next walks whole', () => {
    expect(() => newer.forEachEntry(() => {
      throw new Error('stop');
    })).toThrow('stop');
    const seen: unknown[] = [];
    older.forEachEntry((entry) => seen.push(fields(entry)));
    newer.forEachEntry((entry) => seen.push(fields(entry)));
    expect(seen).toEqual([[44, 1, undefined], [124, 2, undefined], [44, 7, true]]);
  });

  it('a cursor kept past its walk holds no table\'s bytes', () => {
    let kept: MadtEntry | undefined;
    older.forEachEntry((entry) => (kept = entry));
    expect(kept!.kind).toBe('gicc');
    expect([kept!.raw.length, kept!.kind === 'gicc' ? kept!.processorUid : 'not a GICC']).toEqual([0, undefined]);
  });
});
