/**
 * The human `dump` listing, written once for every table: it walks the plain object that
 * `toJSON()` returns. Arrays of objects become indented lines (`structures`, `nodes`,
 * `entries`, and nested `deviceScopes`, `idMappings`, …); scalars print as `name=value`;
 * booleans print as their name when true.
 */
import { checksumOf } from '../../bytes/sdt.js';
import { lazyTable } from '../shared/lazy-table.js';
import { plainValue, printable, type ParsedInput } from '../shared/tables.js';
import { paintSeverity, type Paint } from '../shared/style.js';
import { formatIdMapping, formatNumber, formatPciPath, formatString, isObjectArray, type Json, type JsonObject } from './shapes.js';

const TABLE_SKIP_KEYS = new Set(['signature', 'header', 'diagnostics']);
const MAX_LIST = 16;

/**
 * The listing of one table, line by line. Each top-level item (a structure, node or entry) is
 * made plain and rendered on its own, so a huge table never becomes one JSON string.
 */
/** `complete` (-v): every element of long lists; otherwise the first MAX_LIST and the count. */
export function* renderTable(input: ParsedInput, paint: Paint, complete = false): Generator<string> {
  const { shell, listKey, items } = lazyTable(input.table);
  yield headerLine(input, paint);
  const tableFields = fieldsOf(topLevelPlain(shell), TABLE_SKIP_KEYS, complete);
  if (tableFields.text !== '') yield `  ${tableFields.text}`;
  // The item list (empty in the shell) comes first among the lists, as in toJSON().
  if (listKey !== undefined) yield* itemLines(listKey, items(), paint, complete);
  for (const [name, list] of tableFields.children) yield* itemLines(name, list, paint, complete);
  yield* diagnosticLines(input, paint);
}

/** The lines of each top-level item, made plain one at a time. */
function* itemLines(name: string, items: Iterable<unknown>, paint: Paint, complete: boolean): Generator<string> {
  for (const item of items) {
    const lines: string[] = [];
    renderItems(name, [plainValue(item) as JsonObject], 1, lines, paint, complete);
    yield* lines;
  }
}

/** The table's own fields made plain; its arrays of items are kept as they are, for later. */
function topLevelPlain(table: unknown): JsonObject {
  const plain: JsonObject = {};
  if (typeof table !== 'object' || table === null) return plain;
  for (const [name, value] of Object.entries(table)) {
    const itemList = Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item) && !ArrayBuffer.isView(item));
    plain[name] = itemList ? (value as JsonObject[]) : plainValue(value);
  }
  return plain;
}

function headerLine(input: ParsedInput, paint: Paint): string {
  const header = input.table.header;
  const title = paint.bold(printable(input.signature));
  if (header === undefined) return `${title}  (header unreadable: ${input.bytes.length} bytes)  ${paint.dim(input.source)}`;
  const complete = header.length <= input.bytes.length;
  const checksum = !complete ? 'checksum n/a (truncated)' : checksumOf(input.bytes, header.length) === 0 ? 'checksum ok' : paint.red('checksum bad');
  const oem = `OEM ${formatString(header.oemId)} ${formatString(header.oemTableId)} rev 0x${header.oemRevision.toString(16)}`;
  const creator = `creator ${formatString(header.creatorId)} rev 0x${header.creatorRevision.toString(16)}`;
  return `${title} rev ${header.revision} len ${header.length}  ${oem}  ${creator}  ${checksum}  ${paint.dim(input.source)}`;
}

function renderItems(name: string, items: JsonObject[], depth: number, lines: string[], paint: Paint, complete: boolean): void {
  const indent = '  '.repeat(depth);
  for (const item of items) {
    const prefix = itemPrefix(name, item, paint);
    const fields = fieldsOf(item, prefix.consumed, complete);
    lines.push(`${indent}${prefix.text}${fields.text === '' ? '' : `  ${fields.text}`}`);
    for (const [childName, children] of fields.children) renderItems(childName, children, depth + 1, lines, paint, complete);
  }
}

/**
 * `@0x0030 DRHD len 24`, or `@0x0050 idMapping` for items without a kind. Returns the keys
 * it showed so they are not repeated; a `length` that is an address-sized size stays a field.
 */
