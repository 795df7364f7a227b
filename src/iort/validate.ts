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
import { ScratchIndex } from '../bytes/scratch-index.js';

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

// Identifier (high 0) and root-complex segment (high 1) keys seen, reused from parse to parse.
const seen = new ScratchIndex();

/** True when some identifier (table revision ≥ 3) or root-complex segment repeats; allocates nothing. */
function anyDuplicate(reader: TableReader, tableRevision: number, offsets: readonly number[]): boolean {
  seen.reset(offsets.length * 2);
  for (const node of offsets) {
    if (tableRevision >= IORT_IDENTIFIER_TABLE_REVISION) {
      const identifier = raw.nodeIdentifier(reader, node);
      if (seen.has(0, identifier)) return true;
      seen.set(0, identifier, node);
    }
    const type = raw.nodeType(reader, node);
    if (type === IORT_NODE_ROOT_COMPLEX && raw.nodeLength(reader, node) >= minimumNodeLength(type, 0)) {
      const segment = reader.u32(node + RC_SEGMENT) ?? 0;
      if (seen.has(1, segment)) return true;
      seen.set(1, segment, node);
    }
  }
  return false;
}

/** Spec §5 #32: identifiers (table revision ≥ 3) and root-complex segments must be unique. */
function checkDuplicates(reader: TableReader, tableRevision: number, offsets: readonly number[], diagnostics: DiagnosticList): void {
  // Real tables repeat neither; the groups below (every node of a repeated key) are built only when one does.
  if (!anyDuplicate(reader, tableRevision, offsets)) return;
  const identifiers = new Map<number, number[]>();
  const segments = new Map<number, number[]>();
  const note = (groups: Map<number, number[]>, key: number, node: number) => {
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [node]);
    else group.push(node);
  };
  for (const node of offsets) {
    if (tableRevision >= IORT_IDENTIFIER_TABLE_REVISION) note(identifiers, raw.nodeIdentifier(reader, node), node);
    const type = raw.nodeType(reader, node);
    if (type === IORT_NODE_ROOT_COMPLEX && raw.nodeLength(reader, node) >= minimumNodeLength(type, 0)) {
      note(segments, reader.u32(node + RC_SEGMENT) ?? 0, node);
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
