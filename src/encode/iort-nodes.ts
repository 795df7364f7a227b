/**
 * Per-kind IORT node plans (docs/spec.md §3.6–§3.13): which fields go where, how long the fixed
 * part is for the fields the model gives, and which node-relative arrays the node carries.
 * `iort.ts` places the arrays and writes everything.
 */
import { MAP_FLAG_SINGLE, NODE_KINDS } from '../iort/layout.js';
import { EncodeError, listAt, objectAt, flagsOf, optionalBytes, unsigned, unsignedBig } from './values.js';
import type { ByteWriter, Width } from './writer.js';

export type NodeModel = Record<string, unknown>;
/** Turns a model reference (table offset, `"0x…"`, or `{node: index}`) into a table offset. */
export type ResolveReference = (value: unknown, path: string) => number;

/** `[name, node-relative offset, width, end of the fixed part when the field is present]`. */
type Row = readonly [name: string, at: number, width: Width, extendsTo?: number];

/** A node-relative array: where its reference (and count) live in the node, and its bytes. */
export interface NodeArray {
  name: string;
  /** Node-relative offset of the u32 holding the array's node-relative reference. */
  referenceField: number;
  /** Node-relative offset of the u32 count, if the array has one. */
  countField?: number;
  /** Count written when the model gives none. */
  count: number;
  size: number;
  /** Reference the model gives (honoured), else the array is placed after the fixed part. */
  given: number | undefined;
  write(writer: ByteWriter, at: number, resolve: ResolveReference): void;
}

export interface NodePlan {
  type: number;
  /** End of the fixed part (incl. names and ITS identifiers): where arrays go by default. */
  fixedEnd: number;
  rows: readonly Row[];
  arrays: NodeArray[];
  /** Extra fixed-part writes (names, memory access properties, identifier lists). */
  writeExtra(writer: ByteWriter, base: number, resolve: ResolveReference): void;
}

const MEMORY_ACCESS_HINTS = { hintTransient: 1, hintWriteAllocate: 2, hintReadAllocate: 4, hintOverride: 8 };
const MEMORY_ACCESS_FLAGS = { coherentPathToMemory: 1, deviceAttributesCacheable: 2, ensuredCoherency: 4 };

const ROWS: Readonly<Record<string, readonly Row[]>> = {
  'its-group': [],
  'named-component': [['nodeFlags', 16, 4], ['deviceMemoryAddressSizeLimit', 28, 1]],
  'root-complex': [['atsAttribute', 24, 4], ['pciSegmentNumber', 28, 4], ['memoryAddressSizeLimit', 32, 1, 36], ['pasidCapabilities', 33, 2, 36], ['flags', 36, 4, 40]],
  'smmu-v1v2': [['baseAddress', 16, 8], ['span', 24, 8], ['model', 32, 4], ['flags', 36, 4]],
  'smmu-v3': [
    ['baseAddress', 16, 8], ['flags', 24, 4], ['vatosAddress', 32, 8], ['model', 40, 4], ['eventGsiv', 44, 4], ['priGsiv', 48, 4],
    ['gerrGsiv', 52, 4], ['syncGsiv', 56, 4], ['proximityDomain', 60, 4, 68], ['deviceIdMappingIndex', 64, 4, 68],
  ],
  pmcg: [['page0BaseAddress', 16, 8], ['overflowGsiv', 24, 4], ['page1BaseAddress', 32, 8, 40]],
  rmr: [['flags', 16, 4]],
  iwb: [['configFrameBase', 16, 8], ['iwbIndex', 24, 2]],
  unknown: [],
};

/** Fixed part without optional fields (spec §3: revision-0 root complex 32, SMMUv3 60, PMCG 32). */
const BASE_FIXED: Readonly<Record<string, number>> = {
  'its-group': 20, 'named-component': 29, 'root-complex': 32, 'smmu-v1v2': 60, 'smmu-v3': 60, pmcg: 32, rmr: 28, iwb: 26, unknown: 16,
};

