/**
 * The MADT walk, length, reserved-field, GICC-flag and duplicate-ID rules with the exact text the
 * user sees, and the space rule of the entry views at its boundaries (issue 12). Expected values
 * come from the subtable layouts of ACPI §5.2.12 (offsets written out in test/support/madt-builder.ts)
 * and Linux's BAD_MADT_ENTRY minimums as docs/spec.md §4 lists them; the header is 44 bytes (0x2c).
 */
import { describe, expect, it } from 'vitest';
import { parseMadt } from '../src/madt/index.js';
import { gicc, gicd, gicIts, gicMsiFrame, gicr, interruptOverride, ioApic, localApic, madt, subtable } from './support/madt-builder.js';

type Row = [code: string, offset: number, length: number | undefined, message: string];
const list = (bytes: Uint8Array): Row[] => parseMadt(bytes).diagnostics.map((item) => [item.code, item.offset, item.length, item.message]);

describe('the subtable walk', () => {
  it('one byte left cannot hold a header', () => {
    expect(list(madt([localApic(0, 0), new Uint8Array([0x01])]))).toEqual([['madt.length.overrun', 52, 1, 'subtable header at 0x34 is cut off: only 1 byte is left before the table end at 0x35']]);
  });

  it('Length 0 and 1 stop the walk; Length 2 frames a bare header', () => {
    expect(list(madt([localApic(0, 0), subtable(0x01, 0, [[2, 1, 3]]).subarray(0, 2), localApic(1, 1)]))).toEqual([
      ['madt.length.zero', 52, 2, 'io-apic subtable (type 0x1) at 0x34 has Length 0; the remaining 10 bytes cannot be framed'],
    ]);
    expect(list(madt([subtable(0x00, 1), new Uint8Array([0])]))).toEqual([['madt.length.overrun', 44, 2, 'local-apic subtable (type 0x0) at 0x2c has Length 1, less than its own 2-byte header; the walk stops']]);
    const bare = parseMadt(madt([subtable(0x90, 2), localApic(0, 0)]));
    expect(bare.diagnostics).toEqual([]);
    expect(bare.entryOffsets).toEqual([44, 46]);
  });

  it('a subtable past the end names how many bytes were left; one ending at the end is whole', () => {
    expect(list(madt([ioApic(1), gicc({ length: 80 }).subarray(0, 40)]))).toEqual([
      ['madt.length.overrun', 56, 40, 'gicc subtable (type 0xb) at 0x38 has Length 80 but the table ends 40 bytes later; the walk stops'],
    ]);
    const whole = parseMadt(madt([ioApic(1), localApic(0, 0)]));
    expect(whole.entryOffsets).toEqual([44, 56]);
    expect(whole.diagnostics).toEqual([]);
  });

  it('reserved types are 0x1f–0x7f: 0x1e is GICv5, 0x80 is OEM', () => {
    expect(list(madt([subtable(0x1f, 4)]))).toEqual([['madt.type.reserved', 44, 4, 'unknown subtable (type 0x1f) at 0x2c (Length 4) is a reserved type; skipped']]);
    expect(list(madt([subtable(0x7f, 3)]))).toEqual([['madt.type.reserved', 44, 3, 'unknown subtable (type 0x7f) at 0x2c (Length 3) is a reserved type; skipped']]);
    expect(list(madt([subtable(0x1e, 24)]))).toEqual([]);
    expect(list(madt([subtable(0x80, 3)]))).toEqual([]);
    expect(list(madt([subtable(0xff, 200)]))).toEqual([]);
  });

  it('short and long Lengths name the limit and the trailing byte count', () => {
    expect(list(madt([gicc({ length: 75 })], { revision: 5 }))).toEqual([
      ['madt.length.short', 44, 75, 'gicc subtable (type 0xb) at 0x2c has Length 75, less than the 76 bytes Linux requires; decoding only the fields that fit'],
    ]);
    expect(list(madt([gicc({ length: 76 })], { revision: 5 }))).toEqual([]);
    expect(list(madt([gicc({ length: 88 })], { revision: 5 }))).toEqual([]);
    expect(list(madt([gicc({ length: 89 })], { revision: 5 }))).toEqual([
      ['madt.length.long', 44, 89, 'gicc subtable (type 0xb) at 0x2c has Length 89, longer than the 88-byte form; 1 trailing byte ignored'],
    ]);
    expect(list(madt([gicd({ length: 26 })]))).toEqual([['madt.length.long', 44, 26, 'gicd subtable (type 0xc) at 0x2c has Length 26, longer than the 24-byte form; 2 trailing bytes ignored']]);
    // Local SAPIC is variable-length: never long.
    expect(list(madt([subtable(0x07, 120)]))).toEqual([]);
  });
});

