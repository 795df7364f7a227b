/** Checks on one node's ID mapping array (spec §5 rules 19, 26, 27, 28). Reference checks: graph.ts. */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import type { TableReader } from '../bytes/reader.js';
import {
  ID_MAPPING_SIZE, IORT_NODE_ITS_GROUP, IORT_NODE_NAMED_COMPONENT, IORT_NODE_RMR,
  IORT_NODE_ROOT_COMPLEX, MAP_FLAGS, MAP_FLAG_SINGLE, MAX_ID, NODE_MAPPING_OFFSET,
} from './layout.js';
import { sweepOverlaps } from './overlap.js';
import * as raw from './raw.js';
import { hex } from '../bytes/hex.js';

/** `iort_id_map()` honours single mappings only on named components and root complexes. */
export function singleMappingHonoured(type: number): boolean {
  return type === IORT_NODE_NAMED_COMPONENT || type === IORT_NODE_ROOT_COMPLEX;
}

export function checkMappings(reader: TableReader, node: number, typed: boolean, diagnostics: DiagnosticList): void {
  const count = raw.mappingCount(reader, node);
  if (count === 0) return;
  if (!raw.mappingsInsideNode(reader, node)) {
    const ref = raw.mappingArrayOffset(reader, node);
    diagnostics.add('iort.mapping.outside-node', node + NODE_MAPPING_OFFSET, `node at ${hex(node)}: ${count} ID mappings at reference ${hex(ref)} do not fit inside its Length ${raw.nodeLength(reader, node)}; not read`, 4);
    return;
  }
  if (!typed) return;
  const type = raw.nodeType(reader, node);
  const ownIdIndex = raw.deviceIdMappingIndex(reader, node);
  const first = raw.mappingEntry(reader, node, 0);
  ensureScratch(count);
  let translated = 0;
  for (let index = 0; index < count; index++) {
    const at = first + index * ID_MAPPING_SIZE;
    const idCount = raw.mapIdCount(reader, at);
    const inputBase = raw.mapInputBase(reader, at);
    const outputBase = raw.mapOutputBase(reader, at);
    if (inputBase + idCount > MAX_ID || outputBase + idCount > MAX_ID) {
      diagnostics.add('iort.mapping.id-overflow', at, `mapping ${index} at ${hex(at)}: input ${hex(inputBase)} or output ${hex(outputBase)} + ${hex(idCount)} passes 0xffffffff`, ID_MAPPING_SIZE);
    }
    const flags = raw.mapFlags(reader, at);
    if ((flags & ~MAP_FLAG_SINGLE) !== 0) {
      diagnostics.add('iort.reserved.nonzero', at + MAP_FLAGS, `mapping ${index} at ${hex(at)}: reserved flag bits 31:1 are ${hex(flags >>> 1)}`, 4);
    }
    const single = (flags & MAP_FLAG_SINGLE) !== 0;
    // RMR mappings are never translated: Linux takes output_base..+id_count whatever the flag.
    if (single && !singleMappingHonoured(type) && type !== IORT_NODE_RMR && index !== ownIdIndex) {
      diagnostics.add('iort.mapping.single-misuse', at + MAP_FLAGS, `mapping ${index} at ${hex(at)}: single-mapping flag on a type ${type} node; Linux skips the entry`, 4);
    }
    if (!single && index !== ownIdIndex) {
      scratch.mapping[translated] = index;
      scratch.start[translated] = inputBase;
      scratch.end[translated] = inputBase + idCount;
      translated++;
    }
  }
  if (type === IORT_NODE_RMR || type === IORT_NODE_ITS_GROUP || translated < 2) return;
  const { mapping, start, end } = scratch;
  sweepOverlaps(translated, start, end, (item, earlier) => {
    // iort_id_map(): an ID on the last ID of one range and the first of another is the off-by-one workaround.
    if (start[item] === end[earlier] && end[earlier]! > start[earlier]!) return;
    const [later, other] = [mapping[item]!, mapping[earlier]!];
    const at = first + later * ID_MAPPING_SIZE;
    diagnostics.add('iort.mapping.overlap', at, `mapping ${later} at ${hex(at)}: input IDs [${hex(start[item]!)}, ${hex(end[item]!)}] overlap mapping ${other} [${hex(start[earlier]!)}, ${hex(end[earlier]!)}]`, ID_MAPPING_SIZE);
  });
}

// The translated mappings of the node being checked (index, first and last input ID), reused
// across nodes and parses. IDs are u32 and a last ID at most 2^33, so Float64Array holds them exactly.
let scratch = { mapping: new Uint32Array(16), start: new Float64Array(16), end: new Float64Array(16) };

function ensureScratch(count: number): void {
  if (scratch.mapping.length >= count) return;
  const size = Math.max(count, scratch.mapping.length * 2);
  scratch = { mapping: new Uint32Array(size), start: new Float64Array(size), end: new Float64Array(size) };
}
