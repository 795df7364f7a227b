/**
 * Base of every lazy DMAR view (style.md "Lazy views"): it holds the table reader and an
 * absolute offset, and decodes fields only when asked. Views are only built over framed
 * items, so every read is inside the table; a read that is not returns 0 rather than throwing.
 */
import type { TableReader } from '../bytes/reader.js';

export abstract class ByteView {
  constructor(
    protected readonly reader: TableReader,
    /** Absolute offset in the table. */
    readonly offset: number,
    /** The item's Length field, in bytes. */
    readonly length: number,
  ) {}

  /** The item's bytes: a subarray of the caller's buffer, not a copy. */
  get raw(): Uint8Array {
    return this.reader.slice(this.offset, this.length);
  }

  protected byteAt(relative: number): number {
    return this.reader.u8(this.offset + relative) ?? 0;
  }

  protected u16At(relative: number): number {
    return this.reader.u16(this.offset + relative) ?? 0;
  }

  protected u32At(relative: number): number {
    return this.reader.u32(this.offset + relative) ?? 0;
  }

  protected u64At(relative: number): bigint {
    return this.reader.u64(this.offset + relative) ?? 0n;
  }
}
