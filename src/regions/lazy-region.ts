/**
 * Descriptors whose strings are built when first read (issue 14: a derivation without a topology
 * makes one descriptor per RMRR scope, and building their `source.detail` and `device` strings
 * eagerly cost more than parsing the table). A subclass says how to build them from the table's
 * bytes; the first read of either builds both (they share a formatted BDF) and keeps them, so
 * a string read twice is the same string.
 *
 * The bounds are read from the table on first use and the source made on first use as well
 * (with 100,000 RMRRs the descriptors' BigInts and source objects overflowed the young
 * generation). `start`, `end`, `source`, `device` and `source.detail` are accessors on the
 * prototype (writable): a spread, `Object.assign` or a deep equality sees only the own fields
 * (type, prot, reason). `toJSON()` (and `plainRegion`) give the plain form, key for key what an
 * eagerly built descriptor holds.
 */
import type { RegionDescriptor, RegionSource, RegionType } from './types.js';

/** The strings of a lazy descriptor. */
export interface RegionText {
  detail: string;
  /** Undefined when the source names no device. */
  device: string | undefined;
}

/**
 * The region's text, built on first use (set by the static block: `#text` is private to
 * LazyRegion); undefined when the accessors are called on another object (the prototype, say).
 */
let textOf: (region: LazyRegion) => RegionText | undefined;

export abstract class LazyRegion implements RegionDescriptor {
  type: RegionType;
  prot: number;
  reason: string;
  #source: LazyRegionSource | RegionSource | undefined;
  /** The structure's offset in its table. */
  readonly #offset: number;
  #start: bigint | undefined;
  #end: bigint | undefined;
  #text: RegionText | undefined;

  static {
    textOf = (region) => (#text in region ? (region.#text ??= region.buildText()) : undefined);
  }

  constructor(type: RegionType, prot: number, offset: number, reason: string) {
    this.type = type;
    this.prot = prot;
    this.reason = reason;
    this.#source = undefined;
    this.#offset = offset;
    this.#start = undefined;
    this.#end = undefined;
    this.#text = undefined;
  }

  // What the subclass kept is read when first asked for (the table's bytes: they must not change meanwhile).
  /** The first address, read once. */
  protected abstract readStart(): bigint;
  /** The inclusive end, read once. */
  protected abstract readEnd(): bigint;
  /** Builds the text once. */
  protected abstract buildText(): RegionText;
  /** The source's table and structure, e.g. 'DMAR' and 'RMRR'. */
  protected abstract readonly sourceTable: RegionSource['table'];
  protected abstract readonly sourceStructure: string;

  /** The structure's offset in its table (also the source's, which a caller may change). */
  protected get structureOffset(): number {
    return this.#offset;
  }

  /** Made on first read. Undefined only when called on another object. */
  get source(): RegionSource {
    return (#source in this ? (this.#source ??= new LazyRegionSource(this, this.sourceTable, this.#offset, this.sourceStructure)) : undefined)!;
  }

  set source(value: RegionSource) {
    this.#source = value;
  }

  /** Undefined only when called on another object (the prototype, say). */
  get start(): bigint {
    return (#start in this ? (this.#start ??= this.readStart()) : undefined)!;
  }

  set start(value: bigint) {
    this.#start = value;
  }

  /** Undefined only when called on another object. */
  get end(): bigint {
    return (#end in this ? (this.#end ??= this.readEnd()) : undefined)!;
  }

  set end(value: bigint) {
    this.#end = value;
  }

  get device(): string | undefined {
    return textOf(this)?.device;
  }

  set device(value: string | undefined) {
    const text = textOf(this);
    if (text !== undefined) text.device = value;
  }

  /** The plain descriptor, keys in an eagerly built one's order: bounds, own fields, a plain source, then `device` when named. */
  toJSON(): RegionDescriptor {
    const plain: RegionDescriptor = Object.assign({ start: this.start, end: this.end, type: this.type, prot: this.prot, source: plainSource(this.source) }, this);
    const device = this.device;
    if (device !== undefined) plain.device = device;
    return plain;
  }
}

/** The source of a lazy descriptor: `detail` is its region's text. */
export class LazyRegionSource implements RegionSource {
  table: RegionSource['table'];
  offset: number;
  structure: string;
  readonly #region: LazyRegion;

  constructor(region: LazyRegion, table: RegionSource['table'], offset: number, structure: string) {
    this.table = table;
    this.offset = offset;
    this.structure = structure;
    this.#region = region;
  }

  /** Undefined only when called on another object (the prototype, say). */
  get detail(): string | undefined {
    return #region in this ? textOf(this.#region)?.detail : undefined;
  }

  set detail(value: string) {
    const text = #region in this ? textOf(this.#region) : undefined;
    if (text !== undefined) text.detail = value;
  }

  /** The plain source: table, offset, structure, detail (an eagerly built source's order). */
  toJSON(): RegionSource {
    return Object.assign({}, this, { detail: this.detail });
  }
}

/** `region` as plain data (a lazy one's strings built): what a spread or a deep equality should be given. */
export function plainRegion(region: RegionDescriptor): RegionDescriptor {
  return region instanceof LazyRegion ? region.toJSON() : region;
}

/** `source` as plain data (a lazy one's detail built), for a spread. */
export function plainSource(source: RegionSource): RegionSource {
  return source instanceof LazyRegionSource ? source.toJSON() : source;
}
