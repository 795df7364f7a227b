/**
 * The SDT header rules of src/bytes (docs/spec.md §1.2, ACPI §5.2.6) and the bounded reader
 * under them, seen through the public parse functions so the tests survive a rewrite of the
 * internals. Every expected message and offset is stated from the header layout: Signature 0–3,
 * Length 4–7, Revision 8, Checksum 9, OEM ID 10–15, OEM Table ID 16–23, OEM Revision 24–27,
 * Creator ID 28–31, Creator Revision 32–35; DMAR adds 12 bytes (48), MADT 8 (44).
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { parseMadt } from '../src/madt/index.js';
import { dmar, drhd, rmrr } from './support/dmar-builder.js';

/** A valid DMAR with one INCLUDE_PCI_ALL DRHD (64 bytes). */
const base = (): Uint8Array => dmar({ structures: [drhd({ flags: 1 })] }).bytes;

function put32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(at, value, true);
  return bytes;
}

/** Re-sums the first `length` bytes to 0 through the checksum byte. */
function fixSum(bytes: Uint8Array, length = bytes.length): Uint8Array {
  bytes[9] = 0;
  let sum = 0;
  for (let index = 0; index < length; index++) sum = (sum + bytes[index]!) & 0xff;
  bytes[9] = (0x100 - sum) & 0xff;
  return bytes;
}

const sdt = (bytes: Uint8Array) => parseDmar(bytes).diagnostics.filter((item) => item.code.startsWith('sdt.')).map(({ code, offset, length, message, severity }) => ({ code, offset, length, message, severity }));

describe('SDT header rules', () => {
  it('a valid table raises no header finding and reads every header field', () => {
    const table = parseDmar(base());
    expect(table.diagnostics).toEqual([]);
    // The header is a view decoding its strings on demand; its plain form is what JSON carries.
    expect(JSON.parse(JSON.stringify(table.header))).toEqual({
      signature: 'DMAR',
      length: 64,
      revision: 1,
      checksum: base()[9],
      oemId: 'TESTOE',
      oemTableId: 'TESTTABL',
      oemRevision: 1,
      creatorId: 'TEST',
      creatorRevision: 1,
    });
  });

  it('fewer than 36 bytes: the header is cut off, with the byte count, and nothing else is read', () => {
    expect(sdt(base().slice(0, 35))).toEqual([{ code: 'sdt.header.truncated', offset: 0, length: 35, message: 'only 35 bytes; the SDT header needs 36', severity: 'error' }]);
    const table = parseDmar(base().slice(0, 35));
    expect(table.header).toBeUndefined();
    expect(table.headerUsable).toBe(false);
    expect(table.diagnostics).toHaveLength(1);
  });

  it('exactly 36 bytes read the SDT header; a Length below the table\'s own fixed header makes it unusable', () => {
    const bytes = fixSum(put32(base().slice(0, 36), 4, 36));
    expect(sdt(bytes)).toEqual([{ code: 'sdt.length.short', offset: 4, length: 4, message: 'Length 36 is smaller than the 48-byte DMAR header', severity: 'error' }]);
    const table = parseDmar(bytes);
    expect(table.header?.length).toBe(36);
    expect(table.headerUsable).toBe(false);
    // Unusable: no DMAR rule runs (no "no DRHD" finding although there is none).
    expect(table.diagnostics.map((item) => item.code)).toEqual(['sdt.length.short']);
    expect(table.hostAddressWidth).toBeUndefined();
  });

  it('a Length equal to the fixed header is usable: 48 bytes, no structure', () => {
    const bytes = fixSum(put32(base().slice(0, 48), 4, 48));
    const table = parseDmar(bytes);
    expect(table.headerUsable).toBe(true);
    expect(sdt(bytes)).toEqual([]);
    expect(table.diagnostics.map((item) => item.code)).toEqual(['dmar.drhd.none']);
    expect(table.hostAddressWidth).toBe(39);
  });

  it('a MADT uses its own 44-byte fixed header', () => {
    const madt = new Uint8Array(44);
    madt.set([0x41, 0x50, 0x49, 0x43]);
    put32(madt, 4, 44);
    madt[8] = 5;
    expect(parseMadt(fixSum(madt)).diagnostics).toEqual([]);
    const short = fixSum(put32(madt.slice(0, 43), 4, 43));
    expect(parseMadt(short).diagnostics.map((item) => [item.code, item.offset, item.message])).toEqual([['sdt.length.short', 4, 'Length 43 is smaller than the 44-byte APIC header']]);
  });

  it('a wrong signature is named, with unprintable bytes as dots, and parsing goes on', () => {
    const bytes = base();
    bytes.set([0x41, 0x01, 0x7f, 0x20], 0);
    const findings = sdt(fixSum(bytes));
    expect(findings).toEqual([{ code: 'sdt.signature', offset: 0, length: 4, message: 'signature "A.. " is not DMAR', severity: 'error' }]);
    expect(parseDmar(bytes).headerUsable).toBe(true);
  });

  it('a wrong signature reads as the header does: trailing NULs dropped, a NUL inside or a byte above 0x7e as a dot', () => {
    const named = (signature: number[]) => {
      const bytes = base();
      bytes.set(signature, 0);
      return sdt(fixSum(bytes)).map((item) => item.message);
    };
    expect(named([0x44, 0x4d, 0x00, 0x00])).toEqual(['signature "DM" is not DMAR']);
    expect(named([0x44, 0x00, 0x41, 0x52])).toEqual(['signature "D.AR" is not DMAR']);
    expect(named([0xc4, 0x4d, 0x41, 0x80])).toEqual(['signature ".MA." is not DMAR']);
    expect(named([0x00, 0x00, 0x00, 0x00])).toEqual(['signature "" is not DMAR']);
  });

  it('Length beyond the bytes: truncated, only what exists is parsed, and no checksum is judged', () => {
    const bytes = put32(base(), 4, 100);
    bytes[9] = bytes[9]! ^ 0x55;
    expect(sdt(bytes)).toEqual([{ code: 'sdt.length.truncated', offset: 4, length: 4, message: 'Length 100 but only 64 bytes are available; parsing those', severity: 'error' }]);
    expect([...parseDmar(bytes).structures()].map((structure) => structure.kind)).toEqual(['drhd']);
  });

  it('bytes after Length: trailing, reported at Length; the checksum covers Length bytes only and the walk stops at Length', () => {
    const bytes = new Uint8Array(70);
    bytes.set(base());
    bytes.set([1, 0, 6, 0, 0xee, 0xee], 64); // would be a broken structure if it were inside Length
    expect(sdt(bytes)).toEqual([{ code: 'sdt.length.trailing', offset: 64, length: 6, message: "6 bytes follow the table's Length 64; ignored", severity: 'info' }]);
    expect(parseDmar(bytes).diagnostics.map((item) => item.code)).toEqual(['sdt.length.trailing']);
  });

  it('a wrong checksum says which byte value would be correct', () => {
    const bytes = base();
    const right = bytes[9]!;
    bytes[9] = (right + 0x10) & 0xff;
    const hex2 = (value: number) => value.toString(16).padStart(2, '0');
    expect(sdt(bytes)).toEqual([
      { code: 'sdt.checksum', offset: 9, length: 1, message: `checksum byte is 0x${hex2(bytes[9]!)}, the table sums to 0x10; 0x${hex2(right)} would be correct`, severity: 'warning' },
    ]);
    // A table that sums to 0 through Length exactly, with Length = bytes: no finding.
    expect(sdt(base())).toEqual([]);
  });

  it('a revision above the newest known layout is noted; the newest itself is not', () => {
    const newer = base();
    newer[8] = 3;
    expect(sdt(fixSum(newer))).toEqual([{ code: 'sdt.revision.newer', offset: 8, length: 1, message: 'revision 3 is newer than 2, the newest layout known; decoding with that layout', severity: 'info' }]);
    const newest = base();
    newest[8] = 2;
    expect(sdt(fixSum(newest))).toEqual([]);
  });

  it('header text fields: trailing NULs dropped, inner bytes kept as Latin-1', () => {
    const bytes = base();
    bytes.set([0x41, 0, 0x42, 0xe9, 0, 0], 10);
    expect(parseDmar(fixSum(bytes)).header?.oemId).toBe('A\u0000B\u00e9');
  });
});

