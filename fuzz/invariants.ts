/**
 * Fuzz invariants (design.md "Fuzzing", style.md §11). On every input (targets/fast.ts): nothing
 * throws, every diagnostic offset lies in [0, max(1, length)), every framed item lies inside the
 * input. On a sampled fraction (the full targets) also: the JSON serialises with `jsonReplacer`
 * and stays linear in size, and regions only come from structures the parser returned.
 * Work linearity (time per byte) and the memory ceiling are watched by the campaign loop.
 */
import type { Diagnostic } from '../src/bytes/diagnostics.js';
import { jsonReplacer } from '../src/bytes/hex.js';
import type { RegionDescriptor } from '../src/regions/index.js';

export interface Violation {
  invariant: 'no-exception' | 'diagnostic-offset' | 'item-offset' | 'json' | 'json-size' | 'region-source' | 'linear-time' | 'memory' | 'exit-code' | 'output';
  detail: string;
}

/** JSON characters allowed per input byte (plus a constant): an item count linear in the bytes. */
export const JSON_CHARS_PER_BYTE = 400;
export const JSON_CHARS_CONSTANT = 64 * 1024;

/** Runs `step`; an escaping exception becomes a violation naming the step. */
export function guard<T>(violations: Violation[], step: string, action: () => T): T | undefined {
  try {
    return action();
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 4).join('\n') ?? ''}` : String(error);
    violations.push({ invariant: 'no-exception', detail: `${step}: ${text}` });
    return undefined;
  }
}

export function checkDiagnostics(violations: Violation[], diagnostics: readonly Diagnostic[], length: number): void {
  const limit = Math.max(1, length);
  for (const item of diagnostics) {
    if (!Number.isInteger(item.offset) || item.offset < 0 || item.offset >= limit) {
      violations.push({ invariant: 'diagnostic-offset', detail: `${item.code} at ${item.offset} outside [0, ${limit})` });
    }
  }
}

/** Serialises with jsonReplacer (a string must come out) and checks the text is linear in the input size. */
export function checkJson(violations: Violation[], value: unknown, length: number): number {
  const text = guard(violations, 'JSON.stringify(jsonReplacer)', () => JSON.stringify(value, jsonReplacer));
  if (typeof text !== 'string') {
    violations.push({ invariant: 'json', detail: `JSON.stringify gave ${typeof text}` });
    return 0;
  }
  if (text.length > JSON_CHARS_PER_BYTE * length + JSON_CHARS_CONSTANT) {
    violations.push({ invariant: 'json-size', detail: `${text.length} JSON characters for ${length} bytes` });
  }
  return text.length;
}

/** Every region naming a table offset must name an item the parser returned from that table. */
export function checkRegionSources(violations: Violation[], regions: readonly RegionDescriptor[], items: Readonly<Partial<Record<string, ReadonlySet<number>>>>): void {
  for (const region of regions) {
    const { table, offset } = region.source;
    if (offset === undefined || table === 'kernel') continue;
    const allowed = items[table];
    if (allowed === undefined || !allowed.has(offset)) {
      violations.push({ invariant: 'region-source', detail: `${region.source.structure} region from ${table} offset ${offset}, not a parsed structure` });
    }
  }
}

/** Parses with `parse` under guard and checks the table's own diagnostics and JSON; undefined when parsing threw. */
export function parseChecked<T extends { diagnostics: readonly Diagnostic[]; toJSON(): unknown }>(violations: Violation[], step: string, parse: () => T, length: number): T | undefined {
  const table = guard(violations, step, parse);
  if (table === undefined) return undefined;
  checkDiagnostics(violations, table.diagnostics, length);
  checkJson(violations, guard(violations, 'toJSON', () => table.toJSON()), length);
  return table;
}
