/**
 * A table's `toJSON()` without its item list made up front: a 200 MB table of 4-byte
 * structures has 50 million items, whose JSON objects together would not fit in the heap.
 * `toJSON` runs against a proxy whose item generator is empty, giving every other field in
 * its place; the items are then made one at a time while they are written.
 */
import { LazyJsonArray } from './output.js';
import type { TableView } from './tables.js';

const LIST_KEYS = ['structures', 'nodes', 'entries', 'blocks'] as const;

interface ItemSource {
  toJSON(): unknown;
}

export interface LazyTable {
  /** `toJSON()` with the item list empty. */
  shell: Record<string, unknown>;
  /** `structures`, `nodes`, `entries` or `blocks`; undefined when the table has none of them. */
  listKey: string | undefined;
  /** Each item's `toJSON()`, made when asked for. */
  items(): Generator<unknown>;
}

export function lazyTable(table: TableView): LazyTable {
  const source = table as unknown as Record<string, unknown>;
  const listKey = LIST_KEYS.find((key) => typeof source[key] === 'function');
  const list = listKey === undefined ? undefined : (source[listKey] as () => Iterable<ItemSource>).bind(table);
  // Getters run on the real table (receiver `target`), so private fields keep working.
  const shellSource = new Proxy(table, { get: (target, key) => (key === listKey ? () => [].values() : Reflect.get(target, key, target)) });
  const shell = (table.toJSON as () => unknown).call(shellSource) as Record<string, unknown>;
  return {
    shell,
    listKey,
    *items() {
      if (list !== undefined) for (const item of list()) yield item.toJSON();
    },
  };
}

/** The table's JSON, equal to `toJSON()`, with the item list written lazily by `writeJson`. */
export function lazyTableJson(table: TableView): Record<string, unknown> {
  const { shell, listKey, items } = lazyTable(table);
  if (listKey === undefined) return shell;
  return Object.fromEntries(Object.entries(shell).map(([key, value]) => [key, key === listKey ? new LazyJsonArray(items()) : value]));
}
