/**
 * Oracle MADT reading (ACPI §5.2.12 as restated in docs/spec.md §4), written with
 * binary-parser. Each type is a sequence of fields from byte 2 on (`-N` skips N reserved
 * bytes); a field is kept only when it ends inside the subtable's Length. Types 0x11–0x1B
 * (LoongArch, RISC-V) are framed but their fields are not decoded here.
 */
import { Parser, latin1, padded, sdtHeader, tableWindow } from './common.js';

type Kind = 'uint8' | 'uint16le' | 'uint32le' | 'uint64le';
const SIZE: Record<Kind, number> = { uint8: 1, uint16le: 2, uint32le: 4, uint64le: 8 };
type Step = readonly [name: string, kind: Kind] | number;

const b = 'uint8', w = 'uint16le', d = 'uint32le', q = 'uint64le';

const SEQUENCES: Record<number, readonly Step[]> = {
  0x00: [['processorUid', b], ['apicId', b], ['flags', d]],
  0x01: [['ioApicId', b], 1, ['ioApicAddress', d], ['globalSystemInterruptBase', d]],
  0x02: [['bus', b], ['source', b], ['globalSystemInterrupt', d], ['flags', w]],
  0x03: [['flags', w], ['globalSystemInterrupt', d]],
  0x04: [['processorUid', b], ['flags', w], ['localApicLint', b]],
  0x05: [2, ['localApicAddress', q]],
  0x06: [['ioSapicId', b], 1, ['globalSystemInterruptBase', d], ['ioSapicAddress', q]],
  0x07: [['processorId', b], ['localSapicId', b], ['localSapicEid', b], 3, ['flags', d], ['processorUid', d]],
  0x08: [['flags', w], ['interruptType', b], ['processorId', b], ['processorEid', b], ['ioSapicVector', b], ['globalSystemInterrupt', d], ['platformInterruptSourceFlags', d]],
  0x09: [2, ['x2apicId', d], ['flags', d], ['processorUid', d]],
  0x0a: [['flags', w], ['processorUid', d], ['localX2apicLint', b]],
  0x0b: [
    2, ['cpuInterfaceNumber', d], ['processorUid', d], ['flags', d], ['parkingProtocolVersion', d], ['performanceInterruptGsiv', d],
    ['parkedAddress', q], ['baseAddress', q], ['gicvBaseAddress', q], ['gichBaseAddress', q], ['vgicMaintenanceInterrupt', d],
    ['gicrBaseAddress', q], ['mpidr', q], ['processorPowerEfficiencyClass', b], 1, ['speOverflowInterrupt', w], ['trbeInterrupt', w],
    ['iaffid', w], ['irsId', d],
  ],
  0x0c: [2, ['gicId', d], ['baseAddress', q], ['systemVectorBase', d], ['gicVersion', b]],
  0x0d: [2, ['msiFrameId', d], ['baseAddress', q], ['flags', d], ['spiCount', w], ['spiBase', w]],
  0x0e: [['flags', b], 1, ['discoveryRangeBaseAddress', q], ['discoveryRangeLength', d]],
  0x0f: [['flags', b], 1, ['translationId', d], ['baseAddress', q]],
  0x10: [['mailboxVersion', w], 4, ['mailboxAddress', q], ['resetVector', q]],
  0x1c: [['gicVersion', b], 1, ['irsId', d], ['flags', d], 4, ['configFrameBaseAddress', q], ['setlpiFrameBaseAddress', q]],
  0x1d: [['flags', b], 1, ['itsId', d], ['baseAddress', q]],
  0x1e: [2, ['linkedItsId', d], ['translateFrameId', d], 4, ['baseAddress', q]],
};

/** Per type: its parser (from byte 0 of the subtable) and where each field ends. */
const READERS = new Map<number, { parser: Parser; ends: Map<string, number> }>(
  Object.entries(SEQUENCES).map(([type, steps]) => {
    let parser = new Parser().endianness('little').seek(2);
    let at = 2;
    const ends = new Map<string, number>();
    for (const step of steps) {
      if (typeof step === 'number') {
        parser = parser.seek(step);
        at += step;
        continue;
      }
      const [name, kind] = step;
      parser = parser[kind](name);
      at += SIZE[kind];
      ends.set(name, at);
    }
    return [Number(type), { parser, ends }];
  }),
);

const entryFrame = new Parser().saveOffset('offset').uint8('type').uint8('length').seek(-2).buffer('raw', { length: 'length' });

const madt = new Parser()
  .endianness('little')
  .nest('header', { type: sdtHeader })
  .uint32('localInterruptControllerAddress')
  .uint32('flags')
  .array('entries', { type: entryFrame, readUntil: 'eof' });

/** MADT revision from which GICR / GIC ITS byte 2 is a Flags byte (before: reserved). */
const GIC_FLAGS_SINCE = 7;

function entryJson(entry: { offset: number; type: number; length: number; raw: Uint8Array }, revision: number): Record<string, unknown> {
  const { raw, ...frame } = entry;
  const json: Record<string, unknown> = { ...frame };
  if (entry.type >= 0x80) json.oemData = Array.from(raw.subarray(2));
  if (entry.type === 0x07 && entry.length > 16) {
    const text = raw.subarray(16);
    const nul = text.indexOf(0);
    json.processorUidString = latin1(nul < 0 ? text : text.subarray(0, nul));
  }
  const reader = READERS.get(entry.type);
  if (reader === undefined) return json;
  const fields = reader.parser.parse(padded(raw, 96)) as Record<string, unknown>;
  for (const [name, end] of reader.ends) if (end <= entry.length) json[name] = fields[name];
  if ((entry.type === 0x0e || entry.type === 0x0f) && revision < GIC_FLAGS_SINCE) delete json.flags;
  return json;
}

/** The oracle's reading: the fields it decodes, under the parser's JSON names. */
export function oracleMadt(bytes: Uint8Array): Record<string, unknown> {
  const table = madt.parse(tableWindow(bytes)) as { header: { revision: number }; entries: Parameters<typeof entryJson>[0][] } & Record<string, unknown>;
  return { ...table, entries: table.entries.map((entry) => entryJson(entry, table.header.revision)) };
}
