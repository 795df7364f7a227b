/**
 * Reference checks (spec §5 rules 22–25, 29): every mapping output reference and PMCG node
 * reference is resolved against the set of node start offsets; the resulting graph is checked
 * for cycles once per table.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import type { TableReader } from '../bytes/reader.js';
import { closingEdges, cyclicComponents, type EdgeList } from './cycles.js';
import {
  ID_MAPPING_SIZE, IORT_NODE_ITS_GROUP, IORT_NODE_PMCG, IORT_NODE_RMR, IORT_NODE_SMMU_V3, MAPPING_TARGET_TYPES, MAP_OUTPUT_REFERENCE,
  PMCG_NODE_REFERENCE, PMCG_TARGET_TYPES, RMR_TARGET_TYPES, SMMU3_DEVICE_ID_INDEX, minimumNodeLength, typeInMask,
} from './layout.js';
import * as raw from './raw.js';
import { hex } from '../bytes/hex.js';

/** Index of the node starting exactly at `offset` in ascending `offsets`, or -1. */
export function indexOfNode(offsets: readonly number[], offset: number): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = offsets[middle]!;
    if (at === offset) return middle;
    if (at < offset) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * Resolves one reference stored at table offset `field` of node `from`; reports null, dangling and
 * unsuitable targets. Returns the target's node index, or -1.
 */
function resolve(reader: TableReader, offsets: readonly number[], from: number, field: number, allowed: number, diagnostics: DiagnosticList): number {
  const reference = reader.u32(field) ?? 0;
  if (reference === 0) {
    diagnostics.add('iort.mapping.null-ref', field, `${referenceAt(from, field)} is 0 (Linux: "NULL parent reference")`, 4);
    return -1;
  }
  const target = indexOfNode(offsets, reference);
  if (target < 0) {
    diagnostics.add('iort.mapping.target-not-a-node', field, `${referenceAt(from, field)} is ${hex(reference)}, which is not the start of a node`, 4);
    return -1;
  }
  const type = raw.nodeType(reader, reference);
  if (reference === from || !typeInMask(type, allowed)) {
    const why = reference === from ? 'the node itself' : `a type ${type} node`;
    diagnostics.add('iort.mapping.target-type', field, `${referenceAt(from, field)} names ${why} at ${hex(reference)}, not a valid target`, 4);
  }
  return target;
}

/** Names a reference field in a finding; built only when one is raised (resolve runs per mapping). */
function referenceAt(from: number, field: number): string {
  return `node at ${hex(from)}: reference at ${hex(field)}`;
}

// The resolved references of the table being checked (source node index, target node index, table
// offset of the reference field), reused from parse to parse and grown on demand.
let edgeFrom = new Int32Array(64);
let edgeTo = new Int32Array(64);
let edgeField = new Int32Array(64);
let edgeCount = 0;

function addEdge(from: number, to: number, field: number): void {
  if (edgeCount === edgeFrom.length) {
    edgeFrom = grown(edgeFrom);
    edgeTo = grown(edgeTo);
    edgeField = grown(edgeField);
  }
  edgeFrom[edgeCount] = from;
  edgeTo[edgeCount] = to;
  edgeField[edgeCount] = field;
  edgeCount++;
}

function grown(source: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const target = new Int32Array(source.length * 2);
  target.set(source);
  return target;
}

/** Starts a table's edge list; a huge previous table's arrays are let go. */
function clearEdges(): void {
  edgeCount = 0;
  if (edgeFrom.length > 1 << 16) {
    edgeFrom = new Int32Array(64);
    edgeTo = new Int32Array(64);
    edgeField = new Int32Array(64);
  }
}

export function checkGraph(reader: TableReader, offsets: readonly number[], diagnostics: DiagnosticList): void {
  clearEdges();
  for (let index = 0; index < offsets.length; index++) {
    const node = offsets[index]!;
    const type = raw.nodeType(reader, node);
    const typed = type < 8 && raw.nodeLength(reader, node) >= minimumNodeLength(type, raw.nodeRevision(reader, node));
    const allowed = type === IORT_NODE_RMR ? RMR_TARGET_TYPES : MAPPING_TARGET_TYPES;
    const count = raw.readableMappingCount(reader, node);
    const first = count === 0 ? 0 : raw.mappingEntry(reader, node, 0);
    for (let mapping = 0; mapping < count; mapping++) {
      const field = first + mapping * ID_MAPPING_SIZE + MAP_OUTPUT_REFERENCE;
      const target = resolve(reader, offsets, node, field, allowed, diagnostics);
      if (target >= 0) addEdge(index, target, field);
    }
    if (!typed) continue;
    if (type === IORT_NODE_PMCG) resolve(reader, offsets, node, node + PMCG_NODE_REFERENCE, PMCG_TARGET_TYPES, diagnostics);
    if (type === IORT_NODE_SMMU_V3) checkSmmuV3DeviceIdIndex(reader, offsets, node, diagnostics);
  }
  const edges: EdgeList = { from: edgeFrom, to: edgeTo };
  const components = cyclicComponents(offsets.length, edges, edgeCount);
  if (components.length === 0) return;
  const closing = closingEdges(offsets.length, components, edges, edgeCount);
  components.forEach((component, index) => {
    const field = edgeField[closing[index]!]!;
    const nodes = component.map((member) => hex(offsets[member]!)).join(' → ');
    diagnostics.add('iort.graph.cycle', field, `output references form a cycle through the nodes at ${nodes}; Linux's walk would not terminate`, 4);
  });
}

/**
 * Spec §3.10 / §5 #29 (`iort_get_id_mapping_index()`, `iort_set_device_domain()`): when the
 * DeviceID mapping index is in effect it must be < the mapping count, and its entry must be a
 * single mapping with a non-zero reference to an ITS group.
 */
function checkSmmuV3DeviceIdIndex(reader: TableReader, offsets: readonly number[], node: number, diagnostics: DiagnosticList): void {
  const index = raw.smmuV3StoredDeviceIdIndex(reader, node);
  if (index < 0) return;
  const count = raw.mappingCount(reader, node);
  const field = node + SMMU3_DEVICE_ID_INDEX;
  if (index >= count) {
    diagnostics.add('iort.smmuv3.devid-index', field, `SMMUv3 at ${hex(node)}: DeviceID mapping index ${index} but ${count} mappings (Linux: "ID mapping index overflows valid mappings")`, 4);
    return;
  }
  if (raw.readableMappingCount(reader, node) === 0) return; // iort.mapping.outside-node
  const entry = raw.mappingEntry(reader, node, index);
  const reference = raw.mapOutputReference(reader, entry);
  if (!raw.mapIsSingle(reader, entry) || reference === 0) {
    diagnostics.add('iort.smmuv3.devid-index', field, `SMMUv3 at ${hex(node)}: DeviceID mapping ${index} at ${hex(entry)} is not a single mapping with a parent (Linux: "Invalid MSI mapping")`, 4);
    return;
  }
  if (indexOfNode(offsets, reference) >= 0 && raw.nodeType(reader, reference) !== IORT_NODE_ITS_GROUP) {
    diagnostics.add('iort.smmuv3.devid-index', entry + MAP_OUTPUT_REFERENCE, `SMMUv3 at ${hex(node)}: DeviceID mapping ${index} points at a type ${raw.nodeType(reader, reference)} node, not an ITS group; Linux sets no MSI domain`, 4);
  }
}
