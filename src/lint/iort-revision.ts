/**
 * Revision-aware IORT lints: node types and node revisions that do not fit the table revision
 * (docs/spec.md §3.1 cross-walk), and flag bits a node or table revision does not define.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { IortNode, IortTable } from '../iort/index.js';
import {
  MA_FLAGS, NC_MEMORY_ACCESS, NODE_REVISION, RC_ATS_ATTRIBUTE, RC_FLAGS, RC_MEMORY_ACCESS, RC_PASID_CAPABILITIES,
  RC_PASID_REVISION, RMR_FLAGS, SMMU3_DEVICE_ID_FLAG_REVISION, SMMU3_FLAGS,
} from '../iort/layout.js';
import { optionalFieldLimit } from '../iort/raw.js';
import { IORT_REVISION_COLUMNS, NODE_TYPE_NAMES, firstTableRevisionFor, olderRevisionLoss, revisionColumn } from './revisions.js';

/** Table revisions that define ATS attribute bit 1 (PRI, E) and bit 2 (PASID forwarding, E.b). */
const RC_PRI_TABLE_REVISION = 1;
const RC_PASID_FORWARDING_TABLE_REVISION = 3;
/** CANWBS (E.f): certainly undefined up to E.d; whether E.f kept revision 6 is Unverified. */
const CANWBS_TABLE_REVISION = 6;

const tableName = (revision: number) => `table revision ${revision} (${revision >= IORT_REVISION_COLUMNS.length ? `newer than E.e, read as E.e` : revisionColumn(revision).issue})`;

export function lintIortRevisions(iort: IortTable, out: DiagnosticList): void {
  const tableRevision = iort.revision;
  const column = revisionColumn(tableRevision);
  const older = new Map<number, IortNode[]>();
  for (const node of iort.nodes()) {
    const type = node.type;
    if (type >= 8) continue;
    const where = node.offset + NODE_REVISION;
    const newest = column.newest[type];
    const name = `${NODE_TYPE_NAMES[type]} at ${hex(node.offset)}`;
    if (newest === undefined) {
      const from = firstTableRevisionFor(type, 0);
      out.add('lint.iort.node-type-revision', node.offset, `${name}: ${tableName(tableRevision)} does not define this node type${from === undefined ? '' : ` (from table revision ${from})`}`, 1);
      continue;
    }
    if (node.revision > newest) {
      const from = firstTableRevisionFor(type, node.revision);
      out.add('lint.iort.node-revision-newer', where, `${name} has node revision ${node.revision}; ${tableName(tableRevision)} allows at most ${newest}${from === undefined ? '' : `, revision ${node.revision} needs table revision ${from}`}`, 1);
    }
    const expected = column.expected?.[type];
    if (expected !== undefined && node.revision < expected) older.set(type, [...(older.get(type) ?? []), node]);
    if (node.kind !== 'unknown') lintNodeFlags(iort, node, out);
  }
  for (const [type, nodes] of older) {
    const revisions = [...new Set(nodes.map((node) => node.revision))].join('/');
    const expected = column.expected![type]!;
    out.add('lint.iort.node-revision-older', nodes[0]!.offset + NODE_REVISION, `${nodes.length} ${NODE_TYPE_NAMES[type]} node(s) (first at ${hex(nodes[0]!.offset)}) have revision ${revisions}; ${tableName(tableRevision)} implies ${expected}: ${olderRevisionLoss(type, nodes[0]!.revision)}`, 1);
  }
}

