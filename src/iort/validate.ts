/** Table-wide validation over the framed node offsets; allocates no view objects. */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import type { TableReader } from '../bytes/reader.js';
import {
  IORT_DEPRECATED_TABLE_REVISIONS, IORT_HEADER_RESERVED, IORT_IDENTIFIER_TABLE_REVISION, IORT_NODE_RMR,
  IORT_NODE_ROOT_COMPLEX, NEWEST_NODE_REVISION, NODE_IDENTIFIER, NODE_REVISION, RC_SEGMENT, RMR_DEPRECATED_NODE_REVISION,
  minimumNodeLength,
} from './layout.js';
import type { IortContext } from './node.js';
import * as raw from './raw.js';
import { checkNodeKind } from './validate-kinds.js';
import { checkMappings } from './validate-mappings.js';
import { hex } from '../bytes/hex.js';

export function validateNodes(context: IortContext, offsets: readonly number[], diagnostics: DiagnosticList): void {
  const { reader, tableRevision } = context;
  if (IORT_DEPRECATED_TABLE_REVISIONS.includes(tableRevision)) {
    diagnostics.add('iort.revision.deprecated', 8, `table revision ${tableRevision} (${tableRevision === 4 ? 'E.c, deprecated' : 'withdrawn'}); decoded with the E.d layout`, 1);
  }
  const reserved = reader.u32(IORT_HEADER_RESERVED);
  if (reserved !== undefined && reserved !== 0) {
    diagnostics.add('iort.reserved.nonzero', IORT_HEADER_RESERVED, `header reserved word is ${hex(reserved)}`, 4);
  }
  for (const node of offsets) {
    const type = raw.nodeType(reader, node);
    const revision = raw.nodeRevision(reader, node);
    const length = raw.nodeLength(reader, node);
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
    checkMappings(reader, node, typed, diagnostics);
    if (typed) checkNodeKind(reader, tableRevision, node, diagnostics);
  }
  checkDuplicates(reader, tableRevision, offsets, diagnostics);
}

/** Spec §5 #32: identifiers (table revision ≥ 3) and root-complex segments must be unique. */
function checkDuplicates(reader: TableReader, tableRevision: number, offsets: readonly number[], diagnostics: DiagnosticList): void {
  if (tableRevision >= IORT_IDENTIFIER_TABLE_REVISION) {
    const identifiers = new Float64Array(offsets.length);
    offsets.forEach((node, index) => (identifiers[index] = raw.nodeIdentifier(reader, node)));
    for (const group of duplicateGroups(identifiers, offsets.length)) {
      const nodes = group.map((index) => offsets[index]!);
      diagnostics.add('iort.id.duplicate', nodes[1]! + NODE_IDENTIFIER, `Identifier ${hex(identifiers[group[0]!]!)} is used by the nodes at ${nodes.map((node) => hex(node)).join(', ')}`, 4);
    }
  }
  const complexes: number[] = [];
  for (const node of offsets) {
    const type = raw.nodeType(reader, node);
    if (type === IORT_NODE_ROOT_COMPLEX && raw.nodeLength(reader, node) >= minimumNodeLength(type, 0)) complexes.push(node);
  }
  const segments = Float64Array.from(complexes, (node) => reader.u32(node + RC_SEGMENT) ?? 0);
  for (const group of duplicateGroups(segments, complexes.length)) {
    const nodes = group.map((index) => complexes[index]!);
    diagnostics.add('iort.id.duplicate', nodes[1]! + RC_SEGMENT, `PCI segment ${segments[group[0]!]} has root complexes at ${nodes.map((node) => hex(node)).join(', ')}; Linux uses the first`, 4);
  }
}

/**
 * Indices of the keys that occur more than once, one ascending group per repeated key, groups in
 * the order of their first occurrence (as a Map keyed by first insertion gave them). Sorts an
 * index array instead of a Map of arrays: no object per node for a table of 100,000 nodes.
 */
function duplicateGroups(keys: Float64Array, count: number): number[][] {
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index++) order[index] = index;
  order.sort((left, right) => keys[left]! - keys[right]! || left - right);
  const groups: number[][] = [];
  for (let from = 0; from < count; ) {
    let to = from + 1;
    while (to < count && keys[order[to]!] === keys[order[from]!]) to++;
    if (to - from > 1) groups.push(Array.from(order.subarray(from, to)));
    from = to;
  }
  return groups.sort((left, right) => left[0]! - right[0]!);
}