export function nodeKindOf(node: NodeModel, path: string): { type: number; kind: string } {
  if (node.type !== undefined) {
    const type = unsigned(node.type, 8, `${path}.type`);
    return { type, kind: typeof node.kind === 'string' && node.kind in ROWS ? node.kind : (NODE_KINDS[type] ?? 'unknown') };
  }
  const type = NODE_KINDS.indexOf(node.kind as (typeof NODE_KINDS)[number]);
  if (type < 0) throw new EncodeError(path, `needs a type, or a kind among ${NODE_KINDS.join(', ')}`);
  return { type, kind: node.kind as string };
}

function list(node: NodeModel, key: string, path: string): NodeModel[] {
  return listAt(node[key] as NodeModel[] | undefined, `${path}.${key}`) as NodeModel[];
}

function count(node: NodeModel, key: string, fallback: number, path: string): number {
  return unsigned(node[key], 32, `${path}.${key}`, fallback);
}

function given(node: NodeModel, key: string, path: string): number | undefined {
  return node[key] === undefined ? undefined : unsigned(node[key], 32, `${path}.${key}`);
}

/** A name at `at`, NUL-terminated unless `deviceNameTerminated` is false; returns its end. */
function nameEnd(node: NodeModel, at: number, path: string): number {
  const name = node.deviceName ?? '';
  if (typeof name !== 'string') throw new EncodeError(`${path}.deviceName`, 'expected a string');
  return at + name.length + (node.deviceNameTerminated === false ? 0 : 1);
}

function writeName(writer: ByteWriter, base: number, at: number, node: NodeModel): void {
  writer.cString(base + at, String(node.deviceName ?? ''), node.deviceNameTerminated !== false);
}

function writeMemoryAccess(writer: ByteWriter, at: number, node: NodeModel, path: string): void {
  const access = (node.memoryAccess ?? {}) as NodeModel;
  const where = `${path}.memoryAccess`;
  writer.uint(at, 4, unsigned(access.cacheCoherency, 32, `${where}.cacheCoherency`));
  writer.uint(at + 4, 1, flagsOf(access, 'allocationHints', 8, where, MEMORY_ACCESS_HINTS));
  writer.uint(at + 5, 2, unsigned(access.reserved, 16, `${where}.reserved`));
  writer.uint(at + 7, 1, flagsOf(access, 'memoryAccessFlags', 8, where, MEMORY_ACCESS_FLAGS));
}

/** One field of a fixed-size array record: `[key, offset in the record, bytes]`. */
type RecordField = readonly [key: string, at: number, width: Width];

interface RecordArray {
  name: string;
  size: number;
  referenceField: number;
  referenceKey: string;
  countField?: number;
  countKey?: string;
  fields: readonly RecordField[];
  /** Writes what plain fields cannot (resolved references, composed flags). */
  special?: (writer: ByteWriter, at: number, record: NodeModel, where: string, resolve: ResolveReference) => void;
}

/** A node-relative array of fixed-size records (ID mappings, RMR descriptors, SMMU interrupts). */
function recordArray(spec: RecordArray, records: NodeModel[], node: NodeModel, path: string): NodeArray {
  return {
    name: spec.name, referenceField: spec.referenceField, countField: spec.countField, size: spec.size * records.length,
    count: spec.countKey === undefined ? records.length : count(node, spec.countKey, records.length, path),
    given: given(node, spec.referenceKey, path),
    write(writer, at, resolve) {
      records.forEach((record, index) => {
        const where = `${path}.${spec.name}[${index}]`;
        objectAt(record, where);
        const start = at + spec.size * index;
        for (const [key, rel, width] of spec.fields) writer.uint(start + rel, width, unsignedBig(record[key], width * 8, `${where}.${key}`));
        spec.special?.(writer, start, record, where, resolve);
      });
    },
  };
}

const INTERRUPT_FIELDS: readonly RecordField[] = [['gsiv', 0, 4], ['flags', 4, 4]];