function lintNodeFlags(iort: IortTable, node: Exclude<IortNode, { kind: 'unknown' }>, out: DiagnosticList): void {
  switch (node.kind) {
    case 'smmu-v3': {
      const defined = node.revision >= SMMU3_DEVICE_ID_FLAG_REVISION ? 0x1f : 0x0f;
      const extra = (node.flags & ~defined) >>> 0;
      if (extra !== 0) {
        const bit4 = (extra & 0x10) !== 0 ? ` (bit 4, DeviceID mapping index valid, needs node revision ${SMMU3_DEVICE_ID_FLAG_REVISION}; Linux ignores it below)` : '';
        out.add('lint.iort.smmuv3-flags', node.offset + SMMU3_FLAGS, `SMMUv3 at ${hex(node.offset)}, node revision ${node.revision}: Flags ${hex(node.flags)} sets undefined bits ${hex(extra)}${bit4}`, 4);
      }
      break;
    }
    case 'root-complex':
      lintRootComplex(iort, node, out);
      lintMemoryAccess(iort, node, RC_MEMORY_ACCESS, out);
      break;
    case 'named-component':
      lintMemoryAccess(iort, node, NC_MEMORY_ACCESS, out);
      break;
    case 'rmr': {
      const defined = node.revision >= 3 ? 0x3ff : 0x1;
      const extra = (node.flags & ~defined) >>> 0;
      if (extra !== 0) {
        const why = node.revision < 3 && (extra & 0x3fe) !== 0 ? ' (access privilege and attributes, bits 9:1, need node revision 3)' : '';
        out.add('lint.iort.rmr-flags', node.offset + RMR_FLAGS, `RMR at ${hex(node.offset)}, node revision ${node.revision}: Flags ${hex(node.flags)} sets undefined bits ${hex(extra)}${why}`, 4);
      }
      break;
    }
  }
}

function lintRootComplex(iort: IortTable, node: Extract<IortNode, { kind: 'root-complex' }>, out: DiagnosticList): void {
  const { reader, revision: tableRevision } = iort;
  const ats = node.atsAttribute;
  const defined = 0x1 | (tableRevision >= RC_PRI_TABLE_REVISION ? 0x2 : 0) | (tableRevision >= RC_PASID_FORWARDING_TABLE_REVISION ? 0x4 : 0);
  const extra = (ats & ~defined) >>> 0;
  if (extra !== 0) {
    out.add('lint.iort.rc-flags', node.offset + RC_ATS_ATTRIBUTE, `root complex at ${hex(node.offset)}: ATS attribute ${hex(ats)} sets ${hex(extra)}, undefined in ${tableName(tableRevision)} (PRI from E, PASID forwarding from E.b)`, 4);
  }
  if (node.revision >= RC_PASID_REVISION) return;
  // Bytes at 33..39 exist only from node revision 4; below they are padding if the space rule admits them.
  const limit = optionalFieldLimit(reader, node.offset);
  const read = (rel: number, size: 2 | 4) => (rel + size > limit ? 0 : size === 2 ? reader.u16(node.offset + rel) ?? 0 : reader.u32(node.offset + rel) ?? 0);
  for (const [rel, size, what] of [[RC_PASID_CAPABILITIES, 2, 'PASID capabilities'], [RC_FLAGS, 4, 'Flags (PASID supported)']] as const) {
    const value = read(rel, size);
    if (value === 0) continue;
    out.add('lint.iort.rc-flags', node.offset + rel, `root complex at ${hex(node.offset)}, node revision ${node.revision}: ${what} = ${hex(value)}, a field of node revision ${RC_PASID_REVISION}; the OS does not read it`, size);
    return;
  }
}

function lintMemoryAccess(iort: IortTable, node: IortNode, at: number, out: DiagnosticList): void {
  const tableRevision = iort.revision;
  const offset = node.offset + at + MA_FLAGS;
  const flags = iort.reader.u8(offset) ?? 0;
  const defined = tableRevision >= CANWBS_TABLE_REVISION ? 0x7 : 0x3;
  const extra = flags & ~defined;
  if (extra === 0) return;
  const canwbs = (extra & 0x4) !== 0 ? ` (CANWBS, bit 2, is E.f; ${tableName(tableRevision)} predates it)` : '';
  out.add('lint.iort.memory-access-flags', offset, `${NODE_TYPE_NAMES[node.type]} at ${hex(node.offset)}: memory access flags ${hex(flags)} set undefined bits ${hex(extra)}${canwbs}`, 1);
}
