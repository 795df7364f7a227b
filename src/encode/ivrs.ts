/**
 * IVRS model → bytes (AMD IOMMU specification §5.2). The model is `parseIvrs(bytes).toJSON()`'s shape:
 * IVinfo, and blocks (IVHD with device entries, IVMD, or `unknown` with a payload). Lengths and
 * the checksum are computed when absent and honoured when present; a block occupies
 * max(its content, its Length) bytes, zero-padded.
 */
import {
  BLOCK_DEVICE_ID, BLOCK_FLAGS, BLOCK_HEADER_SIZE, BLOCK_LENGTH, ENTRY_DATA_SETTING, ENTRY_DEVICE_ID, ENTRY_KINDS,
  ENTRY_TYPE_ACPI_HID, HID_CID, HID_HID, HID_UID, HID_UID_FORMAT, HID_UID_LENGTH, IVHD_BASE_ADDRESS,
  IVHD_CAPABILITY_OFFSET, IVHD_EFR_IMAGE, IVHD_EFR_IMAGE_2, IVHD_FEATURES, IVHD_INFO, IVHD_PCI_SEGMENT, IVHD_TYPES,
  IVHD_TYPE_10, IVINFO_DMA_GUARD_OPT_IN, IVINFO_EFR_SUPPORTED, IVINFO_HT_ATS_RESERVED, IVMD_AUXILIARY,
  IVMD_FLAG_EXCLUSION, IVMD_FLAG_READ, IVMD_FLAG_UNITY, IVMD_FLAG_WRITE, IVMD_LENGTH, IVMD_PCI_SEGMENT,
  IVMD_RESERVED, IVMD_SIZE, IVMD_START, IVMD_TYPES, IVRS_HEADER_SIZE, IVRS_IVINFO, IVRS_RESERVED, fixedEntryLength,
  ivhdHeaderSize,
} from '../ivrs/layout.js';
import { finishTable, writeSdtHeader, type SdtHeaderModel } from './sdt.js';
import { EncodeError, flagsOf, optionalBigInt, optionalBytes, optionalUnsigned, unsigned, unsignedBig, type NumberLike } from './values.js';
import { ByteWriter, writeSequence } from './writer.js';

/** One IVHD device entry: `type` (or a known `kind`) plus its kind's fields. */
export interface IvrsEntryModel {
  type?: number;
  kind?: string;
  deviceId?: NumberLike;
  dataSetting?: NumberLike;
  sourceDeviceId?: NumberLike;
  reservedByte4?: NumberLike;
  reservedByte7?: NumberLike;
  extendedData?: NumberLike;
  handle?: NumberLike;
  variety?: NumberLike;
  /** ACPI HID entry: `hid`/`cid` as text (8 bytes), or `hidValue`/`cidValue` as integers. */
  hid?: string;
  hidValue?: NumberLike;
  cid?: string;
  cidValue?: NumberLike;
  uidFormat?: NumberLike;
  /** Defaults to the UID's byte count. */
  uidLength?: NumberLike;
  /** A string (format 2) or an integer written little-endian over `uidLength` bytes (format 1). */
  uid?: NumberLike;
  /** Unknown entry types: the bytes after the 4-byte header. */
  payload?: unknown;
  [field: string]: unknown;
}

/** One block: IVHD (`type` 0x10/0x11/0x40), IVMD (0x20–0x22), or `kind: 'unknown'` with a payload. */
export interface IvrsBlockModel {
  type?: number;
  kind?: string;
  length?: number;
  flags?: NumberLike;
  entries?: readonly IvrsEntryModel[];
  payload?: unknown;
  [field: string]: unknown;
}

export interface IvrsModel {
  signature?: string;
  header?: SdtHeaderModel | undefined;
  /** The raw u32, or the decoded object `toJSON` gives (`raw` wins when present). */
  ivinfo?: NumberLike | Record<string, unknown> | undefined;
  reserved?: NumberLike | undefined;
  blocks?: readonly IvrsBlockModel[];
  trailing?: unknown;
}

const IVHD_FLAG_BITS = { htTunnel: 1, passPw: 2, resPassPw: 4, isoc: 8, iotlbSupport: 16, coherent: 32, prefetchSupport: 64, pprSupport: 128 };
const IVMD_FLAG_BITS = { unity: IVMD_FLAG_UNITY, readable: IVMD_FLAG_READ, writeable: IVMD_FLAG_WRITE, exclusionRange: IVMD_FLAG_EXCLUSION };
const ENTRY_TYPE_BY_KIND = new Map(Object.entries(ENTRY_KINDS).map(([type, kind]) => [kind as string, Number(type)]));

