/**
 * The Linux ID walk, step for step (`iort_node_map_id()`, `iort_id_map()`,
 * `iort_node_get_id()`, `iort_node_map_platform_id()` in drivers/acpi/arm64/iort.c;
 * docs/kernel-semantics.md §4.2), with what Linux lacks: a visited set and a step cap.
 */
import { DiagnosticList, type Diagnostic } from '../bytes/diagnostics.js';
import { IORT_CODES } from './codes.js';
import {
  IORT_IOMMU_TYPES, IORT_NODE_ITS_GROUP, IORT_NODE_PMCG, IORT_NODE_SMMU_V3, IORT_NODE_SMMU_V1V2, MAP_OUTPUT_REFERENCE,
  typeInMask, type IortNodeKind,
} from './layout.js';
import { hopBase, idMap, kindOf, type IortHop } from './map-step.js';
import * as raw from './raw.js';
import type { IortTable } from './table.js';
import { singleMappingHonoured } from './validate-mappings.js';
import { hex } from '../bytes/hex.js';

export type IortStopReason =
  | 'reached' // a node whose type is in the mask
  | 'no-start-node' // the start offset / segment / name names no node
  | 'no-mappings' // Mapping count or ID array reference is 0 (Linux: fail_map)
  | 'mappings-outside-node' // the ID array is not inside the node: not read
  | 'null-reference' // the (first or chosen) mapping's output reference is 0
  | 'no-match' // no mapping accepts the ID
  | 'not-single' // by-index fetch: the entry is not a single mapping Linux accepts here
  | 'no-more-mappings' // by-index fetch: index ≥ mapping count
  | 'target-not-a-node' // the output reference is not a node start
  | 'cycle' // the same (node, ID) came back: Linux would loop forever
  | 'step-limit'; // more hops than nodes

export interface IortWalkFinal {
  nodeOffset: number;
  nodeKind: IortNodeKind;
  nodeType: number;
  /** The ID arriving at the node: a stream ID at an SMMU, a device ID at an ITS group. */
  id: number;
}

export interface IortWalk {
  startNodeOffset: number;
  /** Undefined for a by-index (platform) fetch, which takes the ID from a single mapping. */
  inputId: number | undefined;
  typeMask: number;
  hops: IortHop[];
  final: IortWalkFinal | undefined;
  /** Linux's `id_out`: the final ID when reached, else the input ID unchanged (`fail_map`). */
  outputId: number | undefined;
  /** Set when the final node is an SMMUv1/v2 or SMMUv3. */
  streamId?: number;
  /** Set when the final node is an ITS group. */
  deviceId?: number;
  stop: IortStopReason;
  /** `iort.graph.cycle` when the walk was cut. */
  diagnostics: Diagnostic[];
}

export interface MapIdOptions {
  /** Hops allowed before `step-limit`; default: the number of nodes. */
  maxSteps?: number;
}

function newWalk(startNodeOffset: number, inputId: number | undefined, typeMask: number): IortWalk {
  return { startNodeOffset, inputId, typeMask, hops: [], final: undefined, outputId: inputId, stop: 'no-start-node', diagnostics: [] };
}

/** `iort_node_map_id(node, id, &id_out, type_mask)`; the default mask is Linux's IORT_IOMMU_TYPE. */
export function mapId(table: IortTable, nodeOffset: number, id: number, typeMask = IORT_IOMMU_TYPES, options: MapIdOptions = {}): IortWalk {
  const walk = newWalk(nodeOffset, id >>> 0, typeMask);
  if (table.nodeIndexAt(nodeOffset) >= 0) continueWalk(table, walk, nodeOffset, id >>> 0, options);
  return walk;
}

/**
 * `iort_node_map_platform_id(node, &id, type_mask, index)`: the ID of single mapping `index`
 * (`iort_node_get_id()`: NC, RC, SMMUv3, PMCG only), then, unless its parent is already of a
 * masked type, `iort_node_map_id()` from the parent.
 */
export function mapPlatformId(table: IortTable, nodeOffset: number, index: number, typeMask = IORT_IOMMU_TYPES, options: MapIdOptions = {}): IortWalk {
  const walk = newWalk(nodeOffset, undefined, typeMask);
  const reader = table.reader;
  if (table.nodeIndexAt(nodeOffset) < 0) return walk;
  const count = raw.mappingCount(reader, nodeOffset);
  if (!raw.hasMappings(reader, nodeOffset) || index >= count) return stop(walk, 'no-more-mappings');
  if (!raw.mappingsInsideNode(reader, nodeOffset)) return stop(walk, 'mappings-outside-node');
  const entry = raw.mappingEntry(reader, nodeOffset, index);
  const reference = raw.mapOutputReference(reader, entry);
  if (reference === 0) return stop(walk, 'null-reference');
  const type = raw.nodeType(reader, nodeOffset);
  const fetchable = singleMappingHonoured(type) || type === IORT_NODE_SMMU_V3 || type === IORT_NODE_PMCG;
  if (!raw.mapIsSingle(reader, entry) || !fetchable) return stop(walk, 'not-single');
  const id = raw.mapOutputBase(reader, entry);
  walk.hops.push({ ...hopBase(reader, nodeOffset, index), inputId: undefined, outputId: id });
  if (table.nodeIndexAt(reference) < 0) return stop(walk, 'target-not-a-node');
  continueWalk(table, walk, reference, id, options);
  return walk;
}