describe('content checks', () => {
  it('MADT Flags bits 31:1 are reserved', () => {
    expect(list(madt([localApic(0, 0)], { flags: 1 }))).toEqual([]);
    expect(list(madt([localApic(0, 0)], { flags: 0x80000001 }))).toEqual([['madt.reserved.nonzero', 40, 4, 'MADT Flags is 0x80000001: bits 31:1 are reserved and should be 0']]);
    const table = parseMadt(madt([localApic(0, 0)], { flags: 0 }));
    expect([table.flags, table.pcatCompat]).toEqual([0, false]);
  });

  it('reserved bytes: single byte, byte range and named field, checked only where the Length covers them', () => {
    expect(list(madt([subtable(0x01, 12, [[3, 1, 0x40]])]))).toEqual([['madt.reserved.nonzero', 47, 1, 'io-apic subtable (type 0x1) at 0x2c: reserved byte +0x3 = 0x40, expected 0']]);
    expect(list(madt([subtable(0x0d, 24, [[2, 2, 0x0102]])]))).toEqual([['madt.reserved.nonzero', 46, 2, 'gic-msi-frame subtable (type 0xd) at 0x2c: reserved bytes +0x2–0x3 = 0x102, expected 0']]);
    expect(list(madt([gicd({ systemVectorBase: 32 })]))).toEqual([['madt.reserved.nonzero', 60, 4, 'gicd subtable (type 0xc) at 0x2c: System Vector Base (must be 0) = 0x20, expected 0']]);
    // GICC byte 77 is reserved in the 80-byte form; a 76-byte GICC has no byte 77.
    expect(list(madt([gicc({ length: 80, extra: [[77, 1, 9]] })]))).toEqual([['madt.reserved.nonzero', 121, 1, 'gicc subtable (type 0xb) at 0x2c: reserved byte +0x4d = 0x9, expected 0']]);
    const cut = gicc({ length: 78, extra: [[77, 1, 9]] });
    expect(list(madt([cut])).map((row) => row[0])).toEqual(['madt.reserved.nonzero']);
    const none = gicc({ length: 77 });
    expect(list(madt([none]))).toEqual([]);
  });

  it('GICR/ITS reserved bytes by revision: bytes 2–3 up to 6, byte 3 from 7', () => {
    expect(list(madt([gicr(0x2f100000n, 0x100000, 1)], { revision: 6 }))).toEqual([['madt.reserved.nonzero', 46, 2, 'gicr subtable (type 0xe) at 0x2c: reserved bytes +0x2–0x3 = 0x1, expected 0']]);
    expect(list(madt([gicr(0x2f100000n, 0x100000, 1)], { revision: 7 }))).toEqual([]);
    expect(list(madt([subtable(0x0f, 20, [[3, 1, 2], [8, 8, 0x20000000n]])], { revision: 7 }))).toEqual([['madt.reserved.nonzero', 47, 1, 'gic-its subtable (type 0xf) at 0x2c: reserved byte +0x3 = 0x2, expected 0']]);
  });

  it('GICC flags the revision does not define, with the bits named; none below 16 bytes', () => {
    expect(list(madt([gicc({ flags: 0b1000 })], { revision: 5 }))).toEqual([['madt.gicc.flags-undefined', 56, 4, 'GICC at 0x2c: Flags 0x8 sets 0x8, bits that MADT revision 5 does not define']]);
    expect(list(madt([gicc({ flags: 0b1111 })], { revision: 6 }))).toEqual([]);
    expect(list(madt([gicc({ flags: 0b11111 })], { revision: 6 }))).toEqual([['madt.gicc.flags-undefined', 56, 4, 'GICC at 0x2c: Flags 0x1f sets 0x10, bits that MADT revision 6 does not define']]);
    expect(list(madt([gicc({ flags: 0b11111 })], { revision: 7 }))).toEqual([]);
    expect(list(madt([gicc({ flags: 0x80000001 })], { revision: 7 }))).toEqual([['madt.gicc.flags-undefined', 56, 4, 'GICC at 0x2c: Flags 0x80000001 sets 0x80000000, bits that MADT revision 7 does not define']]);
    // Flags at 12–15: a 15-byte GICC does not hold them, a 16-byte one does.
    expect(list(madt([subtable(0x0b, 15, [[12, 2, 0xff00]])])).map((row) => row[0])).toEqual(['madt.length.short']);
    expect(list(madt([subtable(0x0b, 16, [[12, 4, 0x100]])])).map((row) => row[0])).toEqual(['madt.length.short', 'madt.gicc.flags-undefined']);
  });

  it('duplicate IDs: per type, every offset listed, reported at the second one; short entries without the ID are skipped', () => {
    expect(list(madt([gicIts(3, 0x20000000n), gicMsiFrame(3, 0x8020000n), gicIts(4, 0x20100000n)]))).toEqual([]);
    expect(list(madt([gicIts(3, 0x20000000n), localApic(0, 0), gicIts(3, 0x20100000n)]))).toEqual([
      ['madt.id.duplicate', 72 + 4, 4, 'GIC ITS ID 3 is used by 2 entries, at offsets 0x2c, 0x48'],
    ]);
    expect(list(madt([ioApic(2), ioApic(5), ioApic(2), ioApic(2)]))).toEqual([['madt.id.duplicate', 70, 1, 'I/O APIC ID 2 is used by 3 entries, at offsets 0x2c, 0x44, 0x50']]);
    // An ITS of Length 8 holds its ID (4–7); one of Length 7 does not.
    expect(list(madt([gicIts(3, 0x20000000n), subtable(0x0f, 8, [[4, 4, 3]])])).map((row) => row[0])).toEqual(['madt.length.short', 'madt.id.duplicate']);
    expect(list(madt([gicIts(3, 0x20000000n), subtable(0x0f, 7, [[4, 2, 3]])])).map((row) => row[0])).toEqual(['madt.length.short']);
  });
});

