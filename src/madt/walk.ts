/**
 * The validation pass: frames every subtable by its Length and records its offset, without
 * creating any view object (style.md §4), and checks each subtable's content inside its frame
 * as it goes (checks.ts). Loop discipline of docs/spec.md §5 #1–3: a Length below the 2-byte
 * header or past the table end stops the walk, so it always advances and takes at most
 * `Length / 2` steps.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import { copyOffsets, OffsetList } from '../bytes/offset-list.js';
import type { TableReader } from '../bytes/reader.js';
import { CHECKS_OF_TYPE, CHECK_CONTENT, CHECK_UNIQUE_ID, checkSubtable, checkTable } from './checks.js';
import { describeType, plural } from './describe.js';
import { MADT_HEADER_SIZE, MADT_TYPE_FIRST_OEM, MADT_TYPE_FIRST_RESERVED, SUBTABLE_HEADER_SIZE, lengthLimits } from './layout.js';

// Length ranges that need no finding, by type byte (reserved types: an empty range, as each is one).
const QUIET_MINIMUM = new Uint8Array(256);
const QUIET_MAXIMUM = new Uint8Array(256);
for (let type = 0; type < 256; type++) {
  const reserved = type >= MADT_TYPE_FIRST_RESERVED && type < MADT_TYPE_FIRST_OEM;
  const { minimum, maximum } = lengthLimits(type);
  QUIET_MINIMUM[type] = reserved ? 255 : minimum;
  QUIET_MAXIMUM[type] = reserved ? 0 : Math.min(maximum, 255);
}

/**
 * Offsets of every subtable that lies wholly inside the table, in table order, with every
 * finding of the table's body added; `revision` gates the content checks.
 */
export function walkSubtables(reader: TableReader, revision: number, diagnostics: DiagnosticList): number[] {
  // Noted in the reused list and copied out once at the exact size (pushing onto a new array
  // was a tenth of an MADT's parse).
  noted.clear();
  // Offsets below `reader.end` lie inside `bytes`: indexed directly, as the checksum reads them.
  const bytes = reader.bytes;
  const end = reader.end;
  let idSubtables = 0;
  let offset = MADT_HEADER_SIZE;
  while (offset < end) {
    const length = offset + 1 < end ? bytes[offset + 1]! : 0;
    if (length < SUBTABLE_HEADER_SIZE || offset + length > end) {
      reportStop(bytes, offset, end, diagnostics);
      break;
    }
    const type = bytes[offset]!;
    noted.push(offset);
    if (length < QUIET_MINIMUM[type]! || length > QUIET_MAXIMUM[type]!) checkLength(type, length, offset, diagnostics);
    const checks = CHECKS_OF_TYPE[type]!;
    if ((checks & CHECK_CONTENT) !== 0) checkSubtable(reader, offset, type, length, revision, diagnostics);
    if ((checks & CHECK_UNIQUE_ID) !== 0) idSubtables++;
    offset += length;
  }
  const framed = copyOffsets(noted);
  checkTable(reader, framed, idSubtables, diagnostics);
  return framed;
}

/** The subtable offsets of the table being walked, reused from parse to parse. */
const noted = new OffsetList();

/** Why the subtable at `offset` cannot be framed (the walk stops there). Names are built only here, for the finding. */
function reportStop(bytes: Uint8Array, offset: number, end: number, diagnostics: DiagnosticList): void {
  if (offset + SUBTABLE_HEADER_SIZE > end) {
    diagnostics.add('madt.length.overrun', offset, `subtable header at ${hex(offset)} is cut off: only 1 byte is left before the table end at ${hex(end)}`, end - offset);
    return;
  }
  const type = bytes[offset]!;
  const length = bytes[offset + 1]!;
  if (length === 0) {
    diagnostics.add('madt.length.zero', offset, `${describeType(type)} at ${hex(offset)} has Length 0; the remaining ${plural(end - offset, 'byte')} cannot be framed`, SUBTABLE_HEADER_SIZE);
  } else if (length < SUBTABLE_HEADER_SIZE) {
    diagnostics.add('madt.length.overrun', offset, `${describeType(type)} at ${hex(offset)} has Length ${length}, less than its own 2-byte header; the walk stops`, SUBTABLE_HEADER_SIZE);
  } else {
    diagnostics.add('madt.length.overrun', offset, `${describeType(type)} at ${hex(offset)} has Length ${length} but the table ends ${plural(end - offset, 'byte')} later; the walk stops`, end - offset);
  }
}

function checkLength(type: number, length: number, offset: number, diagnostics: DiagnosticList): void {
  if (type >= MADT_TYPE_FIRST_RESERVED && type < MADT_TYPE_FIRST_OEM) {
    diagnostics.add('madt.type.reserved', offset, `${describeType(type)} at ${hex(offset)} (Length ${length}) is a reserved type; skipped`, length);
    return;
  }
  const { minimum, maximum } = lengthLimits(type);
  if (length < minimum) {
    diagnostics.add('madt.length.short', offset, `${describeType(type)} at ${hex(offset)} has Length ${length}, less than the ${minimum} bytes Linux requires; decoding only the fields that fit`, length);
  } else if (length > maximum) {
    diagnostics.add('madt.length.long', offset, `${describeType(type)} at ${hex(offset)} has Length ${length}, longer than the ${maximum}-byte form; ${plural(length - maximum, 'trailing byte')} ignored`, length);
  }
}
