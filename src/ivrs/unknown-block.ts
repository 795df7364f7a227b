/**
 * A block kept without a typed decoding: a type this parser does not know (e.g. 0x51 on some
 * Lenovo laptops), or an IVHD/IVMD shorter than its fixed part (`truncated`). Kept with its bytes.
 */
import { BlockView } from './block.js';
import { BLOCK_HEADER_SIZE, IVHD_TYPES, IVMD_TYPES } from './layout.js';

export class UnknownBlock extends BlockView {
  readonly kind = 'unknown' as const;

  /** True for an IVHD or IVMD type whose Length is below its fixed part. */
  get truncated(): boolean {
    return IVHD_TYPES.includes(this.type) || IVMD_TYPES.includes(this.type);
  }

  /** The bytes after the 4-byte block header (zero-copy). */
  get payload(): Uint8Array {
    return this.reader.slice(this.offset + BLOCK_HEADER_SIZE, this.length - BLOCK_HEADER_SIZE);
  }

  toJSON(): Record<string, unknown> {
    return { type: this.type, kind: this.kind, offset: this.offset, length: this.length, flags: this.flags, truncated: this.truncated, payload: this.payload };
  }
}
