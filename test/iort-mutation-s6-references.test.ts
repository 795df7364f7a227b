/**
 * The repeated-reference skip of the session 6 rewrite (src/iort/validate-mappings.ts with
 * graph.ts `checkReference` now returning whether the target is valid): a mapping whose Output
 * reference repeats the previous mapping's clean one is not resolved again. A reference that is
 * null, names no node start, names the node itself or a node of the wrong type is NOT clean, so
 * every mapping that repeats it is reported again, at its own reference field (spec §5: each
 * mapping's Output reference must name an SMMU or ITS group node).
 *
 * Layout (test/support/iort-builder.ts, docs/spec.md §3.4 and §3.7): first node at 0x30; the named
 * component "\_SB.X" has 13 fixed bytes plus the 7-byte name, so its mappings start at 0x30 + 0x24
 * = 0x54, 20 bytes each, the Output reference at +12: 0x60, 0x74, 0x88. The node is
 * 16 + 20 + 3 × 20 = 96 bytes, so the SMMUv3 after it starts at 0x90.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, smmuV3, type MappingSpec, type NodeSpec } from './support/iort-builder.js';

const offsetsOf = (nodes: NodeSpec[], code: string) =>
  parseIort(buildIort(nodes).bytes).diagnostics.filter((item) => item.code === code).map((item) => item.offset);

const component = (mappings: MappingSpec[]) => [namedComponent('\\_SB.X', { mappings }), smmuV3({ mappings: [{ inputBase: 0, idCount: 0xff, target: 2 }] }), itsGroup([0])];
const three = (mapping: MappingSpec) => component([0, 1, 2].map((index) => ({ ...mapping, inputBase: index * 0x10, idCount: 0xf })));

describe('a repeated bad Output reference is reported at every mapping that holds it', () => {
  it('three null references: three findings', () => {
    expect(offsetsOf(three({ reference: 0 }), 'iort.mapping.null-ref')).toEqual([0x60, 0x74, 0x88]);
  });

  it('three references to an offset inside a node (0x31): three findings', () => {
    expect(offsetsOf(three({ reference: 0x31 }), 'iort.mapping.target-not-a-node')).toEqual([0x60, 0x74, 0x88]);
  });

  it('three references to the node itself (0x30): three findings', () => {
    expect(offsetsOf(three({ reference: 0x30 }), 'iort.mapping.target-type')).toEqual([0x60, 0x74, 0x88]);
  });

  it('a clean reference repeated, then a bad one, then the clean one again: only the bad one is reported', () => {
    // Mappings 0 and 2 name the SMMUv3 at 0x90 (a valid target), mapping 1 names the component itself.
    const nodes = component([
      { inputBase: 0, idCount: 0xf, reference: 0x90 },
      { inputBase: 0x10, idCount: 0xf, reference: 0x30 },
      { inputBase: 0x20, idCount: 0xf, reference: 0x90 },
    ]);
    expect(offsetsOf(nodes, 'iort.mapping.target-type')).toEqual([0x74]);
    // (The self reference also closes a cycle, reported by the cycle search at the same field.)
    expect(offsetsOf(nodes, 'iort.graph.cycle')).toEqual([0x74]);
  });
});
