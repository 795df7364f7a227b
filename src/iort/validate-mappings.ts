/**
 * One node's ID mapping array in one pass (spec §5 rules 19, 22–24, 26–28): per entry the ID
 * range, flag and reference checks (the references through graph.ts, which also collects the
 * edges of the cycle search), then the overlap check of rule 27.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import { le32 } from '../bytes/le.js';
import type { TableReader } from '../bytes/reader.js';
import { checkReference } from './graph.js';
import {
  ID_MAPPING_SIZE, IORT_NODE_ITS_GROUP, IORT_NODE_NAMED_COMPONENT, IORT_NODE_PMCG, IORT_NODE_RMR, IORT_NODE_ROOT_COMPLEX, IORT_NODE_SMMU_V3, MAPPING_TARGET_TYPES,
  MAP_FLAGS, MAP_FLAG_SINGLE, MAP_ID_COUNT, MAP_INPUT_BASE, MAP_OUTPUT_BASE, MAP_OUTPUT_REFERENCE, MAX_ID, NODE_MAPPING_COUNT,
  NODE_MAPPING_OFFSET, RMR_TARGET_TYPES,
} from './layout.js';
import { sweepOverlaps } from './overlap.js';
import * as raw from './raw.js';

/** `iort_id_map()` honours single mappings only on named components and root complexes. */
export function singleMappingHonoured(type: number): boolean {
  return type === IORT_NODE_NAMED_COMPONENT || type === IORT_NODE_ROOT_COMPLEX;
}

/**
 * Checks the mappings of the framed node `offsets[index]` of type byte `type` and Length `length`
 * (`view`: a DataView over the table's bytes, one load per field); `typed` when the node has its type's fixed part (an unknown or truncated node gets the
 * placement and reference checks only).
 */
export function checkMappings(
  reader: TableReader, view: DataView, offsets: readonly number[], index: number, type: number, length: number, typed: boolean, diagnostics: DiagnosticList,
): void {
  const node = offsets[index]!;
  const bytes = reader.bytes;
  // The node header lies inside the framed node: read without bounds checks.
  const count = le32(bytes, node + NODE_MAPPING_COUNT);
  if (count === 0) return;
  const ref = le32(bytes, node + NODE_MAPPING_OFFSET);
  if (!raw.arrayInsideNode(ref, count, ID_MAPPING_SIZE, length)) {
    diagnostics.add('iort.mapping.outside-node', node + NODE_MAPPING_OFFSET, `node at ${hex(node)}: ${count} ID mappings at reference ${hex(ref)} do not fit inside its Length ${length}; not read`, 4);
    return;
  }
  const allowed = type === IORT_NODE_RMR ? RMR_TARGET_TYPES : MAPPING_TARGET_TYPES;
  const first = node + ref;
  if (!typed) {
    for (let mapping = 0; mapping < count; mapping++) {
      checkReference(view, offsets, index, type, first + mapping * ID_MAPPING_SIZE + MAP_OUTPUT_REFERENCE, allowed, true, diagnostics);
    }
    return;
  }
  // Only SMMUv3 and PMCG nodes have a DeviceID mapping of their own.
  const ownIdIndex = type === IORT_NODE_SMMU_V3 || type === IORT_NODE_PMCG ? raw.deviceIdMappingIndex(reader, node) : -1;
  ensureScratch(count);
  const { mapping: kept, start, end } = scratch;
  let translated = 0;
  // The sort and sweep of overlap.ts run only when an entry starts at or before the furthest last
  // ID of the entries before it: firmware lists disjoint mappings by input base, where none does.
  // (An entry out of sort order always does: it starts at or before the previous entry's start.)
  let mayOverlap = false;
  let furthest = 0;
  // The last reference of this node that resolved cleanly: a repeat of it needs no second look
  // (a node's mappings mostly name one SMMU or ITS group).
  let resolved = -1;
  for (let mapping = 0; mapping < count; mapping++) {
    const at = first + mapping * ID_MAPPING_SIZE;
    // Entries lie inside the framed node (checked above): read without bounds checks.
    const inputBase = view.getUint32(at + MAP_INPUT_BASE, true);
    const idCount = view.getUint32(at + MAP_ID_COUNT, true);
    const outputBase = view.getUint32(at + MAP_OUTPUT_BASE, true);
    const flags = view.getUint32(at + MAP_FLAGS, true);
    if (inputBase + idCount > MAX_ID || outputBase + idCount > MAX_ID) {
      diagnostics.add('iort.mapping.id-overflow', at, `mapping ${mapping} at ${hex(at)}: input ${hex(inputBase)} or output ${hex(outputBase)} + ${hex(idCount)} passes 0xffffffff`, ID_MAPPING_SIZE);
    }
    if ((flags & ~MAP_FLAG_SINGLE) !== 0) {
      diagnostics.add('iort.reserved.nonzero', at + MAP_FLAGS, `mapping ${mapping} at ${hex(at)}: reserved flag bits 31:1 are ${hex(flags >>> 1)}`, 4);
    }
    const single = (flags & MAP_FLAG_SINGLE) !== 0;
    // RMR mappings are never translated: Linux takes output_base..+id_count whatever the flag.
    if (single && !singleMappingHonoured(type) && type !== IORT_NODE_RMR && mapping !== ownIdIndex) {
      diagnostics.add('iort.mapping.single-misuse', at + MAP_FLAGS, `mapping ${mapping} at ${hex(at)}: single-mapping flag on a type ${type} node; Linux skips the entry`, 4);
    }
    if (!single && mapping !== ownIdIndex) {
      const last = inputBase + idCount;
      if (translated > 0 && inputBase <= furthest) mayOverlap = true;
      if (last > furthest) furthest = last;
      kept[translated] = mapping;
      start[translated] = inputBase;
      end[translated] = last;
      translated++;
    }
    const reference = view.getUint32(at + MAP_OUTPUT_REFERENCE, true);
    if (reference !== resolved) resolved = checkReference(view, offsets, index, type, at + MAP_OUTPUT_REFERENCE, allowed, true, diagnostics) ? reference : -1;
  }
  if (type === IORT_NODE_RMR || type === IORT_NODE_ITS_GROUP || translated < 2 || !mayOverlap) return;
  reportOverlaps(translated, first, diagnostics);
}

