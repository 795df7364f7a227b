/**
 * Table-wide validation in one pass over the framed node offsets: per node its header, kind and
 * mapping checks, its references (graph.ts) and its keys for the duplicate check; the cycle and
 * duplicate findings after the last node. Allocates no view objects.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import { le16, le32 } from '../bytes/le.js';
import type { TableReader } from '../bytes/reader.js';
import { beginReferences, checkCycles, checkReference, checkSmmuV3DeviceIdIndex } from './graph.js';
import {
  IORT_DEPRECATED_TABLE_REVISIONS, IORT_HEADER_RESERVED, IORT_IDENTIFIER_TABLE_REVISION, IORT_NODE_PMCG, IORT_NODE_RMR,
  IORT_NODE_ROOT_COMPLEX, IORT_NODE_SMMU_V3, NEWEST_NODE_REVISION, NODE_IDENTIFIER, NODE_LENGTH, NODE_REVISION, NODE_TYPE,
  PMCG_NODE_REFERENCE, PMCG_TARGET_TYPES, RC_SEGMENT, RMR_DEPRECATED_NODE_REVISION, minimumNodeLength,
} from './layout.js';
import { checkNodeKind } from './validate-kinds.js';
import { checkMappings } from './validate-mappings.js';

// The keys of the duplicate check (spec §5 #32), each identifier as itself and each root-complex
// segment + 2^32, reused from parse to parse: sorted, a repeat is two equal neighbours. Eight bytes a
// key where a hash index took forty, on a huge table the largest thing a parse allocated.
let keys = new Float64Array(64);
const SEGMENT_KEY = 2 ** 32;
/** Arrays above this many entries are let go after the parse that needed them. */
const KEEP_AT_MOST = 1 << 12;

export function validateNodes(reader: TableReader, tableRevision: number, offsets: readonly number[], diagnostics: DiagnosticList): void {
  const bytes = reader.bytes;
  if (IORT_DEPRECATED_TABLE_REVISIONS.includes(tableRevision)) {
    diagnostics.add('iort.revision.deprecated', 8, `table revision ${tableRevision} (${tableRevision === 4 ? 'E.c, deprecated' : 'withdrawn'}); decoded with the E.d layout`, 1);
  }
  const reserved = reader.u32(IORT_HEADER_RESERVED);
  if (reserved !== undefined && reserved !== 0) {
    diagnostics.add('iort.reserved.nonzero', IORT_HEADER_RESERVED, `header reserved word is ${hex(reserved)}`, 4);
  }
  const identifiers = tableRevision >= IORT_IDENTIFIER_TABLE_REVISION;
  // At most one identifier and one segment per node.
  if (keys.length < offsets.length * 2) keys = new Float64Array(offsets.length * 2);
  let keyCount = 0;
  beginReferences();
  // Mapping fields are read through it: one load per field where byte-wise reads cost four.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let index = 0; index < offsets.length; index++) {
    const node = offsets[index]!;
    // Framing checked that the 16-byte header and Length bytes lie inside the table.
    const type = bytes[node + NODE_TYPE]!;
    const length = le16(bytes, node + NODE_LENGTH);
    const revision = bytes[node + NODE_REVISION]!;
    let typed = type < 8;
    if (!typed) {
      diagnostics.add('iort.node.unknown', node, `node at ${hex(node)} has unknown type ${type}; kept and skipped by its Length ${length}`, length);
    } else {
      const newest = NEWEST_NODE_REVISION[type]!;
      if (revision > newest) {
        diagnostics.add('iort.node.revision-newer', node + NODE_REVISION, `type ${type} node at ${hex(node)} has revision ${revision}, newer than ${newest}; known fields decoded`, 1);
      }
      if (type === IORT_NODE_RMR && revision === RMR_DEPRECATED_NODE_REVISION) {
        diagnostics.add('iort.revision.deprecated', node + NODE_REVISION, `RMR node at ${hex(node)} has revision 2 (E.c, deprecated)`, 1);
      }
      const minimum = minimumNodeLength(type, revision);
      if (length < minimum) {
        diagnostics.add('iort.length.short', node, `type ${type} revision ${revision} node at ${hex(node)} has Length ${length}, less than its ${minimum}-byte fixed part; kept as unknown`, length);
        typed = false;
      }
    }
    checkMappings(reader, view, offsets, index, type, length, typed, diagnostics);
    if (typed) {
      checkNodeKind(reader, tableRevision, node, type, revision, length, diagnostics);
      if (type === IORT_NODE_PMCG) checkReference(view, offsets, index, type, node + PMCG_NODE_REFERENCE, PMCG_TARGET_TYPES, false, diagnostics);
      if (type === IORT_NODE_SMMU_V3) checkSmmuV3DeviceIdIndex(reader, offsets, node, diagnostics);
    }
    // Spec §5 #32 keys: noted here, grouped by reportDuplicates only when one repeats.
    if (identifiers) keys[keyCount++] = le32(bytes, node + NODE_IDENTIFIER);
    if (type === IORT_NODE_ROOT_COMPLEX && length >= minimumNodeLength(type, 0)) keys[keyCount++] = SEGMENT_KEY + le32(bytes, node + RC_SEGMENT);
  }
  checkCycles(reader, offsets, diagnostics);
  if (anyRepeated(keyCount)) reportDuplicates(reader, tableRevision, offsets, diagnostics);
  // A huge table's keys are let go now rather than held until the next parse.
  if (keys.length > KEEP_AT_MOST) keys = new Float64Array(64);
}

