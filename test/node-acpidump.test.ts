/**
 * acpidump text → bytes (docs/spec.md §1.4.1). The dumps are written here by a formatter that
 * follows the spec line for line, from the real tables in ../shared, so the round trip checks
 * the reader against the format rather than against itself.
 */
import { describe, expect, it } from 'vitest';
import { parseAcpidumpText } from '../src/node/acpidump-text.js';
import { HAVE_SHARED, SKIP_REASON, readReal, realTables } from './support/shared.js';

interface FormatOptions {
  lowercase?: boolean;
  /** Drop the ASCII column (and the trailing spaces), as some editors and dumpers do. */
  withoutAscii?: boolean;
}

/** One block as ACPICA prints it: `AcpiUtDumpBufferToFile` with `%8.4X: ` offsets. */
function formatBlock(signature: string, address: bigint, bytes: Uint8Array, options: FormatOptions = {}): string {
  const hexDigits = (value: number | bigint, width: number) => {
    const text = value.toString(16).padStart(width, '0');
    return options.lowercase === true ? text : text.toUpperCase();
  };
  const lines = [`${signature} @ 0x${hexDigits(address, 16)}`];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const chunk = bytes.subarray(offset, offset + 16);
    let line = `${hexDigits(offset, 4).padStart(8, ' ')}: `;
    for (let index = 0; index < 16; index++) line += index < chunk.length ? `${hexDigits(chunk[index]!, 2)} ` : '   ';
    line += ' ';
    for (const byte of chunk) line += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    lines.push(options.withoutAscii === true ? line.slice(0, line.indexOf(': ') + 2 + chunk.length * 3).trimEnd() : line);
  }
  return `${lines.join('\n')}\n\n`;
}

/** A table whose bytes spell hex-looking text, so the ASCII column reads "AB DE 00 FF 12 …". */
function tableWithHexLookingText(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.set([0x54, 0x45, 0x53, 0x54]); // TEST
  new DataView(bytes.buffer).setUint32(4, length, true);
  const text = 'AB DE 00 FF 12 34  56 78 9A BC DE F0 ';
  for (let offset = 36; offset < length; offset++) bytes[offset] = text.charCodeAt((offset - 36) % text.length);
  return bytes;
}

const real = HAVE_SHARED
  ? [realTables('DMAR')[0]!, realTables('IORT')[0]!, realTables('APIC')[0]!].map((row) => ({ signature: row.signature, bytes: readReal(row.path) }))
  : [];

describe.skipIf(!HAVE_SHARED)(`acpidump text from real tables${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  const dumpOf = (options: FormatOptions = {}) =>
    real.map((table, index) => formatBlock(table.signature, 0x7a6e1000n + BigInt(index) * 0x1000n, table.bytes, options)).join('');

  it('reads several tables in order, bytes exact, with addresses and header lines', () => {
    const text = dumpOf();
    const result = parseAcpidumpText(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.tables.map((table) => table.signature)).toEqual(['DMAR', 'IORT', 'APIC']);
    result.tables.forEach((table, index) => {
      expect(table.bytes).toEqual(real[index]!.bytes);
      expect(table.address).toBe(0x7a6e1000n + BigInt(index) * 0x1000n);
    });
    expect(result.tables[0]!.line).toBe(1);
    expect(result.tables[1]!.line).toBe(2 + Math.ceil(real[0]!.bytes.length / 16) + 1);
  });

  it.each([
    ['CRLF line endings', (text: string) => text.replace(/\n/g, '\r\n')],
    ['lower-case hex', (_text: string) => dumpOf({ lowercase: true })],
    ['a "// " prefix on every line', (text: string) => text.split('\n').map((line) => (line === '' ? line : `// ${line}`)).join('\n')],
    ['the ASCII column behind "//" (iasl raw table data)', (text: string) => text.replace(/^( +[0-9A-F]+: (?:[0-9A-F]{2} | {3}){16}) /gm, '$1 // ')],
    ['no ASCII column', (_text: string) => dumpOf({ withoutAscii: true })],
  ])('round-trips with %s', (_name, variant) => {
    const result = parseAcpidumpText(variant(dumpOf()));
    expect(result.diagnostics).toEqual([]);
    expect(result.tables.map((table) => table.bytes)).toEqual(real.map((table) => table.bytes));
  });

  it('keeps every block of a repeated signature (several SSDTs)', () => {
    const text = real.map((table) => formatBlock('SSDT', 0n, table.bytes)).join('');
    const result = parseAcpidumpText(text);
    expect(result.tables.map((table) => table.signature)).toEqual(['SSDT', 'SSDT', 'SSDT']);
    expect(result.tables.map((table) => table.bytes.length)).toEqual(real.map((table) => table.bytes.length));
  });
});

