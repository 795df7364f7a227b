/**
 * `src/encode`: models → ACPI table bytes, the inverse of the parsers. A model is the shape of
 * `parseDmar/parseIort/parseMadt/parseIvrs(bytes).toJSON()`; lengths, counts, offsets and checksums are
 * computed when absent and honoured when present (so malformed tables can be built on purpose).
 * 64-bit values may be numbers, bigints or `"0x…"` strings. Platform-free.
 */
import { encodeDmar, type DmarModel } from './dmar.js';
import { encodeIort, type IortModel } from './iort.js';
import { encodeMadt, type MadtModel } from './madt.js';
import { encodeIvrs, type IvrsModel } from './ivrs.js';
import { EncodeError } from './values.js';
import { OutputTooLargeError } from './writer.js';

export { encodeDmar, type DmarModel, type DmarStructureModel, type DmarScopeModel, type DmarPathModel } from './dmar.js';
export { encodeIort, type IortModel, type IortNodeModel, type IortMappingModel, type IortReference } from './iort.js';
export { encodeMadt, type MadtModel, type MadtEntryModel } from './madt.js';
export { encodeIvrs, type IvrsModel, type IvrsBlockModel, type IvrsEntryModel } from './ivrs.js';
export { madtFields, MADT_FORMS, type MadtField } from './madt-fields.js';
export type { SdtHeaderModel } from './sdt.js';
export { EncodeError, type NumberLike } from './values.js';
export { MAX_ENCODED_BYTES } from './writer.js';

/** Any table model; `signature` (or `header.signature`) says which. */
export type TableModel = DmarModel | IortModel | MadtModel | IvrsModel;

/** Encodes any model, dispatching on `signature` (or `header.signature`): DMAR, IORT, APIC or IVRS. */
export function encodeTable(model: TableModel): Uint8Array {
  if (typeof model !== 'object' || model === null || Array.isArray(model)) throw new EncodeError('(model)', 'expected a JSON object');
  try {
    return encodeBySignature(model);
  } catch (error) {
    if (error instanceof OutputTooLargeError) throw new EncodeError('(table)', error.message);
    throw error;
  }
}

function encodeBySignature(model: TableModel): Uint8Array {
  const signature = model.signature ?? model.header?.signature;
  switch (signature) {
    case 'DMAR':
      return encodeDmar(model as DmarModel);
    case 'IORT':
      return encodeIort(model as IortModel);
    case 'APIC':
      return encodeMadt(model as MadtModel);
    case 'IVRS':
      return encodeIvrs(model as IvrsModel);
    default:
      throw new EncodeError('signature', `expected DMAR, IORT, APIC or IVRS, got ${JSON.stringify(signature)}`);
  }
}
