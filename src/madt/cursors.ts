/**
 * The flyweight cursor of `forEachEntry`: one object of one class for every kind (entry-view.ts
 * `defineCursor`), shared by the walks of every table and moved from subtable to subtable. A walk
 * started while another runs (from its callback) makes its own. When a walk ends the cursor reads
 * through an empty reader, so it keeps no table's bytes alive.
 */
import { NO_BYTES_READER, type TableReader } from '../bytes/reader.js';
import { MADT_FIELDS } from './entries.js';
import type { MadtEntry } from './entry-types.js';
import { defineCursor, moveCursor, retarget, type EntryBase } from './entry-view.js';
import { kindOfType } from './layout.js';

const Cursor = defineCursor(kindOfType, MADT_FIELDS);
const SHARED = new Cursor(NO_BYTES_READER, 0, 0);
let sharedBusy = false;

/** Calls `visit` for every framed subtable with the cursor pointed at it. Valid only during the call. */
export function forEachEntryAt(reader: TableReader, offsets: readonly number[], revision: number, visit: (entry: MadtEntry, index: number) => void): void {
  if (offsets.length === 0) return;
  const nested = sharedBusy;
  const cursor: EntryBase = nested ? new Cursor(NO_BYTES_READER, 0, 0) : SHARED;
  sharedBusy = true;
  retarget(cursor, reader, revision);
  // Every offset was framed inside the table: its Type and Length bytes are indexed directly.
  const bytes = reader.bytes;
  try {
    for (let index = 0; index < offsets.length; index++) {
      moveCursor(cursor, bytes, offsets[index]!);
      visit(cursor as unknown as MadtEntry, index);
    }
  } finally {
    retarget(cursor, NO_BYTES_READER, revision);
    if (!nested) sharedBusy = false;
  }
}
