/**
 * Where a table's structure lives, for structure-aware mutation: item starts (boundaries),
 * length fields, count fields, offset/reference fields, found once per seed from the parser's
 * JSON of the (well-formed) seed. Offsets are absolute table offsets.
 */
import { parseTable } from '../src/table.js';

export type FieldWidth = 1 | 2 | 4;

export interface Landmark {
  at: number;
  width: FieldWidth;
}

export interface Landmarks {
  signature: string;
  /** Starts of structures, scopes, nodes, entries, mappings (truncation and splice points). */
  boundaries: number[];
  /** Item starts that references may point at (DMAR structures, IORT nodes, MADT entries). */
  items: { start: number; length: number }[];
  lengths: Landmark[];
  counts: Landmark[];
  /** Node-relative or table-relative offsets (array references, node array offset). */
  offsets: Landmark[];
  /** Table offsets of nodes (IORT output references, PMCG node references). */
  references: Landmark[];
}

type Json = Record<string, unknown> & { offset?: number; length?: number };

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

export function landmarksOf(bytes: Uint8Array): Landmarks {
  const json = (parseTable(bytes)?.toJSON() ?? {}) as Json;
  const signature = String((json.header as Json | undefined)?.signature ?? '');
  const marks: Landmarks = { signature, boundaries: [0, 36], items: [], lengths: [{ at: 4, width: 4 }], counts: [], offsets: [], references: [] };
  const item = (entry: Json, lengthAt: number, width: FieldWidth) => {
    if (entry.offset === undefined) return;
    marks.boundaries.push(entry.offset);
    marks.items.push({ start: entry.offset, length: Number(entry.length ?? 0) });
    marks.lengths.push({ at: entry.offset + lengthAt, width });
  };
  for (const structure of list(json.structures)) {
    item(structure, 2, 2);
    for (const scope of list(structure.deviceScopes)) {
      marks.boundaries.push(scope.offset!);
      marks.lengths.push({ at: scope.offset! + 1, width: 1 });
    }
  }
  for (const entry of list(json.entries)) item(entry, 1, 1);
  // IVRS: blocks carry a u16 Length at +2; ACPI HID entries a UID length byte at +21.
  for (const block of list(json.blocks)) {
    item(block, 2, 2);
    for (const entry of list(block.entries)) {
      marks.boundaries.push(entry.offset!);
      if (entry.kind === 'acpi-hid') marks.lengths.push({ at: entry.offset! + 21, width: 1 });
    }
  }
  if (signature === 'IORT') {
    marks.counts.push({ at: 36, width: 4 });
    marks.offsets.push({ at: 40, width: 4 });
  }
  for (const node of list(json.nodes)) {
    const at = node.offset!;
    item(node, 1, 2);
    marks.counts.push({ at: at + 8, width: 4 });
    marks.offsets.push({ at: at + 12, width: 4 });
    for (const mapping of list(node.idMappings)) {
      marks.boundaries.push(mapping.offset!);
      marks.references.push({ at: mapping.offset! + 12, width: 4 });
      marks.lengths.push({ at: mapping.offset! + 4, width: 4 });
    }
    const kindFields: Record<string, [count: number[], offset: number[], reference: number[]]> = {
      'its-group': [[16], [], []],
      'smmu-v1v2': [[44, 52], [40, 48, 56], []],
      'smmu-v3': [[64], [], []],
      pmcg: [[], [], [28]],
      rmr: [[20], [24], []],
    };
    const [counts, offsets, references] = kindFields[String(node.kind)] ?? [[], [], []];
    for (const rel of counts) marks.counts.push({ at: at + rel, width: 4 });
    for (const rel of offsets) marks.offsets.push({ at: at + rel, width: 4 });
    for (const rel of references) marks.references.push({ at: at + rel, width: 4 });
  }
  marks.boundaries = [...new Set(marks.boundaries)].filter((at) => at <= bytes.length).sort((left, right) => left - right);
  return marks;
}
