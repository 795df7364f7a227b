/**
 * Oracle IORT reading (DEN0049 as restated in docs/spec.md §3), written with binary-parser:
 * the table frames the node array; each node's bytes are then read by a per-type parser, its
 * arrays through their node-relative references, and optional fields kept by the revision +
 * space rule of §3.1.
 */
import { Parser, omit, padded, sdtHeader, tableWindow, untilNul } from './common.js';

type This = { nodeArrayOffset: number };

const nodeFrame = new Parser()
  .endianness('little')
  .saveOffset('offset')
  .uint8('type')
  .uint16('length')
  .uint8('revision')
  .uint32('identifier')
  .uint32('mappingCount')
  .uint32('mappingArrayOffset')
  .seek(-16)
  .buffer('raw', { length: 'length' });

const iort = new Parser()
  .endianness('little')
  .nest('header', { type: sdtHeader })
  .uint32('nodeCount')
  .uint32('nodeArrayOffset')
  .uint32('reserved')
  .seek(function (this: This) { return this.nodeArrayOffset - 48; })
  .array('nodes', { type: nodeFrame, length: 'nodeCount' });

const memoryAccess = new Parser().endianness('little').uint32('cacheCoherency').uint8('allocationHints').uint16('reserved').uint8('memoryAccessFlags');
const mapping = new Parser().endianness('little').uint32('inputBase').uint32('idCount').uint32('outputBase').uint32('outputReference').uint32('flags');
const interrupt = new Parser().endianness('little').uint32('gsiv').uint32('flags');
const rmrDescriptor = new Parser().endianness('little').uint64('baseAddress').uint64('length').uint32('reserved');
const afterHeader = () => new Parser().endianness('little').seek(16);

const BODIES: Record<number, Parser> = {
  0: afterHeader().uint32('itsCount'),
  1: afterHeader().uint32('nodeFlags').nest('memoryAccess', { type: memoryAccess }).uint8('deviceMemoryAddressSizeLimit'),
  2: afterHeader().nest('memoryAccess', { type: memoryAccess }).uint32('atsAttribute').uint32('pciSegmentNumber').uint8('memoryAddressSizeLimit').uint16('pasidCapabilities').uint8('rcReserved').uint32('flags'),
  3: afterHeader()
    .uint64('baseAddress').uint64('span').uint32('model').uint32('flags').uint32('globalInterruptArrayOffset')
    .uint32('contextInterruptCount').uint32('contextInterruptArrayOffset').uint32('pmuInterruptCount').uint32('pmuInterruptArrayOffset'),
  4: afterHeader()
    .uint64('baseAddress').uint32('flags').uint32('smmuReserved').uint64('vatosAddress').uint32('model').uint32('eventGsiv')
    .uint32('priGsiv').uint32('gerrGsiv').uint32('syncGsiv').uint32('proximityDomain').uint32('deviceIdMappingIndex'),
  5: afterHeader().uint64('page0BaseAddress').uint32('overflowGsiv').uint32('nodeReference').uint64('page1BaseAddress'),
  6: afterHeader().uint32('flags').uint32('descriptorCount').uint32('descriptorArrayOffset'),
  7: afterHeader().uint64('configFrameBase').uint16('iwbIndex'),
};

/** Fixed part every node of a type needs before the oracle reads it as that type. */
const MINIMUM: Record<number, number> = { 0: 20, 1: 29, 2: 32, 3: 60, 4: 60, 5: 32, 6: 28, 7: 26 };

interface Frame { offset: number; type: number; length: number; revision: number; mappingCount: number; mappingArrayOffset: number; raw: Uint8Array }

/** `count` items of `size` bytes at node-relative `ref`, parsed with `item`, or [] when not inside the node. */
function arrayAt(frame: Frame, ref: number, count: number, size: number, item: Parser): Record<string, unknown>[] {
  if (count === 0 || ref < 16 || ref + count * size > frame.length) return [];
  const list = new Parser().array('items', { type: item, length: count }).parse(frame.raw.subarray(ref)) as { items: Record<string, unknown>[] };
  return list.items.map((entry, index) => ({ ...entry, offset: frame.offset + ref + index * size }));
}

function nodeJson(frame: Frame): Record<string, unknown> {
  const { raw, ...header } = frame;
  const node: Record<string, unknown> = { ...header, idMappings: arrayAt(frame, frame.mappingArrayOffset, frame.mappingCount, 20, mapping) };
  const body = BODIES[frame.type];
  if (body === undefined || frame.length < MINIMUM[frame.type]!) return node;
  const fields = body.parse(padded(raw, 128)) as Record<string, unknown>;
  Object.assign(node, omit(fields, 'rcReserved', 'smmuReserved'));
  const limit = frame.mappingCount > 0 && frame.mappingArrayOffset >= 16 ? Math.min(frame.length, frame.mappingArrayOffset) : frame.length;
  const keep = (name: string, end: number, revision: number) => {
    if (frame.revision < revision || end > limit) delete node[name];
  };
  const name = (at: number) => {
    const window = raw.subarray(at, Math.max(at, limit));
    node.deviceName = untilNul(window);
    node.deviceNameTerminated = window.includes(0);
  };
  switch (frame.type) {
    case 0:
      node.itsIdentifiers = arrayAt(frame, 20, fields.itsCount as number, 4, new Parser().uint32le('id')).map((entry) => entry.id);
      break;
    case 1:
      name(29);
      break;
    case 2:
      keep('memoryAddressSizeLimit', 33, 1);
      keep('pasidCapabilities', 35, 4);
      keep('flags', 40, 4);
      break;
    case 3: {
      const global = arrayAt(frame, fields.globalInterruptArrayOffset as number, 2, 8, interrupt);
      node.globalInterrupts = global.length === 2 ? { nonSecureGlobal: global[0], nonSecureConfigAccess: global[1] } : undefined;
      node.contextInterrupts = arrayAt(frame, fields.contextInterruptArrayOffset as number, fields.contextInterruptCount as number, 8, interrupt);
      node.pmuInterrupts = arrayAt(frame, fields.pmuInterruptArrayOffset as number, fields.pmuInterruptCount as number, 8, interrupt);
      break;
    }
    case 4:
      keep('proximityDomain', 64, 1);
      keep('deviceIdMappingIndex', 68, 1);
      break;
    case 5:
      keep('page1BaseAddress', 40, 0);
      break;
    case 6:
      node.memoryRanges = arrayAt(frame, fields.descriptorArrayOffset as number, fields.descriptorCount as number, 20, rmrDescriptor);
      break;
    case 7:
      name(26);
      break;
  }
  return node;
}

/** The oracle's reading: the fields it decodes, under the parser's JSON names. */
export function oracleIort(bytes: Uint8Array): Record<string, unknown> {
  const table = iort.parse(tableWindow(bytes)) as Record<string, unknown> & { nodes: Frame[] };
  return { ...omit(table, 'reserved'), nodes: table.nodes.map(nodeJson) };
}
