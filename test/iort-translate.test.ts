/**
 * ID translation (docs/kernel-semantics.md §4.2): real tables checked by hand against their bytes, and
 * generated RC → SMMUv3 → ITS graphs checked against a plain reference walk.
 */
import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { IORT_MSI_TYPES, findNamedComponent, findRootComplex, mapId, parseIort, translate, type IortTable } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, rootComplex, smmuV3, type MappingSpec, type NodeSpec } from './support/iort-builder.js';
import { HAVE_SHARED, SKIP_REASON, readReal, realTables } from './support/shared.js';

const QEMU = 'qemu-7.2/virt-smmuv3-gicv3/IORT.bin';
const X13S = 'aarch64-laptops/lenovo-thinkpad-x13s/IORT.bin';
const present = (path: string) => HAVE_SHARED && realTables('IORT').some((row) => row.path === path);

/**
 * QEMU 7.2 virt, iommu=smmuv3 (236 bytes, revision 3), read from the hex:
 *   @36 `03 00 00 00` 3 nodes, @40 `30 00 00 00` first node at 48.
 *   @48  `00 18 00 01` ITS group, Length 24; @64 ITS count 1, @68 ITS ID 0.
 *   @72  `04 58 00 04` SMMUv3, Length 88, rev 4; @80 1 mapping at +0x44 (68); GSIVs @116..@131
 *        0x6a 0x6b 0x6d 0x6c, all non-zero, so no DeviceID mapping is skipped (spec §3.10);
 *        mapping @140: input 0, count 0xffff, output 0, reference 0x30 (48, the ITS group).
 *   @160 `02 4c 00 03` root complex, Length 76, rev 3; @168 2 mappings at +0x24 (36); @188 segment 0;
 *        mapping 0 @196: input 0, count 0x200, output 0, reference 0x48 (72, SMMUv3);
 *        mapping 1 @216: input 0x200, count 0xfdff, output 0x200, reference 0x30 (48, ITS).
 * Mapping 0 covers 0x000–0x200 inclusive and mapping 1 starts at 0x200: requester ID 0x200 first
 * matches the last ID of mapping 0 (tentative, -EAGAIN) and mapping 1 then supersedes it
 * (Linux: "applying workaround"), so bus 2 bypasses the SMMU.
 */
describe.skipIf(!present(QEMU))(`QEMU 7.2 virt SMMUv3 ${present(QEMU) ? '' : SKIP_REASON}`, () => {
  const table = () => parseIort(readReal(QEMU));

  test('RID 00:01.0 (0x0008) reaches the SMMUv3 with stream ID 8', () => {
    const result = translate(table(), { segment: 0, requesterId: 0x0008 });
    expect(result.startNodeOffset).toBe(160);
    expect(result.stop).toBe('reached');
    expect(result.walks[0]!.hops).toEqual([
      { nodeOffset: 160, nodeKind: 'root-complex', nodeType: 2, mappingIndex: 0, mappingOffset: 196, inputId: 8, outputId: 8, inputRange: [0, 0x200], singleMapping: false, targetOffset: 72, offByOne: undefined },
    ]);
    expect(result.results).toEqual([{ nodeOffset: 72, nodeKind: 'smmu-v3', nodeType: 4, id: 8 }]);
    expect(result.walks[0]!.streamId).toBe(8);
  });

  test('RID 01:00.0 (0x0100) goes on to the ITS group with device ID 0x100', () => {
    const walk = translate(table(), { segment: 0, requesterId: 0x0100 }, { typeMask: IORT_MSI_TYPES }).walks[0]!;
    expect(walk.hops.map((hop) => [hop.nodeOffset, hop.mappingOffset, hop.inputId, hop.outputId, hop.targetOffset])).toEqual([
      [160, 196, 0x100, 0x100, 72],
      [72, 140, 0x100, 0x100, 48],
    ]);
    expect(walk.final).toEqual({ nodeOffset: 48, nodeKind: 'its-group', nodeType: 0, id: 0x100 });
    expect(walk.deviceId).toBe(0x100);
  });

  test('RID 0x0200 takes the off-by-one workaround to the ITS group and gets no stream ID', () => {
    const result = translate(table(), { segment: 0, requesterId: 0x0200 });
    const walk = result.walks[0]!;
    expect(walk.hops).toHaveLength(1);
    expect(walk.hops[0]).toMatchObject({ mappingOffset: 216, inputId: 0x200, outputId: 0x200, targetOffset: 48, offByOne: 'superseded' });
    expect(result.stop).toBe('no-mappings');
    expect(result.results).toEqual([]);
    expect(walk.outputId).toBe(0x200);
    expect(walk.streamId).toBeUndefined();
    const msi = mapId(table(), 160, 0x200, IORT_MSI_TYPES);
    expect(msi.deviceId).toBe(0x200);
  });

  test('an unknown segment has no start node', () => {
    expect(findRootComplex(table(), 1)).toBeUndefined();
    expect(translate(table(), { segment: 1, requesterId: 0 }).stop).toBe('no-start-node');
  });
});

