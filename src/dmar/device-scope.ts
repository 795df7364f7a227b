/** Device Scope entries (VT-d §8.3.1, docs/spec.md §2.4): the lazy view and the framing rule. */
import type { TableReader } from '../bytes/reader.js';
import { ByteView, type MovableByteView, type RetargetableByteView } from './byte-view.js';
import { SCOPE, SCOPE_HEADER_SIZE, SCOPE_PATH_ENTRY_SIZE, scopeKind, type DeviceScopeKind } from './layout.js';

export interface PciPathEntry {
  device: number;
  function: number;
}

export interface DeviceScopeJson {
  type: number;
  kind: DeviceScopeKind;
  offset: number;
  length: number;
  flags: number;
  reserved: number;
  enumerationId: number;
  startBusNumber: number;
  path: PciPathEntry[];
}

/**
 * One device scope. `kind` follows the scope's own type; whether that type is allowed in the
 * enclosing structure is a diagnostic (`dmar.scope.type`), not a different kind.
 */
export class DeviceScope extends ByteView {
  get type(): number {
    return this.u8(SCOPE.type);
  }

  get kind(): DeviceScopeKind {
    return scopeKind(this.type);
  }

  /** Reserved except in SIDP scopes (spec §2.10). */
  get flags(): number {
    return this.u8(SCOPE.flags);
  }

  get reserved(): number {
    return this.u8(SCOPE.reserved);
  }

  /** IOAPIC ID, HPET number or ANDD ACPI device number, by type; unused for PCI scopes. */
  get enumerationId(): number {
    return this.u8(SCOPE.enumerationId);
  }

  get startBusNumber(): number {
    return this.u8(SCOPE.startBusNumber);
  }

  /** floor((Length − 6) / 2), as Linux computes it; an odd stray byte is not an entry. */
  get pathLength(): number {
    return pathEntryCount(this.length);
  }

  private decodedPath: readonly PciPathEntry[] | undefined = undefined;
  /** The offset `decodedPath` was decoded at: a flyweight cursor moves (`forEachScopeIn`), and is retargeted between tables. */
  private decodedPathAt: number | undefined = undefined;

  /** Points a cursor at a table's bytes, or at none once its walk is over, and forgets its decoded path (see `retargetScopeCursor`). */
  private retarget(reader: TableReader): void {
    (this as unknown as RetargetableByteView).reader = reader;
    if (this.decodedPath === undefined) return;
    this.decodedPath = undefined;
    this.decodedPathAt = undefined;
  }

  /** The path from the start bus down, one {device, function} pair per hop (decoded once per view and position). */
  get path(): readonly PciPathEntry[] {
    if (this.decodedPath !== undefined && this.decodedPathAt === this.offset) return this.decodedPath;
    const entries: PciPathEntry[] = [];
    this.decodedPath = entries;
    this.decodedPathAt = this.offset;
    for (let index = 0; index < this.pathLength; index++) {
      const at = SCOPE.path + index * SCOPE_PATH_ENTRY_SIZE;
      entries.push({ device: this.u8(at), function: this.u8(at + 1) });
    }
    return entries;
  }

  toJSON(): DeviceScopeJson {
    return {
      type: this.type,
      kind: this.kind,
      offset: this.offset,
      length: this.length,
      flags: this.flags,
      reserved: this.reserved,
      enumerationId: this.enumerationId,
      startBusNumber: this.startBusNumber,
      path: [...this.path],
    };
  }
}

export function pathEntryCount(scopeLength: number): number {
  return Math.max(0, Math.floor((scopeLength - SCOPE_HEADER_SIZE) / SCOPE_PATH_ENTRY_SIZE));
}

/** `frameScope` results that are not a length. */
export const SCOPE_TOO_SHORT = -1;
export const SCOPE_OVERRUN = -2;

/**
 * Frames the scope at `offset` in a parent ending at `end` (spec §5 #4–#5): its Length when it
 * is at least 6 and fits, else SCOPE_TOO_SHORT or SCOPE_OVERRUN. Both failures end the scan of
 * that parent, so every walk advances by ≥ 6 bytes and terminates (Linux has no zero check).
 * The parent is a framed structure, so `end` lies inside `bytes` and the Length byte is read in place.
 */
export function frameScope(bytes: Uint8Array, offset: number, end: number): number {
  if (end - offset < SCOPE.length + 1) return SCOPE_OVERRUN;
  // 0 (too short) when the buffer shrank or was detached after parsing, for a view reading later.
  const length = bytes[offset + SCOPE.length] ?? 0;
  if (length < SCOPE_HEADER_SIZE) return SCOPE_TOO_SHORT;
  return offset + length > end ? SCOPE_OVERRUN : length;
}

/**
 * Calls `visit` for each scope of `[start, end)` of `bytes`, stopping where framing fails, with
 * `cursor` moved from scope to scope: valid only during each call of `visit`. The caller points
 * the cursor at the table before (`retargetScopeCursor`) and at no bytes after: a structure
 * cursor's scope cursor once per table walk, not once per structure.
 */
export function forEachScopeIn(bytes: Uint8Array, start: number, end: number, cursor: DeviceScope, visit: (scope: DeviceScope, index: number) => void): void {
  const moved = cursor as unknown as MovableByteView;
  let index = 0;
  for (let at = start; at < end; ) {
    const length = frameScope(bytes, at, end);
    if (length < 0) break;
    moved.offset = at;
    moved.length = length;
    visit(cursor, index++);
    at += length;
  }
}

/**
 * Points a scope cursor at a table's bytes, or, once its walk is over, at no bytes
 * (NO_BYTES_READER): a kept cursor must not keep the table alive.
 */
export function retargetScopeCursor(cursor: DeviceScope, reader: TableReader): void {
  (cursor as unknown as RetargetableScope).retarget(reader);
}

/** DeviceScope's `retarget`, private to the class; only the cursor walks call it. */
interface RetargetableScope {
  retarget(reader: TableReader): void;
}

/** Lazily yields the scopes of `[start, end)`, stopping where framing fails. */
export function* deviceScopesIn(reader: TableReader, start: number, end: number): Generator<DeviceScope> {
  for (let at = start; at < end; ) {
    const length = frameScope(reader.bytes, at, end);
    if (length < 0) return;
    yield new DeviceScope(reader, at, length);
    at += length;
  }
}
