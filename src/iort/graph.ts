/**
 * Reference checks (spec §5 rules 22–25, 29), fed node by node from the validation pass: every
 * mapping output reference and PMCG node reference is resolved against the node start offsets;
 * the resulting graph is checked for cycles once per table.
 *
 * Nothing here allocates per parse: the last clean resolution is cached (a node's mappings usually
 * all name one SMMU), and only when some reference does not climb the type ranks below are the
 * edges collected (in typed arrays reused from parse to parse) and searched for cycles.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { TableReader } from '../bytes/reader.js';
import { closingEdges, cyclicComponents, type EdgeList } from './cycles.js';
import { ID_MAPPING_SIZE, IORT_NODE_ITS_GROUP, MAP_OUTPUT_REFERENCE, SMMU3_DEVICE_ID_INDEX, typeInMask } from './layout.js';
import * as raw from './raw.js';

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
 * A rank per node type such that well-formed references only climb: named components, root
 * complexes, PMCGs and RMRs (0) → SMMUs (1) → ITS groups and IWBs (2); unknown types 3. When
 * every edge climbs strictly there is no cycle, and the component search is skipped.
 */
const RANK = [2, 0, 0, 1, 1, 0, 0, 2];
const rankOf = (type: number): number => (type < 8 ? RANK[type]! : 3);

/** False once a reference fails to climb the ranks: the cycle search must run. */
let ranked = true;
// The last clean resolution (reference, allowed mask) → target type; -1 = none.
let cachedReference = -1;
let cachedAllowed = 0;
let cachedType = 0;

/** Starts a table's references. */
export function beginReferences(): void {
  ranked = true;
  cachedReference = -1;
}

/**
 * Resolves the reference stored at table offset `field` of node `from` (index `fromIndex`, type
 * `fromType`), read through `view` over the table's bytes; reports null, dangling and unsuitable
 * targets. With `edge`, a resolved target is an edge of the cycle search (a mapping's output
 * reference; not a PMCG's node reference). True when the reference names a valid target: the same
 * reference from the same node (same type and mask) then needs no second call.
 */
export function checkReference(
  view: DataView, offsets: readonly number[], fromIndex: number, fromType: number, field: number, allowed: number, edge: boolean,
  diagnostics: DiagnosticList,
): boolean {
  // Every reference field lies inside its framed node (a mapping entry, or a PMCG's fixed part).
  const reference = view.getUint32(field, true);
  const from = offsets[fromIndex]!;
  if (reference === cachedReference && allowed === cachedAllowed && reference !== from) {
    if (edge && rankOf(fromType) >= rankOf(cachedType)) ranked = false;
    return true;
  }
  if (reference === 0) {
    diagnostics.add('iort.mapping.null-ref', field, `${referenceAt(from, field)} is 0 (Linux: "NULL parent reference")`, 4);
    return false;
  }
  const target = indexOfNode(offsets, reference);
  if (target < 0) {
    diagnostics.add('iort.mapping.target-not-a-node', field, `${referenceAt(from, field)} is ${hex(reference)}, which is not the start of a node`, 4);
    return false;
  }
  const type = view.getUint8(reference);
  const clean = reference !== from && typeInMask(type, allowed);
  if (!clean) {
    const why = reference === from ? 'the node itself' : `a type ${type} node`;
    diagnostics.add('iort.mapping.target-type', field, `${referenceAt(from, field)} names ${why} at ${hex(reference)}, not a valid target`, 4);
  } else {
    cachedReference = reference;
    cachedAllowed = allowed;
    cachedType = type;
  }
  if (edge && rankOf(fromType) >= rankOf(type)) ranked = false;
  return clean;
}

/** Names a reference field in a finding; built only when one is raised (references are checked per mapping). */
function referenceAt(from: number, field: number): string {
  return `node at ${hex(from)}: reference at ${hex(field)}`;
}

/**
 * After every node's references: one `iort.graph.cycle` per cyclic component (spec §5 #25). Only
 * when some reference did not climb the ranks are the edges collected and searched.
 */
export function checkCycles(reader: TableReader, offsets: readonly number[], diagnostics: DiagnosticList): void {
  if (ranked) return;
  const edgeCount = collectEdges(reader, offsets);
  const edges: EdgeList = { from: edgeFrom, to: edgeTo };
  const components = cyclicComponents(offsets.length, edges, edgeCount);
  if (components.length > 0) {
    const closing = closingEdges(offsets.length, components, edges, edgeCount);
    components.forEach((component, index) => {
      const field = edgeField[closing[index]!]!;
      const nodes = component.map((member) => hex(offsets[member]!)).join(' → ');
      diagnostics.add('iort.graph.cycle', field, `output references form a cycle through the nodes at ${nodes}; Linux's walk would not terminate`, 4);
    });
  }
  // A huge table's edges are let go rather than held until the next parse.
  if (edgeFrom.length > 1 << 16) {
    edgeFrom = new Int32Array(64);
    edgeTo = new Int32Array(64);
    edgeField = new Int32Array(64);
  }
}

// The edges of the table being searched (source node index, target node index, table offset of
// the reference field), reused from parse to parse and grown on demand.
let edgeFrom = new Int32Array(64);
let edgeTo = new Int32Array(64);
let edgeField = new Int32Array(64);

/**
 * Every mapping output reference that names a node, as an edge, in node and mapping order (the
 * references checkReference resolved with `edge`). A node's consecutive mappings to one target are
 * one edge: the first keeps its field, the one a cycle finding names (closingEdges takes the first).
 */
function collectEdges(reader: TableReader, offsets: readonly number[]): number {
  let count = 0;
  for (let from = 0; from < offsets.length; from++) {
    const node = offsets[from]!;
    const mappings = raw.readableMappingCount(reader, node);
    const first = mappings === 0 ? 0 : raw.mappingEntry(reader, node, 0);
    for (let mapping = 0; mapping < mappings; mapping++) {
      const field = first + mapping * ID_MAPPING_SIZE + MAP_OUTPUT_REFERENCE;
      const reference = reader.u32(field) ?? 0;
      const to = reference === 0 ? -1 : indexOfNode(offsets, reference);
      if (to < 0 || (count > 0 && edgeFrom[count - 1] === from && edgeTo[count - 1] === to)) continue;
      if (count === edgeFrom.length) {
        edgeFrom = grown(edgeFrom);
        edgeTo = grown(edgeTo);
        edgeField = grown(edgeField);
      }
      edgeFrom[count] = from;
      edgeTo[count] = to;
      edgeField[count] = field;
      count++;
    }
  }
  return count;
}

function grown(source: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const target = new Int32Array(source.length * 2);
  target.set(source);
  return target;
}

/**
 * Spec §3.10 / §5 #29 (`iort_get_id_mapping_index()`, `iort_set_device_domain()`): when the
 * DeviceID mapping index is in effect it must be < the mapping count, and its entry must be a
 * single mapping with a non-zero reference to an ITS group.
 */
export function checkSmmuV3DeviceIdIndex(reader: TableReader, offsets: readonly number[], node: number, diagnostics: DiagnosticList): void {
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
