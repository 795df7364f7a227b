/**
 * A bounded little-endian reader over a window of a Uint8Array.
 *
 * Offsets are always absolute to the table (offset 0 = first byte of the table), like
 * wasmparser's `original_offset`, so a diagnostic raised deep inside a nested structure still
 * names the table offset. Reads outside the window return `undefined`; nothing here throws on
 * data.
 */
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
    // Respect byteOffset/byteLength: a Node Buffer is often a window onto a larger pool.
    this.view = view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
    return Number.isInteger(offset) && offset >= this.start && size >= 0 && offset + size <= this.end;
  }

  u8(offset: number): number | undefined {
    return this.fits(offset, 1) ? this.view.getUint8(offset) : undefined;
  }

  u16(offset: number): number | undefined {
    return this.fits(offset, 2) ? this.view.getUint16(offset, true) : undefined;
  }

  u32(offset: number): number | undefined {
    return this.fits(offset, 4) ? this.view.getUint32(offset, true) : undefined;
  }

  u64(offset: number): bigint | undefined {
    return this.fits(offset, 8) ? this.view.getBigUint64(offset, true) : undefined;
  }

  /** Unsigned little-endian integer of any width up to 6 bytes (e.g. 24-bit reserved fields). */
  uint(offset: number, size: number): number | undefined {
    if (!this.fits(offset, size)) return undefined;
    let value = 0;
    for (let index = size - 1; index >= 0; index--) value = value * 256 + this.view.getUint8(offset + index);
    return value;
  }

  /** A zero-copy view of `[offset, offset + length)`, clipped to the window. */
  slice(offset: number, length: number): Uint8Array {
    const from = Math.max(this.start, Math.min(offset, this.end));
    const to = Math.max(from, Math.min(offset + length, this.end));
    return this.bytes.subarray(from, to);
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
    const stop = Math.min(limit, this.end);
    let text = '';
    for (let at = offset; at < stop; at++) {
      const byte = this.view.getUint8(at);
      if (byte === 0) return { text, terminated: true, byteLength: at - offset + 1 };
      text += String.fromCharCode(byte);
    }
    return { text, terminated: false, byteLength: Math.max(0, stop - offset) };
  }
}
