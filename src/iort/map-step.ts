/** One hop of the ID walk: `iort_id_map()` on a single mapping entry (docs/kernel-semantics.md §4.2). */
import type { TableReader } from '../bytes/reader.js';
import { NODE_KINDS, type IortNodeKind } from './layout.js';
import * as raw from './raw.js';
import { singleMappingHonoured } from './validate-mappings.js';
import { hasFixedPart } from './walk.js';

export interface IortHop {
  nodeOffset: number;
  nodeKind: IortNodeKind;
  nodeType: number;
  mappingIndex: number;
  /** Absolute table offset of the mapping entry used. */
  mappingOffset: number;
  /** The ID entering the node; undefined for a by-index single-mapping fetch. */
  inputId: number | undefined;
  outputId: number;
  /** `[inputBase, inputBase + idCount]` as stored (inclusive; may exceed 0xFFFFFFFF). */
  inputRange: [number, number];
  singleMapping: boolean;
  /** The output reference: table offset of the next node. */
  targetOffset: number;
  /**
   * Linux's off-by-one workaround decided this hop: `superseded` — an earlier match on the last
   * ID of its range gave way to this mapping; `kept` — that end-of-range match was used.
   */
  offByOne?: 'superseded' | 'kept' | undefined;
}

export type HopBase = Omit<IortHop, 'inputId' | 'outputId' | 'offByOne'>;

export function kindOf(reader: TableReader, node: number): IortNodeKind {
  return hasFixedPart(reader, node) ? NODE_KINDS[raw.nodeType(reader, node)] ?? 'unknown' : 'unknown';
}

/** The hop fields that do not depend on the ID. */
export function hopBase(reader: TableReader, node: number, index: number): HopBase {
  const entry = raw.mappingEntry(reader, node, index);
  const inputBase = raw.mapInputBase(reader, entry);
  return {
    nodeOffset: node,
    nodeKind: kindOf(reader, node),
    nodeType: raw.nodeType(reader, node),
    mappingIndex: index,
    mappingOffset: entry,
    inputRange: [inputBase, inputBase + raw.mapIdCount(reader, entry)],
    singleMapping: raw.mapIsSingle(reader, entry),
    targetOffset: raw.mapOutputReference(reader, entry),
  };
}

/**
 * `iort_id_map(map, type, rid_in, &rid_out, check_overlap)`: the output ID, `tentative` when the
 * match is on the last ID of a range with `id_count > 0` (-EAGAIN), or undefined (-ENXIO). Sums
 * are u32 as in C: a range that wraps past 0xFFFFFFFF matches nothing.
 */
export function idMap(reader: TableReader, entry: number, type: number, rid: number, checkOverlap: boolean): { output: number; tentative: boolean } | undefined {
  if (raw.mapIsSingle(reader, entry)) {
    // Single mapping does not care for the input ID, on NC and RC only.
    return singleMappingHonoured(type) ? { output: raw.mapOutputBase(reader, entry), tentative: false } : undefined;
  }
  const base = raw.mapInputBase(reader, entry);
  const count = raw.mapIdCount(reader, entry);
  const last = (base + count) >>> 0;
  if (rid < base || rid > last) return undefined;
  // A match already ended another range: only a range starting at this ID may supersede it.
  if (checkOverlap && rid !== base) return undefined;
  const output = (raw.mapOutputBase(reader, entry) + (rid - base)) >>> 0;
  return { output, tentative: count > 0 && rid === last };
}
