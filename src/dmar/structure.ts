/** Remapping-structure views shared by every type (VT-d §8.2), and the view for unknown types. */
import { ByteView } from './byte-view.js';
import { ATSR as FLAGGED, SEGMENT_OFFSET, STRUCTURE_LAYOUTS, type DmarStructureKind } from './layout.js';
import { NO_BYTES_READER, type TableReader } from '../bytes/reader.js';
import { DeviceScope, deviceScopesIn, forEachScopeIn, retargetScopeCursor, type DeviceScopeJson } from './device-scope.js';

/** Scopes offset by type 0–6 (NO_SCOPES for types without): a dense array read on every `forEachDeviceScope`. */
const NO_SCOPES = 0xff;
const SCOPES_OFFSETS = Uint8Array.from(STRUCTURE_LAYOUTS, (layout) => layout.scopesOffset ?? NO_SCOPES);

/**
 * Structure-relative offset of the first scope of a framed structure of this Type and Length:
 * its type's, or `length` (no scopes) for a type without scopes. A structure too short for its
 * type's fixed part gets a start past its end, so no scope either.
 */
export function scopesStart(type: number, length: number): number {
  const start = type < SCOPES_OFFSETS.length ? SCOPES_OFFSETS[type]! : NO_SCOPES;
  return start === NO_SCOPES ? length : start;
}

/** Common part of every remapping structure (VT-d §8.2 header: Type u16, Length u16). */
export abstract class StructureView<K extends DmarStructureKind = DmarStructureKind> extends ByteView {
  abstract readonly kind: K;

  get type(): number {
    return this.u16(0);
  }

  protected headerJson(): { type: number; kind: K; offset: number; length: number } {
    return { type: this.type, kind: this.kind, offset: this.offset, length: this.length };
  }
}

/** A structure that carries a PCI segment at +6 and device scopes after its fixed part. */
export abstract class ScopedStructureView<K extends DmarStructureKind = DmarStructureKind> extends StructureView<K> {
  get segmentNumber(): number {
    return this.u16(SEGMENT_OFFSET);
  }

  /** Device scopes, framed by the rules of spec §5 #4–#5 (the walk stops at a bad Length). */
  deviceScopes(): Generator<DeviceScope> {
    return deviceScopesIn(this.reader, this.offset + scopesStart(this.type, this.length), this.offset + this.length);
  }

  /**
   * Reused by `forEachDeviceScope`; taken while a walk runs, so a nested walk makes its own.
   * Set in the constructor so the first walk does not change the view's shape.
   */
  private scopeCursor: DeviceScope | undefined = undefined;

  /**
   * The scopes of `deviceScopes()` without a view per scope: `visit` gets one flyweight cursor
   * moved from scope to scope, valid only during that call (keep its fields or `toJSON()`).
   */
  forEachDeviceScope(visit: (scope: DeviceScope, index: number) => void): void {
    const cursor = this.scopeCursor ?? new DeviceScope(this.reader, 0, 0);
    this.scopeCursor = undefined;
    retargetScopeCursor(cursor, this.reader);
    forEachScopeIn(this.reader.bytes, this.offset + scopesStart(this.type, this.length), this.offset + this.length, cursor, visit);
    // Kept by the view, the cursor outlives the walk: kept past it by a caller, it must read nothing.
    retargetScopeCursor(cursor, NO_BYTES_READER);
    this.scopeCursor = cursor;
  }

  protected scopesJson(): DeviceScopeJson[] {
    return Array.from(this.deviceScopes(), (scope) => scope.toJSON());
  }
}

/** ATSR and SATC: Flags at +4 (bit 0 defined), a reserved byte at +5, scopes from +8. */
export abstract class FlaggedScopedStructureView<K extends 'atsr' | 'satc'> extends ScopedStructureView<K> {
  get flags(): number {
    return this.u8(FLAGGED.flags);
  }

  get reserved(): number {
    return this.u8(FLAGGED.reserved);
  }

  protected hasFlag(mask: number): boolean {
    return (this.flags & mask) !== 0;
  }
}

/** Type 7 or above, or a structure shorter than its type's fixed part: only the header is decoded. */
export class UnknownStructure extends StructureView<'unknown'> {
  readonly kind = 'unknown' as const;

  toJSON(): { type: number; kind: 'unknown'; offset: number; length: number } {
    return this.headerJson();
  }
}
