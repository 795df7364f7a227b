/**
 * Parse functions take any byte container and never throw on it (issue 15 "Inputs", issue 17
 * §7): Uint8Array, Node Buffer, ArrayBuffer, DataView, a plain array; a detached buffer is a
 * diagnostic; a resizable buffer shrunk, or a buffer detached, after parsing leaves the lazy
 * views readable (reads past the new end give nothing).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonReplacer } from '../src/bytes/hex.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { parseTable } from '../src/table.js';
import { REPO_ROOT } from './support/shared.js';

const sample = (name: string) => new Uint8Array(readFileSync(join(REPO_ROOT, 'corpus', 'samples', name)));
const TABLES = [
  ['DMAR', 'x86-laptop/DMAR.bin', parseDmar],
  ['IORT', 'arm-server/IORT.bin', parseIort],
  ['APIC', 'x86-laptop/APIC.bin', parseMadt],
] as const;

/** Everything a caller can read from a table: its JSON, and every item's raw bytes. */
function readAll(table: ReturnType<typeof parseTable>): string {
  const items = table === undefined ? [] : 'structures' in table ? [...table.structures()] : 'nodes' in table ? [...table.nodes()] : 'entries' in table ? [...table.entries()] : [...table.blocks()];
  const raw = items.map((item) => Array.from(item.raw).length);
  return JSON.stringify({ json: table?.toJSON(), raw }, jsonReplacer);
}

/** `new ArrayBuffer(n, {maxByteLength})` (ES2024; the project's TypeScript lib predates it). */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer & { resize(length: number): void };

function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

describe.each(TABLES)('%s parse input types', (_signature, file, parse) => {
  const bytes = sample(file);
  const expected = readAll(parse(bytes));

  it('ArrayBuffer, DataView, Buffer, a window into a larger buffer and a plain array read the same table', () => {
    const larger = new Uint8Array(bytes.length + 16);
    larger.set(bytes, 7);
    const window = larger.subarray(7, 7 + bytes.length);
    const inputs = [bytes.slice().buffer, new DataView(bytes.slice().buffer), Buffer.from(bytes), window, new DataView(larger.buffer, 7, bytes.length), Array.from(bytes)];
    for (const input of inputs) {
      expect(readAll(parse(input))).toBe(expected);
      expect(readAll(parseTable(input))).toBe(expected);
    }
  });

  it('a detached ArrayBuffer, or a view over one, is an sdt.input.detached error, not an exception', () => {
    for (const make of [(buffer: ArrayBuffer) => buffer, (buffer: ArrayBuffer) => new Uint8Array(buffer), (buffer: ArrayBuffer) => new DataView(buffer)]) {
      const buffer = bytes.slice().buffer;
      const input = make(buffer);
      detach(buffer);
      const table = parse(input);
      expect(table.diagnostics.map((item) => item.code)).toEqual(['sdt.input.detached']);
      expect(() => readAll(table)).not.toThrow();
    }
  });

  it('a buffer detached after parsing: the views read nothing and never throw', () => {
    const copy = bytes.slice();
    const table = parse(copy);
    detach(copy.buffer);
    expect(() => readAll(table)).not.toThrow();
  });

  it.each([
    ['length-tracking', (buffer: ArrayBuffer) => new Uint8Array(buffer)],
    ['fixed-length', (buffer: ArrayBuffer) => new Uint8Array(buffer, 0, bytes.length)],
  ])('a resizable buffer (%s view) shrunk after parsing: the views never throw', (_kind, view) => {
    for (const newLength of [bytes.length - 1, 60, 36, 0]) {
      const buffer = new ResizableArrayBuffer(bytes.length, { maxByteLength: bytes.length * 2 });
      const input = view(buffer);
      input.set(bytes);
      const table = parse(input);
      expect(table.diagnostics).toEqual(parse(bytes).diagnostics);
      buffer.resize(newLength);
      expect(() => readAll(table)).not.toThrow();
    }
  });
});

describe('parseTable on odd inputs', () => {
  it('an empty array, an array of non-bytes and an unknown object return undefined without throwing', () => {
    expect(parseTable([])).toBeUndefined();
    expect(parseTable(['D', 'M', 'A', 'R'] as unknown as number[])).toBeUndefined();
    expect(parseTable({} as unknown as Uint8Array)).toBeUndefined();
  });

  it('a plain array of byte values is read modulo 256, as a Uint8Array would store them', () => {
    const bytes = Array.from(sample('x86-laptop/DMAR.bin'));
    const shifted = bytes.map((value) => value + 256);
    expect(readAll(parseDmar(shifted))).toBe(readAll(parseDmar(bytes)));
  });
});