/**
 * Test seam: the 64-entry key array a fresh module starts with, so a test of the array's growth
 * does not depend on which tables earlier tests in the same process parsed.
 */
export function resetDuplicateKeysForTest(): void {
  keys = new Float64Array(64);
}

/** True when two of the first `count` keys are equal (sorts them in place). */
function anyRepeated(count: number): boolean {
  if (count < 2) return false;
  const sorted = keys.subarray(0, count).sort();
  for (let index = 1; index < count; index++) if (sorted[index] === sorted[index - 1]) return true;
  return false;
}

/**
 * Spec §5 #32: identifiers (table revision ≥ 3) and root-complex segments must be unique. One
 * finding per repeated key, at its second node, naming every node of the group; built only when
 * the pass above saw a repeat (real tables have none).
 */
function reportDuplicates(reader: TableReader, tableRevision: number, offsets: readonly number[], diagnostics: DiagnosticList): void {
  const identifiers = new Map<number, number[]>();
  const segments = new Map<number, number[]>();
  for (const node of offsets) {
    if (tableRevision >= IORT_IDENTIFIER_TABLE_REVISION) group(identifiers, reader.u32(node + NODE_IDENTIFIER) ?? 0, node);
    const type = reader.u8(node + NODE_TYPE);
    if (type === IORT_NODE_ROOT_COMPLEX && (reader.u16(node + NODE_LENGTH) ?? 0) >= minimumNodeLength(type, 0)) {
      group(segments, reader.u32(node + RC_SEGMENT) ?? 0, node);
    }
  }
  for (const [identifier, nodes] of identifiers) {
    if (nodes.length < 2) continue;
    diagnostics.add('iort.id.duplicate', nodes[1]! + NODE_IDENTIFIER, `Identifier ${hex(identifier)} is used by the nodes at ${nodes.map((node) => hex(node)).join(', ')}`, 4);
  }
  for (const [segment, nodes] of segments) {
    if (nodes.length < 2) continue;
    diagnostics.add('iort.id.duplicate', nodes[1]! + RC_SEGMENT, `PCI segment ${hex(segment, 4)} has root complexes at ${nodes.map((node) => hex(node)).join(', ')}; Linux uses the first`, 4);
  }
}

function group(groups: Map<number, number[]>, key: number, node: number): void {
  const nodes = groups.get(key);
  if (nodes === undefined) groups.set(key, [node]);
  else nodes.push(node);
}
