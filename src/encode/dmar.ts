/**
 * DMAR model → bytes (docs/spec.md §2). The model is `parseDmar(bytes).toJSON()`'s shape;
 * lengths and the checksum are computed when absent and honoured when present, so a lying
 * Length can be built on purpose. A structure occupies max(its content, its Length) bytes:
 * a Length beyond the content is zero padding, a shorter one leaves the content to spill over.
 */
import {
  ANDD, ATSR, ATSR_FLAG_ALL_PORTS, DMAR_FLAGS_OFFSET, DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN, DMAR_FLAG_INTR_REMAP,
  DMAR_FLAG_X2APIC_OPT_OUT, DMAR_HEADER_SIZE, DMAR_HOST_ADDRESS_WIDTH_OFFSET, DMAR_RESERVED_OFFSET, DRHD,
  DRHD_FLAG_INCLUDE_PCI_ALL, RHSA, RMRR, SATC, SATC_FLAG_ATC_REQUIRED, SCOPE, SCOPE_KINDS, SEGMENT_OFFSET, SIDP,
  STRUCTURE_LAYOUTS, STRUCTURE_LENGTH_OFFSET,
} from '../dmar/layout.js';
import { finishTable, writeSdtHeader, type SdtHeaderModel } from './sdt.js';
import { EncodeError, listAt, objectAt, flagsOf, optionalBytes, optionalUnsigned, unsigned, unsignedBig, type NumberLike } from './values.js';
import { ByteWriter, writeSequence, type Width } from './writer.js';

export interface DmarPathModel {
  device: NumberLike;
  function: NumberLike;
}

export interface DmarScopeModel {
  type?: number;
  kind?: string;
  length?: number;
  flags?: NumberLike;
  reserved?: NumberLike;
  enumerationId?: NumberLike;
  startBusNumber?: NumberLike;
  path?: readonly DmarPathModel[];
}

/** One remapping structure: header (`type` or `kind`, `length`) plus its kind's fields. */
export interface DmarStructureModel {
  type?: number;
  kind?: string;
  length?: number;
  deviceScopes?: readonly DmarScopeModel[];
  /** Bytes after the fixed part of an `unknown` structure (or after the name of an ANDD). */
  body?: unknown;
  [field: string]: unknown;
}

export interface DmarModel {
  signature?: string;
  header?: SdtHeaderModel | undefined;
  /** The real width in bits (stored as width − 1); `hostAddressWidthRaw` wins when both are given. */
  hostAddressWidth?: NumberLike | undefined;
  hostAddressWidthRaw?: NumberLike | undefined;
  flags?: NumberLike | undefined;
  interruptRemapping?: boolean;
  x2apicOptOut?: boolean;
  dmaControlPlatformOptIn?: boolean;
  /** Header bytes 38..47. */
  reserved?: unknown;
  structures?: readonly DmarStructureModel[];
  /** Bytes after the content, outside a computed Length. */
  trailing?: unknown;
}

type FieldRow = readonly [name: string, at: number, width: Width | 3];

/** Plain fields per structure kind (flags words are composed separately). */
const FIELDS: Readonly<Record<string, readonly FieldRow[]>> = {
  drhd: [['segmentNumber', SEGMENT_OFFSET, 2], ['registerBaseAddress', DRHD.registerBaseAddress, 8]],
  rmrr: [['reserved', RMRR.reserved, 2], ['segmentNumber', SEGMENT_OFFSET, 2], ['baseAddress', RMRR.baseAddress, 8], ['limitAddress', RMRR.limitAddress, 8]],
  atsr: [['reserved', ATSR.reserved, 1], ['segmentNumber', SEGMENT_OFFSET, 2]],
  rhsa: [['reserved', RHSA.reserved, 4], ['registerBaseAddress', RHSA.registerBaseAddress, 8], ['proximityDomain', RHSA.proximityDomain, 4]],
  andd: [['reserved', ANDD.reserved, 3], ['acpiDeviceNumber', ANDD.acpiDeviceNumber, 1]],
  satc: [['reserved', SATC.reserved, 1], ['segmentNumber', SEGMENT_OFFSET, 2]],
  sidp: [['reserved', SIDP.reserved, 2], ['segmentNumber', SEGMENT_OFFSET, 2]],
};

/** Flags words at +4 composed from the parsers' booleans when the raw byte is absent. */
const FLAG_BITS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  drhd: { includePciAll: DRHD_FLAG_INCLUDE_PCI_ALL },
  atsr: { allPorts: ATSR_FLAG_ALL_PORTS },
  satc: { atcRequired: SATC_FLAG_ATC_REQUIRED },
};

export function encodeDmar(model: DmarModel): Uint8Array {
  const writer = new ByteWriter();
  writeSdtHeader(writer, model.header, { signature: 'DMAR', revision: 1 });
  const raw = model.hostAddressWidthRaw ?? (model.hostAddressWidth === undefined ? 38 : unsigned(model.hostAddressWidth, 9, 'hostAddressWidth') - 1);
  writer.uint(DMAR_HOST_ADDRESS_WIDTH_OFFSET, 1, unsigned(raw, 8, 'hostAddressWidthRaw'));
  const flags = flagsOf(model as Record<string, unknown>, 'flags', 8, '', {
    interruptRemapping: DMAR_FLAG_INTR_REMAP, x2apicOptOut: DMAR_FLAG_X2APIC_OPT_OUT, dmaControlPlatformOptIn: DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN,
  });
  writer.uint(DMAR_FLAGS_OFFSET, 1, flags);
  writer.reserve(DMAR_HEADER_SIZE);
  const reserved = optionalBytes(model.reserved, 'reserved');
  if (reserved !== undefined) writer.bytes(DMAR_RESERVED_OFFSET, reserved.subarray(0, DMAR_HEADER_SIZE - DMAR_RESERVED_OFFSET));
  writeSequence(DMAR_HEADER_SIZE, model.structures, 'structures', (at, item, path) => writeStructure(writer, at, item, path));
  return finishTable(writer, model.header, optionalBytes(model.trailing, 'trailing'));
}