describe('diagnostics as the parse functions return them', () => {
  it('sorted by offset, then severity (error, warning, info), then code', () => {
    // HAW byte 5 (error at 36), checksum wrong (warning at 9), reserved header byte 40 non-zero (info at 40), no DRHD (error at 0), newer revision (info at 8).
    const bytes = dmar({ hawRaw: 5, revision: 3, structures: [] }).bytes;
    bytes[40] = 1;
    const items = parseDmar(bytes).diagnostics.map((item) => [item.offset, item.severity, item.code]);
    expect(items).toEqual([
      [0, 'error', 'dmar.drhd.none'],
      [8, 'info', 'sdt.revision.newer'],
      [9, 'warning', 'sdt.checksum'],
      [36, 'error', 'dmar.haw.invalid'],
      [40, 'info', 'dmar.reserved.nonzero'],
    ]);
    // At one offset (the RMRR Limit at 64 + 16), the error before the warning the parser added first.
    const rmrrTable = dmar({ structures: [drhd({ flags: 1 }), rmrr({ base: 0x1000n, limit: 0x8000000000n })] }).bytes;
    expect(parseDmar(rmrrTable).diagnostics.map((item) => [item.offset, item.severity, item.code])).toEqual([
      [80, 'error', 'dmar.rmrr.above-haw'],
      [80, 'warning', 'dmar.rmrr.misaligned'],
    ]);
    // At one offset and severity, by code: a wrong signature and no DRHD, both errors at 0.
    const signature = dmar({ structures: [] }).bytes;
    signature[0] = 0x58;
    expect(parseDmar(fixSum(signature)).diagnostics.map((item) => item.code)).toEqual(['dmar.drhd.none', 'sdt.signature']);
  });

  it('carries a code\'s citation with the project\'s notes named by the file the package ships', () => {
    // dmar.haw.invalid cites "docs/spec.md §5 #11; parse_dmar_table()"; sdt.checksum "ACPI §5.2.6"; sdt.revision.newer "docs/spec.md §1.3".
    const bytes = dmar({ hawRaw: 5, revision: 3, structures: [] }).bytes;
    bytes[9] = bytes[9]! ^ 1;
    const byCode = new Map(parseDmar(bytes).diagnostics.map((item) => [item.code, item]));
    expect(byCode.get('dmar.haw.invalid')!.ref).toBe('docs/spec.md §5 #11; parse_dmar_table()');
    expect(byCode.get('sdt.checksum')!.ref).toBe('ACPI §5.2.6');
    expect(byCode.get('sdt.revision.newer')!.ref).toBe('docs/spec.md §1.3');
  });

  it('a finding without a byte length carries no length field', () => {
    const table = parseDmar(dmar({ structures: [] }).bytes);
    expect(table.diagnostics.find((item) => item.code === 'dmar.drhd.none')).not.toHaveProperty('length');
  });
});
