/** The 12 bytes after the SDT header (VT-d §8.1, docs/spec.md §2.1) and their checks. */
import { hex } from '../bytes/hex.js';
import { le16, le32 } from '../bytes/le.js';
import type { TableReader } from '../bytes/reader.js';
import { checkReserved } from './checks.js';
import type { CheckContext } from './check-context.js';
import {
  DMAR_FLAGS_OFFSET, DMAR_FLAGS_RESERVED_MASK, DMAR_HEADER_SIZE, DMAR_HOST_ADDRESS_WIDTH_OFFSET, DMAR_MAX_PLAUSIBLE_WIDTH,
  DMAR_MIN_HOST_ADDRESS_WIDTH_RAW, DMAR_RESERVED_OFFSET, DMAR_RESERVED_SIZE, type ReservedField,
} from './layout.js';

/** Host Address Width as stored (width − 1), or undefined when the byte is not in the table. */
export function hostAddressWidthRawOf(reader: TableReader): number | undefined {
  return reader.u8(DMAR_HOST_ADDRESS_WIDTH_OFFSET);
}

/** The width in bits Linux would accept (stored byte + 1), or undefined when it rejects the table. */
export function usableHostAddressWidth(reader: TableReader): number | undefined {
  const raw = hostAddressWidthRawOf(reader);
  return raw === undefined || raw < DMAR_MIN_HOST_ADDRESS_WIDTH_RAW ? undefined : raw + 1;
}

const FLAGS_RESERVED: ReservedField = { name: 'Flags bits 7:3', offset: DMAR_FLAGS_OFFSET, size: 1, mask: DMAR_FLAGS_RESERVED_MASK };

/**
 * The usual header, read in place when all 48 bytes are there: a width Linux takes and not above
 * 63 bits, no reserved bit set. `checkDmarHeader` finds nothing in it, so a parse calls that only
 * when this is false (small enough for the parse to inline).
 */
export function isUsualDmarHeader(reader: TableReader): boolean {
  if (reader.end < DMAR_HEADER_SIZE) return false;
  const bytes = reader.bytes;
  const raw = bytes[DMAR_HOST_ADDRESS_WIDTH_OFFSET]!;
  const reservedBits = (bytes[DMAR_FLAGS_OFFSET]! & DMAR_FLAGS_RESERVED_MASK) | le32(bytes, DMAR_RESERVED_OFFSET) | le32(bytes, DMAR_RESERVED_OFFSET + 4) | le16(bytes, DMAR_RESERVED_OFFSET + 8);
  return raw >= DMAR_MIN_HOST_ADDRESS_WIDTH_RAW && raw + 1 <= DMAR_MAX_PLAUSIBLE_WIDTH && reservedBits === 0;
}

/** The header rules (spec §2.1, §5 #11, #12), for a header that is not `isUsualDmarHeader`. */
export function checkDmarHeader(context: CheckContext): void {
  const { reader, diagnostics } = context;
  const raw = hostAddressWidthRawOf(reader);
  if (raw !== undefined && (raw < DMAR_MIN_HOST_ADDRESS_WIDTH_RAW || raw + 1 > DMAR_MAX_PLAUSIBLE_WIDTH)) reportHostAddressWidth(context, raw);
  if (((reader.u8(DMAR_FLAGS_OFFSET) ?? 0) & DMAR_FLAGS_RESERVED_MASK) !== 0) {
    checkReserved(context, DMAR_FLAGS_OFFSET, FLAGS_RESERVED, 'DMAR');
  }
  // Bytes past the readable end count as zero (a truncated table).
  const reservedEnd = Math.min(DMAR_RESERVED_OFFSET + DMAR_RESERVED_SIZE, reader.end);
  for (let at = DMAR_RESERVED_OFFSET; at < reservedEnd; at++) {
    if (reader.bytes[at] !== 0) {
      diagnostics.add('dmar.reserved.nonzero', at, `DMAR header Reserved bytes ${hex(DMAR_RESERVED_OFFSET)}..${hex(DMAR_RESERVED_OFFSET + DMAR_RESERVED_SIZE - 1)} are not all zero (first non-zero byte at ${hex(at)})`, DMAR_RESERVED_OFFSET + DMAR_RESERVED_SIZE - at);
      return;
    }
  }
}

/** A width Linux rejects (raw < 11) or an implausible one (> 63 bits). */
function reportHostAddressWidth(context: CheckContext, raw: number): void {
  if (raw < DMAR_MIN_HOST_ADDRESS_WIDTH_RAW) {
    const note = raw === 0 ? ' (0 would mean a 1-bit width)' : '';
    context.diagnostics.add('dmar.haw.invalid', DMAR_HOST_ADDRESS_WIDTH_OFFSET, `Host Address Width byte is ${raw}${note}, i.e. ${raw + 1} bits; Linux needs at least ${DMAR_MIN_HOST_ADDRESS_WIDTH_RAW} ("Invalid DMAR haw") and rejects the whole table`, 1);
  } else {
    context.diagnostics.add('dmar.haw.large', DMAR_HOST_ADDRESS_WIDTH_OFFSET, `Host Address Width is ${raw + 1} bits (stored ${raw}); more than ${DMAR_MAX_PLAUSIBLE_WIDTH} bits is implausible`, 1);
  }
}
