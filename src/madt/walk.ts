/**
 * The validation walk: frames every subtable by its Length and records its offset, without
 * creating any view object (style.md §4). Loop discipline of docs/spec.md §5 #1–3: a Length
 * below the 2-byte header or past the table end stops the walk, so it always advances and
 * takes at most `Length / 2` steps.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { TableReader } from '../bytes/reader.js';
import { MADT_HEADER_SIZE, MADT_TYPE_FIRST_OEM, MADT_TYPE_FIRST_RESERVED, SUBTABLE_HEADER_SIZE, kindOfType, lengthLimits } from './layout.js';

/** Offsets of every subtable that lies wholly inside the table, in table order. */
export function walkSubtables(reader: TableReader, diagnostics: DiagnosticList): number[] {
  const offsets: number[] = [];
  const end = reader.end;
  let offset = MADT_HEADER_SIZE;
  while (offset < end) {
    if (offset + SUBTABLE_HEADER_SIZE > end) {
      diagnostics.add('madt.length.overrun', offset, `subtable header at ${hex(offset)} is cut off: only 1 byte is left before the table end at ${hex(end)}`, end - offset);
      break;
    }
    const type = reader.u8(offset)!;
    const length = reader.u8(offset + 1)!;
    // Names are built only for a finding: this loop runs once per subtable of every parse.
    if (length === 0) {
      diagnostics.add('madt.length.zero', offset, `${describeType(type)} at ${hex(offset)} has Length 0; the remaining ${plural(end - offset, 'byte')} cannot be framed`, SUBTABLE_HEADER_SIZE);
      break;
    }
    if (length < SUBTABLE_HEADER_SIZE) {
      diagnostics.add('madt.length.overrun', offset, `${describeType(type)} at ${hex(offset)} has Length ${length}, less than its own 2-byte header; the walk stops`, SUBTABLE_HEADER_SIZE);
      break;
    }
    if (offset + length > end) {
      diagnostics.add('madt.length.overrun', offset, `${describeType(type)} at ${hex(offset)} has Length ${length} but the table ends ${plural(end - offset, 'byte')} later; the walk stops`, end - offset);
      break;
    }
    offsets.push(offset);
    checkLength(type, length, offset, diagnostics);
    offset += length;
  }
  return offsets;
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

/** `gicc subtable (type 0x0b)` — the wording every MADT message uses for a subtable. */
export function describeType(type: number): string {
  return `${kindOfType(type)} subtable (type ${hex(type)})`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
