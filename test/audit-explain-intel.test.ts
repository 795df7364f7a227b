/**
 * `explain` on Intel (src/audit/explain-intel.ts): the sentences naming DRHDs and RMRRs, each
 * scope path walked hop by hop, with offsets worked out by hand. DMAR from the test encoder:
 * header 0x30; DRHD 0x30 (flags 0, bridge scope 00:1c.0 at 0x40, 24 bytes); DRHD 0x48
 * (INCLUDE_PCI_ALL, 16 bytes, its own register base: a repeated one is dropped like dmar_parse_one_drhd does);
 * RMRR 0x58 (endpoint 01:00.0 at 0x70); RMRR 0x78 (bridge 00:1c.0 at 0x90).
 */
import { describe, expect, it } from 'vitest';
import { describePciDevice, intelStructures, resolveScopePath, rmrrScopeTargets } from '../src/audit/explain-intel.js';
import { parseDmar } from '../src/dmar/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { TopologyIndex } from '../src/pci/topology.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { buildDmar } from './support/region-tables.js';

const DMAR = parseDmar(buildDmar({
  drhds: [{ flags: 0, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] }, { flags: 1, base: 0xfed91000n }],
  rmrrs: [
    { base: 0x3e000000n, end: 0x3e0fffffn, scopes: [{ kind: 'endpoint', bus: 1, path: [[0, 0]] }] },
    { base: 0x3f000000n, end: 0x3f0fffffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] },
  ],
}));
const TOPOLOGY = topologyFromJson({ devices: [{ bdf: '0000:00:1c.0', class: '0x060400', secondaryBus: 1, subordinateBus: 1 }, { bdf: '0000:01:00.0', class: '0x020000' }, { bdf: '0000:00:02.0', class: '0x030000' }] });
const INDEX = new TopologyIndex(TOPOLOGY);
const NIC = INDEX.get('0000:01:00.0')!;
const FALLBACK = ' (only through the kernel\'s one-element fallback: "[Firmware Bug]: RMRR entry for device … is broken - applying workaround")';
const ABOVE = 'names 0000:00:1c.0, a bridge above the device (bus 0x01 is within its secondary–subordinate range)';

describe('intelStructures with a topology', () => {
  it('the DRHD whose bridge scope is above the device, then each RMRR in table order, each path walked', () => {
    expect(intelStructures(DMAR, INDEX, NIC, kernelBehaviour(), true).map((item) => [item.structure, item.offset, item.how, item.steps, item.certainty])).toEqual([
      ['DRHD', 0x30, `its bridge 00:1c.0 @0x40 ${ABOVE}`, ['bus 0x00, 1c.0 → 0000:00:1c.0 [060400] bridge to buses 0x01–0x01'], 'certain'],
      // Start bus 1 is not the device's root bus 0 (its path is 00:1c.0 → 00.0): only dmar_match_pci_path's fallback matches.
      ['RMRR [0x3e000000-0x3e0fffff]', 0x58, `its endpoint 01:00.0 @0x70 names the device itself${FALLBACK}`, ['bus 0x01, 00.0 → 0000:01:00.0 [020000]'], 'certain'],
      ['RMRR [0x3f000000-0x3f0fffff]', 0x78, `its bridge 00:1c.0 @0x90 ${ABOVE}`, ['bus 0x00, 1c.0 → 0000:00:1c.0 [060400] bridge to buses 0x01–0x01'], 'certain'],
    ]);
  });

  it('before 5.3 a bridge-scope RMRR stops at the bridge, and the text says so', () => {
    const rmrr = intelStructures(DMAR, INDEX, NIC, kernelBehaviour('5.2'), true).find((item) => item.offset === 0x78)!;
    expect(rmrr.how).toBe(`its bridge 00:1c.0 @0x90 ${ABOVE}; Linux 5.2 applies bridge-scope RMRRs to the bridge only (below it from v5.3)`);
  });

  it('a device no scope reaches is served by the INCLUDE_PCI_ALL DRHD only', () => {
    expect(intelStructures(DMAR, INDEX, INDEX.get('0000:00:02.0')!, kernelBehaviour(), true).map((item) => [item.structure, item.offset, item.how])).toEqual([
      ['DRHD', 0x48, 'INCLUDE_PCI_ALL for segment 0x0000: it serves every device no other DRHD names (listed last by the kernel)'],
    ]);
  });
});