/**
 * Lenovo ThinkPad X13s (Qualcomm SC8280XP, 6300 bytes, revision 0), read from the hex:
 *   @1632 `02 38 00 00` root complex, Length 56, rev 0; @1640 1 mapping at +0x24; @1660 segment 3;
 *         mapping @1668: input 0, count 0xffff, output 0x30000 (`00 00 03 00`), reference 0x182c (6188).
 *   @6188 `04 58 00 00` SMMUv3, Length 88, rev 0 (no DeviceID index, spec §3.10); 1 mapping at +0x44;
 *         mapping @6256: input 0, count 0x6ffff, output 0x80000, reference 0x1884 (6276).
 *   @6276 `00 18 00 00` ITS group.
 *   @4760 `01 51 00 00` named component, Length 81, 1 mapping at +0x3d (61); name "\_SB.USBA" @4789;
 *         mapping @4821: input 0x07030002, count 0, output 0xc0f, reference 0x30 (48, an SMMUv2),
 *         flags 0 — a range, not a single mapping.
 */
describe.skipIf(!present(X13S))(`Lenovo ThinkPad X13s ${present(X13S) ? '' : SKIP_REASON}`, () => {
  const table = () => parseIort(readReal(X13S));

  test('segment 3, RID 01:00.0 → SMMUv3 stream ID 0x30100 → ITS device ID 0xb0100', () => {
    const walk = translate(table(), { segment: 3, requesterId: 0x0100 }, { typeMask: IORT_MSI_TYPES }).walks[0]!;
    expect(walk.hops.map((hop) => [hop.nodeOffset, hop.mappingOffset, hop.inputId, hop.outputId, hop.inputRange, hop.targetOffset])).toEqual([
      [1632, 1668, 0x100, 0x30100, [0, 0xffff], 6188],
      [6188, 6256, 0x30100, 0xb0100, [0, 0x6ffff], 6276],
    ]);
    expect(walk.deviceId).toBe(0xb0100);
    const iommu = translate(table(), { segment: 3, requesterId: 0x0100 });
    expect(iommu.results).toEqual([{ nodeOffset: 6188, nodeKind: 'smmu-v3', nodeType: 4, id: 0x30100 }]);
  });

  test('\\_SB.USBA: its range mapping gives stream ID 0xc0f on the SMMUv2 at 48', () => {
    expect(findNamedComponent(table(), '\\_SB.USBA')?.offset).toBe(4760);
    const walk = translate(table(), { deviceName: '\\_SB.USBA', id: 0x07030002 }).walks[0]!;
    expect(walk.hops.map((hop) => [hop.mappingOffset, hop.inputId, hop.outputId, hop.targetOffset])).toEqual([[4821, 0x07030002, 0xc0f, 48]]);
    expect(walk.final).toEqual({ nodeOffset: 48, nodeKind: 'smmu-v1v2', nodeType: 3, id: 0xc0f });
  });

  test('\\_SB.USBA without an input ID gets nothing: iort_nc_iommu_map() needs single mappings', () => {
    const result = translate(table(), { deviceName: '\\_SB.USBA' });
    expect(result.walks).toHaveLength(1);
    expect(result.stop).toBe('not-single');
    expect(result.results).toEqual([]);
  });
});

describe('named components without an input ID', () => {
  test('single mappings are taken by index until the first failure', () => {
    const built = buildIort([
      itsGroup([0]),
      smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, target: 0 }] }),
      namedComponent('A', {
        mappings: [{ outputBase: 7, target: 1, flags: 1 }, { outputBase: 9, target: 1, flags: 1 }, { inputBase: 1, target: 1 }, { outputBase: 11, target: 1, flags: 1 }],
      }),
    ]);
    const result = translate(parseIort(built.bytes), { deviceName: 'A' });
    expect(result.results.map((final) => final.id)).toEqual([7, 9]);
    expect(result.stop).toBe('not-single');
  });
});

// ---- generated graphs against a reference walk -------------------------------------------

interface Range {
  inputBase: number;
  idCount: number;
  outputBase: number;
  target: number;
}

