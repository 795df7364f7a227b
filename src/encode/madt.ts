/**
 * MADT (signature `APIC`) model → bytes (docs/spec.md §4). The model is `parseMadt(...).toJSON()`'s
 * shape. A subtable's Length, when absent, is the shortest form of its type that holds every
 * field the model gives (GICC: 40/76/80/82/88); when present it is honoured, and a Length
 * beyond the content is zero padding.
 */
import { MADT_FLAGS, MADT_FLAG_PCAT_COMPAT, MADT_HEADER_SIZE, MADT_LOCAL_INTERRUPT_CONTROLLER_ADDRESS, SUBTABLE_KINDS, lengthLimits } from '../madt/layout.js';
import { MADT_FORMS, madtFields, type MadtField } from './madt-fields.js';
import { finishTable, writeSdtHeader, type SdtHeaderModel } from './sdt.js';
import { EncodeError, flagsOf, optionalBytes, optionalUnsigned, unsigned, unsignedBig, type NumberLike } from './values.js';
import { ByteWriter, writeSequence, type Width } from './writer.js';

/** One subtable: `type` (or a known `kind`), optional `length`, and its kind's fields. */
export interface MadtEntryModel {
  type?: number;
  kind?: string;
  length?: number;
  /** Bytes after the last field (reserved or OEM types, or padding). */
  body?: unknown;
  [field: string]: unknown;
}

export interface MadtModel {
  signature?: string;
  header?: SdtHeaderModel | undefined;
  localInterruptControllerAddress?: NumberLike | undefined;
  flags?: NumberLike | undefined;
  pcatCompat?: boolean | undefined;
  entries?: readonly MadtEntryModel[];
  trailing?: unknown;
}

export function encodeMadt(model: MadtModel): Uint8Array {
  const writer = new ByteWriter();
  writeSdtHeader(writer, model.header, { signature: 'APIC', revision: 5 });
  writer.uint(MADT_LOCAL_INTERRUPT_CONTROLLER_ADDRESS, 4, unsigned(model.localInterruptControllerAddress, 32, 'localInterruptControllerAddress'));
  writer.uint(MADT_FLAGS, 4, flagsOf(model as Record<string, unknown>, 'flags', 32, '', { pcatCompat: MADT_FLAG_PCAT_COMPAT }));
  writer.reserve(MADT_HEADER_SIZE);
  writeSequence(MADT_HEADER_SIZE, model.entries, 'entries', (at, item, path) => writeEntry(writer, at, item, path));
  return finishTable(writer, model.header, optionalBytes(model.trailing, 'trailing'));
}

function entryType(entry: MadtEntryModel, path: string): number {
  if (entry.type !== undefined) return unsigned(entry.type, 8, `${path}.type`);
  const known = SUBTABLE_KINDS.find((row) => row.kind === entry.kind);
  if (known === undefined) throw new EncodeError(path, 'needs a type, or the kind of a known subtable');
  return known.type;
}

/** Writes one subtable at `at`; returns the bytes it occupies. */
function writeEntry(writer: ByteWriter, at: number, entry: MadtEntryModel, path: string): number {
  const type = entryType(entry, path);
  const declared = optionalUnsigned(entry.length, 8, `${path}.length`);
  writer.uint(at, 1, type);
  let end = at + 2;
  for (const field of madtFields(type)) {
    if (entry[field.name] === undefined) continue;
    end = Math.max(end, writeField(writer, at, field, entry[field.name], declared, `${path}.${field.name}`));
  }
  const body = optionalBytes(entry.body, `${path}.body`);
  if (body !== undefined) {
    writer.bytes(end, body);
    end += body.length;
  }
  const length = declared ?? naturalLength(type, end - at);
  writer.uint(at + 1, 1, length);
  writer.reserve(at + length);
  return Math.max(end - at, length);
}

/** The shortest defined length of `type` that holds `content` bytes. */
function naturalLength(type: number, content: number): number {
  const { minimum, maximum } = lengthLimits(type);
  if (maximum === Infinity) return content;
  const forms = MADT_FORMS[type] ?? [minimum];
  return forms.find((form) => form >= content) ?? content;
}

/** Writes one field; returns the subtable-relative end of what it wrote (absolute offset). */
function writeField(writer: ByteWriter, at: number, field: MadtField, value: unknown, declared: number | undefined, path: string): number {
  const start = at + field.at;
  switch (field.kind) {
    case 'uint':
      writer.uint(start, field.width as Width, unsignedBig(value, field.width * 8, path));
      return start + field.width;
    case 'array': {
      if (!Array.isArray(value)) throw new EncodeError(path, 'expected an array');
      value.slice(0, field.count).forEach((item, index) => writer.uint(start + index * field.width, field.width as Width, unsignedBig(item, field.width * 8, `${path}[${index}]`)));
      return start + field.width * field.count;
    }
    case 'blob': {
      const data = optionalBytes(value, path) ?? new Uint8Array();
      writer.bytes(start, field.width < 0 ? data : data.subarray(0, field.width));
      return start + (field.width < 0 ? data.length : field.width);
    }
    case 'string': {
      if (typeof value !== 'string') throw new EncodeError(path, 'expected a string');
      // The NUL is written unless a given Length ends the subtable right after the text.
      return writer.cString(start, value, declared === undefined || field.at + value.length < declared);
    }
  }
}
