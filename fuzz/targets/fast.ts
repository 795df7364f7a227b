/**
 * The libFuzzer-style fast target (issue 14): parse plus the cheap invariants only — nothing
 * throws, every diagnostic offset and every framed item offset lies inside the input, and the
 * item types reached (read from the type byte at each framed offset, no views built). The
 * campaign runs it on every input and the full target (toJSON, regions, ID walks, cross
 * checks) on a sampled fraction.
 */
import type { Diagnostic } from '../../src/bytes/diagnostics.js';
import { checkDiagnostics, guard, type Violation } from '../invariants.js';
import type { TargetResult } from './common.js';

interface Parsed {
  readonly diagnostics: readonly Diagnostic[];
}

/** `typeBytes`: width of the little-endian type field at the start of each item (DMAR 2, else 1). */
export function fastTarget<T extends Parsed>(step: string, parse: (bytes: Uint8Array) => T, offsets: (table: T) => readonly number[], typeBytes: 1 | 2): (bytes: Uint8Array) => TargetResult {
  return (bytes) => {
    const violations: Violation[] = [];
    const table = guard(violations, step, () => parse(bytes));
    if (table === undefined) return { codes: [], kinds: [], violations };
    checkDiagnostics(violations, table.diagnostics, bytes.length);
    const kinds = new Set<string>();
    for (const offset of offsets(table)) {
      if (!Number.isInteger(offset) || offset < 0 || offset + typeBytes > bytes.length) {
        violations.push({ invariant: 'item-offset', detail: `item at ${offset} outside [0, ${bytes.length})` });
      } else {
        kinds.add(`type:${typeBytes === 2 ? bytes[offset]! | (bytes[offset + 1]! << 8) : bytes[offset]!}`);
      }
    }
    return { codes: table.diagnostics.map((item) => item.code), kinds: [...kinds], violations };
  };
}
