/**
 * The flyweight walks (`forEachStructure`, `forEachDeviceScope`, `forEachNode`, `forEachIdMapping`,
 * `forEachEntry`, `forEachBlock`, IVHD `forEachEntry`) visit exactly what the iterators yield, in
 * the same order and with the same decoded fields, while reusing one cursor per item kind (DMAR
 * and MADT: one for every kind); a nested walk does not move the outer walk's cursor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonReplacer } from '../src/bytes/hex.js';
import { parseTable, type AnyTable } from '../src/table.js';
import { readReal, realTables, REPO_ROOT } from './support/shared.js';

/** Plain data of a view (bigint as text), taken while the view is valid. */
const snapshot = (view: { toJSON(): unknown }): unknown => JSON.parse(JSON.stringify(view.toJSON(), jsonReplacer));

/** Every table the repository carries (samples, malformed specimens, regressions) plus the shared real corpus when present. */
function tables(): { name: string; table: AnyTable }[] {
  const out: { name: string; table: AnyTable }[] = [];
  for (const dir of ['corpus/samples/amd-desktop', 'corpus/samples/arm-server', 'corpus/samples/x86-laptop', 'corpus/malformed', 'corpus/regressions']) {
    for (const file of readdirSync(join(REPO_ROOT, dir)).filter((name) => name.endsWith('.bin'))) {
      const table = parseTable(new Uint8Array(readFileSync(join(REPO_ROOT, dir, file))));
      if (table !== undefined) out.push({ name: `${dir}/${file}`, table });
    }
  }
  for (const row of realTables()) {
    const table = parseTable(readReal(row.path));
    if (table !== undefined) out.push({ name: row.path, table });
  }
  return out;
}

/** What each walk saw: item snapshots and inner-item snapshots, plus the distinct cursor objects. */
interface Seen {
  items: unknown[];
  inner: unknown[];
  cursors: Set<object>;
}

function viaIterators(table: AnyTable): Omit<Seen, 'cursors'> {
  const items: unknown[] = [];
  const inner: unknown[] = [];
  if (table.signature === 'DMAR') {
    for (const structure of table.structures()) {
      items.push(snapshot(structure));
      if ('deviceScopes' in structure) for (const scope of structure.deviceScopes()) inner.push([snapshot(scope), [...scope.path]]);
    }
  } else if (table.signature === 'IORT') {
    for (const node of table.nodes()) {
      items.push(snapshot(node));
      for (const mapping of node.idMappings()) inner.push({ ...mapping });
    }
  } else if (table.signature === 'APIC') {
    for (const entry of table.entries()) items.push(snapshot(entry));
  } else {
    for (const block of table.blocks()) {
      items.push(snapshot(block));
      if (block.kind === 'ivhd') for (const entry of block.entries()) inner.push(snapshot(entry));
    }
  }
  return { items, inner };
}

function viaCursors(table: AnyTable): Seen {
  const seen: Seen = { items: [], inner: [], cursors: new Set() };
  const item = (view: object & { toJSON(): unknown }, index: number) => {
    expect(index).toBe(seen.items.length);
    seen.items.push(snapshot(view));
    seen.cursors.add(view);
  };
  if (table.signature === 'DMAR') {
    table.forEachStructure((structure, index) => {
      item(structure, index);
      // One cursor for every kind: narrowed by `kind` (`in` holds for every kind).
      if (structure.kind !== 'rhsa' && structure.kind !== 'andd' && structure.kind !== 'unknown') {
        structure.forEachDeviceScope((scope) => {
          seen.inner.push([snapshot(scope), [...scope.path]]);
          seen.cursors.add(scope);
        });
      }
    });
  } else if (table.signature === 'IORT') {
    table.forEachNode((node, index) => {
      item(node, index);
      node.forEachIdMapping((mapping) => {
        const { index: at, offset, inputBase, idCount, outputBase, outputReference, flags, singleMapping } = mapping;
        seen.inner.push({ index: at, offset, inputBase, idCount, outputBase, outputReference, flags, singleMapping });
        seen.cursors.add(mapping);
      });
    });
  } else if (table.signature === 'APIC') {
    table.forEachEntry(item);
  } else {
    table.forEachBlock((block, index) => {
      item(block, index);
      if (block.kind === 'ivhd') {
        block.forEachEntry((entry, at) => {
          expect(at).toBeGreaterThanOrEqual(0);
          seen.inner.push(snapshot(entry));
          seen.cursors.add(entry);
        });
      }
    });
  }
  return seen;
}

