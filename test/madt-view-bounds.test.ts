/**
 * The space rule of MADT entry views (src/madt/entry-view.ts) at its lower edge: `covers(at, size)`
 * is subtable-relative, so the Type/Length header at +0 is inside every subtable and a negative
 * offset never is. A Local APIC is 8 bytes (ACPI §5.2.12.2); the header is 44 bytes.
 */
import { describe, expect, it } from 'vitest';
import { parseMadt } from '../src/madt/index.js';
import { gicIts, ioApic, localApic, madt, subtable } from './support/madt-builder.js';

describe('entry views: covers()', () => {
  it('[0, 8) is inside an 8-byte Local APIC, [0, 9) and [-1, 0) are not', () => {
    const [entry] = parseMadt(madt([localApic(0, 0)])).entries();
    expect([entry!.offset, entry!.length]).toEqual([44, 8]);
    expect(entry!.covers(0, 8)).toBe(true);
    expect(entry!.covers(0, 2)).toBe(true);
    expect(entry!.covers(0, 9)).toBe(false);
    expect(entry!.covers(-1, 1)).toBe(false);
    expect(entry!.covers(7, 1)).toBe(true);
    expect(entry!.covers(8, 1)).toBe(false);
  });
});

type Row = [code: string, offset: number, message: string];
const list = (bytes: Uint8Array): Row[] => parseMadt(bytes).diagnostics.map((item) => [item.code, item.offset, item.message]);

describe('entry views: fields past the Length', () => {
  it('a 4-byte Local APIC has no Flags (+4..+7): enabled and onlineCapable are undefined, not false', () => {
    const [entry] = parseMadt(madt([subtable(0x00, 4, [[2, 1, 1], [3, 1, 2]]), ioApic(1)])).entriesOfKind('local-apic');
    expect([entry!.enabled, entry!.onlineCapable]).toEqual([undefined, undefined]);
    expect(Object.keys(entry!.toJSON()).sort()).toEqual(['processorUid', 'apicId', 'kind', 'length', 'offset', 'type'].sort());
  });

  it('a 9-byte Interrupt Source Override has no INTI flags (+8..+9): polarity and trigger mode are undefined', () => {
    const [entry] = parseMadt(madt([subtable(0x02, 9, [[3, 1, 9]]), ioApic(1)])).entriesOfKind('interrupt-override');
    expect([entry!.flags, entry!.polarity, entry!.triggerMode]).toEqual([undefined, undefined, undefined]);
  });
});

describe('content checks read only inside the subtable', () => {
  it('GICC Flags (+12..+15) of a 15-byte GICC are not read from the next subtable', () => {
    // The next subtable's Type byte (0x01) would be Flags bits 31:24.
    expect(list(madt([subtable(0x0b, 15, [[12, 2, 0xff00]]), ioApic(1)])).map((row) => row[0])).toEqual(['madt.length.short']);
  });

  it('I/O APIC IDs are one byte (+2), GIC ITS IDs four (+4..+7)', () => {
    // Same ID 2, different addresses whose low bytes sit at +4: one byte compared, a duplicate.
    expect(list(madt([ioApic(2, 0xfec01000), ioApic(2, 0xfec02000)]))).toEqual([['madt.id.duplicate', 58, 'I/O APIC ID 2 is used by 2 entries, at offsets 0x2c, 0x38']]);
    // ITS IDs 3 and 0x103 share their low byte: four bytes compared, no duplicate.
    expect(list(madt([gicIts(3, 0x20000000n), gicIts(0x103, 0x20100000n)]))).toEqual([]);
  });

  it('ITS entries too short to hold an ID are no group of their own beside a real duplicate', () => {
    // Three 7-byte ITS entries: bytes +4..+7 of the first two would end in the next Type byte.
    expect(list(madt([gicIts(3, 0x20000000n), gicIts(3, 0x20100000n), subtable(0x0f, 7), subtable(0x0f, 7), subtable(0x0f, 7)])).filter((row) => row[0] === 'madt.id.duplicate')).toEqual([
      ['madt.id.duplicate', 64 + 4, 'GIC ITS ID 3 is used by 2 entries, at offsets 0x2c, 0x40'],
    ]);
  });

  it('toJSON carries the diagnostics', () => {
    const table = parseMadt(madt([subtable(0x1f, 4)]));
    expect(table.toJSON().diagnostics.map((item) => item.code)).toEqual(['madt.type.reserved']);
  });
});

describe('entry views: fixed-size byte fields', () => {
  it('the PLIC Hardware ID (+4..+11) is there at Length 12 and undefined at Length 11', () => {
    const id = (length: number) => parseMadt(madt([subtable(0x1b, length, [[4, 8, 0x4847464544434241n]]), ioApic(1)])).entriesOfKind('plic').next().value!.hardwareId;
    expect(id(12)).toEqual(new Uint8Array([0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48]));
    expect(id(11)).toBeUndefined();
  });
});
