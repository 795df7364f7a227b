/**
 * `explain` of an IORT named component (src/audit/explain.ts, explain-arm.ts) in full: what names
 * it, its walks, its own group, the page size used for RMR rounding, and a component Linux gives no
 * StreamID (range mappings only). Nodes from test/support/iort-builder.ts; offsets from its layout.
 */
import { describe, expect, it } from 'vitest';
import { explainDevice } from '../src/audit/explain.js';
import { parseExplainTarget, type Explanation } from '../src/audit/explain-model.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { V66_MESSAGE } from '../src/regions/passthrough.js';
import { buildIort, itsGroup, namedComponent, rmr, smmuV3 } from './support/iort-builder.js';
import { buildMadtWithIts } from './support/region-tables.js';

const NAME = '\\_SB_.ETH0';
function build(options: { single?: boolean; descriptor?: [bigint, bigint] } = {}) {
  const built = buildIort([
    itsGroup([0]),
    smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0, target: 0 }] }),
    namedComponent(NAME, { mappings: [{ inputBase: 0, idCount: options.single === false ? 0xf : 0, outputBase: 0x20, target: 1, flags: options.single === false ? 0 : 1 }] }),
    rmr([options.descriptor ?? [0x90000000n, 0x10000n]], { flags: 0, mappings: [{ outputBase: 0x20, idCount: 0, target: 1 }] }),
  ]);
  return { iort: parseIort(built.bytes), offsets: built.offsets };
}
const explain = (tables: ReturnType<typeof build>, options: Parameters<typeof explainDevice>[2] = {}) => {
  const result = explainDevice({ iort: tables.iort }, parseExplainTarget('\\_SB.ETH0')!, options);
  expect(typeof result).toBe('object');
  return result as Explanation;
};

describe('a named component with a StreamID', () => {
  const tables = build();
  const [, smmu, nc, node] = tables.offsets as [number, number, number, number];

  it('what names it, as whom, and its own group', () => {
    const result = explain(tables);
    expect(result.title).toBe(`${NAME} (IORT named component @0x${nc.toString(16)})`);
    expect(result).toMatchObject({ platform: 'arm', topologyGiven: false, assumptions: ['a platform device gets an IOMMU group of its own'], notes: [], upstream: [], hasIommu: true });
    expect(result.structures[0]).toEqual({ table: 'IORT', structure: 'named component', offset: nc, how: `its device name ${NAME} is the device's full ACPI path (compared as a whole, as Linux does)`, steps: [], certainty: 'certain' });
    expect(result.structures.map((item) => [item.structure, item.offset])).toEqual([['named component', nc], ['RMR', node]]);
    // iort_node_map_platform_id is asked index 0, 1, … up to its first failure: index 1 is that failure.
    expect(result.chains.map((chain) => chain.start)).toEqual(['mapping index 0 (iort_node_map_platform_id)', 'mapping index 1 (iort_node_map_platform_id)', `MSIs: StreamID 0x20 from smmu-v3 @0x${smmu.toString(16)}`]);
    expect(result.chains[0]!.result).toBe(`StreamID 0x20 on smmu-v3 @0x${smmu.toString(16)}`);
    expect(result.chains[1]!.result).toMatch(/^stopped: /);
    const [its] = tables.offsets as [number];
    expect(result.chains[0]!.steps).toEqual([expect.stringMatching(new RegExp(`^named-component @0x${nc.toString(16)} mapping 0 @0x[0-9a-f]+ \\[single mapping\\]: ID 0x20 → smmu-v3 @0x${smmu.toString(16)}$`))]);
    expect(result.chains[2]!.result).toBe(`DeviceID 0x20 on its-group @0x${its.toString(16)} (GIC ITS 0)`);
    expect(result.structures[1]!.how).toBe('its ID mapping reaches a StreamID of the device: descriptors [0x90000000, length 0x10000] become direct (flags bit 0 clear: remapping not permitted)');
    // The RMR's only mapping holds the device's StreamID: no "other mapping(s)" line.
    expect(result.structures[1]!.steps).toEqual([expect.stringMatching(new RegExp(`^mapping @0x[0-9a-f]+: StreamID 0x20 on smmu-v3 @0x${smmu.toString(16)} holds the device's StreamID 0x20$`))]);
    expect(result.group).toEqual({ guessed: true, members: [NAME], regions: expect.any(Array), sysfs: '0x0000000008000000 0x00000000080fffff msi\n0x0000000090000000 0x000000009000ffff direct\n' });
    expect('number' in result.group!).toBe(false);
    expect(result.verdict).toEqual({ releases: 'current Linux', outcome: 'refused', refused: true, detail: `refused: "${V66_MESSAGE}" (-EINVAL); direct region(s) on ${NAME}` });
    expect(result.advice[1]).toBe(`Firmware: set flags bit 0 (remapping permitted) on RMR @0x${node.toString(16)} if the device tolerates remapping; its ranges then become direct-relaxable and no longer block assignment`);
    // Its regions are its own (named by its path); walking them finds nothing wrong.
    expect(result.regions.map((region) => region.device)).toEqual([NAME, NAME]);
    expect(result.findings).toEqual([]);
  });

  it('the RMR is rounded to the page size asked (4 KiB unless told)', () => {
    const misaligned = build({ descriptor: [0x90001000n, 0x1000n] });
    const direct = (result: Explanation) => result.regions.filter((region) => region.type === 'direct').map((region) => [region.start, region.end]);
    expect(direct(explain(misaligned))).toEqual([[0x90001000n, 0x90001fffn]]);
    expect(direct(explain(misaligned, { pageSize: 0x10000 }))).toEqual([[0x90000000n, 0x9000ffffn]]);
  });

  it('a kernel before RMR support: no direct region, the verdict under it allowed', () => {
    const result = explain(tables, { kernel: kernelBehaviour('5.19') });
    expect(result.regions.map((region) => region.type)).toEqual(['sw-msi']);
    expect(result.verdict).toEqual({ releases: 'Linux 5.19', outcome: 'allowed', refused: false, detail: 'allowed: no reserved-region check at attach in these releases' });
  });
});

