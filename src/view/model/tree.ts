/**
 * The structure tree of one table, with the byte range of every item and field: the hex view
 * and the tree link through it. Built once from `toJSON()` plus the kind's field spans, so it
 * shows exactly what `dump --json` shows.
 */
import { jsonReplacer } from '../../bytes/hex.js';
import type { JsonItem, ParsedTableView, Span, TableKind } from '../kinds/kind.js';
import { SDT_HEADER_SPANS } from '../kinds/sdt-spans.js';
import { SDT_HEADER_SIZE } from '../../bytes/sdt.js';

export interface FieldRow {
  name: string;
  value: string;
  /** Absolute byte range `[start, end)`; a derived field has its item's range. */
  start: number;
  end: number;
  /** True when the value is computed (no bytes of its own in the layout). */
  derived: boolean;
}

export interface TreeNode {
  /** Stable id: `t` for the table, then `.name.index` steps (`t.structures.2.deviceScopes.0`). */
  id: string;
  label: string;
  start: number;
  end: number;
  fields: FieldRow[];
  children: TreeNode[];
}

/** Keys that are not fields of the item they sit in. */
const SKIP = new Set(['signature', 'diagnostics', 'offset', 'kind']);

export function buildTree(table: ParsedTableView, kind: TableKind, byteLength: number): TreeNode {
  const json = JSON.parse(JSON.stringify(table.toJSON(), jsonReplacer)) as JsonItem;
  const root: TreeNode = { id: 't', label: `${kind.signature} table`, start: 0, end: byteLength, fields: [], children: [] };
  if (isObject(json.header)) {
    const header = itemNode('t.header', 'SDT header', 0, Math.min(SDT_HEADER_SIZE, byteLength));
    addFields(header, json.header, SDT_HEADER_SPANS, kind);
    root.children.push(header);
  }
  addFields(root, json, kind.fieldSpans(json, undefined), kind, new Set(['header']));
  return root;
}

function itemNode(id: string, label: string, start: number, end: number): TreeNode {
  return { id, label, start, end, fields: [], children: [] };
}

function addFields(node: TreeNode, item: JsonItem, spans: Readonly<Record<string, Span>>, kind: TableKind, skip: ReadonlySet<string> = new Set()): void {
  for (const [name, value] of Object.entries(item)) {
    if (SKIP.has(name) || skip.has(name) || value === undefined || value === null) continue;
    const children = Array.isArray(value) ? value.filter(isObject) : [];
    if (children.length > 0 && children.every((child) => typeof child.offset === 'number')) {
      children.forEach((child, index) => node.children.push(childNode(`${node.id}.${name}.${index}`, name, child, kind)));
      continue;
    }
    const span = spans[name];
    const start = span === undefined ? node.start : node.start + span[0];
    const end = span === undefined ? node.end : Math.min(node.end, start + span[1]);
    node.fields.push({ name, value: formatValue(name, value), start, end: Math.max(start, end), derived: span === undefined });
  }
}

function childNode(id: string, arrayName: string, item: JsonItem, kind: TableKind): TreeNode {
  const start = item.offset as number;
  const length = typeof item.length === 'number' && arrayName !== 'memoryRanges' ? item.length : spanEnd(kind.fieldSpans(item, arrayName));
  const node = itemNode(id, labelOf(arrayName, item), start, start + length);
  addFields(node, item, kind.fieldSpans(item, arrayName), kind);
  return node;
}

/** Items without a Length field (ID mappings, RMR descriptors) end after their last field. */
function spanEnd(spans: Readonly<Record<string, Span>>): number {
  return Math.max(0, ...Object.values(spans).map(([offset, size]) => offset + size));
}

function labelOf(arrayName: string, item: JsonItem): string {
  const at = `@0x${(item.offset as number).toString(16).padStart(4, '0')}`;
  const kind = typeof item.kind === 'string' && item.kind !== 'unknown' ? item.kind.toUpperCase() : undefined;
  const name = kind ?? (typeof item.type === 'number' ? `${singular(arrayName)} type ${item.type}` : singular(arrayName));
  return `${at} ${name}`;
}

function singular(name: string): string {
  return name.replace(/ies$/, 'y').replace(/s$/, '');
}

/** Numbers in hex where the name says address/base/flags/reference, otherwise decimal with hex beside. */
export function formatValue(name: string, value: unknown): string {
  if (typeof value === 'number') {
    if (/address|base|flags|reference|offset$/i.test(name)) return `0x${value.toString(16)}`;
    return value > 9 ? `${value} (0x${value.toString(16)})` : String(value);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map((entry) => (isObject(entry) ? compact(entry) : formatValue(name, entry))).join(', ')}]`;
  if (isObject(value)) return compact(value);
  return String(value);
}

function compact(value: JsonItem): string {
  return `{${Object.entries(value).map(([key, entry]) => `${key}: ${formatValue(key, entry)}`).join(', ')}}`;
}

function isObject(value: unknown): value is JsonItem {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every node of the tree, depth first. */
export function flatten(root: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return out;
}

export interface ByteOwner {
  node: TreeNode;
  field?: FieldRow | undefined;
}

/**
 * For each byte, the narrowest item and field holding it: a click on a byte shows them.
 * Linear in the total span length (tables are at most a few tens of KiB).
 */
export function byteOwners(root: TreeNode, byteLength: number): (ByteOwner | undefined)[] {
  const owners: (ByteOwner | undefined)[] = new Array(byteLength);
  const width: number[] = new Array(byteLength).fill(Infinity);
  const claim = (start: number, end: number, owner: ByteOwner) => {
    const size = end - start;
    for (let at = Math.max(0, start); at < Math.min(end, byteLength); at++) {
      // Narrower wins; at equal width a field beats its item and the first field (the raw value) stays.
      const current = owners[at];
      if (size < width[at]! || (size === width[at] && owner.field !== undefined && current?.field === undefined)) {
        owners[at] = owner;
        width[at] = size;
      }
    }
  };
  for (const node of flatten(root)) {
    claim(node.start, node.end, { node });
    for (const field of node.fields) if (!field.derived) claim(field.start, field.end, { node, field });
  }
  return owners;
}
