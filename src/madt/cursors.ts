/**
 * The flyweight cursors of `forEachEntry`, one per Type byte, shared by the walks of every
 * table: making a view per type per walk cost more than the walk itself on a 300-byte x86 MADT
 * (the constructor's stores see every kind's class). A walk takes the shared set; one started
 * while another runs (from its callback) makes its own. When a walk ends its cursors read
 * through an empty reader, so the set keeps no table's bytes alive.
 */
import { TableReader } from '../bytes/reader.js';
import type { MadtEntry } from './entry-types.js';
import { moveEntry, repointReader, retarget, type EntryBase } from './entry-view.js';

const NO_BYTES = new TableReader(new Uint8Array(0));

class CursorSet {
  readonly cursors: (MadtEntry | undefined)[] = [];
  /** 1 for the types whose cursor points at the running walk's table. */
  readonly ready = new Uint8Array(256);
  /** Those types, `count` of them, to release when the walk ends. */
  readonly touched = new Uint8Array(256);
  count = 0;
  busy = false;

  release(): void {
    for (let index = 0; index < this.count; index++) {
      const type = this.touched[index]!;
      this.ready[type] = 0;
      repointReader(this.cursors[type] as unknown as EntryBase, NO_BYTES);
    }
    this.count = 0;
    this.busy = false;
  }
}

const SHARED = new CursorSet();

/**
 * Calls `visit` for every framed subtable with the cursor of its Type byte, pointed at it.
 * `create` makes a type's cursor the first time it is needed. Valid only during the call.
 */
export function forEachWithCursors(
  reader: TableReader,
  offsets: readonly number[],
  revision: number,
  create: (offset: number) => MadtEntry,
  visit: (entry: MadtEntry, index: number) => void,
): void {
  const set = SHARED.busy ? new CursorSet() : SHARED;
  set.busy = true;
  // Every offset was framed inside the table: its Type and Length bytes are indexed directly (0 once the buffer is detached).
  const bytes = reader.bytes;
  try {
    for (let index = 0; index < offsets.length; index++) {
      const offset = offsets[index]!;
      const type = bytes[offset] ?? 0;
      let cursor = set.cursors[type];
      if (set.ready[type] === 0) {
        set.ready[type] = 1;
        set.touched[set.count++] = type;
        if (cursor === undefined) set.cursors[type] = cursor = create(offset);
        else retarget(cursor as unknown as EntryBase, reader, offset, revision);
      } else moveEntry(cursor as unknown as EntryBase, bytes, offset);
      visit(cursor!, index);
    }
  } finally {
    set.release();
  }
}
