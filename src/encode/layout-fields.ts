/**
 * Fields of a model that describe the layout, not the content: Lengths, counts, array offsets
 * and the checksum. `dump --json` prints them, so a model edited from a dump carries stale
 * ones that would make the table lie. `withComputedLayout` drops them so the encoder computes
 * each from the content; a model asks for a lie explicitly with `"layout": "as-given"` (the
 * way the fuzzer's malformed specimens are described).
 */
import { EncodeError } from './values.js';

/** Where a layout field can sit; `length` elsewhere (an RMR range's) is content. */
type Place = 'table' | 'header' | 'item' | 'scope' | 'content';
const LAYOUT_KEYS: Readonly<Record<Place, RegExp>> = {
  table: /^(nodeCount|nodeArrayOffset)$/,
  header: /^(length|checksum)$/,
  item: /^(length|mappingCount|mappingArrayOffset|descriptorCount|descriptorArrayOffset|\w+InterruptCount|\w+InterruptArrayOffset)$/,
  scope: /^length$/,
  content: /^$/,
};
/** The place of the members of `key`'s value, inside a member of `place`. */
function placeOf(place: Place, key: string): Place {
  if (place === 'table' && key === 'header') return 'header';
  if (place === 'table' && (key === 'structures' || key === 'nodes' || key === 'entries')) return 'item';
  if (place === 'item' && key === 'deviceScopes') return 'scope';
  return 'content';
}
/** Models are a few levels deep; a deeper one is hostile, not a table. */
const MAX_DEPTH = 32;

/** True when the model keeps its layout fields as written. */
export function layoutAsGiven(model: unknown): boolean {
  return typeof model === 'object' && model !== null && (model as { layout?: unknown }).layout === 'as-given';
}

/** A copy of `model` without layout fields (and without the `layout` switch itself). */
export function withComputedLayout<T>(model: T): T {
  return strip(model, 'table', 0, '(model)') as T;
}

/** `value` (an object of `place`, or an array of them) without the layout fields of that place. */
function strip(value: unknown, place: Place, depth: number, path: string): unknown {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (depth > MAX_DEPTH) throw new EncodeError(path, `nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((item, index) => strip(item, place, depth + 1, `${path}[${index}]`));
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (LAYOUT_KEYS[place].test(key) || (place === 'table' && key === 'layout')) continue;
    // defineProperty: a `__proto__` key stays a plain member, as JSON.parse made it.
    Object.defineProperty(copy, key, { value: strip(member, placeOf(place, key), depth + 1, depth === 0 ? key : `${path}.${key}`), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
