/**
 * Lazy, zero-copy views over MADT subtables. Each kind is declared as a map of field
 * descriptors (offset, width, revision gate) — token-style, like file-type's token-types — and
 * `defineEntry` turns the map into a class whose getters read the table bytes on access.
 *
 * Space rule: a field is read only when `offset + size ≤ Length` of its subtable; a field
 * gated by `since` is `undefined` when the MADT revision is lower (style.md §6).
 */
import type { TableReader } from '../bytes/reader.js';
import type { MadtEntryKind } from './layout.js';

type Width = 1 | 2 | 4;
interface Gate {
  /** First MADT revision that defines the field. */
  readonly since?: number | undefined;
}
export interface NumberField extends Gate { readonly read: 'number'; readonly at: number; readonly width: Width }
export interface BigintField extends Gate { readonly read: 'bigint'; readonly at: number }
export interface FlagField extends Gate { readonly read: 'flag'; readonly at: number; readonly width: Width; readonly bit: number }
export interface BitsField extends Gate { readonly read: 'bits'; readonly at: number; readonly width: Width; readonly shift: number; readonly mask: number }
/** `count: 'rest'` runs to the end of the subtable. */
export interface BytesField extends Gate { readonly read: 'bytes'; readonly at: number; readonly count: number | 'rest' }
export interface ArrayField extends Gate { readonly read: 'array'; readonly at: number; readonly width: Width; readonly count: number }
/** NUL-terminated text ending at the first NUL or at the subtable's end. */
export interface StringField extends Gate { readonly read: 'string'; readonly at: number }
export interface DerivedField<T> extends Gate { readonly read: 'derived'; readonly compute: (entry: EntryBase) => T | undefined }

export type FieldSpec = NumberField | BigintField | FlagField | BitsField | BytesField | ArrayField | StringField | DerivedField<unknown>;
export type FieldMap = Readonly<Record<string, FieldSpec>>;

export type ValueOf<F> = F extends NumberField | BitsField
  ? number
  : F extends BigintField
    ? bigint
    : F extends FlagField
      ? boolean
      : F extends BytesField
        ? Uint8Array
        : F extends ArrayField
          ? number[]
          : F extends StringField
            ? string
            : F extends DerivedField<infer T>
              ? T
              : never;

export const u8 = (at: number, since?: number): NumberField => ({ read: 'number', at, width: 1, since });
export const u16 = (at: number, since?: number): NumberField => ({ read: 'number', at, width: 2, since });
export const u32 = (at: number, since?: number): NumberField => ({ read: 'number', at, width: 4, since });
export const u64 = (at: number, since?: number): BigintField => ({ read: 'bigint', at, since });
export const flag = (at: number, width: Width, bit: number, since?: number): FlagField => ({ read: 'flag', at, width, bit, since });
export const bits = (at: number, width: Width, shift: number, mask: number): BitsField => ({ read: 'bits', at, width, shift, mask });
export const bytes = (at: number, count: number | 'rest'): BytesField => ({ read: 'bytes', at, count });
export const array = (at: number, width: Width, count: number): ArrayField => ({ read: 'array', at, width, count });
export const text = (at: number): StringField => ({ read: 'string', at });
export const derived = <T>(compute: (entry: EntryBase) => T | undefined): DerivedField<T> => ({ read: 'derived', compute });

/** MPS INTI flags (u16): polarity bits 1:0, trigger mode bits 3:2 (ACPI §5.2.12.5). */
export function intiFlags(at: number) {
  return { flags: u16(at), polarity: bits(at, 2, 0, 3), triggerMode: bits(at, 2, 2, 3) };
}

/**
 * Points the flyweight cursor (cursors.ts) at another table's bytes and revision, or at empty
 * bytes when its walk ends; only the walks call it, on the cursor they never hand out beyond
 * their callback.
 */
// Set by EntryBase's static block, the one place that may write its private reader.
export let retarget: (entry: EntryBase, reader: TableReader, revision: number) => void;

/** The part every view shares: where the subtable is and what it holds. */
export class EntryBase {
  declare readonly kind: MadtEntryKind;
  /** Field names in layout order; set on each kind's prototype by `defineEntry`. */
  declare protected readonly fieldNames: readonly string[];
  #reader: TableReader;
  /** Subtable Type byte. */
  readonly type: number;
  /** Absolute offset of the subtable in the table. */
  readonly offset: number;
  /** The subtable's Length byte; the walk guarantees `offset + length` lies inside the table. */
  readonly length: number;
  /** MADT revision, which gates late fields. */
  readonly revision: number;

  constructor(reader: TableReader, offset: number, revision: number) {
    this.#reader = reader;
    this.offset = offset;
    this.type = reader.u8(offset) ?? 0;
    this.length = reader.u8(offset + 1) ?? 0;
    this.revision = revision;
  }

  static {
    retarget = (entry, reader, revision) => {
      entry.#reader = reader;
      (entry as { revision: number }).revision = revision;
    };
  }

  /** The subtable's bytes, a view onto the caller's buffer (no copy). */
  get raw(): Uint8Array {
    return this.#reader.slice(this.offset, this.length);
  }

  /** True when `[at, at + size)` (subtable-relative) lies inside the subtable. */
  covers(at: number, size: number): boolean {
    return at >= 0 && at + size <= this.length;
  }

