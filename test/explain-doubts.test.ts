/**
 * `explain` with a topology that leaves the group open (issue 13, items 2 and 3): a group mate of
 * unknown class (lspci -t gives classes to bridges only) and groups guessed from a topology
 * without IOMMU groups. Either doubt makes a verdict it could change "unknown", never a settled
 * "allowed" or "refused"; the same devices with what settles it give the settled verdict.
 *
 * corpus/samples/x86-laptop/DMAR.bin (read with `acpi-iommu dump`):
 *   @0x70 RMRR [0x7a5e8000-0x7a807fff], ENDPOINT scope @0x88 start bus 0, path (14,0) → 00:14.0
 *   @0x90 RMRR, ENDPOINT (02,0); @0xb0 RMRR, BRIDGE (1c,0); DRHD @0x48 INCLUDE_PCI_ALL.
 * amd-desktop IVRS: IVMD (one device) @0x100 → 03:00.3 [0x9d900000-0x9d9fffff], always direct.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainDevice, explanationJson, explanationLines, parseExplainTarget, type Explanation, type ExplainTables } from '../src/audit/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { buildTopology } from '../src/pci/topology.js';
import type { PciDevice } from '../src/pci/model.js';
import { REPO_ROOT } from './support/shared.js';

const samples = join(REPO_ROOT, 'corpus', 'samples');
const read = (path: string) => new Uint8Array(readFileSync(join(samples, path)));
const laptop: ExplainTables = { dmar: parseDmar(read('x86-laptop/DMAR.bin')) };
const amd: ExplainTables = { ivrs: parseIvrs(read('amd-desktop/IVRS.bin')) };

function explain(tables: ExplainTables, bdf: string, options: Parameters<typeof explainDevice>[2] = {}): Explanation {
  const result = explainDevice(tables, parseExplainTarget(bdf)!, options);
  if (typeof result === 'string') throw new Error(result);
  return result;
}
const rows = (result: Explanation) => result.passthrough.map((row) => [row.releases, row.outcome]);
/** Allowed everywhere: before v3.17 no check at attach, then no region of the group blocks it (two details, two rows). */
const INTEL_ALLOWED = [['up to v3.16', 'allowed'], ['v3.17 and later', 'allowed']];
const fn = (bus: number, device: number, func: number, classCode: number, extra: Partial<PciDevice> = {}): PciDevice =>
  ({ segment: 0, bus, device, function: func, classCode, vendor: 0x8086, deviceId: 0x1234, ...extra });

/** 00:14.0 (the RMRR @0x70 target) and 00:14.2 (memory controller 0x050000, no RMRR) in one given group. */
const sharedGroup = (mate: PciDevice) => buildTopology([mate, fn(0, 0x14, 2, 0x050000)], new Map([[3, ['0000:00:14.0', '0000:00:14.2']]]));

