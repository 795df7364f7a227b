/**
 * Real tables of ../shared/corpus/real: every DMAR and IORT yields regions without a topology
 * (and with a small synthetic one) without throwing; hand-checked spot checks on real bytes.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonReplacer } from '../src/bytes/hex.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { analyzeRegions, unscopedRegions } from '../src/analyze.js';
import { analyzeIntel } from '../src/dmar/regions/index.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { CORPUS_ROOT, HAVE_SHARED, readReal, realTables } from './support/shared.js';

const MSI = '0x00000000fee00000 0x00000000feefffff msi\n';
const SMALL_PC = topologyFromJson({
  devices: [
    { bdf: '0000:00:00.0', class: '0x060000' },
    { bdf: '0000:00:02.0', class: '0x030000' },
    { bdf: '0000:00:14.0', class: '0x0c0330' },
    { bdf: '0000:00:1c.0', class: '0x060400' },
    { bdf: '0000:01:00.0', class: '0x020000', parent: '0000:00:1c.0' },
    { bdf: '0000:00:1f.0', class: '0x060100' },
  ],
});

function madtBeside(path: string) {
  const apic = join(dirname(path), 'APIC.bin');
  return existsSync(join(CORPUS_ROOT, 'real', apic)) ? parseMadt(readReal(apic)) : undefined;
}

describe.skipIf(!HAVE_SHARED)('every real DMAR and IORT', () => {
  const rows = [...realTables('DMAR'), ...realTables('IORT')];

  it.each(rows.map((row) => [row.path, row.signature] as const))('%s yields regions', (path, signature) => {
    const bytes = readReal(path);
    const tables = signature === 'DMAR' ? { dmar: parseDmar(bytes) } : { iort: parseIort(bytes), madt: madtBeside(path) };
    const platform = signature === 'DMAR' ? 'intel' : 'arm';
    const regions = unscopedRegions(tables, platform);
    expect(regions.length).toBeGreaterThan(0);
    for (const region of regions) if (region.source.offset !== undefined) expect(region.source.offset).toBeLessThan(bytes.length);
    expect(() => JSON.stringify(regions, jsonReplacer)).not.toThrow();
    const analysis = analyzeRegions(tables, SMALL_PC, platform);
    expect(() => JSON.stringify(analysis, jsonReplacer)).not.toThrow();
  });
});

describe.skipIf(!HAVE_SHARED)('spot checks on real tables', () => {
  it('Dell Latitude E6230: an RMRR shared by three USB controllers', () => {
    // linuxhw/Dell_Latitude-E6230_CA3D50C521D1/DMAR.bin (184 bytes), read by hand with xxd:
    //   0x68: 01 00 30 00 …          RMRR, length 0x30, segment 0
    //   0x70: 00 10 d4 db 00 00 00 00 base 0xdbd41000;  0x78: ff 0f d6 db … end 0xdbd60fff
    //   0x80: 01 08 00 00 00 00 1d 00 endpoint bus 0 (1d,0); 0x88: … 1a 00; 0x90: … 14 00
    //   0x98: 01 00 20 00 … RMRR [0xdd800000, 0xdf9fffff], 0xb0: endpoint bus 0 (02,0)
    const table = parseDmar(readReal('linuxhw/Dell_Latitude-E6230_CA3D50C521D1/DMAR.bin'));
    const unscoped = unscopedRegions({ dmar: table }, 'intel').filter((region) => region.source.structure === 'RMRR');
    expect(unscoped.map((region) => [region.source.offset, region.start, region.end, region.device])).toEqual([
      [0x68, 0xdbd41000n, 0xdbd60fffn, '0000:00:1d.0'],
      [0x68, 0xdbd41000n, 0xdbd60fffn, '0000:00:1a.0'],
      [0x68, 0xdbd41000n, 0xdbd60fffn, '0000:00:14.0'],
      [0x98, 0xdd800000n, 0xdf9fffffn, '0000:00:02.0'],
    ]);
    const analysis = analyzeIntel(table, SMALL_PC);
    const text = (bdf: string) => formatSysfs(analysis.groups.find((group) => group.devices.includes(bdf))!.regions);
    expect(text('0000:00:14.0')).toBe('0x00000000dbd41000 0x00000000dbd60fff direct-relaxable\n' + MSI);
    expect(analysis.iommuEnabled).toBe(true);
  });

  it('fwupd acpi-dmar DMAR-OPTOUT: an RMRR on the integrated GPU 00:02.0', () => {
    // fwupd/acpi-dmar_DMAR-OPTOUT/DMAR.bin (168 bytes):
    //   0x88: 01 00 20 00 00 00 00 00  RMRR, length 0x20, segment 0
    //   0x90: 00 00 00 6b …  base 0x6b000000;  0x98: ff ff 7f 6f …  end 0x6f7fffff
    //   0xa0: 01 08 00 00 00 00 02 00  endpoint bus 0 (02,0)
    // and 0x68: RMRR [0x5f4e5000, 0x5f504fff] for endpoint (14,0).
    const table = parseDmar(readReal('fwupd/acpi-dmar_DMAR-OPTOUT/DMAR.bin'));
    const gpu = analyzeIntel(table, SMALL_PC).groups.find((group) => group.devices.includes('0000:00:02.0'))!;
    expect(formatSysfs(gpu.regions)).toBe('0x000000006b000000 0x000000006f7fffff direct-relaxable\n' + MSI);
    expect(gpu.regions[0]!.parts[0]!.source).toMatchObject({ table: 'DMAR', offset: 0x88, structure: 'RMRR' });
    // The same scope on a function that is not display or USB is not relaxable.
    const nic = topologyFromJson({ devices: [{ bdf: '0000:00:02.0', class: '0x020000' }] });
    expect(formatSysfs(analyzeIntel(table, nic).groups[0]!.regions)).toBe('0x000000006b000000 0x000000006f7fffff direct\n' + MSI);
  });

  it('HP ProLiant DL360 G7: RMRR scopes that reach through root port 00:1c.4', () => {
    // No real RMRR in the corpus uses a BRIDGE-type scope (every iasl reading has scope type 1
    // only); this table reaches functions behind a bridge with two-hop ENDPOINT paths:
    //   0x70: 01 00 56 00 …  RMRR, length 0x56; 0x78 base 0xdf7df000; 0x80 end 0xdf7e4fff
    //   0x88/0x90/0x98/0xa0: endpoint bus 0 (1d,0) (1d,1) (1d,2) (1d,3)
    //   0xa8: 01 0a 00 00 00 00 1c 04 00 00  endpoint bus 0 path (1c,4)/(00,0)
    //   0xb2: … 1c 04 00 02;  0xbc: … 1c 04 00 04
    const table = parseDmar(readReal('linuxhw/Hewlett-Packard_ProLiant-DL360-G7_60DCEE46526A/DMAR.bin'));
    const unscoped = unscopedRegions({ dmar: table }, 'intel').filter((region) => region.source.offset === 0x70);
    expect(unscoped).toHaveLength(7);
    expect(unscoped[4]!.source.detail).toMatch(/^endpoint 00:1c\.4\/00\.0 @0xa8: device 00\.0 1 bridge\(s\) below bus 0x00/);
    const topology = topologyFromJson({
      devices: [
        { bdf: '0000:00:1c.4', class: '0x060400', group: 8 },
        { bdf: '0000:01:00.0', class: '0x030000', parent: '0000:00:1c.4', group: 9 },
        { bdf: '0000:01:00.2', class: '0x088000', parent: '0000:00:1c.4', group: 9 },
        { bdf: '0000:01:00.4', class: '0x0c0300', parent: '0000:00:1c.4', group: 9 },
      ],
    });
    const analysis = analyzeIntel(table, topology);
    const ilo = analysis.devices.find((entry) => entry.device === '0000:01:00.2')!;
    expect(ilo.regions.filter((region) => region.source.offset === 0x70).map((region) => region.type)).toEqual(['direct']);
    const usb = analysis.devices.find((entry) => entry.device === '0000:01:00.4')!;
    expect(usb.regions.filter((region) => region.source.offset === 0x70).map((region) => region.type)).toEqual(['direct-relaxable']);
    // The group holds both copies of the range, unmerged (different types).
    const group = formatSysfs(analysis.groups.find((entry) => entry.group === 9)!.regions);
    expect(group).toContain('0x00000000df7df000 0x00000000df7e4fff direct\n0x00000000df7df000 0x00000000df7e4fff direct-relaxable\n');
  });

  it('ASUS Maximus VIII Formula: a one-element path on bus 0x11 needs the fallback', () => {
    //   0x50: RMRR [0x7dcc4000, 0x7dce3fff]; 0x68: endpoint bus 0 (14,0); 0x70: 01 08 00 00 00 11 00 00 endpoint bus 0x11 (00,0)
    const table = parseDmar(readReal('linuxhw/ASUSTek-Computer_Maximus-VIII-FORMULA_ED4EDE81937F/DMAR.bin'));
    const topology = topologyFromJson({
      devices: [
        { bdf: '0000:00:1c.0', class: '0x060400' },
        { bdf: '0000:11:00.0', class: '0x0c0330', parent: '0000:00:1c.0' },
      ],
    });
    const analysis = analyzeIntel(table, topology);
    const device = analysis.devices.find((entry) => entry.device === '0000:11:00.0')!;
    expect(device.regions[0]).toMatchObject({ start: 0x7dcc4000n, end: 0x7dce3fffn, type: 'direct-relaxable' });
    expect(analysis.findings.some((item) => item.code === 'regions.intel.path-fallback' && item.offset === 0x70)).toBe(true);
  });

  it('Radxa Orion O6: a real IORT RMR node (table revision 5)', () => {
    // orion-o6/radxa-orion-o6_cix-sky1/IORT.bin: RMR node at 0x9e0 with flags bit 0 set and one
    // descriptor at 0xac4: base 0x84800000, length 0x800000; its mappings name SMMUv3 @0xdc.
    const iort = parseIort(readReal('orion-o6/radxa-orion-o6_cix-sky1/IORT.bin'));
    const rmr = unscopedRegions({ iort }, 'arm').filter((region) => region.source.structure === 'RMR');
    expect(rmr.map((region) => [region.source.offset, region.start, region.end, region.type])).toEqual([[0x9e0, 0x84800000n, 0x84ffffffn, 'direct-relaxable']]);
    expect(rmr[0]!.source.detail).toContain('on smmu-v3 @0xdc');
  });
});