  /** Unsigned little-endian integer at subtable offset `at`, or undefined if it does not fit. */
  unsigned(at: number, width: Width): number | undefined {
    if (!this.covers(at, width)) return undefined;
    const where = this.offset + at;
    return width === 1 ? this.#reader.u8(where) : width === 2 ? this.#reader.u16(where) : this.#reader.u32(where);
  }

  bigint(at: number): bigint | undefined {
    return this.covers(at, 8) ? this.#reader.u64(this.offset + at) : undefined;
  }

  /** Reads one descriptor; every rule about space and revision lives here. */
  read(spec: FieldSpec): unknown {
    if (spec.since !== undefined && this.revision < spec.since) return undefined;
    switch (spec.read) {
      case 'number':
        return this.unsigned(spec.at, spec.width);
      case 'bigint':
        return this.bigint(spec.at);
      case 'flag': {
        const word = this.unsigned(spec.at, spec.width);
        return word === undefined ? undefined : ((word >>> spec.bit) & 1) === 1;
      }
      case 'bits': {
        const word = this.unsigned(spec.at, spec.width);
        return word === undefined ? undefined : (word >>> spec.shift) & spec.mask;
      }
      case 'bytes': {
        const count = spec.count === 'rest' ? this.length - spec.at : spec.count;
        return count >= 0 && this.covers(spec.at, count) ? this.#reader.slice(this.offset + spec.at, count) : undefined;
      }
      case 'array': {
        if (!this.covers(spec.at, spec.width * spec.count)) return undefined;
        return Array.from({ length: spec.count }, (_, index) => this.unsigned(spec.at + index * spec.width, spec.width)!);
      }
      case 'string':
        return spec.at < this.length ? this.#reader.cString(this.offset + spec.at, this.offset + this.length).text : undefined;
      case 'derived':
        return spec.compute(this);
    }
  }

  /** `{type, kind, offset, length, ...fields}`; fields that are absent (space, revision) are left out. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { type: this.type, kind: this.kind, offset: this.offset, length: this.length };
    for (const name of this.fieldNames) {
      const value = (this as unknown as Record<string, unknown>)[name];
      if (value !== undefined) json[name] = value;
    }
    return json;
  }
}

/** A view class's instance type: the shared part plus one possibly-undefined getter per field. */
export type EntryView<K extends MadtEntryKind, S extends FieldMap> = EntryBase & { readonly kind: K } & {
  readonly [F in keyof S]: ValueOf<S[F]> | undefined;
};

export type EntryClass<K extends MadtEntryKind, S extends FieldMap> = new (
  reader: TableReader,
  offset: number,
  revision: number,
) => EntryView<K, S>;

/** Builds the view class for one kind from its field map. */
export function defineEntry<const K extends MadtEntryKind, const S extends FieldMap>(kind: K, fields: S): EntryClass<K, S> {
  class View extends EntryBase {}
  const prototype = View.prototype as object;
  Object.defineProperty(prototype, 'kind', { value: kind });
  Object.defineProperty(prototype, 'fieldNames', { value: Object.freeze(Object.keys(fields)) });
  for (const [name, spec] of Object.entries(fields)) {
    Object.defineProperty(prototype, name, {
      get(this: EntryBase) {
        return this.read(spec);
      },
    });
  }
  return View as unknown as EntryClass<K, S>;
}

/**
 * The class of the flyweight cursor of `forEachEntry`: one class for every kind, so moving it
 * and reading its `offset`/`length` are monomorphic (with one view class per kind those sites saw
 * a dozen classes and the moves cost more than the walk). Its `kind`, field names and each field
 * getter look up the spec of the current Type byte: the same values and toJSON as the kind's view.
 */
export function defineCursor(kindOf: (type: number) => MadtEntryKind, fieldsOf: Readonly<Record<MadtEntryKind, FieldMap>>): new (reader: TableReader, offset: number, revision: number) => EntryBase {
  class Cursor extends EntryBase {}
  const prototype = Cursor.prototype as object;
  const kinds = Array.from({ length: 256 }, (_, type) => kindOf(type));
  const names = kinds.map((kind) => Object.freeze(Object.keys(fieldsOf[kind])));
  Object.defineProperty(prototype, 'kind', { get: cursorGetter(kinds) });
  Object.defineProperty(prototype, 'fieldNames', { get: cursorGetter(names) });
  const specsByName = new Map<string, (FieldSpec | undefined)[]>();
  kinds.forEach((kind, type) => {
    for (const [name, spec] of Object.entries(fieldsOf[kind])) {
      let specs = specsByName.get(name);
      if (specs === undefined) specsByName.set(name, (specs = new Array<FieldSpec | undefined>(256).fill(undefined)));
      specs[type] = spec;
    }
  });
  for (const [name, specs] of specsByName) {
    Object.defineProperty(prototype, name, {
      get(this: EntryBase) {
        const spec = specs[this.type];
        return spec === undefined ? undefined : this.read(spec);
      },
    });
  }
  return Cursor;
}

function cursorGetter<T>(byType: readonly T[]): (this: EntryBase) => T {
  return function (this: EntryBase) {
    return byType[this.type]!;
  };
}

/**
 * Points the cursor at the framed subtable at `offset` of its walk's table: three stores on one
 * class. Framed by the walk, so inside the table; 0 once the buffer was detached or shrunk since.
 */
export function moveCursor(cursor: EntryBase, bytes: Uint8Array, offset: number): void {
  const moved = cursor as { type: number; offset: number; length: number };
  moved.offset = offset;
  moved.type = bytes[offset] ?? 0;
  moved.length = bytes[offset + 1] ?? 0;
}
