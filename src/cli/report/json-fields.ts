/**
 * Reading parsed tables through their `toJSON()` form: the report needs a handful of fields
 * (DRHD base, RMRR range, SMMU base…) and takes them by name, one level deep, so it follows
 * the models without importing them.
 */
import { isObject, isObjectArray, type Json, type JsonObject } from '../dump/shapes.js';

/** The array of top-level items: DMAR `structures`, IORT `nodes`, MADT `entries`, IVRS `blocks`. */
const ITEM_ARRAYS = ['structures', 'nodes', 'entries', 'subtables', 'blocks'];

export function itemsOf(table: JsonObject): JsonObject[] {
  for (const name of ITEM_ARRAYS) {
    const value = table[name];
    if (isObjectArray(value)) return value;
  }
  return [];
}

/** The first of `names` present on the object or on one of its nested plain objects. */
export function field(object: JsonObject, names: readonly string[]): Json | undefined {
  for (const name of names) if (object[name] !== undefined && object[name] !== null) return object[name];
  for (const value of Object.values(object)) {
    if (!isObject(value)) continue;
    for (const name of names) if (value[name] !== undefined && value[name] !== null) return value[name];
  }
  return undefined;
}

export function objectsUnder(object: JsonObject, names: readonly string[]): JsonObject[] {
  const value = field(object, names);
  return isObjectArray(value) ? value : [];
}

/** A number or `0x…` string as hex text; `?` when absent. */
export function hexText(value: Json | undefined): string {
  if (typeof value === 'number') return `0x${value.toString(16)}`;
  if (typeof value === 'string' && /^0x[0-9a-f]+$/i.test(value)) return value.toLowerCase();
  return '?';
}

/** A number or `0x…` string as bigint, for range arithmetic; undefined when absent. */
export function bigintOf(value: Json | undefined): bigint | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^0x[0-9a-f]+$/i.test(value)) return BigInt(value);
  return undefined;
}

export function kindOf(item: JsonObject): string {
  return typeof item.kind === 'string' ? item.kind : '';
}
