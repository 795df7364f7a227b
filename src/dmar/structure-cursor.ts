/**
 * The flyweight cursor of `forEachStructure`: one object of one class for every structure kind,
 * so the walk's moves and the visitor's reads see one class (with a cursor per kind they saw
 * eight and were the larger part of a walk). Its `kind` and fields follow the structure it is on:
 * each getter and method of the view classes is installed on it once and runs the one of the
 * current structure's view class, so the cursor reads what the view `structures()` yields would
 * (the same toJSON); a field of another kind reads `undefined`. Device scopes go through one
 * reused scope cursor.
 */
import { ByteView, type MovableByteView } from './byte-view.js';
import { NO_BYTES_READER, type TableReader } from '../bytes/reader.js';
import { DeviceScope, deviceScopesIn, forEachScopeIn, retargetScopeCursor } from './device-scope.js';
import { SCOPE, SCOPE_HEADER_SIZE, type DmarStructureKind } from './layout.js';
import { scopesStart } from './structure.js';
import { UNKNOWN_SLOT, VIEW_CLASSES, viewSlot } from './view-slots.js';

/** `kind` by slot. */
const KINDS: readonly DmarStructureKind[] = ['drhd', 'rmrr', 'atsr', 'rhsa', 'andd', 'satc', 'sidp', 'unknown'];

export class StructureCursor extends ByteView {
  /** The structure's Type, as its view reads it; stored by each move, as is its slot. */
  type = 0;
  /** The VIEW_CLASSES slot whose getters and methods the cursor runs. */
  slot = UNKNOWN_SLOT;
  /** Reused by `forEachDeviceScope`, retargeted with the cursor; taken while a scope walk runs, so a nested walk makes its own. */
  private scopeCursor: DeviceScope | undefined = new DeviceScope(NO_BYTES_READER, 0, 0);

  get kind(): DmarStructureKind {
    return KINDS[this.slot]!;
  }

  /** The scopes of a structure that has them; none for the others (RHSA, ANDD, unknown). */
  deviceScopes(): Generator<DeviceScope> {
    return deviceScopesIn(this.reader, this.offset + scopesStart(this.type, this.length), this.offset + this.length);
  }

  /** As the views' `forEachDeviceScope`, with its own scope cursor; visits nothing on a structure without scopes. */
  forEachDeviceScope(visit: (scope: DeviceScope, index: number) => void): void {
    const start = this.offset + scopesStart(this.type, this.length);
    const end = this.offset + this.length;
    const cursor = this.scopeCursor;
    if (cursor === undefined) return forEachScopeNested(this.reader, start, end, visit);
    this.scopeCursor = undefined;
    const bytes = this.reader.bytes;
    const moved = cursor as unknown as MovableByteView;
    let index = 0;
    for (let at = start; at < end; ) {
      // The framing rule of `frameScope` (spec §5 #4–#5), written out: this loop runs for every
      // scope of every walk, and the call cost 0.05–0.08× the checksum floor of a walk of the
      // corpus. Which of its two findings a failure is does not matter here, so one test covers
      // both: a Length byte read past `end` (or undefined, once the buffer shrank or was detached)
      // cannot frame a scope of at least 6 bytes inside it.
      const length = bytes[at + SCOPE.length]!;
      if (!(length >= SCOPE_HEADER_SIZE) || at + length > end) break;
      moved.offset = at;
      moved.length = length;
      visit(cursor, index++);
      at += length;
    }
    this.scopeCursor = cursor;
  }
}

/** A scope walk inside a visit of the same structure's scopes: a cursor of its own, pointed at no bytes when it ends. */
function forEachScopeNested(reader: TableReader, start: number, end: number, visit: (scope: DeviceScope, index: number) => void): void {
  const nested = new DeviceScope(reader, 0, 0);
  forEachScopeIn(reader.bytes, start, end, nested, visit);
  retargetScopeCursor(nested, NO_BYTES_READER);
}

/**
 * Points the cursor and its scope cursor at a table's bytes when a walk starts, or at no bytes
 * (NO_BYTES_READER) when it ends: kept past its walk, a cursor must keep no table alive.
 */
export function retargetStructureCursor(cursor: StructureCursor, reader: TableReader): void {
  const retargeted = cursor as unknown as { reader: TableReader; scopeCursor: DeviceScope | undefined };
  retargeted.reader = reader;
  // None when a scope walk's callback threw and the structure walk's callback caught it: a new one.
  retargetScopeCursor((retargeted.scopeCursor ??= new DeviceScope(reader, 0, 0)), reader);
}

/**
 * Points the cursor at the framed structure at `offset` (its Type and Length as the walk read
 * them): four stores on one class. Only the walk calls it, on a cursor it hands out to its
 * callback alone.
 */
export function moveStructureCursor(cursor: StructureCursor, offset: number, type: number, length: number): void {
  const moved = cursor as unknown as { offset: number; length: number };
  moved.offset = offset;
  moved.length = length;
  cursor.type = type;
  cursor.slot = viewSlot(type, length);
}

/** A view getter, or a view method of at most one argument (`hasFlag(mask)`; the others take none). */
type Member = (this: StructureCursor, argument?: unknown) => unknown;

/** Installs on the cursor every getter and method of the view classes, each running the current slot's. */
function installViewMembers(): void {
  const cursor = StructureCursor.prototype;
  const members = new Map<string, { getter: boolean; slots: (Member | undefined)[] }>();
  VIEW_CLASSES.forEach((viewClass, slot) => {
    // From the class up to the shared ByteView: the most derived definition of a name wins.
    for (let prototype = viewClass.prototype as object; prototype !== ByteView.prototype; prototype = Object.getPrototypeOf(prototype) as object) {
      for (const [name, { get, value }] of Object.entries(Object.getOwnPropertyDescriptors(prototype))) {
        if (Object.hasOwn(cursor, name) || name === 'type') continue;
        let member = members.get(name);
        if (member === undefined) members.set(name, (member = { getter: get !== undefined, slots: [] }));
        member.slots[slot] ??= (get ?? value) as Member;
      }
    }
  });
  for (const [name, { getter, slots }] of members) {
    // A field of another kind reads undefined (its slot is a hole).
    const run = function (this: StructureCursor, argument?: unknown) {
      return slots[this.slot]?.call(this, argument);
    };
    Object.defineProperty(cursor, name, getter ? { get: run } : { value: run, writable: true });
  }
}

installViewMembers();
