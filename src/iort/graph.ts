/**
 * Reference checks (spec §5 rules 22–25, 29): every mapping output reference and PMCG node
 * reference is resolved against the set of node start offsets; the resulting graph is checked
 * for cycles once per table.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import type { TableReader } from '../bytes/reader.js';
import { closingEdges, cyclicComponents, type EdgeList } from './cycles.js';
import {
  IORT_NODE_ITS_GROUP, IORT_NODE_PMCG, IORT_NODE_RMR, IORT_NODE_SMMU_V3, MAPPING_TARGET_TYPES, MAP_OUTPUT_REFERENCE,
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
  // Built only for a finding: this runs once per mapping of every parse.
  const what = () => `node at ${hex(from)}: reference at ${hex(field)}`;
  if (reference === 0) {
    diagnostics.add('iort.mapping.null-ref', field, `${what()} is 0 (Linux: "NULL parent reference")`, 4);
    return -1;
  }
  const target = indexOfNode(offsets, reference);
  if (target < 0) {
    diagnostics.add('iort.mapping.target-not-a-node', field, `${what()} is ${hex(reference)}, which is not the start of a node`, 4);
    return -1;
  }
  const type = raw.nodeType(reader, reference);
  if (reference === from || !typeInMask(type, allowed)) {
    const why = reference === from ? 'the node itself' : `a type ${type} node`;
    diagnostics.add('iort.mapping.target-type', field, `${what()} names ${why} at ${hex(reference)}, not a valid target`, 4);
  }
  return target;
}

export function checkGraph(reader: TableReader, offsets: readonly number[], diagnostics: DiagnosticList): void {
  const edges: EdgeList = { from: [], to: [] };
  const edgeField: number[] = [];
  offsets.forEach((node, index) => {
    const type = raw.nodeType(reader, node);
    const typed = type < 8 && raw.nodeLength(reader, node) >= minimumNodeLength(type, raw.nodeRevision(reader, node));
    const allowed = type === IORT_NODE_RMR ? RMR_TARGET_TYPES : MAPPING_TARGET_TYPES;
    const count = raw.readableMappingCount(reader, node);
    for (let mapping = 0; mapping < count; mapping++) {
      const field = raw.mappingEntry(reader, node, mapping) + MAP_OUTPUT_REFERENCE;
      const target = resolve(reader, offsets, node, field, allowed, diagnostics);
      if (target < 0) continue;
      edges.from.push(index);
      edges.to.push(target);
      edgeField.push(field);
    }
    if (!typed) return;
    if (type === IORT_NODE_PMCG) resolve(reader, offsets, node, node + PMCG_NODE_REFERENCE, PMCG_TARGET_TYPES, diagnostics);
    if (type === IORT_NODE_SMMU_V3) checkSmmuV3DeviceIdIndex(reader, offsets, node, diagnostics);
  });
  const components = cyclicComponents(offsets.length, edges);
  const closing = closingEdges(offsets.length, components, edges);
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