export function encodeIvrs(model: IvrsModel): Uint8Array {
  const writer = new ByteWriter();
  writeSdtHeader(writer, model.header, { signature: 'IVRS', revision: 2 });
  writer.uint(IVRS_IVINFO, 4, ivinfoOf(model.ivinfo));
  writer.uint(IVRS_RESERVED, 8, unsignedBig(model.reserved, 64, 'reserved'));
  writer.reserve(IVRS_HEADER_SIZE);
  writeSequence(IVRS_HEADER_SIZE, model.blocks, 'blocks', (at, block, path) => writeBlock(writer, at, block, path));
  return finishTable(writer, model.header, optionalBytes(model.trailing, 'trailing'));
}

function ivinfoOf(value: IvrsModel['ivinfo']): number {
  if (value === undefined || value === null || typeof value !== 'object') return unsigned(value, 32, 'ivinfo');
  if (value.raw !== undefined) return unsigned(value.raw, 32, 'ivinfo.raw');
  const flags = flagsOf(value, 'raw', 32, 'ivinfo', { efrSupported: IVINFO_EFR_SUPPORTED, dmaGuardOptIn: IVINFO_DMA_GUARD_OPT_IN, htAtsReserved: IVINFO_HT_ATS_RESERVED });
  const field = (name: string, bits: number, shift: number) => unsigned(value[name], bits, `ivinfo.${name}`) << shift;
  return (flags | field('guestVirtualAddressSize', 3, 5) | field('physicalAddressSize', 7, 8) | field('virtualAddressSize', 7, 15)) >>> 0;
}

function blockType(block: IvrsBlockModel, path: string): number {
  if (block.type === undefined) throw new EncodeError(path, 'needs a type (IVHD 0x10/0x11/0x40, IVMD 0x20–0x22, or any type with kind "unknown")');
  return unsigned(block.type, 8, `${path}.type`);
}

/** Writes one block at `at`; returns the bytes it occupies. */
function writeBlock(writer: ByteWriter, at: number, block: IvrsBlockModel, path: string): number {
  const type = blockType(block, path);
  const declared = optionalUnsigned(block.length, 16, `${path}.length`);
  writer.uint(at, 1, type);
  let end: number;
  if (block.kind === 'unknown' || (!IVHD_TYPES.includes(type) && !IVMD_TYPES.includes(type))) {
    writer.uint(at + BLOCK_FLAGS, 1, unsigned(block.flags, 8, `${path}.flags`));
    const payload = optionalBytes(block.payload, `${path}.payload`) ?? new Uint8Array(0);
    writer.bytes(at + BLOCK_HEADER_SIZE, payload);
    end = at + BLOCK_HEADER_SIZE + payload.length;
  } else if (IVHD_TYPES.includes(type)) {
    end = writeIvhd(writer, at, type, block, path);
  } else {
    end = writeIvmd(writer, at, block, path);
  }
  const length = declared ?? end - at;
  writer.uint(at + BLOCK_LENGTH, 2, length);
  writer.reserve(at + length);
  return Math.max(length, end - at);
}

function writeIvhd(writer: ByteWriter, at: number, type: number, block: IvrsBlockModel, path: string): number {
  writer.uint(at + BLOCK_FLAGS, 1, flagsOf(block, 'flags', 8, path, IVHD_FLAG_BITS));
  writer.uint(at + BLOCK_DEVICE_ID, 2, unsigned(block.deviceId, 16, `${path}.deviceId`));
  writer.uint(at + IVHD_CAPABILITY_OFFSET, 2, unsigned(block.capabilityOffset, 16, `${path}.capabilityOffset`));
  writer.uint(at + IVHD_BASE_ADDRESS, 8, unsignedBig(block.baseAddress, 64, `${path}.baseAddress`));
  writer.uint(at + IVHD_PCI_SEGMENT, 2, unsigned(block.pciSegmentGroup, 16, `${path}.pciSegmentGroup`));
  writer.uint(at + IVHD_INFO, 2, unsigned(block.info, 16, `${path}.info`));
  if (type === IVHD_TYPE_10) {
    writer.uint(at + IVHD_FEATURES, 4, unsigned(block.featureReporting, 32, `${path}.featureReporting`));
  } else {
    writer.uint(at + IVHD_FEATURES, 4, unsigned(block.attributes, 32, `${path}.attributes`));
    writer.uint(at + IVHD_EFR_IMAGE, 8, unsignedBig(block.efrRegisterImage, 64, `${path}.efrRegisterImage`));
    writer.uint(at + IVHD_EFR_IMAGE_2, 8, unsignedBig(block.efrRegisterImage2, 64, `${path}.efrRegisterImage2`));
  }
  return writeSequence(at + ivhdHeaderSize(type), block.entries, `${path}.entries`, (entryAt, entry, entryPath) => writeEntry(writer, entryAt, entry, entryPath));
}

