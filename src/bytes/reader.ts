/**
 * A bounded little-endian reader over a window of a Uint8Array.
 *
 * Offsets are always absolute to the table (offset 0 = first byte of the table), like
 * wasmparser's `original_offset`, so a diagnostic raised deep inside a nested structure still
 * names the table offset. Reads outside the window return `undefined`; nothing here throws on
 * data.
 */
import { le16, le32 } from './le.js';

export class TableReader {
  /** The caller's bytes; never copied. */
  readonly bytes: Uint8Array;
  /** First readable table offset (inclusive). */
  readonly start: number;
  /** End of the readable window (exclusive). */
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.start = Math.max(0, Math.min(start, bytes.length));
    this.end = Math.max(this.start, Math.min(end, bytes.length));
  }

  /** A child reader over `[offset, offset + length)`, clipped to this window. */
  window(offset: number, length: number): TableReader {
    const start = Math.max(this.start, offset);
    return new TableReader(this.bytes, start, Math.min(this.end, offset + length));
  }

  /** True when `[offset, offset + size)` lies inside the window (offsets are integers: every caller computes them from table fields). */
  fits(offset: number, size: number): boolean {
    // The last byte must still be there: a resizable buffer may have shrunk, or the buffer been
    // detached, since parsing. An index read says so reliably; under some optimised code on Node 20
    // a detached array's `length` still read its old value (test/bytes-reader, in a full run).
    return offset >= this.start && size >= 0 && offset + size <= this.end && (size === 0 ? offset <= this.bytes.length : this.bytes[offset + size - 1] !== undefined);
  }

  // Reads index the bytes: an index never throws (once the buffer is detached or shrunk after
  // parsing it reads `undefined`, which the bit operations make 0), so no DataView or try/catch.
  u8(offset: number): number | undefined {
    return this.fits(offset, 1) ? this.bytes[offset] : undefined;
  }

  u16(offset: number): number | undefined {
    return this.fits(offset, 2) ? le16(this.bytes, offset) : undefined;
  }

  u32(offset: number): number | undefined {
    return this.fits(offset, 4) ? le32(this.bytes, offset) : undefined;
  }

  u64(offset: number): bigint | undefined {
    if (!this.fits(offset, 8)) return undefined;
    // The eight bytes fit: both halves read unchecked.
    const low = le32(this.bytes, offset);
    const high = le32(this.bytes, offset + 4);
    // One BigInt for the common address below 4 GiB.
    return high === 0 ? BigInt(low) : (BigInt(high) << 32n) + BigInt(low);
  }

  /** Unsigned little-endian integer of any width up to 6 bytes (e.g. 24-bit reserved fields). */
  uint(offset: number, size: number): number | undefined {
    if (!this.fits(offset, size)) return undefined;
    let value = 0;
    for (let index = size - 1; index >= 0; index--) value = value * 256 + (this.bytes[offset + index] ?? 0);
    return value;
  }

  /** A zero-copy view of `[offset, offset + length)`, clipped to the window. */
  slice(offset: number, length: number): Uint8Array {
    const end = Math.min(this.end, this.bytes.length);
    const from = Math.max(this.start, Math.min(offset, end));
    const to = Math.max(from, Math.min(offset + length, end));
    try {
      return this.bytes.subarray(from, to);
    } catch {
      // A detached buffer: even an empty subarray of it throws.
      return new Uint8Array(0);
    }
  }

  /** Fixed-width ASCII field (OEM IDs): bytes as Latin-1 characters, trailing NULs dropped. */
  ascii(offset: number, length: number): string {
    // Indexed loop over the clipped window, trailing NULs skipped before decoding (no view, iterator or regex: header strings are a measurable share of a small table's parse).
    const from = Math.max(this.start, Math.min(offset, this.end));
    let to = Math.max(from, Math.min(offset + length, this.end));
    while (to > from && this.bytes[to - 1] === 0) to--;
    let text = '';
    for (let index = from; index < to; index++) text += String.fromCharCode(this.bytes[index]!);
    return text;
  }

  /**
   * Bytes of the NUL-terminated string at `offset` including its NUL, or -1 when no NUL lies in
   * `[offset, limit)`: what validation needs of a name, without decoding it.
   */
  terminatedLength(offset: number, limit: number): number {
    // Bytes before the window are not the table's: nothing is read there.
    if (offset < this.start) return -1;
    const stop = Math.min(limit, this.end, this.bytes.length);
    for (let at = offset; at < stop; at++) {
      const byte = this.bytes[at];
      if (byte === 0) return at - offset + 1;
      // As cString: an unreadable byte (outside the array, or detached) ends the search unterminated.
      if (byte === undefined) return -1;
    }
    return -1;
  }

  /**
   * A NUL-terminated string starting at `offset` that must end before `limit`.
   * `terminated` is false when no NUL was found inside `[offset, limit)`.
   */
  cString(offset: number, limit: number): { text: string; terminated: boolean; byteLength: number } {
    if (offset < this.start) return { text: '', terminated: false, byteLength: 0 };
    const stop = Math.min(limit, this.end, this.bytes.length);
    let text = '';
    for (let at = offset; at < stop; at++) {
      const byte = this.bytes[at];
      // Undefined once the buffer was detached or shrunk after parsing.
      if (byte === undefined) return { text, terminated: false, byteLength: text.length };
      if (byte === 0) return { text, terminated: true, byteLength: at - offset + 1 };
      text += String.fromCharCode(byte);
    }
    return { text, terminated: false, byteLength: Math.max(0, stop - offset) };
  }
}

/** A reader over no bytes: what a flyweight cursor shared across tables reads once its walk is over, so it keeps no table alive. */
export const NO_BYTES_READER = new TableReader(new Uint8Array(0));
