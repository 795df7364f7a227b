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
import { IORT_MSI_TYPES, mapId, mapPlatformId, parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, pmcg, rmr, smmuV3, type NodeSpec } from './support/iort-builder.js';

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

describe('a node has mappings only when both its mapping count and its ID array reference are non-zero', () => {
  // iort_node_map_id() and iort_node_get_id(): `if (!node->mapping_offset || !node->mapping_count)`
  // fail; iort_node_get_rmr_info(): the same test, "Invalid ID mapping, skipping RMR node".
  const ONE = [{ inputBase: 0, idCount: 0xff, outputBase: 0x1000, target: 0 }];

  it('walk: a count with reference 0, or reference 68 (the array is there) with count 0, is fail_map: no mappings', () => {
    const noArray = buildIort([itsGroup([0]), smmuV3({ revision: 0, mappings: ONE, mappingOffset: 0 })]);
    const noCount = buildIort([itsGroup([0]), smmuV3({ revision: 0, mappings: ONE, mappingCount: 0 })]);
    for (const built of [noArray, noCount]) {
      const walk = mapId(parseIort(built.bytes), built.offsets[1]!, 5, IORT_MSI_TYPES);
      expect([walk.stop, walk.outputId, walk.hops]).toEqual(['no-mappings', 5, []]);
    }
  });

  it('by-index fetch (iort_node_get_id): the same two nodes give no ID', () => {
    const single = [{ outputBase: 0x42, target: 0, flags: 1 }];
    const noArray = buildIort([itsGroup([0]), smmuV3({ revision: 0, mappings: single, mappingOffset: 0 })]);
    const noCount = buildIort([itsGroup([0]), smmuV3({ revision: 0, mappings: single, mappingCount: 0 })]);
    for (const built of [noArray, noCount]) {
      const walk = mapPlatformId(parseIort(built.bytes), built.offsets[1]!, 0, IORT_MSI_TYPES);
      expect([walk.stop, walk.outputId, walk.hops]).toEqual(['no-more-mappings', undefined, []]);
    }
  });

  it('RMR: a zero count or a zero reference is "no ID mappings", each on its own', () => {
    const codes = (node: NodeSpec) => parseIort(buildIort([smmuV3(), node]).bytes).diagnostics.filter((item) => item.code === 'iort.rmr.no-mappings').length;
    const ranges: [bigint, bigint][] = [[0x6000_0000n, 0x1_0000n]];
    expect(codes(rmr(ranges, { mappings: [{ target: 0 }] }))).toBe(0);
    expect(codes(rmr(ranges, { mappings: [{ target: 0 }], mappingCount: 0 }))).toBe(1);
    expect(codes(rmr(ranges, { mappings: [{ target: 0 }], mappingOffset: 0 }))).toBe(1);
  });
});

describe('the space rule (spec §3.1): optional fields end at the ID array only when mappings exist and it lies past the 16-byte header', () => {
  // SMMUv3 node revision 4: proximity domain [60, 64) and DeviceID index [64, 68), both from node
  // revision 1; the builder's node is 68 bytes long.
  const fields = (extra: Partial<NodeSpec>) => {
    const node = [...parseIort(buildIort([smmuV3({ proximity: 7, index: 3, ...extra })]).bytes).nodes()][0]!;
    if (node.kind !== 'smmu-v3') throw new Error(`expected an SMMUv3 view, got ${node.kind}`);
    return [node.proximityDomain, node.deviceIdMappingIndex];
  };

  it('no mappings: the Length bounds the fields, whatever the array reference says', () => {
    expect(fields({})).toEqual([7, 3]);
    expect(fields({ mappingCount: 0, mappingOffset: 60 })).toEqual([7, 3]);
    expect(fields({ mappingCount: 0, mappingOffset: 16 })).toEqual([7, 3]);
  });

  it('mappings at 64 end the fields there: the proximity domain fits, the index does not', () => {
    expect(fields({ mappingCount: 1, mappingOffset: 64, length: 84 })).toEqual([7, undefined]);
  });

  it('mappings at 16 (right after the header) leave no room; a reference inside the header (15, 0) does not count', () => {
    expect(fields({ mappingCount: 1, mappingOffset: 16 })).toEqual([undefined, undefined]);
    expect(fields({ mappingCount: 1, mappingOffset: 15 })).toEqual([7, 3]);
    expect(fields({ mappingCount: 1, mappingOffset: 0 })).toEqual([7, 3]);
  });
});

describe('the SMMUv3 view: the DeviceID index in effect only below the mapping count', () => {
  // iort_get_id_mapping_index(): `id_mapping_index >= node->mapping_count` is "ID mapping index
  // overflows valid mappings" and no index.
  const effective = (index: number) => {
    const node = [...parseIort(buildIort([itsGroup([0]), smmuV3({ revision: 5, flags: 0x10, index, mappings: TWO_MAPPINGS })]).bytes).nodes()][1]!;
    if (node.kind !== 'smmu-v3') throw new Error(`expected an SMMUv3 view, got ${node.kind}`);
    return [node.deviceIdMappingIndex, node.effectiveDeviceIdMappingIndex];
  };

  it('index 1 of 2 mappings is in effect; index 2 of 2 is stored but not in effect', () => {
    expect(effective(1)).toEqual([1, 1]);
    expect(effective(2)).toEqual([2, undefined]);
  });
});

describe('an empty array is inside its node: it has no byte that could lie outside (spec §5 #20)', () => {
  it('an RMR with no memory range descriptors, at reference 0 or past the node', () => {
    for (const patch32 of [[], [[24, 0x1000]]] as [number, number][][]) {
      const node = [...parseIort(buildIort([smmuV3(), rmr([], { mappings: [{ target: 0 }], patch32 })]).bytes).nodes()][1]!;
      if (node.kind !== 'rmr') throw new Error(`expected an RMR view, got ${node.kind}`);
      expect([node.descriptorCount, node.descriptorsInsideNode, [...node.memoryRanges()]]).toEqual([0, true, []]);
    }
  });
});

describe('an ID array that starts inside the 16-byte node header is outside the node (spec §5 #19: reference < 16)', () => {
  it('one mapping at reference 8 would end at 28, inside the Length: reported and never read', () => {
    const built = buildIort([itsGroup([0]), smmuV3({ revision: 0, mappings: [{ inputBase: 0, idCount: 0xff, outputBase: 0x1000, target: 0 }], mappingOffset: 8 })]);
    const table = parseIort(built.bytes);
    const outside = table.diagnostics.filter((item) => item.code === 'iort.mapping.outside-node').map((item) => item.offset);
    expect(outside).toEqual([built.offsets[1]! + 12]); // the node's Mapping offset field
    const walk = mapId(table, built.offsets[1]!, 5, IORT_MSI_TYPES);
    expect([walk.stop, walk.outputId, walk.hops]).toEqual(['mappings-outside-node', 5, []]);
  });
});
