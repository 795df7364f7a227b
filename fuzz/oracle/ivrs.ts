/**
 * Oracle IVRS reading (AMD IOMMU specification §5.2, ACPICA actbl2.h `ACPI_IVRS_*`), written with
 * binary-parser and sharing nothing with src/ivrs: the 48-byte header, blocks framed by their
 * u16 Length, IVHD and IVMD fields, and IVHD device entries framed by the type's length bits
 * (0xF0: 22 + UID length). Unknown blocks keep only their frame.
 */
import { Parser, latin1, padded, sdtHeader, tableWindow } from './common.js';

const ivrs = new Parser()
  .endianness('little')
  .nest('header', { type: sdtHeader })
  .uint32('ivinfoRaw')
  .uint64('reserved')
  .array('blocks', {
    type: new Parser().endianness('little').saveOffset('offset').uint8('type').uint8('flags').uint16('length').seek(-4).buffer('raw', { length: 'length' }),
    readUntil: 'eof',
  });

const ivhdCommon = (parser: Parser) => parser.endianness('little').seek(4).uint16('deviceId').uint16('capabilityOffset').uint64('baseAddress').uint16('pciSegmentGroup').uint16('info');
const IVHD: Record<number, Parser> = {
  0x10: ivhdCommon(new Parser()).uint32('featureReporting'),
  0x11: ivhdCommon(new Parser()).uint32('attributes').uint64('efrRegisterImage').uint64('efrRegisterImage2'),
};
IVHD[0x40] = IVHD[0x11]!;
const IVHD_SIZE: Record<number, number> = { 0x10: 24, 0x11: 40, 0x40: 40 };

const ivmd = new Parser().endianness('little').seek(4).uint16('deviceId').uint16('auxiliaryData').uint16('pciSegmentGroup').seek(6).uint64('startAddress').uint64('memoryLength');

const entryHeader = new Parser().endianness('little').uint8('type').uint16('deviceId').uint8('dataSetting');
const ENTRY_TAIL: Record<number, Parser> = {
  0x42: new Parser().endianness('little').seek(4).uint8('reservedByte4').uint16('sourceDeviceId').uint8('reservedByte7'),
  0x46: new Parser().endianness('little').seek(4).uint32('extendedData'),
  0x48: new Parser().endianness('little').seek(4).uint8('handle').uint16('sourceDeviceId').uint8('variety'),
  0xf0: new Parser().endianness('little').seek(4).buffer('hidBytes', { length: 8 }).buffer('cidBytes', { length: 8 }).uint8('uidFormat').uint8('uidLength'),
};
ENTRY_TAIL[0x43] = ENTRY_TAIL[0x42]!;
ENTRY_TAIL[0x40] = ENTRY_TAIL[0x46]!;
ENTRY_TAIL[0x47] = ENTRY_TAIL[0x46]!;

/** 8 HID/CID bytes as our JSON gives them: printable text, or the integer. */
function idFields(name: 'hid' | 'cid', bytes: Uint8Array): Record<string, unknown> {
  const text = latin1(bytes);
  const value = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  return text.length > 0 && /^[\x20-\x7e]+$/.test(text) ? { [name]: text, [`${name}Value`]: value } : { [`${name}Value`]: value };
}

function entries(raw: Uint8Array, start: number, base: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let at = start;
  while (at < raw.length) {
    const type = raw[at]!;
    const length = type === 0xf0 ? (at + 21 < raw.length ? 22 + raw[at + 21]! : Infinity) : 4 << (type >> 6);
    if (at + length > raw.length) break;
    const bytes = raw.subarray(at, at + length);
    const entry: Record<string, unknown> = { offset: base + at, length, ...(entryHeader.parse(bytes) as object) };
    const tail = ENTRY_TAIL[type];
    if (tail !== undefined) {
      const { hidBytes, cidBytes, ...fields } = tail.parse(padded(bytes, 22)) as Record<string, unknown>;
      Object.assign(entry, fields);
      if (type === 0xf0) Object.assign(entry, idFields('hid', hidBytes as Uint8Array), idFields('cid', cidBytes as Uint8Array));
    }
    out.push(entry);
    at += length;
  }
  return out;
}

function blockJson(block: { offset: number; type: number; flags: number; length: number; raw: Uint8Array }): Record<string, unknown> {
  const { raw, ...frame } = block;
  const size = IVHD_SIZE[block.type];
  if (size !== undefined && block.length >= size) return { ...frame, ...(IVHD[block.type]!.parse(raw) as object), entries: entries(raw, size, block.offset) };
  if ([0x20, 0x21, 0x22].includes(block.type) && block.length >= 32) return { ...frame, ...(ivmd.parse(raw) as object) };
  return frame;
}

/** The oracle's reading: the fields it decodes, under the parser's JSON names. */
export function oracleIvrs(bytes: Uint8Array): Record<string, unknown> {
  const { ivinfoRaw, blocks, ...table } = ivrs.parse(tableWindow(bytes)) as { ivinfoRaw: number; blocks: Parameters<typeof blockJson>[0][] } & Record<string, unknown>;
  return { ...table, ivinfo: { raw: ivinfoRaw }, blocks: blocks.map(blockJson) };
}
