/** One entry point for any supported table: dispatch on the ACPI signature (object's `any.rs`). */
import { asBytes, type BytesInput } from './bytes/input.js';
import { parseDmar, type DmarTable } from './dmar/index.js';
import { parseIort, type IortTable } from './iort/index.js';
import { parseIvrs, type IvrsTable } from './ivrs/index.js';
import { parseMadt, type MadtTable } from './madt/index.js';

export type AnyTable = DmarTable | IortTable | MadtTable | IvrsTable;

/** Signatures this library decodes. MADT's signature is `APIC`. */
export const SUPPORTED_SIGNATURES = ['DMAR', 'IORT', 'APIC', 'IVRS'] as const;
export type SupportedSignature = (typeof SUPPORTED_SIGNATURES)[number];

export function signatureOf(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < 4 && index < bytes.length; index++) text += String.fromCharCode(bytes[index]!);
  return text;
}

export function isSupportedSignature(signature: string): signature is SupportedSignature {
  return (SUPPORTED_SIGNATURES as readonly string[]).includes(signature);
}

/** The four signature bytes as one little-endian number (dispatch without building a string). */
function tagOf(signature: string): number {
  return (signature.charCodeAt(0) | (signature.charCodeAt(1) << 8) | (signature.charCodeAt(2) << 16) | (signature.charCodeAt(3) << 24)) >>> 0;
}
const DMAR_TAG = tagOf('DMAR');
const IORT_TAG = tagOf('IORT');
const APIC_TAG = tagOf('APIC');
const IVRS_TAG = tagOf('IVRS');

/** Parses a DMAR, IORT, APIC or IVRS table; `undefined` for any other signature. */
export function parseTable(input: BytesInput): AnyTable | undefined {
  const bytes = asBytes(input);
  if (bytes.length < 4) return undefined;
  switch ((bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0) {
    case DMAR_TAG:
      return parseDmar(bytes);
    case IORT_TAG:
      return parseIort(bytes);
    case APIC_TAG:
      return parseMadt(bytes);
    case IVRS_TAG:
      return parseIvrs(bytes);
    default:
      return undefined;
  }
}