describe('acpidump text, synthetic', () => {
  it('does not mistake an ASCII column of hex-looking pairs for bytes', () => {
    const bytes = tableWithHexLookingText(16 * 5 + 7);
    const text = formatBlock('TEST', 0xfedcba9876543210n, bytes);
    expect(text).toContain('AB DE 00 FF');
    const result = parseAcpidumpText(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.tables[0]!.bytes).toEqual(bytes);
    expect(result.tables[0]!.address).toBe(0xfedcba9876543210n);
  });

  it('reads offsets of 0x10000 and beyond, printed with fewer leading spaces', () => {
    const bytes = tableWithHexLookingText(0x10000 + 16 * 3 + 5);
    const text = formatBlock('TEST', 0n, bytes);
    expect(text).toContain('\n   10000: ');
    const result = parseAcpidumpText(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.tables[0]!.bytes).toEqual(bytes);
  });

  it('reports a printed offset that disagrees with the bytes read so far', () => {
    const text = formatBlock('TEST', 0n, tableWithHexLookingText(48)).replace('    0010: ', '    0020: ');
    const result = parseAcpidumpText(text);
    expect(result.diagnostics).toEqual([
      { code: 'dump.offset-mismatch', severity: 'warning', line: 3, message: expect.stringContaining('0x20') },
    ]);
    expect(result.tables[0]!.bytes.length).toBe(48);
  });

  it('a lost line: the printed offsets, confirmed by the next line, keep every later byte in place; the gap is reported', () => {
    const bytes = tableWithHexLookingText(64);
    const lines = formatBlock('TEST', 0n, bytes).split('\n');
    // Line 3 holds bytes 0x10–0x1f; without it, 0x20 follows 0x00.
    const result = parseAcpidumpText(lines.filter((_line, index) => index !== 2).join('\n'));
    expect(result.diagnostics).toEqual([{ code: 'dump.gap', severity: 'error', line: 3, message: expect.stringContaining('bytes 0x10–0x1f (16) are missing') }]);
    const expected = bytes.slice();
    expected.fill(0, 0x10, 0x20);
    expect(result.tables[0]!.bytes).toEqual(expected);
  });

  it('a damaged line: the bad token ends it, the next line resynchronises, the short gap is reported', () => {
    const bytes = tableWithHexLookingText(48);
    const text = formatBlock('TEST', 0n, bytes);
    const damaged = text.replace(/( {4}0010: (?:[0-9A-F]{2} ){4})[0-9A-F]{2}/, '$1ZZ');
    expect(damaged).not.toBe(text);
    const result = parseAcpidumpText(damaged);
    expect(result.diagnostics.map((item) => [item.code, item.line])).toEqual([['dump.bad-hex', 3], ['dump.gap', 4]]);
    expect(result.diagnostics[1]!.message).toContain('bytes 0x14–0x1f (12)');
    expect(result.tables[0]!.bytes.subarray(0x20)).toEqual(bytes.subarray(0x20));
    expect(result.tables[0]!.bytes).toHaveLength(48);
  });

  it('a repeated line replaces the bytes it repeats', () => {
    const bytes = tableWithHexLookingText(48);
    const lines = formatBlock('TEST', 0n, bytes).split('\n');
    const result = parseAcpidumpText([...lines.slice(0, 3), lines[2]!, ...lines.slice(3)].join('\n'));
    expect(result.diagnostics.map((item) => [item.code, item.line])).toEqual([['dump.offset-mismatch', 4]]);
    expect(result.tables[0]!.bytes).toEqual(bytes);
  });

  it('reports a block shorter than its Length field', () => {
    const bytes = tableWithHexLookingText(64);
    const result = parseAcpidumpText(formatBlock('TEST', 0n, bytes.subarray(0, 40)));
    expect(result.diagnostics.map((item) => item.code)).toEqual(['dump.length-mismatch']);
  });

  it('reads a block without a header line, naming it by its first bytes', () => {
    const bytes = tableWithHexLookingText(40);
    const text = `Raw Table Data: Length 40 (0x28)\n\n${formatBlock('TEST', 0n, bytes).split('\n').slice(1).join('\n')}`;
    const result = parseAcpidumpText(text);
    expect(result.tables).toHaveLength(1);
    expect(result.tables[0]!.signature).toBe('TEST');
    expect(result.tables[0]!.address).toBeUndefined();
    expect(result.tables[0]!.bytes).toEqual(bytes);
  });

  it.each([
    ['prose', 'This is not a dump.\nNeither is this: 12 34 56\n'],
    ['an empty string', ''],
    ['binary noise', String.fromCharCode(...Array.from({ length: 512 }, (_, index) => (index * 37) & 0xff))],
    ['a header without data', 'DMAR @ zzz\n    00G0: 4Z\n'],
  ])('gives no table and no exception for %s', (_name, text) => {
    const result = parseAcpidumpText(text);
    expect(result.tables).toEqual([]);
    expect(result.diagnostics.map((item) => item.code)).toContain('dump.no-tables');
  });

  it('reports a bad hex token and keeps the bytes before it', () => {
    const result = parseAcpidumpText('TEST @ 0x0000000000000000\n    0000: 54 45 5G 54  TE.T\n');
    expect(result.tables[0]!.bytes).toEqual(new Uint8Array([0x54, 0x45]));
    expect(result.diagnostics.map((item) => item.code)).toContain('dump.bad-hex');
  });
});
