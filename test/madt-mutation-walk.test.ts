/**
 * MADT walk and check edges the issue 14 rewrite's mutation run left open (docs/mutation.md, "MADT
 * after the issue 14 speed rewrite"): a subtable whose header fits in exactly the last 2 bytes of
 * the table, and a short subtable whose reserved field would lie past its own Length. Expectations
 * from the ACPI MADT layout (44-byte header; I/O APIC: Type 1, Length 12, byte 3 reserved), not
 * from the parser's output.
 */
import { describe, expect, it } from 'vitest';
import { parseMadt } from '../src/madt/index.js';
import { ioApic, localApic, madt, subtable } from './support/madt-builder.js';

const findings = (bytes: Uint8Array) => parseMadt(bytes).diagnostics.map((d) => [d.code, d.offset, d.length, d.message]);

describe('MADT walk: the last 2 bytes hold a whole subtable header', () => {
  // Local APIC at 0x2c (8 bytes), then Type and Length at 0x34 and 0x35, the table's last bytes.
  it('a Length past the end is an overrun of that subtable, not a cut-off header', () => {
    expect(findings(madt([localApic(0, 0), new Uint8Array([0x01, 12])]))).toEqual([
      ['madt.length.overrun', 0x34, 2, 'io-apic subtable (type 0x1) at 0x34 has Length 12 but the table ends 2 bytes later; the walk stops'],
    ]);
  });

  it('a Length of 0 there is madt.length.zero over the 2 bytes left', () => {
    expect(findings(madt([localApic(0, 0), new Uint8Array([0x01, 0])]))).toEqual([
      ['madt.length.zero', 0x34, 2, 'io-apic subtable (type 0x1) at 0x34 has Length 0; the remaining 2 bytes cannot be framed'],
    ]);
  });
});

describe('MADT reserved fields are read only inside their subtable', () => {
  it('an I/O APIC of Length 3 does not report the next subtable\'s Type byte as its reserved byte 3', () => {
    // The short I/O APIC at 0x2c ends at 0x2f, where the next I/O APIC's Type byte (1) sits.
    const bytes = madt([subtable(0x01, 3), ioApic(1)]);
    expect(bytes[0x2c + 3]).toBe(0x01);
    expect(findings(bytes).map(([code, offset]) => [code, offset])).toEqual([['madt.length.short', 0x2c]]);
  });

  it('the same byte inside a whole I/O APIC is reported, at the byte itself', () => {
    const whole = ioApic(1);
    whole[3] = 0x01;
    expect(findings(madt([whole])).map(([code, offset]) => [code, offset])).toEqual([['madt.reserved.nonzero', 0x2c + 3]]);
  });
});