describe('intelStructures without a topology', () => {
  it('the one-element endpoint path is assumed; bridge scopes need the topology', () => {
    const lonely = topologyFromJson({ devices: [{ bdf: '0000:01:00.0', class: '0x000000' }] });
    const index = new TopologyIndex(lonely);
    expect(intelStructures(DMAR, index, index.get('0000:01:00.0')!, kernelBehaviour(), false).map((item) => [item.structure, item.offset, item.how, item.certainty])).toEqual([
      ['DRHD', 0x48, 'INCLUDE_PCI_ALL for segment 0x0000: it serves every device no other DRHD names (listed last by the kernel)', 'assumed'],
      ['RMRR [0x3e000000-0x3e0fffff]', 0x58, 'its endpoint 01:00.0 @0x70 names the device itself', 'assumed'],
      ['DRHD', 0x30, 'its bridge 00:1c.0 @0x40 names a bridge: it covers the device if the device lies below that bridge', 'needs-topology'],
      ['RMRR [0x3f000000-0x3f0fffff]', 0x78, 'its bridge 00:1c.0 @0x90 names a bridge: it covers the device if the device lies below that bridge', 'needs-topology'],
    ]);
  });

  it('a longer path ending in the device\'s function needs the topology', () => {
    const table = parseDmar(buildDmar({ rmrrs: [{ base: 0x3e000000n, end: 0x3e0fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1c, 0], [0, 0]] }] }] }));
    const index = new TopologyIndex(topologyFromJson({ devices: [{ bdf: '0000:05:00.0', class: '0x020000' }] }));
    expect(intelStructures(table, index, index.get('0000:05:00.0')!, kernelBehaviour(), false).map((item) => item.how)).toEqual([
      'INCLUDE_PCI_ALL for segment 0x0000: it serves every device no other DRHD names (listed last by the kernel)',
      'its endpoint 00:1c.0/00.0 @0x58 names function 00.0 behind 1c.0 from bus 0x00: the device if that path leads to bus 0x05',
    ]);
  });
});

describe('scope paths and device text', () => {
  it('a hop to a missing function, and a hop through a non-bridge, end the walk with the reason', () => {
    const table = parseDmar(buildDmar({ rmrrs: [{ base: 0x3e000000n, end: 0x3e0fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x02, 0], [0, 0]] }, { kind: 'endpoint', bus: 0, path: [[0x03, 0]] }] }] }));
    const [through, missing] = [...[...table.structuresOfKind('rmrr')][0]!.deviceScopes()];
    expect(resolveScopePath(through!, 0, INDEX)).toEqual(['bus 0x00, 02.0 → 0000:00:02.0 [030000]', '0000:00:02.0 is not a bridge: the path cannot continue']);
    expect(resolveScopePath(missing!, 0, INDEX)).toEqual(['bus 0x00, 03.0: no such function in the topology']);
  });

  it('describes a bridge with its bus range, a device without one', () => {
    expect(describePciDevice({ segment: 0, bus: 0, device: 0x1c, function: 4, classCode: 0x060400, vendor: 0, deviceId: 0, secondaryBus: 2 })).toBe('0000:00:1c.4 [060400] bridge to buses 0x02–0x02');
    expect(describePciDevice({ segment: 1, bus: 0x10, device: 0, function: 0, classCode: 0x0c0330, vendor: 0, deviceId: 0 })).toBe('0001:10:00.0 [0c0330]');
  });

  it('every RMRR\'s PCI targets, with the RMRR offset', () => {
    expect(rmrrScopeTargets(DMAR)).toEqual(['endpoint 01:00.0 (RMRR @0x58)', 'bridge 00:1c.0 (RMRR @0x78)']);
  });
});