describe('its own group merges as the asked kernel does', () => {
  it('two adjacent HiSilicon ITS doorbell pages: two regions before v5.3, one from v5.3 (adjacent regions of one type join)', () => {
    const built = buildIort([
      itsGroup([0, 1]),
      smmuV3({ model: 1, mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0, target: 0 }] }),
      namedComponent(NAME, { mappings: [{ inputBase: 0, idCount: 0, outputBase: 0x20, target: 1, flags: 1 }] }),
    ]);
    // GITS_TRANSLATER pages: base + 0x10000 for 64 KiB, so ITS 0 → 0x20010000–0x2001ffff, ITS 1 → 0x20020000–0x2002ffff.
    const madt = parseMadt(buildMadtWithIts([{ id: 0, base: 0x20000000n }, { id: 1, base: 0x20010000n }]));
    const groupRegions = (version: string) => {
      const result = explainDevice({ iort: parseIort(built.bytes), madt }, parseExplainTarget('\\_SB.ETH0')!, { kernel: kernelBehaviour(version) });
      expect(typeof result).toBe('object');
      return (result as Explanation).group!.regions.map((region) => [region.type, region.start, region.end]);
    };
    expect(groupRegions('5.2')).toEqual([['sw-msi', 0x8000000n, 0x80fffffn], ['msi', 0x20010000n, 0x2001ffffn], ['msi', 0x20020000n, 0x2002ffffn]]);
    expect(groupRegions('6.1')).toEqual([['sw-msi', 0x8000000n, 0x80fffffn], ['msi', 0x20010000n, 0x2002ffffn]]);
  });
});

describe('a named component Linux gives no StreamID', () => {
  it('range mappings only: no IOMMU, no group, the notes say why and where the range would lead', () => {
    const tables = build({ single: false });
    const [, smmu, nc] = tables.offsets as [number, number, number];
    const result = explain(tables);
    expect(result.hasIommu).toBe(false);
    expect(result.regions).toEqual([]);
    expect(result.group).toBeUndefined();
    expect(result.structures.map((item) => item.structure)).toEqual(['named component']);
    // The mapping array starts at +16 + the fixed part of the named component; its first mapping is named by offset.
    expect(result.notes[0]).toBe('1 of its 1 mapping(s) are ranges: only a driver that passes an input ID would use them; Linux gives a named component no StreamID from them');
    expect(result.notes[1]).toMatch(new RegExp(`^  e\\.g\\. input 0x0 \\(mapping @0x[0-9a-f]+\\) → StreamID 0x20 on smmu-v3 @0x${smmu.toString(16)}$`));
    expect(result.notes).toHaveLength(2);
    expect(nc).toBeGreaterThan(smmu);
    expect(result.verdict).toEqual({ releases: 'current Linux', outcome: 'no-iommu', refused: false, detail: 'no IOMMU for the device with these tables: nothing to assign through VFIO' });
    expect(result.advice).toEqual(['Linux finds no StreamID for this named component (it only takes single mappings without an input ID): it has no IOMMU group, so there is nothing to assign or to reserve']);
  });

  it('a name the IORT lacks: the components it has are listed', () => {
    const result = explainDevice({ iort: build().iort }, parseExplainTarget('\\_SB.NOPE')!);
    expect(result).toBe(`no IORT named component \\_SB.NOPE; the IORT has ${NAME}`);
  });

  it('the list stops after 24 names with an ellipsis; 24 names print whole', () => {
    const names = Array.from({ length: 25 }, (_, index) => `\\_SB_.N${index.toString().padStart(3, '0')}`);
    const lacking = (count: number) => explainDevice({ iort: parseIort(buildIort(names.slice(0, count).map((name) => namedComponent(name))).bytes) }, parseExplainTarget('\\_SB.NOPE')!);
    expect(lacking(25)).toBe(`no IORT named component \\_SB.NOPE; the IORT has ${names.slice(0, 24).join(', ')}, …`);
    expect(lacking(24)).toBe(`no IORT named component \\_SB.NOPE; the IORT has ${names.slice(0, 24).join(', ')}`);
  });
});
