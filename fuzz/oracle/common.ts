/**
 * Shared pieces of the differential oracle: an independent reading of the tables written with
 * `binary-parser` (declarative, code-generated), sharing no code with src/. It decodes
 * well-formed tables only; the campaign runs it where our parser reports no error.
 */
import { Parser } from 'binary-parser';

/** Bytes as Latin-1 text without trailing NULs (the JSON form of fixed-width ACPI text). */
export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text.replace(/\0+$/, '');
}

/** Text up to the first NUL (or the whole buffer). */
export function untilNul(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return latin1(end < 0 ? bytes : bytes.subarray(0, end)).replace(/\0+$/, '');
}

const text = (width: number) => ({ length: width, formatter: (bytes: unknown) => latin1(bytes as Uint8Array) });

/** ACPI §5.2.6: the 36-byte SDT header. */
export const sdtHeader = new Parser()
  .endianness('little')
  .buffer('signature', text(4))
  .uint32('length')
  .uint8('revision')
  .uint8('checksum')
  .buffer('oemId', text(6))
  .buffer('oemTableId', text(8))
  .uint32('oemRevision')
  .buffer('creatorId', text(4))
  .uint32('creatorRevision');

/** `bytes` cut to the table's Length (the bytes the table may use), zero-extended to at least `minimum`. */
export function tableWindow(bytes: Uint8Array): Uint8Array {
  const length = bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true) : 0;
  return bytes.subarray(0, Math.min(length, bytes.length));
}

/** A copy of `bytes` zero-extended to `size`, so fixed-layout parsers can read a short item. */
export function padded(bytes: Uint8Array, size: number): Uint8Array {
  if (bytes.length >= size) return bytes;
  const copy = new Uint8Array(size);
  copy.set(bytes);
  return copy;
}

/** Removes keys binary-parser leaves for its own bookkeeping. */
export function omit<T extends Record<string, unknown>>(value: T, ...keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

export { Parser };