function structureType(structure: DmarStructureModel, path: string): number {
  if (structure.type !== undefined) return unsigned(structure.type, 16, `${path}.type`);
  const type = STRUCTURE_LAYOUTS.findIndex((layout) => layout.kind === structure.kind);
  if (type < 0) throw new EncodeError(path, `needs a type, or a kind among ${STRUCTURE_LAYOUTS.map((layout) => layout.kind).join(', ')}`);
  return type;
}

/** Writes one structure at `at`; returns the bytes it occupies. */
function writeStructure(writer: ByteWriter, at: number, structure: DmarStructureModel, path: string): number {
  const type = structureType(structure, path);
  const kind = structure.kind ?? STRUCTURE_LAYOUTS[type]?.kind ?? 'unknown';
  const layout = kind === 'unknown' ? undefined : STRUCTURE_LAYOUTS.find((entry) => entry.kind === kind);
  writer.uint(at, 2, type);
  let end = at + 4;
  if (layout !== undefined) {
    end = at + layout.fixedSize;
    writeFields(writer, at, structure, FIELDS[kind] ?? [], path);
    const bits = FLAG_BITS[kind];
    if (bits !== undefined) writer.uint(at + DRHD.flags, 1, flagsOf(structure, 'flags', 8, path, bits));
    if (kind === 'drhd') writer.uint(at + DRHD.size, 1, drhdSize(structure, path));
    if (kind === 'andd') end = writeName(writer, at + ANDD.objectName, structure, path);
    if (layout.scopesOffset !== undefined) {
      listAt(structure.deviceScopes, `${path}.deviceScopes`).forEach((scope, index) => {
        const where = `${path}.deviceScopes[${index}]`;
        end += writeScope(writer, end, objectAt(scope, where), where);
      });
    }
  }
  const body = optionalBytes(structure.body, `${path}.body`);
  if (body !== undefined) {
    writer.bytes(end, body);
    end += body.length;
  }
  const length = optionalUnsigned(structure.length, 16, `${path}.length`) ?? end - at;
  writer.uint(at + STRUCTURE_LENGTH_OFFSET, 2, length);
  writer.reserve(at + length);
  return Math.max(end - at, length);
}

function writeFields(writer: ByteWriter, at: number, model: Record<string, unknown>, rows: readonly FieldRow[], path: string): void {
  for (const [name, offset, width] of rows) {
    const value = unsignedBig(model[name], width * 8, `${path}.${name}`);
    if (width === 3) for (let index = 0; index < 3; index++) writer.uint(at + offset + index, 1, Number((value >> BigInt(8 * index)) & 0xffn));
    else writer.uint(at + offset, width, value);
  }
}

/** The raw Size byte, or log2 of `registerSetPages` when only that is given. */
function drhdSize(structure: DmarStructureModel, path: string): number {
  if (structure.size !== undefined) return unsigned(structure.size, 8, `${path}.size`);
  const pages = unsigned(structure.registerSetPages, 32, `${path}.registerSetPages`, 1);
  const log = Math.log2(pages);
  if (!Number.isInteger(log) || log > 15) throw new EncodeError(`${path}.registerSetPages`, `${pages} is not a power of two up to 2^15`);
  return log;
}

/** ANDD object name, NUL-terminated unless `objectNameTerminated` is false; returns the end offset. */
function writeName(writer: ByteWriter, at: number, structure: DmarStructureModel, path: string): number {
  const name = structure.objectName ?? '';
  if (typeof name !== 'string') throw new EncodeError(`${path}.objectName`, 'expected a string');
  return writer.cString(at, name, structure.objectNameTerminated !== false);
}

/** Writes one device scope at `at`; returns the bytes it occupies. */
function writeScope(writer: ByteWriter, at: number, scope: DmarScopeModel, path: string): number {
  const type = scope.type ?? Math.max(0, (SCOPE_KINDS as readonly string[]).indexOf(scope.kind ?? ''));
  const model = scope as Record<string, unknown>;
  writer.uint(at + SCOPE.type, 1, unsigned(type, 8, `${path}.type`));
  for (const name of ['flags', 'reserved', 'enumerationId', 'startBusNumber'] as const) {
    writer.uint(at + SCOPE[name], 1, unsigned(model[name], 8, `${path}.${name}`));
  }
  const hops = listAt(scope.path, `${path}.path`);
  hops.forEach((hop, index) => {
    objectAt(hop, `${path}.path[${index}]`);
    writer.uint(at + SCOPE.path + 2 * index, 1, unsigned(hop.device, 8, `${path}.path[${index}].device`));
    writer.uint(at + SCOPE.path + 2 * index + 1, 1, unsigned(hop.function, 8, `${path}.path[${index}].function`));
  });
  const natural = SCOPE.path + 2 * hops.length;
  const length = optionalUnsigned(scope.length, 8, `${path}.length`) ?? natural;
  writer.uint(at + SCOPE.length, 1, length);
  writer.reserve(at + length);
  return Math.max(natural, length);
}
