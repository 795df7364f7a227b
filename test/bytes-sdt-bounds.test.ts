/**
 * readSdtHeader seen directly (src/bytes/sdt.ts): the reader window it hands back for each
 * Length rule, the two-digit hex of the checksum message, the exact detached-input text, and the
 * four signature bytes compared one by one (issue 12 mutation survivors). Tables are written
 * byte by byte here; sums are worked out in the comments.
 */
import { describe, expect, it } from 'vitest';
import { DiagnosticList } from '../src/bytes/diagnostics.js';
import { TableReader } from '../src/bytes/reader.js';
import { SdtHeaderView } from '../src/bytes/sdt-header.js';
import { readSdtHeader, SDT_CODES } from '../src/bytes/sdt.js';
import { parseDmar } from '../src/dmar/index.js';

const EXPECT = { signature: 'DMAR', fixedSize: 48, newestRevision: 1 };

/** `size` zero bytes with "DMAR", Length `length` and revision 1. */
function table(size: number, length: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0x44, 0x4d, 0x41, 0x52], 0);
  new DataView(bytes.buffer).setUint32(4, length, true);
  bytes[8] = 1;
  return bytes;
}

function read(bytes: Uint8Array) {
  const diagnostics = new DiagnosticList(SDT_CODES);
  const result = readSdtHeader(bytes, diagnostics, EXPECT);
  return { ...result, findings: diagnostics.items.map((item) => [item.code, item.offset, item.message]) };
}

describe('readSdtHeader windows', () => {
  it('a Length below the fixed header: unusable, the reader ends at Length when the bytes go further', () => {
    const result = read(table(40, 38));
    expect(result.usable).toBe(false);
    expect([result.reader.start, result.reader.end]).toEqual([0, 38]);
    // Nothing past the Length rule is judged for an unusable header (no checksum).
    expect(result.findings.map(([code]) => code)).toEqual(['sdt.length.short']);
  });

  it('a Length below the fixed header but beyond the bytes: the reader ends at the bytes', () => {
    const result = read(table(40, 44));
    expect([result.usable, result.reader.end]).toEqual([false, 40]);
  });

  it('usable: the reader ends at Length (trailing bytes) or at the bytes (truncated)', () => {
    expect(read(table(60, 52)).reader.end).toBe(52);
    expect(read(table(50, 64)).reader.end).toBe(50);
    const whole = read(table(48, 48));
    expect([whole.usable, whole.reader.start, whole.reader.end]).toEqual([true, 0, 48]);
  });
});

describe('checksum message', () => {
  it('prints each byte value with two hex digits', () => {
    // "DMAR" 0x44+0x4d+0x41+0x52 = 0x124, Length 48 = 0x30, revision 1, byte 10 = 0xa6:
    // 0x1fb, so 0x05 makes the sum 0; a checksum byte of 0x06 leaves a sum of 0x01.
    const bytes = table(48, 48);
    bytes[10] = 0xa6;
    bytes[9] = 0x06;
    expect(read(bytes).findings).toEqual([['sdt.checksum', 9, 'checksum byte is 0x06, the table sums to 0x01; 0x05 would be correct']]);
    bytes[9] = 0x05;
    expect(read(bytes).findings).toEqual([]);
  });
});

describe('detached input', () => {
  it('names what happened in the message the user sees', () => {
    const buffer = new ArrayBuffer(64);
    structuredClone(buffer, { transfer: [buffer] });
    expect(parseDmar(buffer).diagnostics.map((item) => [item.code, item.offset, item.message])).toEqual([
      ['sdt.input.detached', 0, 'the buffer was detached (transferred, e.g. to a worker) before parsing; nothing could be read'],
    ]);
  });
});

describe('SdtHeaderView.signatureIs', () => {
  it('compares each of the four bytes', () => {
    const view = new SdtHeaderView(new TableReader(table(36, 36)));
    expect(view.signatureIs('DMAR')).toBe(true);
    expect(['XMAR', 'DXAR', 'DMXR', 'DMAX'].map((other) => view.signatureIs(other))).toEqual([false, false, false, false]);
  });
});

/** Sets the checksum byte so the first `length` bytes sum to 0 mod 256. */
function sealed(bytes: Uint8Array, length = bytes.length): Uint8Array {
  bytes[9] = 0;
  let sum = 0;
  for (let index = 0; index < length; index++) sum += bytes[index]!;
  bytes[9] = (256 - (sum & 0xff)) & 0xff;
  return bytes;
}

// readSdtHeader judges the usual table in a few reads before the rules one by one: a table that
// differs from it in any one way must still get that one finding and its window.
describe('readSdtHeader: the usual table and each single way of not being it', () => {
  it('a whole, sealed table of a known revision: no finding, usable, the whole input, the header read', () => {
    const bytes = sealed(table(52, 52));
    const result = read(bytes);
    expect(result.findings).toEqual([]);
    expect([result.usable, result.reader.start, result.reader.end, result.reader.bytes === bytes]).toEqual([true, 0, 52, true]);
    expect(result.header).toBeInstanceOf(SdtHeaderView);
    expect([result.header!.length, result.header!.revision, result.header!.signature]).toEqual([52, 1, 'DMAR']);
  });

  it('each deviation raises its own code', () => {
    const codes = (bytes: Uint8Array) => read(bytes).findings.map(([code]) => code);
    const otherSignature = table(48, 48);
    otherSignature[3] = 0x53; // "DMAS"
    expect(codes(sealed(otherSignature))).toEqual(['sdt.signature']);
    const newer = table(48, 48);
    newer[8] = 2;
    expect(codes(sealed(newer))).toEqual(['sdt.revision.newer']);
    const unsealed = sealed(table(48, 48));
    unsealed[47] = 1;
    expect(codes(unsealed)).toEqual(['sdt.checksum']);
    // One zero byte past Length: the first 48 bytes still sum to 0.
    expect(codes(sealed(table(49, 48), 48))).toEqual(['sdt.length.trailing']);
    // Length one past the bytes: truncated, and no checksum is judged over a part.
    expect(codes(sealed(table(48, 49)))).toEqual(['sdt.length.truncated']);
    expect(codes(sealed(table(44, 44)))).toEqual(['sdt.length.short']);
    expect(codes(table(48, 48).subarray(0, 35))).toEqual(['sdt.header.truncated']);
  });
});