/** Disjoint ranges over [0, 0xffff], each optionally one ID too long (the off-by-one firmware bug). */
const rangesArbitrary = (targets: number[], maxOutput: number) =>
  fc
    .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 0xfffe }), { maxLength: 4 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }))
    .chain(([cuts, long]) => {
      const points = [0, ...cuts.sort((a, b) => a - b), 0x10000];
      const count = points.length - 1;
      return fc.tuple(
        fc.array(fc.constantFrom(...targets), { minLength: count, maxLength: count }),
        fc.array(fc.integer({ min: 0, max: maxOutput }), { minLength: count, maxLength: count }),
        fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }),
      ).map(([chosen, outputs, order]) =>
        order.map((index): Range => ({
          inputBase: points[index]!,
          idCount: points[index + 1]! - points[index]! - 1 + (long[index] && index < count - 1 ? 1 : 0),
          outputBase: outputs[index]!,
          target: chosen[index]!,
        })),
      );
    });

/** ITS groups at handles 0..its-1, SMMUv3s after them, then root complexes (segments 0, 1, …). */
const graphArbitrary = fc
  .record({ its: fc.integer({ min: 1, max: 2 }), smmus: fc.integer({ min: 1, max: 3 }), rcs: fc.integer({ min: 1, max: 2 }) })
  .chain(({ its, smmus, rcs }) => {
    const itsHandles = [...Array(its).keys()];
    const smmuHandles = [...Array(smmus).keys()].map((index) => its + index);
    return fc.record({
      its: fc.constant(its),
      smmu: fc.array(rangesArbitrary(itsHandles, 0xfff_ffff), { minLength: smmus, maxLength: smmus }),
      // Root-complex outputs stay near the SMMU input space so that most walks take both hops.
      rc: fc.array(rangesArbitrary([...smmuHandles, ...itsHandles], 0xffff), { minLength: rcs, maxLength: rcs }),
      ids: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 8 }),
    });
  });

function referenceWalk(model: Range[][], types: number[], start: number, id: number, stopTypes: number[]) {
  const hops: [number, number, number][] = [];
  let node = start;
  for (let step = 0; step < 8; step++) {
    if (stopTypes.includes(types[node]!)) return { node, id, hops };
    const ranges = model[node] ?? [];
    // The range starting at the ID wins (Linux's off-by-one workaround); otherwise the one containing it.
    const chosen = ranges.find((range) => range.inputBase === id) ?? ranges.find((range) => range.inputBase <= id && id <= range.inputBase + range.idCount);
    if (chosen === undefined) return { node: undefined, id, hops };
    const output = chosen.outputBase + (id - chosen.inputBase);
    hops.push([node, id, output]);
    node = chosen.target;
    id = output;
  }
  throw new Error('reference walk did not end');
}

describe('generated RC → SMMUv3 → ITS graphs', () => {
  propTest.prop([graphArbitrary], { seed: 0x10a7, numRuns: 300 })('translate equals the reference walk', (graph) => {
    const toSpec = (ranges: Range[]): MappingSpec[] => ranges.map((range) => ({ ...range }));
    const nodes: NodeSpec[] = [
      ...Array.from({ length: graph.its }, (_, index) => itsGroup([index])),
      ...graph.smmu.map((ranges) => smmuV3({ mappings: toSpec(ranges) })),
      ...graph.rc.map((ranges, segment) => rootComplex(segment, { mappings: toSpec(ranges) })),
    ];
    const built = buildIort(nodes);
    const table: IortTable = parseIort(built.bytes);
    expect(table.diagnostics.filter((item) => item.severity === 'error')).toEqual([]);
    const model = nodes.map((node) => (node.mappings ?? []) as Range[]);
    const types = nodes.map((node) => node.type);
    graph.rc.forEach((ranges, segment) => {
      const rcHandle = graph.its + graph.smmu.length + segment;
      const boundaries = ranges.flatMap((range) => [range.inputBase, range.inputBase + range.idCount]).filter((id) => id <= 0xffff);
      for (const id of [...graph.ids, ...boundaries]) {
        for (const [mask, stopTypes] of [[undefined, [3, 4]], [IORT_MSI_TYPES, [0]]] as const) {
          const expected = referenceWalk(model, types, rcHandle, id, [...stopTypes]);
          const walk = translate(table, { segment, requesterId: id }, mask === undefined ? {} : { typeMask: mask }).walks[0]!;
          expect(walk.hops.map((hop) => [hop.nodeOffset, hop.inputId, hop.outputId])).toEqual(expected.hops.map(([node, input, output]) => [built.offsets[node], input, output]));
          expect(walk.final?.nodeOffset).toBe(expected.node === undefined ? undefined : built.offsets[expected.node]);
          if (expected.node !== undefined) expect(walk.final?.id).toBe(expected.id);
        }
      }
    });
  });
});
