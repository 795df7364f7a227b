/**
 * `explain` on three real tables, checked by hand. The comments give the table bytes and fields
 * each expectation comes from (offsets within the table; read with `acpi-iommu dump`/`xxd`), and
 * the topology JSON (src/pci/json.ts format) states the devices assumed on each machine.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainDevice, explanationJson, explanationLines, parseExplainTarget, type Explanation, type ExplainTables } from '../src/audit/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED, SKIP_REASON, readReal } from './support/shared.js';

function explain(tables: ExplainTables, device: string, options: Parameters<typeof explainDevice>[2] = {}): Explanation {
  const result = explainDevice(tables, parseExplainTarget(device)!, options);
  if (typeof result === 'string') throw new Error(result);
  return result;
}

const MSI = '0x00000000fee00000 0x00000000feefffff msi\n';

describe.skipIf(!HAVE_SHARED)(`explain on real tables${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  /*
   * Dell Latitude E6230, linuxhw/Dell_Latitude-E6230_CA3D50C521D1/DMAR.bin (184 bytes, rev 1):
   *   @0x30 DRHD len 24, flags 0, segment 0, base 0xfed90000; scope @0x40 ENDPOINT len 8, start bus 0, path (02,0)
   *   @0x48 DRHD len 32, flags 1 (INCLUDE_PCI_ALL), base 0xfed91000; IOAPIC @0x58, HPET @0x60
   *   @0x68 RMRR len 48, segment 0, base 0xdbd41000, limit 0xdbd60fff; ENDPOINT (1d,0) @0x80, (1a,0) @0x88, (14,0) @0x90
   *   @0x98 RMRR len 32, base 0xdd800000, limit 0xdf9fffff; ENDPOINT (02,0) @0xb0
   * Assumed devices: Ivy Bridge laptop — iGPU 00:02.0 (VGA 0x030000), xHCI 00:14.0 (0x0c0330), NIC
   * 00:19.0 (0x020000), EHCI 00:1a.0/00:1d.0 (0x0c0320), LPC 00:1f.0 (0x060100) sharing a group with
   * SATA 00:1f.2 and SMBus 00:1f.3.
   */
  const dell: ExplainTables = HAVE_SHARED ? { dmar: parseDmar(readReal('linuxhw/Dell_Latitude-E6230_CA3D50C521D1/DMAR.bin')) } : {};
  const dellTopology = () => topologyFromJson({
    devices: [
      { bdf: '0000:00:00.0', class: '0x060000' }, { bdf: '0000:00:02.0', class: '0x030000' }, { bdf: '0000:00:14.0', class: '0x0c0330' },
      { bdf: '0000:00:19.0', class: '0x020000' }, { bdf: '0000:00:1a.0', class: '0x0c0320' }, { bdf: '0000:00:1d.0', class: '0x0c0320' },
      { bdf: '0000:00:1f.0', class: '0x060100' }, { bdf: '0000:00:1f.2', class: '0x010601' }, { bdf: '0000:00:1f.3', class: '0x0c0500' },
    ],
    groups: { '0': ['0000:00:00.0'], '1': ['0000:00:02.0'], '2': ['0000:00:14.0'], '3': ['0000:00:19.0'], '4': ['0000:00:1a.0'], '5': ['0000:00:1d.0'], '6': ['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3'] },
  });

  it('Dell E6230 iGPU 00:02.0: its own DRHD @0x30, RMRR @0x98 (scope @0xb0), direct-relaxable, never refused', () => {
    const result = explain(dell, '00:02.0', { topology: dellTopology() });
    expect(result.structures.map((item) => [item.structure, item.offset])).toEqual([['DRHD', 0x30], ['RMRR [0xdd800000-0xdf9fffff]', 0x98]]);
    expect(result.structures[0]!.how).toMatch(/endpoint 00:02\.0 @0x40 names the device itself/);
    expect(result.structures[1]!.steps).toEqual(['bus 0x00, 02.0 → 0000:00:02.0 [030000]']);
    expect(result.group).toMatchObject({ number: 1, sysfs: '0x00000000dd800000 0x00000000df9fffff direct-relaxable\n' + MSI });
    expect(result.passthrough.every((verdict) => !verdict.refused)).toBe(true);
    // Linux 5.2 has no DIRECT_RELAXABLE: the same RMRR prints direct, but the display class still escapes the RMRR lock.
    const old = explain(dell, '00:02.0', { topology: dellTopology(), kernel: kernelBehaviour('5.2') });
    expect(old.group!.sysfs).toBe('0x00000000dd800000 0x00000000df9fffff direct\n' + MSI);
    expect(old.verdict).toMatchObject({ releases: 'Linux 5.2', refused: false });
  });

  it('Dell E6230 xHCI 00:14.0: INCLUDE_PCI_ALL DRHD @0x48, RMRR @0x68 through scope @0x90', () => {
    const result = explain(dell, '0000:00:14.0', { topology: dellTopology() });
    expect(result.structures[0]).toMatchObject({ structure: 'DRHD', offset: 0x48 });
    expect(result.structures[0]!.how).toMatch(/INCLUDE_PCI_ALL for segment 0x0000:/);
    expect(result.structures[1]).toMatchObject({ structure: 'RMRR [0xdbd41000-0xdbd60fff]', offset: 0x68, certainty: 'certain' });
    expect(result.structures[1]!.how).toMatch(/endpoint 00:14\.0 @0x90/);
    expect(result.regions.map((region) => region.type)).toEqual(['direct-relaxable', 'msi']);
    expect(result.advice[0]).toMatch(/Nothing in these tables blocks assigning 0000:00:14\.0/);
  });

  it('Dell E6230 without a topology: one-element paths still resolve; the verdict is conditional on the unknown class', () => {
    const result = explain(dell, '00:14.0');
    expect(result.topologyGiven).toBe(false);
    expect(result.assumptions[0]).toMatch(/no PCI topology/);
    expect(result.structures[1]).toMatchObject({ offset: 0x68, certainty: 'assumed', steps: ['bus 0x00, 14.0 → 0000:00:14.0 [class unknown]'] });
    expect(result.regions[0]!.reason).toMatch(/class unknown without --pci/);
    // Its own RMRR @0x68 is relaxable only if it is USB or display: from v3.17 the answer is unknown, not refused.
    expect(result.passthrough.map((verdict) => [verdict.releases, verdict.outcome])).toEqual([['up to v3.16', 'allowed'], ['v3.17 and later', 'unknown']]);
    expect(result.unsettled!.reasons.join('\n')).toMatch(/its class decides whether RMRR @0x68 is relaxable/);
    expect(result.advice.join('\n')).not.toMatch(/not relaxable/);
  });

  it('Dell E6230 LPC bridge 00:1f.0: no RMRR, the ISA 0–16 MiB region, its group of three', () => {
    const result = explain(dell, '00:1f.0', { topology: dellTopology() });
    expect(result.structures.map((item) => item.structure)).toEqual(['DRHD']);
    expect(result.group).toMatchObject({ number: 6, members: ['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3'], sysfs: '0x0000000000000000 0x0000000000ffffff direct-relaxable\n' + MSI });
    expect(explain(dell, '00:1f.0', { topology: dellTopology(), kernel: kernelBehaviour('5.4') }).group!.sysfs).toBe('0x0000000000000000 0x0000000000ffffff direct\n' + MSI);
  });

  /*
   * HP ProLiant DL360 G7, linuxhw/Hewlett-Packard_ProLiant-DL360-G7_60DCEE46526A/DMAR.bin (356 bytes, OEM "HP    "):
   *   @0x30 DRHD flags 1 (INCLUDE_PCI_ALL), segment 0, base 0xe7ffe000
   *   @0x70 RMRR len 86, base 0xdf7df000, limit 0xdf7e4fff; ENDPOINT scopes (start bus 0) @0x88 1d.0, @0x90 1d.1,
   *         @0x98 1d.2, @0xa0 1d.3 (len 8), @0xa8 1c.4/00.0, @0xb2 1c.4/00.2, @0xbc 1c.4/00.4 (len 10: two hops)
   *   @0xc6 RMRR len 94, base 0xdf61e000, limit 0xdf61ffff; ENDPOINT @0xde 01.0/00.0, @0xe8 1c.4/00.0, @0xf2 1c.4/00.2,
   *         @0xfc 09.0/00.0, @0x106 09.0/00.1, @0x110 03.0/00.0, @0x11a 03.0/00.1
   *   @0x124 ATSR len 64; BRIDGE scopes @0x12c 0a.0, @0x134 09.0, @0x13c 08.0, @0x144 07.0, @0x14c 03.0, @0x154 02.0, @0x15c 01.0
   * Assumed devices: root ports 00:01.0 (bus 2), 00:03.0 (bus 3), 00:1c.4 (bus 1); iLO functions 01:00.0 and
   * 01:00.2 (0x088000) and its virtual USB controller 01:00.4 (UHCI 0x0c0300) behind 00:1c.4; a dual-port NIC
   * 03:00.0/03:00.1 (0x020000) behind 00:03.0, both functions in one group.
   */
  const hp: ExplainTables = HAVE_SHARED ? { dmar: parseDmar(readReal('linuxhw/Hewlett-Packard_ProLiant-DL360-G7_60DCEE46526A/DMAR.bin')) } : {};
  const hpTopology = () => topologyFromJson({
    devices: [
      { bdf: '0000:00:00.0', class: '0x060000' },
      { bdf: '0000:00:01.0', class: '0x060400', secondaryBus: 2, subordinateBus: 2 },
      { bdf: '0000:00:03.0', class: '0x060400', secondaryBus: 3, subordinateBus: 3 },
      { bdf: '0000:00:1c.4', class: '0x060400', secondaryBus: 1, subordinateBus: 1 },
      { bdf: '0000:01:00.0', class: '0x088000', parent: '0000:00:1c.4' },
      { bdf: '0000:01:00.2', class: '0x088000', parent: '0000:00:1c.4' },
      { bdf: '0000:01:00.4', class: '0x0c0300', parent: '0000:00:1c.4' },
      { bdf: '0000:03:00.0', class: '0x020000', parent: '0000:00:03.0' },
      { bdf: '0000:03:00.1', class: '0x020000', parent: '0000:00:03.0' },
    ],
    groups: { '0': ['0000:00:00.0'], '1': ['0000:00:01.0'], '2': ['0000:00:03.0'], '3': ['0000:00:1c.4'], '4': ['0000:01:00.0'], '5': ['0000:01:00.2'], '6': ['0000:01:00.4'], '7': ['0000:03:00.0', '0000:03:00.1'] },
  });

  it('DL360 G7 NIC 03:00.0: two-hop path 00:03.0/00.0 @0x110 resolved hop by hop; refused 3.17–6.5 (-EPERM) and 6.6+ (-EINVAL)', () => {
    const result = explain(hp, '03:00.0', { topology: hpTopology() });
    expect(result.upstream).toEqual(['0000:00:03.0 [060400] bridge to buses 0x03–0x03']);
    const rmrr = result.structures.find((item) => item.offset === 0xc6)!;
    expect(rmrr.how).toMatch(/endpoint 00:03\.0\/00\.0 @0x110 names the device itself/);
    expect(rmrr.steps).toEqual(['bus 0x00, 03.0 → 0000:00:03.0 [060400] bridge to buses 0x03–0x03', 'bus 0x03, 00.0 → 0000:03:00.0 [020000]']);
    const atsr = result.structures.find((item) => item.offset === 0x124)!;
    expect(atsr.how).toMatch(/bridge 00:03\.0 @0x14c names 0000:00:03\.0, a bridge above the device/);
    expect(result.group!.sysfs).toBe('0x00000000df61e000 0x00000000df61ffff direct\n' + MSI);
    expect(result.passthrough.map((verdict) => [verdict.releases, verdict.refused])).toEqual([['up to v3.16', false], ['v3.17–v6.5', true], ['v6.6 and later', true]]);
    expect(result.passthrough[1]!.detail).toMatch(/-EPERM.*RMRR-locked: 0000:03:00\.0, 0000:03:00\.1/);
    expect(result.passthrough[2]!.detail).toMatch(/1:1 IOMMU mapping.*-EINVAL/);
    const advice = result.advice.join('\n');
    expect(advice).toMatch(/VFIO assigns whole groups: 0000:03:00\.1/);
    expect(advice).toMatch(/endpoint 00:03\.0\/00\.0 \(RMRR @0xc6\)/);
    expect(advice).toMatch(/HPE ProLiant.*c04781229.*this DMAR is from HP/);
    expect(advice).toMatch(/relax_rmrr.*out-of-tree/);
  });

  it('DL360 G7 with --relax-rmrr: the RMRR becomes relaxable, nothing refuses from v5.3', () => {
    const result = explain(hp, '03:00.0', { topology: hpTopology(), kernel: kernelBehaviour(undefined, { relaxRmrr: true }) });
    expect(result.group!.sysfs).toBe('0x00000000df61e000 0x00000000df61ffff direct-relaxable\n' + MSI);
    expect(result.passthrough.map((verdict) => [verdict.releases, verdict.refused])).toEqual([['up to v3.16', false], ['v3.17–v5.2', true], ['v5.3 and later', false]]);
  });

  it('DL360 G7 iLO USB 01:00.4: scope 00:1c.4/00.4 @0xbc of RMRR @0x70, relaxable; iLO 01:00.0 gets both RMRRs as direct', () => {
    const usb = explain(hp, '01:00.4', { topology: hpTopology() });
    expect(usb.structures.map((item) => item.offset)).toEqual([0x30, 0x70]);
    expect(usb.structures[1]!.steps).toEqual(['bus 0x00, 1c.4 → 0000:00:1c.4 [060400] bridge to buses 0x01–0x01', 'bus 0x01, 00.4 → 0000:01:00.4 [0c0300]']);
    expect(usb.group!.sysfs).toBe('0x00000000df7df000 0x00000000df7e4fff direct-relaxable\n' + MSI);
    expect(usb.passthrough.every((verdict) => !verdict.refused)).toBe(true);
    const ilo = explain(hp, '01:00.0', { topology: hpTopology() });
    // RMRR @0x70 via @0xa8 and RMRR @0xc6 via @0xe8; group list sorted by start.
    expect(ilo.structures.filter((item) => item.structure.startsWith('RMRR')).map((item) => item.offset)).toEqual([0x70, 0xc6]);
    expect(ilo.group!.sysfs).toBe('0x00000000df61e000 0x00000000df61ffff direct\n0x00000000df7df000 0x00000000df7e4fff direct\n' + MSI);
  });

  it('DL360 G7 without a topology: the two-hop paths ending in 00.0 are listed as needing one', () => {
    const result = explain(hp, '03:00.0');
    const pending = result.structures.filter((item) => item.certainty === 'needs-topology');
    // Scopes whose last hop is 00.0: @0xa8 (RMRR @0x70), @0xde, @0xe8, @0xfc, @0x110 (RMRR @0xc6).
    expect(pending.map((item) => item.offset)).toEqual([0x70, 0xc6, 0xc6, 0xc6, 0xc6]);
    expect(pending.at(-1)!.how).toMatch(/endpoint 00:03\.0\/00\.0 @0x110 names function 00\.0 behind 03\.0 from bus 0x00/);
    expect(result.regions.map((region) => region.type)).toEqual(['msi']);
  });

  /*
   * Radxa Orion O6 (CIX Sky1), orion-o6/radxa-orion-o6_cix-sky1/IORT.bin (table revision 5 at byte 8):
   *   @0xdc SMMUv3 (no ID mappings); @0x120 named component "\_SB_.DPU0" with 5 single mappings (flags 1),
   *         the first @0x148: output 0, reference 0xdc; then outputs 1, 3, 4, 5
   *   @0x9e0 RMR len 248, flags 0x11 (bit 0 remapping permitted, access attribute 4), 10 single mappings from @0x9fc
   *         (StreamIDs 0, 1, 6, 7, 0xc, 0xd, 0x12, 0x13, 0x18, 0x19 on @0xdc), one descriptor @0xac4: base 0x84800000,
   *         length 0x800000
   */
  const orion: ExplainTables = HAVE_SHARED ? { iort: parseIort(readReal('orion-o6/radxa-orion-o6_cix-sky1/IORT.bin')) } : {};

  it('Orion O6 \\_SB.DPU0: single mappings → StreamIDs 0,1,3,4,5; the remap-permitted RMR gives a direct-relaxable region from v6.0', () => {
    const result = explain(orion, '\\_SB.DPU0');
    expect(result.title).toBe('\\_SB_.DPU0 (IORT named component @0x120)');
    expect(result.chains.slice(0, 5).map((chain) => chain.result)).toEqual([0, 1, 3, 4, 5].map((sid) => `StreamID 0x${sid.toString(16)} on smmu-v3 @0xdc`));
    expect(result.chains[0]!.steps).toEqual(['named-component @0x120 mapping 0 @0x148 [single mapping]: ID 0x0 → smmu-v3 @0xdc']);
    const rmr = result.structures.find((item) => item.structure === 'RMR')!;
    expect(rmr.offset).toBe(0x9e0);
    expect(rmr.steps.slice(0, 2)).toEqual(['mapping @0x9fc: StreamID 0x0 on smmu-v3 @0xdc holds the device\'s StreamID 0x0', 'mapping @0xa10: StreamID 0x1 on smmu-v3 @0xdc holds the device\'s StreamID 0x1']);
    expect(result.group!.sysfs).toBe('0x0000000008000000 0x00000000080fffff msi\n0x0000000084800000 0x0000000084ffffff direct-relaxable\n');
    expect(result.passthrough).toEqual([
      // Arm has no check at attach before v6.6 (the RMRR lock is Intel's alone).
      { releases: 'up to v6.5', outcome: 'allowed', refused: false, detail: 'allowed: no reserved-region check at attach in these releases' },
      { releases: 'v6.6 and later', outcome: 'allowed', refused: false, detail: 'allowed: no region of the group blocks it' },
    ]);
    const old = explain(orion, '\\_SB_.DPU0', { kernel: kernelBehaviour('5.15') });
    expect(old.group!.sysfs).toBe('0x0000000008000000 0x00000000080fffff msi\n');
    expect(old.structures[1]!.how).toMatch(/Linux 5\.15 predates RMR support/);
  });

  /*
   * Lenovo ThinkPad X13s, aarch64-laptops/lenovo-thinkpad-x13s/IORT.bin (revision 0):
   *   @0x740 named component "\_SB.GPU0", 66 mappings; the first @0x77d: input 0x30a0000, count 0, output 2,
   *         reference 0x4fc (SMMUv1/v2), flags 0 — a range, not a single mapping
   *   @0x628 root complex, segment 2; mapping @0x64c: input 0, count 0xffff, output 0x20000, reference 0x182c (SMMUv3)
   *   @0x182c SMMUv3; mapping @0x1870: input 0–0x6ffff → 0x80000 on the ITS group @0x1884 (ITS 0)
   */
  const x13s: ExplainTables = HAVE_SHARED
    ? { iort: parseIort(readReal('aarch64-laptops/lenovo-thinkpad-x13s/IORT.bin')), madt: parseMadt(readReal('aarch64-laptops/lenovo-thinkpad-x13s/APIC.bin')) }
    : {};

  it('X13s \\_SB.GPU0: mapping 0 is a range, so iort_nc_iommu_map finds no StreamID: no IOMMU', () => {
    const result = explain(x13s, '\\_SB.GPU0');
    expect(result.hasIommu).toBe(false);
    expect(result.chains).toHaveLength(1);
    expect(result.chains[0]!.result).toMatch(/not a single mapping/);
    expect(result.notes[0]).toMatch(/66 of its 66 mapping\(s\) are ranges/);
    expect(result.notes[1]).toMatch(/input 0x30a0000 \(mapping @0x77d\) → StreamID 0x2 on smmu-v1v2 @0x4fc/);
    expect(result.passthrough[0]!.detail).toMatch(/no IOMMU/);
  });

  it('X13s 0002:01:00.0 without a topology: RC @0x628 → StreamID 0x20100 on SMMUv3 @0x182c → DeviceID 0xa0100 on ITS group @0x1884', () => {
    const result = explain(x13s, '0002:01:00.0');
    expect(result.structures[0]).toMatchObject({ structure: 'root complex', offset: 0x628 });
    expect(result.chains[0]).toEqual({ start: 'RID 0x100 (own requester ID)', steps: ['root-complex @0x628 mapping 0 @0x64c [input 0x0–0xffff]: 0x100 → 0x20100 → smmu-v3 @0x182c'], result: 'StreamID 0x20100 on smmu-v3 @0x182c' });
    expect(result.chains[1]!.result).toBe('DeviceID 0xa0100 on its-group @0x1884 (GIC ITS 0)');
    expect(result.group!.sysfs).toBe('0x0000000008000000 0x00000000080fffff msi\n');
  });

  it('renders text and JSON for each, and the CLI agrees', async () => {
    for (const [tables, device] of [[dell, '00:14.0'], [hp, '03:00.0'], [orion, '\\_SB_.DPU0'], [x13s, '\\_SB.GPU0']] as const) {
      const result = explain(tables, device);
      expect(explanationLines(result, 'test')[0]).toMatch(/^explain /);
      expect(() => JSON.stringify(explanationJson(result), (_key, value) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value))).not.toThrow();
    }
    // 00:1d.0 is named by RMRR @0x50's one-element scope @0x88; its class (UHCI, relaxable) is unknown without --pci.
    const cli = await runCli(['explain', join(CORPUS_ROOT, 'real', 'linuxhw', 'Hewlett-Packard_ProLiant-DL360-G7_60DCEE46526A', 'DMAR.bin'), '00:1d.0', '--kernel', '6.1']);
    expect(cli.code, 'exit 4: unknown').toBe(4);
    expect(cli.stdout).toMatch(/kernel: Linux 6\.1 behaviour/);
    expect(cli.stdout).toMatch(/→ Linux 6\.1: unknown: its class decides whether RMRR @0x70 is relaxable/);
  });
});
