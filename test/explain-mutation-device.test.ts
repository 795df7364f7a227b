/**
 * explainDevice (src/audit/explain.ts) where mutation testing found its texts unasserted: why there
 * is no explanation, what is assumed without a topology (Intel and Arm), a device a BRIDGE scope
 * names, a guessed group, and a named component that is not there. Tables from the region-test
 * builder (DMAR: one INCLUDE_PCI_ALL DRHD at 0x30, RMRRs from 0x40); texts by hand from what each
 * path stands for.
 */
import { describe, expect, it } from 'vitest';
import { explainDevice } from '../src/audit/explain.js';
import { parseExplainTarget, type Explanation } from '../src/audit/explain-model.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { buildTopology } from '../src/pci/topology.js';
import { buildDmar, buildIort, type ScopeSpec } from './support/region-tables.js';

const target = (text: string) => parseExplainTarget(text)!;
const USB: ScopeSpec[] = [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }];
const dmar = (scopes: ScopeSpec[] = USB) => parseDmar(buildDmar({ rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes }] }));
const iort = () => parseIort(buildIort({ rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }], smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }] }));
const explained = (value: Explanation | string) => {
  expect(typeof value).toBe('object');
  return value as Explanation;
};

describe('no explanation, and why', () => {
  it('no IOMMU table; a device outside the topology given; a path without an IORT; a component the IORT lacks', () => {
    expect(explainDevice({}, target('00:14.0'))).toBe('no DMAR, IORT or IVRS table given');
    const topology = buildTopology([{ segment: 0, bus: 0, device: 2, function: 0, classCode: 0x030000, vendor: 0x8086, deviceId: 0x1234 }]);
    expect(explainDevice({ dmar: dmar() }, target('00:14.0'), { topology })).toBe('0000:00:14.0 is not in the PCI topology');
    expect(explainDevice({ dmar: dmar() }, target('\\_SB.ETH0'))).toBe('\\_SB.ETH0 is an ACPI path: named components need an IORT');
    expect(explainDevice({ iort: iort() }, target('\\_SB.ETH0'))).toBe('no IORT named component \\_SB.ETH0 (the IORT has none)');
  });
});

describe('without a topology', () => {
  it('Intel: the device alone on its root bus, class unknown, RMRRs shown as direct', () => {
    const result = explained(explainDevice({ dmar: dmar() }, target('00:14.0')));
    expect(result.title).toBe('0000:00:14.0 (class unknown)');
    expect(result.topologyGiven).toBe(false);
    expect(result.assumptions.slice(0, 3)).toEqual([
      'no PCI topology (--pci): 0000:00:14.0 is taken as the only device, on root bus 0x00 with no bridge above it; only one-element scope paths can be resolved',
      'class unknown: the relaxable rule (USB 0x0c03xx, display 0x03xxxx) and the ISA-bridge region cannot be applied; RMRRs are shown as direct',
      'IOMMU group: the device alone (real groups depend on ACS and bridges)',
    ]);
    expect(result.assumptions.some((text) => text.startsWith('header types derived'))).toBe(false);
    expect(result.regions.filter((region) => region.source.structure === 'RMRR').map((region) => [region.type, region.reason])).toEqual([
      ['direct', 'relaxable: unknown (class unknown without --pci): modelled as direct; direct-relaxable instead if the device is USB (0x0c03xx) or display (0x03xxxx)'],
    ]);
  });

  it('Intel: a device a one-element BRIDGE scope names on its bus is taken as a bridge', () => {
    const bridge: ScopeSpec[] = [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }];
    expect(explained(explainDevice({ dmar: dmar(bridge) }, target('00:1c.0'))).assumptions[1]).toBe('class unknown: taken as a PCI bridge (0x060400) because a BRIDGE scope names it');
    // Another function, another bus, or a longer path does not make it a bridge.
    for (const [scope, device] of [[[{ kind: 'bridge', bus: 0, path: [[0x1c, 1]] }], '00:1c.0'], [[{ kind: 'bridge', bus: 1, path: [[0x1c, 0]] }], '00:1c.0'], [[{ kind: 'bridge', bus: 0, path: [[0x1c, 0], [0, 0]] }], '00:1c.0'], [[{ kind: 'endpoint', bus: 0, path: [[0x1c, 0]] }], '00:1c.0']] as [ScopeSpec[], string][]) {
      expect(explained(explainDevice({ dmar: dmar(scope) }, target(device))).assumptions[1], JSON.stringify(scope)).toMatch(/^class unknown: the relaxable rule/);
    }
  });

  it('Arm: the device\'s only DMA alias is its own requester ID; no class assumption', () => {
    const result = explained(explainDevice({ iort: iort() }, target('00:03.0')));
    expect(result.assumptions.slice(0, 2)).toEqual([
      'no PCI topology (--pci): 0000:00:03.0 is taken as the only device, on root bus 0x00 with no bridge above it, so its only DMA alias is its own requester ID',
      'IOMMU group: the device alone (real groups depend on ACS and bridges)',
    ]);
    expect(result.structures[0]).toEqual({ table: 'IORT', structure: 'root complex', offset: 0xa0, how: 'PCI segment 0x0000: the walk starts here with each DMA alias', steps: [], certainty: 'certain' });
    expect(result.chains[0]!.start).toBe('RID 0x18 (own requester ID)');
  });
});

describe('with a topology', () => {
  it('groups the topology does not give: the guess is an assumption that says how to get the real groups', () => {
    const device = { segment: 0, bus: 0, device: 0x14, function: 0, classCode: 0x0c0330, vendor: 0x8086, deviceId: 0x1234 };
    const guessed = explained(explainDevice({ dmar: dmar() }, target('00:14.0'), { topology: buildTopology([device]) }));
    expect(guessed.assumptions).toContain('IOMMU group guessed: the topology gives no groups, so 0000:00:14.0 is not grouped with its slot\'s other functions or the devices behind a PCIe-to-PCI bridge, as Linux may do; capture the real groups with --pci /sys on the machine (it reads /sys/kernel/iommu_groups) or an acpi-iommu collect archive');
    const real = explained(explainDevice({ dmar: dmar() }, target('00:14.0'), { topology: buildTopology([device], new Map([[3, ['0000:00:14.0']]])) }));
    expect(real.assumptions.some((text) => text.startsWith('IOMMU group guessed'))).toBe(false);
    expect(real.title).toBe('0000:00:14.0 [0c0330]');
    expect(real.group).toMatchObject({ number: 3, guessed: false, members: ['0000:00:14.0'] });
  });
});
