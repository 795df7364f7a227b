/**
 * A bounded little-endian reader over a window of a Uint8Array.
 *
 * Offsets are always absolute to the table (offset 0 = first byte of the table), like
 * wasmparser's `original_offset`, so a diagnostic raised deep inside a nested structure still
 * names the table offset. Reads outside the window return `undefined`; nothing here throws on
 * data.
 */
import { isDetachedBuffer } from './input.js';

export class TableReader {
  /** The caller's bytes; never copied. */
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  /** First readable table offset (inclusive). */
  readonly start: number;
  /** End of the readable window (exclusive). */
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length, view?: DataView) {
    this.bytes = bytes;
    this.view = view ?? viewOf(bytes);
    this.start = Math.max(0, Math.min(start, bytes.length));
    this.end = Math.max(this.start, Math.min(end, bytes.length));
  }

  /** A child reader over `[offset, offset + length)`, clipped to this window. */
  window(offset: number, length: number): TableReader {
    const start = Math.max(this.start, offset);
    return new TableReader(this.bytes, start, Math.min(this.end, offset + length), this.view);
  }

  /** True when `[offset, offset + size)` lies inside the window. */
  fits(offset: number, size: number): boolean {
    // `bytes.length` too: a resizable buffer may have shrunk, or the buffer been detached, since parsing.
    return Number.isInteger(offset) && offset >= this.start && size >= 0 && offset + size <= this.end && offset + size <= this.bytes.length;
  }

  // Each read also catches: once the buffer is detached or shrunk after parsing, DataView
  // throws, and optimised code has been seen to keep a detached array's old length in `fits`.
  u8(offset: number): number | undefined {
    if (!this.fits(offset, 1)) return undefined;
    try {
      return this.view.getUint8(offset);
    } catch {
      return undefined;
    }
  }

  u16(offset: number): number | undefined {
    if (!this.fits(offset, 2)) return undefined;
    try {
      return this.view.getUint16(offset, true);
    } catch {
      return undefined;
    }
  }

  u32(offset: number): number | undefined {
    if (!this.fits(offset, 4)) return undefined;
    try {
      return this.view.getUint32(offset, true);
    } catch {
      return undefined;
    }
  }

  u64(offset: number): bigint | undefined {
    if (!this.fits(offset, 8)) return undefined;
    try {
      return this.view.getBigUint64(offset, true);
    } catch {
      return undefined;
    }
  }

  /** Unsigned little-endian integer of any width up to 6 bytes (e.g. 24-bit reserved fields). */
  uint(offset: number, size: number): number | undefined {
    if (!this.fits(offset, size)) return undefined;
    let value = 0;
    try {
      for (let index = size - 1; index >= 0; index--) value = value * 256 + this.view.getUint8(offset + index);
    } catch {
      return undefined;
    }
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
   * A NUL-terminated string starting at `offset` that must end before `limit`.
   * `terminated` is false when no NUL was found inside `[offset, limit)`.
   */
  cString(offset: number, limit: number): { text: string; terminated: boolean; byteLength: number } {
    const stop = Math.min(limit, this.end, this.bytes.length);
    let text = '';
    try {
      for (let at = offset; at < stop; at++) {
        const byte = this.view.getUint8(at);
        if (byte === 0) return { text, terminated: true, byteLength: at - offset + 1 };
        text += String.fromCharCode(byte);
      }
    } catch {
      return { text, terminated: false, byteLength: text.length };
    }
    return { text, terminated: false, byteLength: Math.max(0, stop - offset) };
  }
}

/**
 * A DataView over the bytes, respecting byteOffset/byteLength (a Node Buffer is often a window
 * onto a larger pool). Over a resizable buffer the view tracks the buffer's length, so a shrink
 * after parsing leaves it readable up to the new end (`fits` checks that end); a detached buffer
 * gets an empty view.
 */
function viewOf(bytes: Uint8Array): DataView {
  const buffer = bytes.buffer as ArrayBufferLike & { resizable?: boolean; growable?: boolean };
  if (isDetachedBuffer(buffer)) return new DataView(new ArrayBuffer(0));
  if (buffer.resizable === true || buffer.growable === true) return new DataView(buffer, bytes.byteOffset);
  return new DataView(buffer, bytes.byteOffset, bytes.byteLength);
}
