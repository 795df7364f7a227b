/**
 * The differential oracle (design.md "Fuzzing"): an independent binary-parser reading of DMAR,
 * IORT, MADT and IVRS. On a well-formed table it must agree with our parser on every field it
 * decodes; a disagreement (or the oracle failing where our parser saw no error) is a finding.
 */
import { modelMismatches } from './model-match.js';
import { oracleDmar } from './oracle/dmar.js';
import { oracleIort } from './oracle/iort.js';
import { oracleMadt } from './oracle/madt.js';
import { oracleIvrs } from './oracle/ivrs.js';

export { oracleDmar, oracleIort, oracleMadt, oracleIvrs };

export interface OracleVerdict {
  /** Leaf values the oracle decoded and compared. */
  fields: number;
  /** `path: oracle vs parser` for every field that differs. */
  disagreements: string[];
  /** The oracle itself could not read the bytes. */
  failure?: string;
}

/** The oracle of each signature (bench/toolkit.ts times them too). */
export const ORACLES: Readonly<Record<string, (bytes: Uint8Array) => Record<string, unknown>>> = { DMAR: oracleDmar, IORT: oracleIort, APIC: oracleMadt, IVRS: oracleIvrs };

function leaves(value: unknown): number {
  if (value === undefined) return 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + leaves(item), 0);
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'object' && value !== null) return Object.values(value).reduce((sum: number, item) => sum + leaves(item), 0);
  return 1;
}

/** Compares the oracle's reading of `bytes` with our parser's `toJSON()` of the same bytes. */
export function compareWithOracle(signature: string, bytes: Uint8Array, parsed: unknown): OracleVerdict {
  const oracle = ORACLES[signature];
  if (oracle === undefined) return { fields: 0, disagreements: [], failure: `no oracle for ${signature}` };
  let reading: Record<string, unknown>;
  try {
    reading = oracle(bytes);
  } catch (error) {
    return { fields: 0, disagreements: [], failure: String(error) };
  }
  return { fields: leaves(reading), disagreements: modelMismatches(reading, parsed) };
}