function writeIvmd(writer: ByteWriter, at: number, block: IvrsBlockModel, path: string): number {
  writer.uint(at + BLOCK_FLAGS, 1, flagsOf(block, 'flags', 8, path, IVMD_FLAG_BITS));
  writer.uint(at + BLOCK_DEVICE_ID, 2, unsigned(block.deviceId, 16, `${path}.deviceId`));
  writer.uint(at + IVMD_AUXILIARY, 2, unsigned(block.auxiliaryData, 16, `${path}.auxiliaryData`));
  writer.uint(at + IVMD_PCI_SEGMENT, 2, unsigned(block.pciSegmentGroup, 16, `${path}.pciSegmentGroup`));
  const reserved = unsignedBig(block.reserved, 48, `${path}.reserved`);
  writer.uint(at + IVMD_RESERVED, 4, Number(reserved & 0xffffffffn));
  writer.uint(at + IVMD_RESERVED + 4, 2, Number(reserved >> 32n));
  writer.uint(at + IVMD_START, 8, unsignedBig(block.startAddress, 64, `${path}.startAddress`));
  writer.uint(at + IVMD_LENGTH, 8, unsignedBig(block.memoryLength, 64, `${path}.memoryLength`));
  return at + IVMD_SIZE;
}

function entryType(entry: IvrsEntryModel, path: string): number {
  if (entry.type !== undefined) return unsigned(entry.type, 8, `${path}.type`);
  const type = entry.kind === undefined ? undefined : ENTRY_TYPE_BY_KIND.get(entry.kind);
  if (type === undefined) throw new EncodeError(path, 'needs a type, or the kind of a known device entry');
  return type;
}

/** Writes one device entry at `at`; returns its length. */
function writeEntry(writer: ByteWriter, at: number, entry: IvrsEntryModel, path: string): number {
  const type = entryType(entry, path);
  writer.uint(at, 1, type);
  writer.uint(at + ENTRY_DEVICE_ID, 2, unsigned(entry.deviceId, 16, `${path}.deviceId`));
  writer.uint(at + ENTRY_DATA_SETTING, 1, unsigned(entry.dataSetting, 8, `${path}.dataSetting`));
  if (type === ENTRY_TYPE_ACPI_HID) return writeHid(writer, at, entry, path);
  const length = fixedEntryLength(type)!;
  writer.reserve(at + length);
  const byte = (name: string, offset: number) => entry[name] !== undefined && writer.uint(at + offset, 1, unsigned(entry[name], 8, `${path}.${name}`));
  byte('reservedByte4', 4);
  byte('handle', 4);
  byte('reservedByte7', 7);
  byte('variety', 7);
  if (entry.sourceDeviceId !== undefined) writer.uint(at + 5, 2, unsigned(entry.sourceDeviceId, 16, `${path}.sourceDeviceId`));
  if (entry.extendedData !== undefined) writer.uint(at + 4, 4, unsigned(entry.extendedData, 32, `${path}.extendedData`));
  const payload = optionalBytes(entry.payload, `${path}.payload`);
  if (payload !== undefined) writer.bytes(at + 4, payload.subarray(0, length - 4));
  return length;
}

function writeId(writer: ByteWriter, at: number, text: string | undefined, value: unknown, path: string): void {
  if (text !== undefined) writer.text(at, text, 8);
  else writer.uint(at, 8, unsignedBig(value, 64, path));
}

function writeHid(writer: ByteWriter, at: number, entry: IvrsEntryModel, path: string): number {
  writeId(writer, at + HID_HID, entry.hid, entry.hidValue, `${path}.hidValue`);
  writeId(writer, at + HID_CID, entry.cid, entry.cidValue, `${path}.cidValue`);
  writer.uint(at + HID_UID_FORMAT, 1, unsigned(entry.uidFormat, 8, `${path}.uidFormat`));
  const uid = uidBytes(entry, path);
  const length = optionalUnsigned(entry.uidLength, 8, `${path}.uidLength`) ?? uid.length;
  writer.uint(at + HID_UID_LENGTH, 1, length);
  writer.reserve(at + HID_UID + length);
  writer.bytes(at + HID_UID, uid.subarray(0, length));
  return HID_UID + length;
}

/** The UID's bytes: format 2, a string's characters; otherwise an integer little-endian in `uidLength` (default: fewest) bytes. */
function uidBytes(entry: IvrsEntryModel, path: string): Uint8Array {
  if (entry.uid === undefined) return new Uint8Array(0);
  if (typeof entry.uid === 'string' && Number(entry.uidFormat) === 2) return Uint8Array.from(entry.uid, (char) => char.charCodeAt(0) & 0xff);
  let value = optionalBigInt(entry.uid, `${path}.uid`)!;
  const count = optionalUnsigned(entry.uidLength, 8, `${path}.uidLength`) ?? Math.max(1, Math.ceil(value.toString(16).length / 2));
  const bytes = new Uint8Array(count);
  for (let index = 0; index < count; index++, value >>= 8n) bytes[index] = Number(value & 0xffn);
  return bytes;
}