/**
 * The most objects a flyweight walk may make: DMAR one structure cursor and its scope cursor,
 * MADT one cursor, the others one per outer kind plus one inner cursor per outer cursor.
 */
function cursorBound(table: AnyTable, seen: Seen): number {
  if (table.signature === 'DMAR') return 2;
  if (table.signature === 'APIC') return 1;
  return new Set((seen.items as { kind: string }[]).map((item) => item.kind)).size * 2;
}

describe('flyweight walks', () => {
  const all = tables();

  it('cover every signature, samples and malformed tables included', () => {
    const signatures = new Set(all.map(({ table }) => table.signature));
    expect([...signatures].sort()).toEqual(['APIC', 'DMAR', 'IORT', 'IVRS']);
    expect(all.filter(({ name }) => name.startsWith('corpus/malformed')).length).toBeGreaterThan(10);
  });

  it('visit the same items, in the same order, with the same fields as the iterators', () => {
    let items = 0;
    let inner = 0;
    for (const { name, table } of all) {
      const expected = viaIterators(table);
      const seen = viaCursors(table);
      expect(seen.items, name).toEqual(expected.items);
      expect(seen.inner, name).toEqual(expected.inner);
      items += expected.items.length;
      inner += expected.inner.length;
    }
    expect(items).toBeGreaterThan(50);
    expect(inner).toBeGreaterThan(50);
  });

  it('reuse one cursor per item kind instead of one object per item', () => {
    let reused = 0;
    for (const { name, table } of all) {
      const expected = viaIterators(table);
      const seen = viaCursors(table);
      expect(seen.cursors.size, name).toBeLessThanOrEqual(cursorBound(table, seen));
      if (expected.items.length + expected.inner.length > seen.cursors.size) reused++;
    }
    expect(reused).toBeGreaterThan(5);
  });

  it('keep the outer cursor in place when the same table is walked again inside the callback', () => {
    for (const { name, table } of all) {
      const outer: number[] = [];
      const visit = (view: { offset: number }) => {
        const before = view.offset;
        // A whole second walk inside the first two items (every item would make this quadratic).
        if (outer.length < 2) viaCursors(table);
        expect(view.offset, name).toBe(before);
        outer.push(view.offset);
      };
      if (table.signature === 'DMAR') {
        table.forEachStructure((structure) => {
          visit(structure);
          if (structure.kind !== 'rhsa' && structure.kind !== 'andd' && structure.kind !== 'unknown') {
            structure.forEachDeviceScope((scope) => {
              const at = scope.offset;
              structure.forEachDeviceScope(() => {});
              expect(scope.offset, name).toBe(at);
            });
          }
        });
        expect(outer).toEqual([...table.structureOffsets]);
      } else if (table.signature === 'IORT') {
        table.forEachNode((node) => {
          visit(node);
          node.forEachIdMapping((mapping) => {
            const at = mapping.offset;
            node.forEachIdMapping(() => {});
            expect(mapping.offset, name).toBe(at);
          });
        });
        expect(outer).toEqual([...table.nodeOffsets]);
      } else if (table.signature === 'APIC') {
        table.forEachEntry(visit);
        expect(outer).toEqual([...table.entryOffsets]);
      } else {
        table.forEachBlock((block) => {
          visit(block);
          if (block.kind === 'ivhd') {
            block.forEachEntry((entry) => {
              const at = entry.offset;
              block.forEachEntry(() => {});
              expect(entry.offset, name).toBe(at);
            });
          }
        });
        expect(outer).toEqual([...table.blockOffsets]);
      }
    }
  });
});
