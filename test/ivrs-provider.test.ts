/**
 * The IVRS region provider through the core and `explain`: IVHD alias entries join devices in
 * guessed groups (Linux adds same-bus aliases as PCI DMA aliases, `setup_aliases`), real groups
 * win, and the aperture is Linux 6.1's AMD one. The IVRS is built byte by byte here: one IVHD
 * 0x10 at 0x30 for the IOMMU at 00:00.2 naming 00:00.0, 00:05.0, 00:05.1 as an alias of
 * 00:05.0 (the alias select at 0x50), and 00:06.0; one IVMD 0x21 at 0x5c (unity, read/write)
 * for 00:05.1 over 0x3f000000-0x3f00ffff.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegions, regionProvider } from '../src/analyze.js';
import { explainDevice } from '../src/audit/explain.js';
import { parseExplainTarget } from '../src/audit/explain-model.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { kernelBehaviour, parseKernelVersion } from '../src/regions/kernel-versions.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { Bytes, fixChecksum } from './support/iort-builder.js';

const ID = { host: 0x0000, iommu: 0x0002, nic: 0x0028, nicAlias: 0x0029, disk: 0x0030 };

function ivrs(): Uint8Array {
  const entries = new Bytes()
    .u8(0x02).u16(ID.host).u8(0)
    .u8(0x02).u16(ID.nic).u8(0)
    .u8(0x42).u16(ID.nicAlias).u8(0).u8(0).u16(ID.nic).u8(0)
    .u8(0x02).u16(ID.disk).u8(0)
    .done();
  const ivhd = new Bytes().u8(0x10).u8(0).u16(24 + entries.length).u16(ID.iommu).u16(0x40).u64(0xfed80000n).u16(0).u16(0).u32(0);
  for (const byte of entries) ivhd.u8(byte);
  const ivmd = new Bytes().u8(0x21).u8(0x07).u16(32).u16(ID.nicAlias).u16(0).u64(0n).u64(0x3f000000n).u64(0x10000n);
  const body = [...ivhd.done(), ...ivmd.done()];
  const table = new Bytes().ascii('IVRS', false).u32(48 + body.length).u8(2).u8(0).ascii('ACPIIO', false).ascii('ALIASES ', false).u32(1).ascii('TEST', false).u32(1);
  table.u32(0x00203040).u64(0n);
  for (const byte of body) table.u8(byte);
  return fixChecksum(table.done());
}

const table = parseIvrs(ivrs());
const DEVICES = [
  { bdf: '0000:00:00.0', class: '0x060000' },
  { bdf: '0000:00:05.0', class: '0x020000' },
  { bdf: '0000:00:05.1', class: '0x020000' },
  { bdf: '0000:00:06.0', class: '0x010802' },
];
const IVMD_LINE = '0x000000003f000000 0x000000003f00ffff direct\n';
const FIXED = '0x00000000fee00000 0x00000000feefffff msi\n0x000000fd00000000 0x000000ffffffffff reserved\n';

describe('IVRS provider', () => {
  it('parses the hand-built table cleanly', () => {
    expect(table.diagnostics.filter((item) => item.severity !== 'info')).toEqual([]);
  });

  it('guessed groups follow the IVHD alias: 00:05.1 joins 00:05.0, and the group carries its IVMD', () => {
    const analysis = analyzeRegions({ ivrs: table }, topologyFromJson({ devices: DEVICES }));
    expect(analysis.platform).toBe('amd');
    expect(analysis.groups.map((group) => group.devices)).toEqual([['0000:00:00.0'], ['0000:00:05.0', '0000:00:05.1'], ['0000:00:06.0']]);
    expect(analysis.assumptions).toContain('groups guessed: 0000:00:05.1 shares the group of 0000:00:05.0, its IVHD alias (entry @0x50)');
    expect(formatSysfs(analysis.groups[1]!.regions)).toBe(IVMD_LINE + FIXED);
    expect(formatSysfs(analysis.groups[0]!.regions)).toBe(FIXED);
  });

  it('real groups of the topology win over the alias', () => {
    const analysis = analyzeRegions({ ivrs: table }, topologyFromJson({ devices: DEVICES, groups: { 0: ['0000:00:00.0'], 1: ['0000:00:05.0'], 2: ['0000:00:05.1'], 3: ['0000:00:06.0'] } }));
    expect(analysis.groups.map((group) => group.devices)).toEqual([['0000:00:00.0'], ['0000:00:05.0'], ['0000:00:05.1'], ['0000:00:06.0']]);
    expect(analysis.assumptions).toEqual([]);
    expect(formatSysfs(analysis.groups[2]!.regions)).toBe(IVMD_LINE + FIXED);
  });

  it('says that an older kernel gets only the rules common to every IOMMU', () => {
    const old = analyzeRegions({ ivrs: table }, topologyFromJson({ devices: DEVICES }), undefined, { kernel: kernelBehaviour(parseKernelVersion('5.2')) });
    expect(old.assumptions[0]).toBe("AMD-Vi rules are Linux 6.1's; for Linux 5.2 only the changes common to every IOMMU (merge, region types, reserved_regions file, require_direct) and the IVHD alias-range rule are applied");
    expect(analyzeRegions({ ivrs: table }, topologyFromJson({ devices: DEVICES })).assumptions.some((text) => text.startsWith('AMD-Vi rules'))).toBe(false);
  });

  it("gives Linux 6.1's AMD aperture: all 64 bits", () => {
    expect(regionProvider({ ivrs: table })!.aperture.bits).toBe(64);
  });
});

describe('explain on AMD', () => {
  const explain = (bdf: string) => {
    const result = explainDevice({ ivrs: table }, parseExplainTarget(bdf)!, { topology: topologyFromJson({ devices: DEVICES }) });
    if (typeof result === 'string') throw new Error(result);
    return result;
  };

  it('names the IVHD entry, the alias entry and the IVMD; refuses from v6.6 only', () => {
    const result = explain('0000:00:05.1');
    expect(result.platform).toBe('amd');
    expect(result.structures.map((item) => [item.structure, item.offset])).toEqual([['IVHD 0x10', 0x30], ['IVHD alias entry', 0x50], ['IVMD (one device)', 0x5c]]);
    expect(result.structures[1]!.how).toMatch(/arrives as 00:05\.0 \(0x0028\); Linux adds it as a PCI DMA alias/);
    expect(result.passthrough.map((verdict) => [verdict.releases, verdict.refused])).toEqual([['up to v6.5', false], ['v6.6 and later', true]]);
    expect(result.advice.join('\n')).toMatch(/IVMD \(one device\) @0x5c asks for an identity mapping/);
    expect(result.group?.sysfs).toBe(IVMD_LINE + FIXED);
  });

  it('the IOMMU itself gets no IOMMU, and explain says why', () => {
    const result = explainDevice({ ivrs: table }, parseExplainTarget('0000:00:00.2')!, { topology: topologyFromJson({ devices: [...DEVICES, { bdf: '0000:00:00.2', class: '0x080600' }] }) });
    if (typeof result === 'string') throw new Error(result);
    expect(result.hasIommu).toBe(false);
    expect(result.structures.map((item) => item.how)).toEqual([expect.stringMatching(/is the IOMMU itself/)]);
  });
});