function itemPrefix(arrayName: string, item: JsonObject, paint: Paint): { text: string; consumed: Set<string> } {
  const parts: string[] = [];
  const consumed = new Set<string>(['type', 'kind']);
  if (typeof item.offset === 'number') {
    parts.push(paint.dim(`@0x${item.offset.toString(16).padStart(4, '0')}`));
    consumed.add('offset');
  }
  const kind = typeof item.kind === 'string' ? item.kind : undefined;
  if (kind === undefined || kind === 'unknown') {
    const label = kind ?? arrayName.replace(/ies$/, 'y').replace(/s$/, '');
    parts.push(typeof item.type === 'number' ? `${label} type ${item.type}` : label);
  } else {
    parts.push(paint.bold(kind.toUpperCase()));
  }
  if (typeof item.length === 'number') {
    parts.push(`len ${item.length}`);
    consumed.add('length');
  }
  return { text: parts.join(' '), consumed };
}

interface Fields {
  text: string;
  children: [string, JsonObject[]][];
}

/** Scalars and small arrays of one object as `name=value` text; arrays of objects apart. */
function fieldsOf(object: JsonObject, skip: ReadonlySet<string>, complete: boolean): Fields {
  const parts: string[] = [];
  const children: [string, JsonObject[]][] = [];
  const mapping = formatIdMapping(object);
  const consumed = new Set(mapping?.consumed ?? []);
  if (mapping !== undefined) parts.push(mapping.text);
  for (const [name, value] of Object.entries(object)) {
    if (skip.has(name) || consumed.has(name)) continue;
    if (name === 'path' && isObjectArray(value)) {
      const path = formatPciPath(value, object.startBusNumber ?? object.startBus);
      if (path !== undefined) {
        parts.push(`path=${path}`);
        continue;
      }
    }
    if (isObjectArray(value)) children.push([name, value]);
    else parts.push(...formatField(name, value, complete));
  }
  return { text: parts.join(' '), children };
}

/** Zero flags and zero reserved fields say nothing; set bits show as their own names. */
const QUIET_WHEN_ZERO = /^(flags|reserved\w*)$/i;

function isZero(value: Json | undefined): boolean {
  return value === 0 || value === '0x0' || (Array.isArray(value) && value.every((item) => item === 0));
}

function formatField(name: string, value: Json | undefined, complete: boolean): string[] {
  if (value === null || value === undefined || value === false) return [];
  if (QUIET_WHEN_ZERO.test(name) && isZero(value)) return [];
  if (value === true) return [name];
  if (typeof value === 'number') return [`${name}=${formatNumber(name, value)}`];
  if (typeof value === 'string') return [`${name}=${formatString(value)}`];
  if (Array.isArray(value)) return value.length === 0 ? [] : [`${name}=${formatList(name, value, complete)}`];
  const inner = Object.entries(value).flatMap(([key, item]) => formatField(key, item, complete));
  // An object of booleans is a flag set: show only the names that are set.
  return inner.length === 0 ? [] : Object.values(value).every((item) => typeof item === 'boolean') ? inner : [`${name}={${inner.join(' ')}}`];
}

function formatList(name: string, values: Json[], complete: boolean): string {
  const limit = complete ? values.length : MAX_LIST;
  const shown = values.slice(0, limit).map((value) =>
    typeof value === 'number' ? formatNumber(name, value) : typeof value === 'string' ? formatString(value) : JSON.stringify(value),
  );
  const more = values.length > limit ? `,…(${values.length} in all; -v shows all)` : '';
  return `[${shown.join(',')}${more}]`;
}

function diagnosticLines(input: ParsedInput, paint: Paint): string[] {
  const lines: string[] = [];
  for (const item of input.inputDiagnostics) lines.push(`  ${paint.dim(`line ${item.line}`)}: ${paintSeverity(paint, item.severity)} ${item.code} ${item.message}`);
  for (const item of input.table.diagnostics) {
    lines.push(`  ${paint.dim(`@0x${item.offset.toString(16).padStart(4, '0')}`)}: ${paintSeverity(paint, item.severity)} ${item.code} ${item.message}`);
  }
  return lines;
}
