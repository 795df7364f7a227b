/**
 * Base of every lazy view over one item of a table (a DMAR structure or device scope, an IORT
 * node): it holds the table reader and the item's absolute offset and decodes fields only when
 * asked (style.md "Lazy views"). Views are built over framed items, so reads fall inside the
 * table; one that does not returns 0 rather than throwing.
 */
import type { TableReader } from './reader.js';

export abstract class ItemView {
  constructor(
    protected readonly reader: TableReader,
    /** Absolute offset in the table. */
    readonly offset: number,
  ) {}

  /** The item's Length field, in bytes. */
  abstract readonly length: number;

  /** The item's bytes: a subarray of the caller's buffer, not a copy. */
  get raw(): Uint8Array {
    return this.reader.slice(this.offset, this.length);
  }

  protected u8(relative: number): number {
    return this.reader.u8(this.offset + relative) ?? 0;
  }

  protected u16(relative: number): number {
    return this.reader.u16(this.offset + relative) ?? 0;
  }

  protected u32(relative: number): number {
    return this.reader.u32(this.offset + relative) ?? 0;
  }

  protected u64(relative: number): bigint {
    return this.reader.u64(this.offset + relative) ?? 0n;
  }
}

/**
 * The position of a view reused as a flyweight cursor. Only the `forEach…` walks write it, on
 * views they created and never hand out beyond their callback (`offset` is readonly to everyone
 * else). Each walk writes it at its own site, `(cursor as MovableView).offset = at`: one shared
 * helper would see every view class and make that store megamorphic (measured: a fifth of a walk).
 */
export interface MovableView {
  offset: number;
}
