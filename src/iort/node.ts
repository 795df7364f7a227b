/**
 * The lazy, zero-copy node view every IORT node kind extends: the 16-byte node header
 * (spec §3.3), the ID mapping array (§3.4) and the revision + space gate of §3.1.
 */
import { ItemView } from '../bytes/item-view.js';
import type { TableReader } from '../bytes/reader.js';
import { le32 } from '../bytes/le.js';
import {
  IORT_IDENTIFIER_TABLE_REVISION, ID_MAPPING_SIZE, MAP_FLAGS, MAP_FLAG_SINGLE, MAP_ID_COUNT, MAP_INPUT_BASE, MAP_OUTPUT_BASE,
  MAP_OUTPUT_REFERENCE, type IortNodeKind,
} from './layout.js';
import * as raw from './raw.js';

/** What every view needs from its table. */
export interface IortContext {
  readonly reader: TableReader;
  readonly tableRevision: number;
}

/** One ID mapping entry (spec §3.4). `idCount` is the stored value: the number of IDs minus one. */
export interface IdMapping {
  index: number;
  /** Absolute table offset of the entry. */
  offset: number;
  inputBase: number;
  idCount: number;
  outputBase: number;
  /** Table offset of the node receiving the output IDs. */
  outputReference: number;
  flags: number;
  singleMapping: boolean;
}

export function readIdMapping(reader: TableReader, entry: number, index: number): IdMapping {
  return {
    index,
    offset: entry,
    inputBase: raw.mapInputBase(reader, entry),
    idCount: raw.mapIdCount(reader, entry),
    outputBase: raw.mapOutputBase(reader, entry),
    outputReference: raw.mapOutputReference(reader, entry),
    flags: raw.mapFlags(reader, entry),
    singleMapping: raw.mapIsSingle(reader, entry),
  };
}

/**
 * A flyweight ID mapping: the fields of `IdMapping` read on access from the entry it points at,
 * moved from entry to entry by `forEachIdMapping`. Valid only during the call that receives it.
 * It is moved over readable entries only (inside their framed node), so fields are read without
 * bounds checks; a byte past a buffer shrunk or detached since parsing reads as 0.
 */
export class IdMappingCursor implements IdMapping {
  constructor(
    private readonly bytes: Uint8Array,
    /** Absolute table offset of the entry. */
    public offset: number,
    public index: number,
  ) {}

  get inputBase(): number {
    return le32(this.bytes, this.offset + MAP_INPUT_BASE);
  }

  get idCount(): number {
    return le32(this.bytes, this.offset + MAP_ID_COUNT);
  }

  get outputBase(): number {
    return le32(this.bytes, this.offset + MAP_OUTPUT_BASE);
  }

  get outputReference(): number {
    return le32(this.bytes, this.offset + MAP_OUTPUT_REFERENCE);
  }

  get flags(): number {
    return le32(this.bytes, this.offset + MAP_FLAGS);
  }

  get singleMapping(): boolean {
    return (this.flags & MAP_FLAG_SINGLE) !== 0;
  }
}

/** The JSON shape of a mapping (design: no `index`, as in the iasl oracle). */
export function idMappingJson(mapping: IdMapping): Omit<IdMapping, 'index'> {
  const { index: _index, ...rest } = mapping;
  return rest;
}

export abstract class IortNodeBase extends ItemView {
  abstract readonly kind: IortNodeKind;

  constructor(
    protected readonly context: IortContext,
    /** Absolute table offset of the node. */
    offset: number,
  ) {
    super(context.reader, offset);
    // Present from the start, so a view keeps its hidden class when a walk first sets it.
    this.mappingCursor = undefined;
  }

  get type(): number {
    return raw.nodeType(this.reader, this.offset);
  }

  get length(): number {
    return raw.nodeLength(this.reader, this.offset);
  }

  get revision(): number {
    return raw.nodeRevision(this.reader, this.offset);
  }

  /** The header word at +4: Identifier from table revision 3 (E.b), reserved before (spec §3.3). */
  get identifier(): number {
    return raw.nodeIdentifier(this.reader, this.offset);
  }

  get identifierMeaningful(): boolean {
    return this.context.tableRevision >= IORT_IDENTIFIER_TABLE_REVISION;
  }

  get mappingCount(): number {
    return raw.mappingCount(this.reader, this.offset);
  }

  /** Node-relative, as stored (spec §3.3 Disagreement: node-relative, not table-relative). */
  get mappingArrayOffset(): number {
    return raw.mappingArrayOffset(this.reader, this.offset);
  }

  /** The ID mappings, only when the whole array lies inside the node (spec §5 #19). */
  *idMappings(): Generator<IdMapping> {
    const count = raw.readableMappingCount(this.reader, this.offset);
    const first = raw.mappingEntry(this.reader, this.offset, 0);
    for (let index = 0; index < count; index++) yield readIdMapping(this.reader, first + index * ID_MAPPING_SIZE, index);
  }

  /** Reused by `forEachIdMapping`; taken while a walk runs, so a nested walk makes its own. */
  private mappingCursor: IdMappingCursor | undefined;

  /**
   * The mappings of `idMappings()` without an object per mapping: `visit` gets one flyweight
   * cursor moved from entry to entry, valid only during that call (copy what you keep).
   */
  forEachIdMapping(visit: (mapping: IdMappingCursor) => void): void {
    // Each field of `this` read once: the views of every kind pass here, so each access is megamorphic.
    const reader = this.reader;
    const node = this.offset;
    const count = raw.readableMappingCount(reader, node);
    if (count === 0) return;
    const first = raw.mappingEntry(reader, node, 0);
    const cursor = this.mappingCursor ?? new IdMappingCursor(reader.bytes, first, 0);
    this.mappingCursor = undefined;
    for (let index = 0; index < count; index++) {
      cursor.offset = first + index * ID_MAPPING_SIZE;
      cursor.index = index;
      visit(cursor);
    }
    this.mappingCursor = cursor;
  }


  /** Revision + space gate (spec §3.1, style §6): the field or `undefined`. */
  protected gated<T>(rel: number, size: number, minRevision: number, read: (rel: number) => T): T | undefined {
    return raw.optionalFieldPresent(this.reader, this.offset, rel, size, minRevision) ? read.call(this, rel) : undefined;
  }

  /** Node-kind fields for toJSON (bigint kept as bigint). */
  protected abstract fields(): Record<string, unknown>;

  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      kind: this.kind,
      offset: this.offset,
      length: this.length,
      revision: this.revision,
      identifier: this.identifier,
      mappingCount: this.mappingCount,
      mappingArrayOffset: this.mappingArrayOffset,
      ...this.fields(),
      idMappings: Array.from(this.idMappings(), idMappingJson),
    };
  }
}
