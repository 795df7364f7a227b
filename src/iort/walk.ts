/**
 * Node framing (spec §3.2, §5 rules 1–3 and 18) and the view factory. Framing keeps only an
 * array of node offsets; views are created when a caller asks for them.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import type { MovableView } from '../bytes/item-view.js';
import { le16 } from '../bytes/le.js';
import { copyOffsets, OffsetList } from '../bytes/offset-list.js';
import type { TableReader } from '../bytes/reader.js';
import { ItsGroupNode } from './its-group.js';
import { IwbNode } from './iwb.js';
import {
  IORT_HEADER_SIZE, IORT_NODE_ARRAY_OFFSET, IORT_NODE_COUNT, NODE_HEADER_SIZE, NODE_LENGTH, NODE_REVISION, NODE_TYPE, minimumNodeLength,
  type IortNodeKind,
} from './layout.js';
import { NamedComponentNode } from './named-component.js';
import type { IortContext } from './node.js';
import { PmcgNode } from './pmcg.js';
import { nodeLength, nodeRevision, nodeType } from './raw.js';
import { RmrNode } from './rmr.js';
import { RootComplexNode } from './root-complex.js';
import { SmmuV1V2Node } from './smmu-v1v2.js';
import { SmmuV3Node } from './smmu-v3.js';
import { UnknownNode } from './unknown.js';
import { hex } from '../bytes/hex.js';

export type IortNode =
  | ItsGroupNode
  | NamedComponentNode
  | RootComplexNode
  | SmmuV1V2Node
  | SmmuV3Node
  | PmcgNode
  | RmrNode
  | IwbNode
  | UnknownNode;

/** The view type for one `kind`, e.g. `IortNodeOfKind<'rmr'>` is `RmrNode`. */
export type IortNodeOfKind<K extends IortNodeKind> = Extract<IortNode, { kind: K }>;

export interface NodeFraming {
  nodeCount: number;
  nodeArrayOffset: number;
  /** Start offsets of the framed nodes, ascending; each has ≥ 16 bytes and ends inside the table. */
  offsets: number[];
}

/** The SDT header's Length field (ACPI §5.2.6). */
const SDT_LENGTH_OFFSET = 4;

/**
 * Walks the node array exactly `Number of nodes` times and stops at the table end, at a zero
 * length, a length below the 16-byte header, or a node crossing the end. Each iteration either
 * advances by ≥ 16 bytes or stops, so the work is bounded by the table length.
 */

export function frameNodes(reader: TableReader, declaredLength: number, diagnostics: DiagnosticList): NodeFraming {
  const nodeCount = reader.u32(IORT_NODE_COUNT) ?? 0;
  const nodeArrayOffset = reader.u32(IORT_NODE_ARRAY_OFFSET) ?? 0;
  const end = reader.end;
  if (!reader.fits(IORT_NODE_COUNT, IORT_HEADER_SIZE - IORT_NODE_COUNT)) {
    // A truncated capture (Length says more than the bytes hold): the count and the array
    // offset cannot be read, so nothing can be framed. Found by the fuzzer (corpus/regressions).
    // With not even one byte of it present, point at the Length field that promised it.
    const at = end > IORT_NODE_COUNT ? IORT_NODE_COUNT : SDT_LENGTH_OFFSET;
    diagnostics.add('iort.header.truncated', at, `only ${end} bytes: the IORT header extension at ${hex(IORT_NODE_COUNT)}..${hex(IORT_HEADER_SIZE - 1)} is cut off; no node is read`);
    return { nodeCount, nodeArrayOffset, offsets: [] };
  }
  if (nodeCount === 0) {
    const from = nodeArrayOffset >= IORT_HEADER_SIZE && nodeArrayOffset <= end ? nodeArrayOffset : IORT_HEADER_SIZE;
    if (from < end) diagnostics.add('iort.node.count', from, `Number of nodes is 0 but ${end - from} bytes follow the header`, end - from);
    return { nodeCount, nodeArrayOffset, offsets: [] };
  }
  if (nodeArrayOffset < IORT_HEADER_SIZE || nodeArrayOffset >= declaredLength) {
    diagnostics.add('iort.node.array-offset', IORT_NODE_ARRAY_OFFSET, `node array offset ${hex(nodeArrayOffset)} is outside [${hex(IORT_HEADER_SIZE)}, ${hex(declaredLength)})`, 4);
    return { nodeCount, nodeArrayOffset, offsets: [] };
  }
  // Noted in the reused list and copied out once at the exact size.
  noted.clear();
  let cursor = nodeArrayOffset;
  for (let index = 0; index < nodeCount; index++) {
    if (cursor >= end) {
      diagnostics.add('iort.node.overflow', IORT_NODE_COUNT, `Number of nodes is ${nodeCount} but only ${index} nodes fit before the table end`, 4);
      break;
    }
    const length = reader.u16(cursor + 1);
    if (length === undefined || cursor + NODE_HEADER_SIZE > end) {
      diagnostics.add('iort.length.overrun', cursor, `node ${index} at ${hex(cursor)}: its 16-byte header runs past the table end ${hex(end)}`, end - cursor);
      break;
    }
    if (length === 0) {
      diagnostics.add('iort.length.zero', cursor, `node ${index} at ${hex(cursor)} has Length 0; walk stopped`, NODE_HEADER_SIZE);
      break;
    }
    if (length < NODE_HEADER_SIZE) {
      diagnostics.add('iort.length.short', cursor, `node ${index} at ${hex(cursor)} has Length ${length}, less than the 16-byte node header; walk stopped`, length);
      break;
    }
    if (cursor + length > end) {
      diagnostics.add('iort.length.overrun', cursor, `node ${index} at ${hex(cursor)} (Length ${length}) runs past the table end ${hex(end)}; walk stopped`, length);
      break;
    }
    noted.push(cursor);
    cursor += length;
  }
  // Fewer nodes than the count (a stop or an overflow) raise no trailing-bytes finding.
  if (noted.count === nodeCount && cursor < end) {
    diagnostics.add('iort.node.count', cursor, `${end - cursor} bytes follow the last of the ${nodeCount} nodes; Number of nodes may be too small`, end - cursor);
  }
  return { nodeCount, nodeArrayOffset, offsets: copyOffsets(noted) };
}