/**
 * Rule 27 over the `count` translated mappings in `scratch` of the array at table offset `first`.
 * The sweep reports through a module function reading these two (no closure: one made per node
 * allocated on every parse); it is not re-entrant, as the scratch is not.
 */
function reportOverlaps(count: number, first: number, diagnostics: DiagnosticList): void {
  sweptFirst = first;
  sweptDiagnostics = diagnostics;
  sweepOverlaps(count, scratch.start, scratch.end, reportOverlap);
  // The list is not kept past the sweep (it belongs to one table).
  sweptDiagnostics = undefined;
}

let sweptFirst = 0;
let sweptDiagnostics: DiagnosticList | undefined;

function reportOverlap(item: number, earlier: number): void {
  const { mapping: kept, start, end } = scratch;
  // iort_id_map(): an ID on the last ID of one range and the first of another is the off-by-one workaround.
  if (start[item] === end[earlier] && end[earlier]! > start[earlier]!) return;
  const [later, other] = [kept[item]!, kept[earlier]!];
  const at = sweptFirst + later * ID_MAPPING_SIZE;
  sweptDiagnostics!.add('iort.mapping.overlap', at, `mapping ${later} at ${hex(at)}: input IDs [${hex(start[item]!)}, ${hex(end[item]!)}] overlap mapping ${other} [${hex(start[earlier]!)}, ${hex(end[earlier]!)}]`, ID_MAPPING_SIZE);
}

// The translated mappings of the node being checked (index, first and last input ID), reused
// across nodes and parses. IDs are u32 and a last ID at most 2^33, so Float64Array holds them exactly.
let scratch = { mapping: new Uint32Array(16), start: new Float64Array(16), end: new Float64Array(16) };

function ensureScratch(count: number): void {
  if (scratch.mapping.length >= count) return;
  const size = Math.max(count, scratch.mapping.length * 2);
  scratch = { mapping: new Uint32Array(size), start: new Float64Array(size), end: new Float64Array(size) };
}
