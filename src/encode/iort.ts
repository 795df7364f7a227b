/**
 * IORT model → bytes (docs/spec.md §3). The model is `parseIort(bytes).toJSON()`'s shape. Nodes
 * are laid out one after another from the node array offset; inside a node, every array (ID
 * mappings, RMR descriptors, SMMUv1/v2 interrupts) goes where the model's reference says, or
 * after the fixed part when the model gives none. Output references may be table offsets (as
 * parsed: an offset equal to a model node's `offset` follows that node to where it is laid
 * out now) or `{node: index}`.
 */
import { IORT_HEADER_SIZE, IORT_NODE_ARRAY_OFFSET, IORT_NODE_COUNT, NODE_HEADER_SIZE } from '../iort/layout.js';
import { planNode, type NodeModel, type NodePlan, type ResolveReference } from './iort-nodes.js';
import { finishTable, writeSdtHeader, type SdtHeaderModel } from './sdt.js';
import { EncodeError, listAt, objectAt, optionalBytes, optionalBigInt, optionalUnsigned, unsigned, unsignedBig, type NumberLike } from './values.js';
import { ByteWriter } from './writer.js';

/** A table offset, or the node with this index in `nodes`. */
export type IortReference = NumberLike | { node: number };

export interface IortMappingModel {
  inputBase?: NumberLike;
  /** Number of IDs minus one, as stored. */
  idCount?: NumberLike;
  outputBase?: NumberLike;
  outputReference?: IortReference;
  flags?: NumberLike;
  singleMapping?: boolean;
}

export interface IortNodeModel {
  type?: number;
  kind?: string;
  length?: number;
  revision?: number;
  identifier?: NumberLike;
  mappingCount?: number;
  mappingArrayOffset?: number;
  idMappings?: readonly IortMappingModel[];
  [field: string]: unknown;
}

export interface IortModel {
  signature?: string;
  header?: SdtHeaderModel | undefined;
  nodeCount?: number;
  /** Written as given; nodes are placed there when it lies in [48, 65536), else at 48. */
  nodeArrayOffset?: number;
  /** The reserved u32 at 44. */
  reserved?: NumberLike;
  /** Bytes between the header and the node array (ACPICA's "optional padding"), written at 48. */
  padding?: unknown;
  nodes?: readonly IortNodeModel[];
  trailing?: unknown;
}

const MAX_PLACED_ARRAY_OFFSET = 0x1_0000;

export function encodeIort(model: IortModel): Uint8Array {
  const writer = new ByteWriter();
  writeSdtHeader(writer, model.header, { signature: 'IORT', revision: 5 });
  const nodes = listAt(model.nodes as readonly NodeModel[] | undefined, 'nodes').map((node, index) => objectAt(node, `nodes[${index}]`));
  const declaredArray = optionalUnsigned(model.nodeArrayOffset, 32, 'nodeArrayOffset');
  writer.uint(IORT_NODE_COUNT, 4, unsigned(model.nodeCount, 32, 'nodeCount', nodes.length));
  writer.uint(IORT_NODE_ARRAY_OFFSET, 4, declaredArray ?? IORT_HEADER_SIZE);
  writer.uint(44, 4, unsigned(model.reserved, 32, 'reserved'));
  writer.reserve(IORT_HEADER_SIZE);
  const padding = optionalBytes(model.padding, 'padding');
  if (padding !== undefined) writer.bytes(IORT_HEADER_SIZE, padding);
  const placed = declaredArray !== undefined && declaredArray >= IORT_HEADER_SIZE && declaredArray < MAX_PLACED_ARRAY_OFFSET ? declaredArray : IORT_HEADER_SIZE;
  const plans = nodes.map((node, index) => planNode(node, `nodes[${index}]`));
  const layouts = plans.map((plan, index) => layoutNode(plan, nodes[index]!, `nodes[${index}]`));
  const offsets: number[] = [];
  let at = placed;
  for (const layout of layouts) {
    offsets.push(at);
    at += layout.occupies;
  }
  const resolve = referenceResolver(nodes, offsets);
  plans.forEach((plan, index) => writeNode(writer, offsets[index]!, plan, layouts[index]!, nodes[index]!, resolve, `nodes[${index}]`));
  writer.reserve(at);
  return finishTable(writer, model.header, optionalBytes(model.trailing, 'trailing'));
}

interface NodeLayout {
  /** Node-relative start of each array, in `plan.arrays` order. */
  arrayStarts: number[];
  length: number;
  occupies: number;
}

function layoutNode(plan: NodePlan, node: NodeModel, path: string): NodeLayout {
  let cursor = plan.fixedEnd;
  let end = plan.fixedEnd;
  for (const array of plan.arrays) if (array.given !== undefined && array.size > 0) end = Math.max(end, array.given + array.size);
  cursor = end;
  const arrayStarts = plan.arrays.map((array) => {
    if (array.given !== undefined) return array.given;
    if (array.size === 0) return 0;
    const start = (cursor + 3) & ~3;
    cursor = start + array.size;
    return start;
  });
  end = Math.max(end, cursor);
  if (end > 0xffff) throw new EncodeError(path, `the node needs ${end} bytes; a node Length is 16 bits`);
  const length = optionalUnsigned(node.length, 16, `${path}.length`) ?? end;
  return { arrayStarts, length, occupies: Math.max(length, end, NODE_HEADER_SIZE) };
}

function writeNode(writer: ByteWriter, base: number, plan: NodePlan, layout: NodeLayout, node: NodeModel, resolve: ResolveReference, path: string): void {
  writer.uint(base, 1, plan.type);
  writer.uint(base + 1, 2, layout.length);
  writer.uint(base + 3, 1, unsigned(node.revision, 8, `${path}.revision`));
  writer.uint(base + 4, 4, unsigned(node.identifier, 32, `${path}.identifier`));
  for (const [name, at, width] of plan.rows) {
    if (node[name] !== undefined) writer.uint(base + at, width, unsignedBig(node[name], width * 8, `${path}.${name}`));
  }
  plan.writeExtra(writer, base, resolve);
  plan.arrays.forEach((array, index) => {
    const start = layout.arrayStarts[index]!;
    if (array.countField !== undefined) writer.uint(base + array.countField, 4, array.count);
    writer.uint(base + array.referenceField, 4, start);
    if (array.size > 0 && start <= MAX_PLACED_ARRAY_OFFSET) array.write(writer, base + start, resolve);
  });
  writer.reserve(base + layout.occupies);
}

/** Output references: `{node: i}`, or a table offset (a parsed node's `offset` follows that node). */
function referenceResolver(nodes: readonly NodeModel[], offsets: readonly number[]): ResolveReference {
  const moved = new Map<number, number>();
  nodes.forEach((node, index) => {
    if (typeof node.offset === 'number') moved.set(node.offset, offsets[index]!);
  });
  return (value, path) => {
    if (typeof value === 'object' && value !== null && 'node' in value) {
      const index = (value as { node: unknown }).node;
      if (typeof index !== 'number' || offsets[index] === undefined) throw new EncodeError(path, `{node: ${String(index)}} names no node`);
      return offsets[index]!;
    }
    const offset = Number(unsignedBig(optionalBigInt(value, path), 32, path));
    return moved.get(offset) ?? offset;
  };
}
