/**
 * The repeated-reference skip of src/iort/validate-mappings.ts keeps the last CLEAN Output
 * reference, or no reference at all after a bad one: no 32-bit reference, not even 1, may then be
 * skipped (spec §5: each mapping's Output reference is checked, and a bad one reported at its own
 * field). Reference 1 lies inside the IORT header, so it names no node start. Layout as in
 * test/iort-mutation-s6-references.test.ts (test/support/iort-builder.ts, docs/spec.md §3.4,
 * §3.7): the named component at 0x30, its three mappings' Output references at 0x60, 0x74, 0x88.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, smmuV3, type MappingSpec } from './support/iort-builder.js';

function findings(references: number[]): [string, number][] {
  const mappings: MappingSpec[] = references.map((reference, index) => ({ inputBase: index * 0x10, idCount: 0xf, reference }));
  const nodes = [namedComponent('\\_SB.X', { mappings }), smmuV3({ mappings: [{ inputBase: 0, idCount: 0xff, target: 2 }] }), itsGroup([0])];
  return parseIort(buildIort(nodes).bytes)
    .diagnostics.filter((item) => item.code.startsWith('iort.mapping.'))
    .map((item): [string, number] => [item.code, item.offset]);
}

describe('after a bad reference, the next mapping is checked whatever its reference', () => {
  it('a null reference, then reference 1 twice: each mapping reported at its own field', () => {
    expect(findings([0, 1, 1])).toEqual([
      ['iort.mapping.null-ref', 0x60],
      ['iort.mapping.target-not-a-node', 0x74],
      ['iort.mapping.target-not-a-node', 0x88],
    ]);
  });

  it('a self reference, then reference 1: both reported', () => {
    expect(findings([0x30, 1, 0x90])).toEqual([
      ['iort.mapping.target-type', 0x60],
      ['iort.mapping.target-not-a-node', 0x74],
    ]);
  });
});
