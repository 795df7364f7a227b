/**
 * Frames the device entries of one IVHD block, `[start, end)`: each entry's length comes from
 * its type (bits 7:6) or, for an ACPI HID entry, from its UID length, so the walk always
 * advances by at least 4 bytes. An entry that does not fit before `end` stops the walk.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { TableReader } from '../bytes/reader.js';
import { HID_UID, HID_UID_LENGTH, entryKindOf, fixedEntryLength } from './layout.js';

/**
 * Frames the entries that lie wholly inside `[start, end)`: findings go to `diagnostics` and each
 * entry's offset onto `offsets`, when given (validation keeps no offsets; `entryOffsets` no findings).
 */
export function frameEntries(reader: TableReader, start: number, end: number, diagnostics?: DiagnosticList, offsets?: number[]): void {
  let offset = start;
  while (offset < end) {
    const type = reader.u8(offset)!;
    const length = entryLengthAt(reader, offset, end);
    if (length === undefined || offset + length > end) {
      const what = length === undefined ? 'its UID length byte' : `its ${length} bytes`;
      diagnostics?.add('ivrs.entry.truncated', offset, `device entry type ${hex(type)} at ${hex(offset)}: ${what} run past the IVHD end at ${hex(end)}; the rest of the block is not read`, end - offset);
      break;
    }
    if (entryKindOf(type) === 'unknown') {
      diagnostics?.add('ivrs.entry.reserved', offset, `device entry type ${hex(type)} at ${hex(offset)} is reserved; skipped as ${length} bytes${type >= 0x80 ? " (Linux 6.1's walk would not advance past it)" : ''}`, length);
    }
    offsets?.push(offset);
    offset += length;
  }
}

/**
 * Bytes the entry at `offset` takes: from its type, or 22 + UID length for an ACPI HID entry;
 * undefined when that UID length byte lies at or past `end`. The caller checks the entry fits.
 */
export function entryLengthAt(reader: TableReader, offset: number, end: number): number | undefined {
  const fixed = fixedEntryLength(reader.u8(offset)!);
  if (fixed !== undefined) return fixed;
  const uidLength = offset + HID_UID_LENGTH < end ? reader.u8(offset + HID_UID_LENGTH) : undefined;
  return uidLength === undefined ? undefined : HID_UID + uidLength;
}