describe('a group mate of unknown class', () => {
  it('its RMRR reads "relaxable: unknown", and from v3.17 the verdict is unknown with what settles it', () => {
    const result = explain(laptop, '00:14.2', { topology: sharedGroup(fn(0, 0x14, 0, 0, { classUnknown: true })) });
    expect(rows(result)).toEqual([['up to v3.16', 'allowed'], ['v3.17 and later', 'unknown']]);
    expect(result.verdict.detail).toBe('unknown: relaxable: unknown (class unknown): RMRR @0x70 [0x7a5e8000-0x7a807fff] on 0000:00:14.0, in its group, blocks it unless that device is USB (0x0c03xx) or display (0x03xxxx)');
    expect(result.unsettled).toMatchObject({ classDecides: true });
    expect(result.unsettled!.missing).toMatch(/^the classes of its group: --pci \/sys on the machine, lspci -vmm -nn output/);
    const advice = result.advice.join('\n');
    expect(advice).toMatch(/^The verdict is unknown until you give the classes of its group/);
    expect(advice).toMatch(/May block: DMAR RMRR @0x70 \[0x7a5e8000-0x7a807fff\] on 0000:00:14\.0 — relaxable: unknown \(class unknown in the topology given\)/);
    expect(advice).not.toMatch(/not relaxable/);
    expect(advice).toMatch(/carries a possibly blocking RMRR/);
  });

  it('the device itself of unknown class in a topology (lspci -t): its advice does not claim there is no topology', () => {
    const result = explain(laptop, '00:14.0', { topology: sharedGroup(fn(0, 0x14, 0, 0, { classUnknown: true })) });
    expect(rows(result)).toEqual([['up to v3.16', 'allowed'], ['v3.17 and later', 'unknown']]);
    expect(result.advice.join('\n')).toMatch(/this device's class is unknown \(the inputs do not give it\)/);
  });

  it('the same mate as a USB controller (0x0c0330): its RMRR is relaxable, the verdict allowed in every release range', () => {
    const result = explain(laptop, '00:14.2', { topology: sharedGroup(fn(0, 0x14, 0, 0x0c0330)) });
    expect(rows(result)).toEqual(INTEL_ALLOWED);
    expect(result.unsettled).toBeUndefined();
  });

  it('the same mate as a NIC (0x020000): not relaxable, a settled refusal from v3.17', () => {
    const result = explain(laptop, '00:14.2', { topology: sharedGroup(fn(0, 0x14, 0, 0x020000)) });
    expect(rows(result)).toEqual([['up to v3.16', 'allowed'], ['v3.17–v6.5', 'refused'], ['v6.6 and later', 'refused']]);
    expect(result.unsettled).toBeUndefined();
    expect(result.advice.join('\n')).toMatch(/on 0000:00:14\.0 — neither USB \(0x0c03xx\) nor display \(0x03xxxx\): not relaxable/);
  });
});

describe('groups guessed from a topology without IOMMU groups', () => {
  const noGroups = (mateClass: string) => topologyFromJson({
    devices: [{ bdf: '0000:00:14.0', class: mateClass }, { bdf: '0000:00:14.2', class: '0x050000' }, { bdf: '0000:00:15.0', class: '0x0c8000' }],
  });

  it('says the group is guessed and how to capture real groups, in the text and the JSON', () => {
    const result = explain(laptop, '00:15.0', { topology: noGroups('0x020000') });
    const said = /^IOMMU group guessed: .*capture the real groups with --pci \/sys on the machine \(it reads \/sys\/kernel\/iommu_groups\) or an acpi-iommu collect archive$/;
    expect(result.assumptions.some((text) => said.test(text))).toBe(true);
    expect(explanationLines(result, 'x86-laptop').some((line) => line.startsWith('assumed: IOMMU group guessed: '))).toBe(true);
    const json = explanationJson(result);
    expect(json.group).toMatchObject({ guessed: true, members: ['0000:00:15.0'] });
    expect(json.assumptions.some((text) => said.test(text))).toBe(true);
    // 00:15.0 is alone in its slot on root bus 0: nothing may join its group, so the verdict stays settled.
    expect(rows(result)).toEqual(INTEL_ALLOWED);
    expect(result.unsettled).toBeUndefined();
  });

  it('another function of the slot with a direct RMRR makes 00:14.2 unknown, not allowed', () => {
    const result = explain(laptop, '00:14.2', { topology: noGroups('0x020000') });
    expect(rows(result)).toEqual([['up to v3.16', 'allowed'], ['v3.17 and later', 'unknown']]);
    expect(result.verdict.detail).toBe('unknown: group guessed: 0000:00:14.0 (another function of slot 00:14) has direct region(s) RMRR @0x70 [0x7a5e8000-0x7a807fff]; Linux may put it in the group of 0000:00:14.2');
    expect(result.unsettled!.missing).toBe('the real IOMMU groups: --pci /sys on the machine (it reads /sys/kernel/iommu_groups), an acpi-iommu collect archive, or "groups" in the JSON topology');
  });

  it('the same slot settled: with the real groups given apart, or the mate USB (relaxable), 00:14.2 is allowed', () => {
    const apart = topologyFromJson({
      devices: [{ bdf: '0000:00:14.0', class: '0x020000' }, { bdf: '0000:00:14.2', class: '0x050000' }],
      groups: { 3: ['0000:00:14.0'], 4: ['0000:00:14.2'] },
    });
    const given = explain(laptop, '00:14.2', { topology: apart });
    expect(rows(given)).toEqual(INTEL_ALLOWED);
    expect(given.assumptions.some((text) => text.startsWith('IOMMU group guessed'))).toBe(false);
    expect(rows(explain(laptop, '00:14.2', { topology: noGroups('0x0c0330') }))).toEqual(INTEL_ALLOWED);
  });

  /** Bus 0x03 behind bridge 00:08.1 (bus 3–3): 03:00.3 has the IVMD @0x100, 03:05.0 none. */
  const behindBridge = (bridge: Partial<PciDevice>) => buildTopology([
    fn(0, 8, 1, 0x060400, { secondaryBus: 3, subordinateBus: 3, ...bridge }),
    fn(3, 0, 3, 0x0c0330, { parent: '0000:00:08.1' }),
    fn(3, 5, 0, 0x020000, { parent: '0000:00:08.1' }),
  ]);

  it('a device on the same non-root bus with a direct region: unknown behind a bridge that may be PCIe-to-PCI', () => {
    const result = explain(amd, '03:05.0', { topology: behindBridge({}) });
    expect(rows(result)).toEqual([['up to v6.5', 'allowed'], ['v6.6 and later', 'unknown']]);
    expect(result.verdict.detail).toBe('unknown: group guessed: 0000:03:00.3 (a device on bus 0x03 with it, below 0000:00:08.1 that may be a PCIe-to-PCI bridge) has direct region(s) IVMD (one device) @0x100 [0x9d900000-0x9d9fffff]; Linux may put it in the group of 0000:03:05.0');
    expect(explain(amd, '03:05.0', { topology: behindBridge({ pcieType: 'pcie-to-pci-bridge' }) }).verdict.outcome).toBe('unknown');
  });

  it('below a PCIe downstream port (its own group per device with ACS) the bus mate does not count: allowed', () => {
    const result = explain(amd, '03:05.0', { topology: behindBridge({ pcieType: 'downstream-port' }) });
    // Before v6.6 nothing is checked at attach; from v6.6 no region of its group blocks it.
    expect(rows(result)).toEqual([['up to v6.5', 'allowed'], ['v6.6 and later', 'allowed']]);
    expect(result.unsettled).toBeUndefined();
  });
});
