/** The platform-free PCI model: BDFs, header types, DMA aliases. */
import { describe, expect, it } from 'vitest';
import { dmaAliases } from '../src/pci/aliases.js';
import { formatBdf, normaliseBdf, parseBdf, requesterId } from '../src/pci/bdf.js';
import { topologyFromJson } from '../src/pci/json.js';
import { headerTypeFromClass } from '../src/pci/model.js';
import { TopologyIndex, isDownstreamOfBridge } from '../src/pci/topology.js';

describe('BDF', () => {
  it('parses the long and short forms and rejects the rest', () => {
    expect(parseBdf('0001:3a:1f.7')).toEqual({ segment: 1, bus: 0x3a, device: 0x1f, function: 7 });
    expect(normaliseBdf('00:1F.0')).toBe('0000:00:1f.0');
    expect(parseBdf('00:20.0')).toBeUndefined();
    expect(parseBdf('00:1f.8')).toBeUndefined();
    expect(formatBdf({ segment: 0x10, bus: 2, device: 3, function: 4 })).toBe('0010:02:03.4');
    expect(requesterId({ bus: 1, device: 0x1f, function: 7 })).toBe(0x01ff);
  });

  it('derives header types from class codes', () => {
    expect([0x060400, 0x060401, 0x060900, 0x060700, 0x060000, 0x060100, 0x068000, 0x0c0330].map(headerTypeFromClass)).toEqual([1, 1, 1, 2, 0, 0, 0, 0]);
  });
});

describe('topology and DMA aliases', () => {
  const topology = topologyFromJson({
    devices: [
      { bdf: '0000:00:1c.0', class: '0x060400', pcieType: 'root-port' },
      { bdf: '0000:01:00.0', class: '0x060400', vendor: '0x1b21', device: '0x1080', parent: '0000:00:1c.0' },
      { bdf: '0000:02:03.0', class: '0x020000', parent: '0000:01:00.0' },
      { bdf: '0000:00:1e.0', class: '0x060401', vendor: '0x8086', device: '0x244e' },
      { bdf: '0000:05:01.0', class: '0x040100', parent: '0000:00:1e.0' },
      { bdf: '0000:00:1d.0', class: '0x060400' },
      { bdf: '0000:07:00.0', class: '0x010802', parent: '0000:00:1d.0' },
    ],
  });
  const index = new TopologyIndex(topology);

  it('fills bus ranges from the devices below a bridge', () => {
    const port = index.get('0000:00:1c.0')!;
    expect([port.secondaryBus, port.subordinateBus]).toEqual([1, 2]);
    expect(isDownstreamOfBridge(index.get('0000:02:03.0')!, port)).toBe(true);
    expect(isDownstreamOfBridge(index.get('0000:07:00.0')!, port)).toBe(false);
  });

  it('applies the PCIe bridge alias quirk below a PCIe port, and the own-ID rule on a root bus', () => {
    // ASMedia 1b21:1080 behind a root port: quirk applies → secondary bus << 8.
    expect(dmaAliases(index, index.get('0000:02:03.0')!).aliases.map((alias) => [alias.rid, alias.reason])).toEqual([
      [0x0218, 'own requester ID'],
      [0x0200, 'bridge alias quirk (secondary bus, devfn 0)'],
    ]);
    // Intel 82801 8086:244e on the root bus: the quirk's conditions fail → the bridge's own ID.
    expect(dmaAliases(index, index.get('0000:05:01.0')!).aliases.map((alias) => alias.rid)).toEqual([0x0508, 0x00f0]);
    // Unknown bridge type: assumed a PCIe port, no alias, and said so.
    const nvme = dmaAliases(index, index.get('0000:07:00.0')!);
    expect(nvme.aliases).toHaveLength(1);
    expect(nvme.assumptions[0]).toMatch(/0000:00:1d\.0: PCIe type unknown/);
  });

  it('guesses one group per device when none is given', () => {
    expect(topology.groupsGuessed).toBe(true);
    expect(topology.groups!.size).toBe(7);
  });
});