function stop(walk: IortWalk, reason: IortStopReason): IortWalk {
  walk.stop = reason;
  return walk;
}

function reached(table: IortTable, walk: IortWalk, node: number, id: number): void {
  const nodeType = raw.nodeType(table.reader, node);
  walk.final = { nodeOffset: node, nodeKind: kindOf(table.reader, node), nodeType, id };
  walk.outputId = id;
  if (nodeType === IORT_NODE_SMMU_V1V2 || nodeType === IORT_NODE_SMMU_V3) walk.streamId = id;
  if (nodeType === IORT_NODE_ITS_GROUP) walk.deviceId = id;
  walk.stop = 'reached';
}

/** The loop body of `iort_node_map_id()` from `node` with `id`, appending hops to `walk`. */
function continueWalk(table: IortTable, walk: IortWalk, start: number, startId: number, options: MapIdOptions): void {
  const reader = table.reader;
  const maxSteps = options.maxSteps ?? Math.max(1, table.nodeOffsets.length);
  const visited = new Set<string>();
  let node = start;
  let id = startId;
  for (;;) {
    if (typeInMask(raw.nodeType(reader, node), walk.typeMask)) return reached(table, walk, node, id);
    const key = `${node}:${id}`;
    const last = walk.hops[walk.hops.length - 1];
    if (visited.has(key) || walk.hops.length >= maxSteps) {
      const cut = visited.has(key) ? 'cycle' : 'step-limit';
      const diagnostics = new DiagnosticList(IORT_CODES);
      const field = last === undefined ? node : last.mappingOffset + MAP_OUTPUT_REFERENCE;
      diagnostics.add('iort.graph.cycle', field, `walk from ${hex(walk.startNodeOffset)} ${cut === 'cycle' ? `returned to node ${hex(node)} with ID ${hex(id)}` : `exceeded ${maxSteps} hops`}; stopped (Linux has no guard)`, 4);
      walk.diagnostics.push(...diagnostics.items);
      return void stop(walk, cut);
    }
    visited.add(key);
    if (!raw.hasMappings(reader, node)) return void stop(walk, 'no-mappings');
    if (!raw.mappingsInsideNode(reader, node)) return void stop(walk, 'mappings-outside-node');
    // Linux checks only the first entry for a NULL parent before translating.
    if (raw.mapOutputReference(reader, raw.mappingEntry(reader, node, 0)) === 0) return void stop(walk, 'null-reference');
    const hop = translateAt(reader, node, id);
    if (hop === undefined) return void stop(walk, 'no-match');
    walk.hops.push(hop);
    if (hop.targetOffset === 0) return void stop(walk, 'null-reference');
    if (table.nodeIndexAt(hop.targetOffset) < 0) return void stop(walk, 'target-not-a-node');
    node = hop.targetOffset;
    id = hop.outputId;
  }
}

/** The mapping loop of `iort_node_map_id()` at one node, including the off-by-one workaround. */
function translateAt(reader: IortTable['reader'], node: number, id: number): IortHop | undefined {
  const type = raw.nodeType(reader, node);
  const count = raw.mappingCount(reader, node);
  const skip = raw.deviceIdMappingIndex(reader, node);
  let tentative = -1; // index whose match was on the last ID of its range (-EAGAIN)
  let tentativeReference = 0; // Linux's out_ref
  let tentativeId = 0;
  for (let index = 0; index < count; index++) {
    if (index === skip) continue;
    const entry = raw.mappingEntry(reader, node, index);
    const result = idMap(reader, entry, type, id, tentativeReference !== 0);
    if (result === undefined) continue;
    if (!result.tentative) {
      const offByOne = tentativeReference !== 0 ? 'superseded' : undefined;
      return { ...hopBase(reader, node, index), inputId: id, outputId: result.output, offByOne };
    }
    tentative = index;
    tentativeReference = raw.mapOutputReference(reader, entry);
    tentativeId = result.output;
  }
  if (tentativeReference === 0) return undefined;
  return { ...hopBase(reader, node, tentative), inputId: id, outputId: tentativeId, offByOne: 'kept' };
}
