/**
 * Value formatting for the generic dump renderer: which numbers are hex, and the few
 * recognisable shapes that read better compact (PCI paths, ID mappings). Everything keys off
 * the property names of `toJSON()`, never off a table type.
 */
import { formatRequesterId } from '../../pci/bdf.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Numbers under these names are addresses, offsets, masks, flags, bus numbers or IDs: shown in hex. */
const HEX_NAME = /(address|base|limit|mask|flags|reference|doorbell|start|end|offset|bus|busnumber|segmentnumber|id|identifier|identifiers|uid)$/i;
/** Names that hold a count or a size though they end like a hex name. */
const DECIMAL_NAME = /(count|sizelimit)$/i;

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isObjectArray(value: Json | undefined): value is JsonObject[] {
  return Array.isArray(value) && value.length > 0 && value.every(isObject);
}

/** IVRS requester IDs (bus << 8 | device << 3 | function; an IVMD range ends at its auxiliary field): shown as `bb:dd.f`. */
const REQUESTER_ID_NAME = /^(deviceId|sourceDeviceId|auxiliaryData)$/;

export function formatNumber(name: string, value: number): string {
  if (REQUESTER_ID_NAME.test(name) && Number.isInteger(value) && value >= 0 && value <= 0xffff) {
    return formatRequesterId(value);
  }
  if (HEX_NAME.test(name) && !DECIMAL_NAME.test(name) && Number.isInteger(value) && value >= 0) return `0x${value.toString(16)}`;
  return String(value);
}

export function formatString(value: string): string {
  return value === '' || /[\s"=]/.test(value) ? JSON.stringify(value) : value;
}

const hexByte = (value: Json | undefined) => (typeof value === 'number' ? value.toString(16).padStart(2, '0') : '??');

/** `[{device: 0x1f, function: 0}, {device: 0, function: 0}]` on bus 0 → `00:1f.0/00.0`. */
export function formatPciPath(path: JsonObject[], startBus: Json | undefined): string | undefined {
  if (!path.every((hop) => typeof hop.device === 'number' && typeof hop.function === 'number')) return undefined;
  const hops = path.map((hop) => `${hexByte(hop.device)}.${(hop.function as number).toString(16)}`).join('/');
  return typeof startBus === 'number' ? `${hexByte(startBus)}:${hops}` : hops;
}

/** IORT ID mapping names (docs/spec.md §3.4), whichever spelling the model uses. */
const INPUT_BASE = ['inputBase'];
const ID_COUNT_MINUS_ONE = ['numIds', 'numberOfIds', 'idCount', 'idCountMinusOne'];
const OUTPUT_BASE = ['outputBase'];
const OUTPUT_REFERENCE = ['outputReference', 'outputNode'];

function pick(object: JsonObject, names: readonly string[]): { name: string; value: number } | undefined {
  for (const name of names) {
    const value = object[name];
    if (typeof value === 'number') return { name, value };
  }
  return undefined;
}

/**
 * An ID mapping as `0x0-0xffff → 0x0 @node 0x30`, returning the keys it consumed so the
 * caller prints the rest (flags) generically. Undefined when the object is not a mapping.
 */
export function formatIdMapping(object: JsonObject): { text: string; consumed: string[] } | undefined {
  const input = pick(object, INPUT_BASE);
  const count = pick(object, ID_COUNT_MINUS_ONE);
  const output = pick(object, OUTPUT_BASE);
  const reference = pick(object, OUTPUT_REFERENCE);
  if (input === undefined || count === undefined || output === undefined || reference === undefined) return undefined;
  const hexOf = (value: number) => `0x${value.toString(16)}`;
  const target = `→ ${hexOf(output.value)} @node ${hexOf(reference.value)}`;
  // A single mapping ignores the input range: it is the one ID the node itself emits.
  if (object.singleMapping === true) return { text: `single ID ${target}`, consumed: [input.name, count.name, output.name, reference.name, 'singleMapping'] };
  // Number of IDs is stored as count − 1: the input range is inclusive of base + stored value.
  const text = `${hexOf(input.value)}-${hexOf(input.value + count.value)} ${target}`;
  return { text, consumed: [input.name, count.name, output.name, reference.name] };
}
