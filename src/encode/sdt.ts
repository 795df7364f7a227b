/** The 36-byte SDT header every table starts with (ACPI §5.2.6, docs/spec.md §1), and the checksum. */
import { SDT_HEADER_SIZE, checksumOf } from '../bytes/sdt.js';
import { EncodeError, optionalUnsigned, unsigned } from './values.js';
import type { ByteWriter } from './writer.js';

/** Header fields; everything is optional. `length` and `checksum` are computed when absent. */
export interface SdtHeaderModel {
  signature?: string;
  /** Honoured when given (a lying Length); otherwise the size of the encoded table. */
  length?: number;
  revision?: number;
  /** Honoured when given; `'auto'` or absent: the byte that makes the table sum to 0. */
  checksum?: number | 'auto';
  oemId?: string;
  oemTableId?: string;
  oemRevision?: number;
  creatorId?: string;
  creatorRevision?: number;
}

const TEXT_FIELDS = [
  ['signature', 0, 4],
  ['oemId', 10, 6],
  ['oemTableId', 16, 8],
  ['creatorId', 28, 4],
] as const;

/** Writes the header's fixed fields; Length and Checksum are written by `finishTable`. */
export function writeSdtHeader(writer: ByteWriter, header: SdtHeaderModel | undefined, defaults: { signature: string; revision: number }): void {
  const model = { signature: defaults.signature, oemId: 'ACPIIO', oemTableId: 'ENCODED', creatorId: 'AIOM', ...header };
  for (const [key, at, width] of TEXT_FIELDS) {
    const value = model[key];
    if (typeof value !== 'string') throw new EncodeError(`header.${key}`, 'expected a string');
    writer.text(at, value, width);
  }
  writer.uint(8, 1, unsigned(model.revision, 8, 'header.revision', defaults.revision));
  writer.uint(24, 4, unsigned(model.oemRevision, 32, 'header.oemRevision', 1));
  writer.uint(32, 4, unsigned(model.creatorRevision, 32, 'header.creatorRevision', 1));
}

/**
 * Appends `trailing` bytes (kept outside a computed Length), writes Length (given or computed)
 * and Checksum (given, or computed over `[0, Length)`), and returns the bytes. A given Length
 * larger than the content is written as is and nothing is padded: that is a truncated capture.
 */
export function finishTable(writer: ByteWriter, header: SdtHeaderModel | undefined, trailing?: Uint8Array): Uint8Array {
  writer.reserve(SDT_HEADER_SIZE);
  const length = optionalUnsigned(header?.length, 32, 'header.length') ?? writer.size;
  writer.uint(4, 4, length);
  if (trailing !== undefined) writer.bytes(writer.size, trailing);
  const given = header?.checksum;
  writer.uint(9, 1, 0);
  const bytes = writer.finish();
  bytes[9] = given === undefined || given === 'auto' ? (0x100 - checksumOf(bytes, length)) & 0xff : unsigned(given, 8, 'header.checksum');
  return bytes;
}