const MAPPINGS: RecordArray = {
  name: 'idMappings', size: 20, referenceField: 12, referenceKey: 'mappingArrayOffset', countField: 8, countKey: 'mappingCount',
  fields: [['inputBase', 0, 4], ['idCount', 4, 4], ['outputBase', 8, 4]],
  special(writer, at, mapping, where, resolve) {
    writer.uint(at + 12, 4, resolve(mapping.outputReference ?? 0, `${where}.outputReference`));
    writer.uint(at + 16, 4, flagsOf(mapping, 'flags', 32, where, { singleMapping: MAP_FLAG_SINGLE }));
  },
};

const RMR_DESCRIPTORS: RecordArray = {
  name: 'memoryRanges', size: 20, referenceField: 24, referenceKey: 'descriptorArrayOffset', countField: 20, countKey: 'descriptorCount',
  fields: [['baseAddress', 0, 8], ['length', 8, 8], ['reserved', 16, 4]],
};

function smmuArrays(node: NodeModel, path: string): NodeArray[] {
  const global = node.globalInterrupts as NodeModel | undefined;
  const globalItems = global === undefined ? [] : [global.nonSecureGlobal as NodeModel, global.nonSecureConfigAccess as NodeModel].map((item) => item ?? {});
  /** `<prefix>Interrupts` records, referenced by `<prefix>InterruptArrayOffset`, counted by `<prefix>InterruptCount`. */
  const interrupts = (prefix: string, referenceField: number, countField?: number): RecordArray => ({
    name: `${prefix}Interrupts`, size: 8, fields: INTERRUPT_FIELDS, referenceField, referenceKey: `${prefix}InterruptArrayOffset`,
    countField, countKey: countField === undefined ? undefined : `${prefix}InterruptCount`,
  });
  return [
    recordArray(interrupts('global', 40), globalItems, node, path),
    recordArray(interrupts('context', 48, 44), list(node, 'contextInterrupts', path), node, path),
    recordArray(interrupts('pmu', 56, 52), list(node, 'pmuInterrupts', path), node, path),
  ];
}

/** Everything `iort.ts` needs to lay out and write one node. */
export function planNode(node: NodeModel, path: string): NodePlan {
  const { type, kind } = nodeKindOf(node, path);
  const rows = ROWS[kind] ?? [];
  let fixedEnd = BASE_FIXED[kind] ?? 16;
  for (const [name, , , extendsTo] of rows) if (extendsTo !== undefined && node[name] !== undefined) fixedEnd = Math.max(fixedEnd, extendsTo);
  const identifiers = kind === 'its-group' ? list(node, 'itsIdentifiers', path) : [];
  if (kind === 'its-group') fixedEnd += 4 * identifiers.length;
  if (kind === 'named-component') fixedEnd = nameEnd(node, 29, path);
  if (kind === 'iwb') fixedEnd = nameEnd(node, 26, path);
  const body = optionalBytes(node.body, `${path}.body`);
  const arrays = kind === 'smmu-v1v2' ? smmuArrays(node, path) : [];
  arrays.push(recordArray(MAPPINGS, list(node, 'idMappings', path), node, path));
  if (kind === 'rmr') arrays.push(recordArray(RMR_DESCRIPTORS, list(node, 'memoryRanges', path), node, path));
  return {
    type, rows, arrays,
    fixedEnd: fixedEnd + (body?.length ?? 0),
    writeExtra(writer, base, resolve) {
      if (kind === 'its-group') {
        writer.uint(base + 16, 4, count(node, 'itsCount', identifiers.length, path));
        identifiers.forEach((id, index) => writer.uint(base + 20 + 4 * index, 4, unsigned(id, 32, `${path}.itsIdentifiers[${index}]`)));
      }
      if (kind === 'named-component') {
        writeMemoryAccess(writer, base + 20, node, path);
        writeName(writer, base, 29, node);
      }
      if (kind === 'root-complex') writeMemoryAccess(writer, base + 16, node, path);
      if (kind === 'iwb') writeName(writer, base, 26, node);
      if (kind === 'pmcg') writer.uint(base + 28, 4, resolve(node.nodeReference ?? 0, `${path}.nodeReference`));
      if (body !== undefined) writer.bytes(base + fixedEnd, body);
    },
  };
}