describe('header fields and entry views at their bounds', () => {
  it('a MADT cut before its Flags: address and flags unknown, no walk', () => {
    const bytes = madt([localApic(0, 0)]).subarray(0, 40);
    const table = parseMadt(bytes);
    expect([table.localInterruptControllerAddress, table.flags, table.pcatCompat, table.entryCount]).toEqual([0xfee00000, undefined, undefined, 0]);
    expect(table.revision).toBe(5);
    expect(parseMadt(new Uint8Array(10)).revision).toBe(0);
  });

  it('a field is read only when the Length covers all of it', () => {
    const read = (length: number) => {
      const [entry] = parseMadt(madt([subtable(0x01, length, [[2, 1, 7], [4, 4, 0xfec00000], [8, 4, 0x18]])])).entriesOfKind('io-apic');
      return [entry!.ioApicId, entry!.ioApicAddress, entry!.globalSystemInterruptBase];
    };
    expect(read(12)).toEqual([7, 0xfec00000, 0x18]);
    expect(read(11)).toEqual([7, 0xfec00000, undefined]);
    expect(read(8)).toEqual([7, 0xfec00000, undefined]);
    expect(read(7)).toEqual([7, undefined, undefined]);
    const table = parseMadt(madt([subtable(0x01, 11, [[2, 1, 7]])]));
    expect([...table.ioApics()]).toEqual([]);
    expect(table.entries().next().value!.toJSON()).toEqual({ type: 1, kind: 'io-apic', offset: 44, length: 11, ioApicId: 7, ioApicAddress: 0 });
  });

  it('bit fields: INTI polarity bits 1:0 and trigger bits 3:2; 64-bit fields need 8 bytes', () => {
    const [override] = parseMadt(madt([interruptOverride(9, 9, 0b1101)])).entriesOfKind('interrupt-override');
    expect([override!.flags, override!.polarity, override!.triggerMode, override!.source]).toEqual([0b1101, 1, 3, 9]);
    const [apicOverride] = parseMadt(madt([subtable(0x05, 11, [[4, 4, 0xfee00000]])])).entriesOfKind('local-apic-override');
    expect(apicOverride!.localApicAddress).toBeUndefined();
    const [full] = parseMadt(madt([subtable(0x05, 12, [[4, 8, 0x1_fee00000n]])])).entriesOfKind('local-apic-override');
    expect(full!.localApicAddress).toBe(0x1_fee00000n);
  });

  it('the doorbells: ITS base + 0x10040, MSI frame base + 0x40', () => {
    const table = parseMadt(madt([gicIts(1, 0x2f020000n), gicMsiFrame(2, 0x8020000n)]));
    expect([...table.gicIts()][0]!.translaterAddress).toBe(0x2f030040n);
    expect([...table.gicMsiFrames()][0]!.setSpiNsAddress).toBe(0x8020040n);
  });

  it('arrays and strings: LoongArch cascade arrays; the SAPIC UID string up to its NUL or the subtable end', () => {
    const lio = subtable(0x12, 23, [[13, 1, 5], [14, 1, 6], [15, 4, 0x11111111], [19, 4, 0x22222222]]);
    const [cascade] = parseMadt(madt([lio])).entriesOfKind('lio-pic');
    expect([cascade!.cascade, cascade!.cascadeMap]).toEqual([[5, 6], [0x11111111, 0x22222222]]);
    const [cut] = parseMadt(madt([subtable(0x12, 22)])).entriesOfKind('lio-pic');
    expect([cut!.cascade, cut!.cascadeMap]).toEqual([[0, 0], undefined]);
    const sapic = (uid: number[], length: number) => {
      const bytes = subtable(0x07, length);
      bytes.set(uid, 16);
      return parseMadt(madt([bytes])).entriesOfKind('local-sapic').next().value!.processorUidString;
    };
    expect(sapic([0x41, 0x42, 0, 0x43], 20)).toBe('AB');
    expect(sapic([0x41, 0x42, 0x43], 19)).toBe('ABC');
    expect(sapic([], 16)).toBeUndefined();
  });

  it('OEM data runs to the subtable end; an empty payload is an empty view', () => {
    const [oem] = parseMadt(madt([subtable(0x80, 2)])).entriesOfKind('oem');
    expect(oem!.oemData).toEqual(new Uint8Array(0));
  });
});
