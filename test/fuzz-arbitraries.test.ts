/**
 * The arbitraries cover what the fuzzing brief asks for: every DMAR structure type 0–6 and
 * scope type 1–5 with multi-hop paths and several segments; every IORT node type 0–7 at every
 * node revision of the §3.1 cross-walk, with RC/NC → SMMU → ITS chains; every MADT type.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IORT_NODE_REVISIONS, dmarModelArbitrary, iortModelArbitrary, ivrsModelArbitrary, madtModelArbitrary } from '../fuzz/arbitraries.js';
import { encodeTable } from '../src/encode/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { ENTRY_KINDS, parseIvrs } from '../src/ivrs/index.js';

const SAMPLES = 400;

describe('arbitrary coverage', () => {
  it('IVRS: IVHD 0x10/0x11/0x40, IVMD 0x20–0x22, unknown blocks, every device-entry kind incl. UIDs of both formats', () => {
    const seen = new Set<string>();
    for (const model of fc.sample(ivrsModelArbitrary, { numRuns: SAMPLES, seed: 11 })) {
      for (const block of parseIvrs(encodeTable(model)).blocks()) {
        seen.add(`${block.kind}:${block.kind === 'unknown' ? 'any' : block.type}`);
        if (block.kind !== 'ivhd') continue;
        for (const entry of block.entries()) seen.add(`entry:${entry.kind}${entry.kind === 'acpi-hid' ? `:uid${entry.uidFormat}` : ''}`);
      }
    }
    for (const key of ['ivhd:16', 'ivhd:17', 'ivhd:64', 'ivmd:32', 'ivmd:33', 'ivmd:34', 'unknown:any', 'entry:unknown']) expect(seen).toContain(key);
    for (const kind of Object.values(ENTRY_KINDS).filter((kind) => kind !== 'acpi-hid')) expect(seen).toContain(`entry:${kind}`);
    for (const format of [0, 1, 2]) expect(seen).toContain(`entry:acpi-hid:uid${format}`);
  });

  it('DMAR: structure types 0–6, scope types 1–5, multi-hop paths, several segments', () => {
    const seen = new Set<string>();
    for (const model of fc.sample(dmarModelArbitrary, { numRuns: SAMPLES, seed: 11 })) {
      for (const structure of parseDmar(encodeTable(model)).structures()) {
        seen.add(`type:${structure.type}`);
        if ('segmentNumber' in structure) seen.add(`segment:${structure.segmentNumber}`);
        if ('deviceScopes' in structure) for (const scope of structure.deviceScopes()) seen.add(`scope:${scope.type}:${scope.path.length > 1 ? 'multi' : 'single'}`);
      }
    }
    for (const type of [0, 1, 2, 3, 4, 5, 6]) expect(seen).toContain(`type:${type}`);
    for (const type of [1, 2, 3, 4, 5]) for (const hops of ['single', 'multi']) expect(seen).toContain(`scope:${type}:${hops}`);
    for (const segment of [0, 1, 2, 3]) expect(seen).toContain(`segment:${segment}`);
  });

  it('IORT: node types 0–7 at every listed node revision; RC/NC → SMMU → ITS chains', () => {
    const seen = new Set<string>();
    for (const model of fc.sample(iortModelArbitrary, { numRuns: SAMPLES, seed: 11 })) {
      const table = parseIort(encodeTable(model));
      for (const node of table.nodes()) {
        seen.add(`${node.type}:r${node.revision}`);
        for (const mapping of node.idMappings()) {
          const target = table.nodeAt(mapping.outputReference);
          const next = target === undefined ? undefined : [...target.idMappings()].map((item) => table.nodeAt(item.outputReference)?.type);
          if ((node.type === 1 || node.type === 2) && (target?.type === 3 || target?.type === 4) && next?.includes(0)) seen.add(`chain:${node.type}`);
        }
      }
    }
    IORT_NODE_REVISIONS.forEach((revisions, type) => revisions.forEach((revision) => expect(seen).toContain(`${type}:r${revision}`)));
    expect(seen).toContain('chain:1');
    expect(seen).toContain('chain:2');
  });

  it('MADT: every subtable type 0x00–0x1E, GIC ITS and MSI frames included', () => {
    const seen = new Set<number>();
    for (const model of fc.sample(madtModelArbitrary, { numRuns: SAMPLES, seed: 11 })) for (const entry of parseMadt(encodeTable(model)).entries()) seen.add(entry.type);
    for (let type = 0; type <= 0x1e; type++) expect(seen).toContain(type);
  });
});
