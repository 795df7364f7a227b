/**
 * The mapping an IORT walk skips at a node: its own MSI DeviceID mapping (src/iort/raw.ts
 * `deviceIdMappingIndex`), as Linux 6.1 `iort_get_id_mapping_index()` picks it and
 * `iort_node_map_id()` skips it (`if (i == index) continue`; drivers/acpi/arm64/iort.c,
 * docs/kernel-semantics.md §4.2):
 * - PMCG: mapping 0 when the overflow GSIV is 0 and the node has mappings, else none;
 * - SMMUv3: node revision 1–4, the stored index unless all four GSIVs (event, PRI, GERR, sync)
 *   are wired; revision ≥ 5, the stored index only with flag bit 4 (DeviceID valid); and only when
 *   the index is below the mapping count.
 * Each table maps the walked ID through two mappings to the ITS group: mapping 0 adds 0x1000,
 * mapping 1 adds 0x2000, so the output says which one the walk took.
 */
import { describe, expect, it } from 'vitest';
import { IORT_MSI_TYPES, mapId, parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, pmcg, smmuV3, type NodeSpec } from './support/iort-builder.js';

const TWO_MAPPINGS = [
  { inputBase: 0, idCount: 0xff, outputBase: 0x1000, target: 0 },
  { inputBase: 0, idCount: 0xff, outputBase: 0x2000, target: 0 },
];

/** The DeviceID the walk of ID 5 from node 1 reaches at the ITS group. */
function walkFromSecond(node: NodeSpec): number | undefined {
  const built = buildIort([itsGroup([0]), node]);
  const walk = mapId(parseIort(built.bytes), built.offsets[1]!, 5, IORT_MSI_TYPES);
  expect(walk.stop).toBe('reached');
  return walk.outputId;
}

describe('PMCG: mapping 0 is its own DeviceID when the overflow GSIV is 0', () => {
  it('overflow GSIV 0: mapping 0 is skipped, mapping 1 maps the ID', () => {
    expect(walkFromSecond(pmcg(0, { gsiv: 0, mappings: TWO_MAPPINGS }))).toBe(0x2005);
  });

  it('overflow GSIV wired: nothing is skipped, mapping 0 maps the ID', () => {
    expect(walkFromSecond(pmcg(0, { gsiv: 77, mappings: TWO_MAPPINGS }))).toBe(0x1005);
  });
});

describe('SMMUv3: the stored DeviceID index, by node revision', () => {
  const wired: [number, number, number, number] = [100, 101, 102, 103];
  const oneUnwired: [number, number, number, number] = [100, 0, 102, 103];

  it('revision 4 with a GSIV not wired: the index (0) is in effect, whatever the flags say', () => {
    expect(walkFromSecond(smmuV3({ revision: 4, gsivs: oneUnwired, flags: 0, index: 0, mappings: TWO_MAPPINGS }))).toBe(0x2005);
  });

  it('revision 4 with all four GSIVs wired: no index, even with flag bit 4', () => {
    expect(walkFromSecond(smmuV3({ revision: 4, gsivs: wired, flags: 0x10, index: 0, mappings: TWO_MAPPINGS }))).toBe(0x1005);
  });

  it('revision 5: flag bit 4 puts the index in effect although all GSIVs are wired', () => {
    expect(walkFromSecond(smmuV3({ revision: 5, gsivs: wired, flags: 0x10, index: 0, mappings: TWO_MAPPINGS }))).toBe(0x2005);
  });

  it('revision 5 without flag bit 4: no index, although a GSIV is not wired', () => {
    expect(walkFromSecond(smmuV3({ revision: 5, gsivs: oneUnwired, flags: 0, index: 0, mappings: TWO_MAPPINGS }))).toBe(0x1005);
  });

  it('an index of 1 (mapping 1, after the one that matches) or 2 (at the mapping count: no mapping) leaves mapping 0 in use', () => {
    expect(walkFromSecond(smmuV3({ revision: 5, flags: 0x10, index: 1, mappings: TWO_MAPPINGS }))).toBe(0x1005);
    expect(walkFromSecond(smmuV3({ revision: 5, flags: 0x10, index: 2, mappings: TWO_MAPPINGS }))).toBe(0x1005);
  });
});

describe('no DeviceID mapping means no skip, even of a later mapping', () => {
  // Mapping 0 does not hold ID 5; mapping 1 does. A node without a DeviceID mapping must let the
  // walk reach mapping 1 (a skip of index 1 would leave the ID unmapped).
  const LATER = [
    { inputBase: 0x100, idCount: 0xff, outputBase: 0x1000, target: 0 },
    { inputBase: 0, idCount: 0xff, outputBase: 0x2000, target: 0 },
  ];

  it('PMCG with its overflow GSIV wired', () => {
    expect(walkFromSecond(pmcg(0, { gsiv: 77, mappings: LATER }))).toBe(0x2005);
  });

  it('SMMUv3 revision 0 (no index field), revision 4 with every GSIV wired, revision 5 without flag bit 4', () => {
    expect(walkFromSecond(smmuV3({ revision: 0, index: 1, mappings: LATER }))).toBe(0x2005);
    expect(walkFromSecond(smmuV3({ revision: 4, gsivs: [100, 101, 102, 103], index: 1, mappings: LATER }))).toBe(0x2005);
    expect(walkFromSecond(smmuV3({ revision: 5, flags: 0, index: 1, mappings: LATER }))).toBe(0x2005);
  });
});
