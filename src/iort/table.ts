/** `parseIort`: header, node framing, validation and the lazy table object. Never throws on data. */
import { DiagnosticList, type Diagnostic } from '../bytes/diagnostics.js';
import { asBytes, type BytesInput } from '../bytes/input.js';
import type { TableReader } from '../bytes/reader.js';
import { SDT_CODES, readSdtHeader, type SdtHeader } from '../bytes/sdt.js';
import { plainHeader } from '../bytes/sdt-header.js';
import { IORT_CODES } from './codes.js';
import { indexOfNode } from './graph.js';
import { IORT_HEADER_SIZE, IORT_NEWEST_TABLE_REVISION, IORT_NODE_ARRAY_OFFSET, IORT_NODE_COUNT, NODE_KINDS, type IortNodeKind } from './layout.js';
import type { IortContext } from './node.js';
import { nodeType } from './raw.js';
import { validateNodes } from './validate.js';
import { forEachNodeAt, frameNodes, makeNode, type IortNode, type IortNodeOfKind } from './walk.js';

/** Built once: every parse shares it (spreading it per call dominated parse time). */
const IORT_TABLE_CODES = { ...SDT_CODES, ...IORT_CODES };

export class IortTable {
  readonly signature = 'IORT' as const;
  /** Table offsets of the framed nodes, ascending (the validation walk's only allocation per node). */
  readonly nodeOffsets: readonly number[];
  private readonly context: IortContext;

  constructor(
    /** The caller's buffer, never copied. */
    readonly bytes: Uint8Array,
    /** Undefined when fewer than 36 bytes exist. */
    readonly header: SdtHeader | undefined,
    readonly nodeCount: number,
    readonly nodeArrayOffset: number,
    nodeOffsets: number[],
    reader: TableReader,
    /** Sorted with `compareDiagnostics`. */
    readonly diagnostics: readonly Diagnostic[],
  ) {
    this.nodeOffsets = nodeOffsets;
    this.context = { reader, tableRevision: header?.revision ?? 0 };
  }

  /** Bounded reader over `[0, min(Length, bytes available))`. */
  get reader(): TableReader {
    return this.context.reader;
  }

  get revision(): number {
    return this.context.tableRevision;
  }

  /** Lazy zero-copy views, in table order. */
  *nodes(): Generator<IortNode> {
    const offsets = this.nodeOffsets;
    // Indexed: a for…of over an array inside a generator makes an iterator result per step.
    for (let index = 0; index < offsets.length; index++) yield makeNode(this.context, offsets[index]!);
  }

  /**
   * Every framed node, in table order, without a view per node: `visit` gets a flyweight cursor
   * (one per kind, moved from node to node) that is valid only during that call — keep its fields
   * or `toJSON()`, not the cursor. The fast path for walks; `nodes()` gives views that may be kept.
   */
  forEachNode(visit: (node: IortNode, index: number) => void): void {
    forEachNodeAt(this.context, this.nodeOffsets, visit);
  }

  /** Index of the node starting exactly at `offset` in `nodeOffsets`, or -1 (binary search). */
  nodeIndexAt(offset: number): number {
    return indexOfNode(this.nodeOffsets, offset);
  }

  /** Views of the nodes of one type byte only; other nodes are skipped without building a view. */
  *nodesOfType(type: number): Generator<IortNode> {
    const offsets = this.nodeOffsets;
    // Indexed: inside a generator a for…of over the array made an iterator result for every node
    // skipped (≈ 38 B: 3.8 MB over a 100,000-node IORT, more than half its input, per call).
    for (let index = 0; index < offsets.length; index++) {
      const offset = offsets[index]!;
      if (nodeType(this.reader, offset) === type) yield makeNode(this.context, offset);
    }
  }

  /**
   * Typed views of the nodes of one kind, e.g. `nodesOfKind('rmr')` yields `RmrNode`s. A node too
   * short for its type's fixed fields is 'unknown' (as `nodes()` gives it), whatever its type byte.
   */
  *nodesOfKind<K extends IortNodeKind>(kind: K): Generator<IortNodeOfKind<K>> {
    const offsets = this.nodeOffsets;
    // Indexed: a for…of over an array inside a generator makes an iterator result per step.
    for (let index = 0; index < offsets.length; index++) {
      const offset = offsets[index]!;
      // Skip on the type byte first: no view is built for nodes of other known types.
      if (kind !== 'unknown' && NODE_KINDS[nodeType(this.reader, offset)] !== kind) continue;
      const node = makeNode(this.context, offset);
      if (node.kind === kind) yield node as IortNodeOfKind<K>;
    }
  }

  /** The node starting exactly at table offset `offset`. */
  nodeAt(offset: number): IortNode | undefined {
    return this.nodeIndexAt(offset) < 0 ? undefined : makeNode(this.context, offset);
  }

  toJSON(): Record<string, unknown> {
    return {
      signature: this.signature,
      header: plainHeader(this.header),
      nodeCount: this.nodeCount,
      nodeArrayOffset: this.nodeArrayOffset,
      nodes: Array.from(this.nodes(), (node) => node.toJSON()),
      diagnostics: this.diagnostics,
    };
  }
}

/** What readSdtHeader expects of an IORT, built once. */
const IORT_HEADER = { signature: 'IORT', fixedSize: IORT_HEADER_SIZE, newestRevision: IORT_NEWEST_TABLE_REVISION } as const;

/** Parses an IORT. Never throws on any bytes; work is linear in the table length. */
export function parseIort(input: BytesInput): IortTable {
  const bytes = asBytes(input);
  const diagnostics = new DiagnosticList(IORT_TABLE_CODES);
  const { header, reader, usable } = readSdtHeader(bytes, diagnostics, IORT_HEADER);
  if (header !== undefined && usable) {
    const framing = frameNodes(reader, header.length, diagnostics);
    validateNodes(reader, header.revision, framing.offsets, diagnostics);
    return new IortTable(bytes, header, framing.nodeCount, framing.nodeArrayOffset, framing.offsets, reader, diagnostics.sorted());
  }
  const nodeCount = header === undefined ? 0 : (reader.u32(IORT_NODE_COUNT) ?? 0);
  const nodeArrayOffset = header === undefined ? 0 : (reader.u32(IORT_NODE_ARRAY_OFFSET) ?? 0);
  return new IortTable(bytes, header, nodeCount, nodeArrayOffset, [], reader, diagnostics.sorted());
}