/** The node offsets of the table being framed, reused from parse to parse. */
const noted = new OffsetList();

/** True when a framed node is long enough for the fixed part of its (known) type. */
export function hasFixedPart(reader: TableReader, node: number): boolean {
  return nodeLength(reader, node) >= minimumNodeLength(nodeType(reader, node), nodeRevision(reader, node));
}

/** View classes by node type (index = IORT_NODE_* of layout.ts, 0–7); NODE_CLASSES.length is the slot of `UnknownNode`. */
const NODE_CLASSES = [ItsGroupNode, NamedComponentNode, RootComplexNode, SmmuV1V2Node, SmmuV3Node, PmcgNode, RmrNode, IwbNode] as const;
const UNKNOWN_SLOT = NODE_CLASSES.length;

/**
 * The view slot of a framed node: its type for types 0–7 with their fixed part, else UNKNOWN_SLOT.
 * Its header lies inside the table, so it is read without bounds checks (`hasFixedPart` without the
 * reader); a byte past a buffer shrunk or detached since parsing reads as undefined: UNKNOWN_SLOT.
 */
function nodeSlot(bytes: Uint8Array, node: number): number {
  const type = bytes[node + NODE_TYPE]!;
  if (!(type < UNKNOWN_SLOT)) return UNKNOWN_SLOT;
  return le16(bytes, node + NODE_LENGTH) >= minimumNodeLength(type, bytes[node + NODE_REVISION] ?? 0) ? type : UNKNOWN_SLOT;
}

function viewInSlot(context: IortContext, node: number, slot: number): IortNode {
  return slot === UNKNOWN_SLOT ? new UnknownNode(context, node) : new NODE_CLASSES[slot]!(context, node);
}

/** The typed view for a framed node: `unknown` for types ≥ 8 and for truncated nodes. */
export function makeNode(context: IortContext, node: number): IortNode {
  return viewInSlot(context, node, nodeSlot(context.reader.bytes, node));
}

/**
 * Calls `visit` for every framed node with a flyweight cursor: one view per kind, created on
 * first use and moved from node to node. A cursor is valid only during the call that receives it.
 */
export function forEachNodeAt(context: IortContext, offsets: readonly number[], visit: (node: IortNode, index: number) => void): void {
  const cursors: (IortNode | undefined)[] = [];
  const bytes = context.reader.bytes;
  for (let index = 0; index < offsets.length; index++) {
    const offset = offsets[index]!;
    const slot = nodeSlot(bytes, offset);
    let cursor = cursors[slot];
    if (cursor === undefined) cursors[slot] = cursor = viewInSlot(context, offset, slot);
    else (cursor as MovableView).offset = offset;
    visit(cursor, index);
  }
}
