/** Reading PCI topologies from sysfs-like trees (src/node/pci-sysfs.ts) and the JSON form. */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPciJson, readPciTopology } from '../src/node/pci-json.js';
import { readPciSysfs, SysfsTopologyError } from '../src/node/pci-sysfs.js';
import { dmaAliases } from '../src/pci/aliases.js';
import { TopologyIndex } from '../src/pci/topology.js';
import { topologyToJson } from '../src/pci/json.js';
import { makeFakeSysfs, type FakeDevice } from './support/fake-sysfs.js';
import { CORPUS_ROOT, HAVE_SHARED, kernelCases } from './support/shared.js';

const made: string[] = [];
afterAll(() => made.forEach((path) => rmSync(path, { recursive: true, force: true })));

function tree(devices: FakeDevice[], options: Parameters<typeof makeFakeSysfs>[1] = {}): string {
  const root = makeFakeSysfs(devices, options);
  made.push(root);
  return root;
}

/** Root port 00:1c.0 → PCIe-to-PCI bridge 01:00.0 (QEMU pcie-pci-bridge) → two functions on bus 2. */
const BRIDGED: FakeDevice[] = [
  { bdf: '0000:00:00.0', class: 0x060000, group: 0 },
  { bdf: '0000:00:1c.0', class: 0x060400, vendor: 0x1b36, device: 0x000c, group: 1 },
  { bdf: '0000:01:00.0', class: 0x060400, vendor: 0x1b36, device: 0x000e, parent: '0000:00:1c.0', group: 2 },
  { bdf: '0000:02:01.0', class: 0x0c0330, parent: '0000:01:00.0', group: 2 },
  { bdf: '0000:02:02.0', class: 0x020000, parent: '0000:01:00.0' },
  { bdf: '0000:00:1f.0', class: 0x060100, group: 3 },
];

describe('readPciSysfs', () => {
  for (const linkFiles of [false, true]) {
    it(`reads a tree with ${linkFiles ? 'link files' : 'symlinks'}`, async () => {
      const topology = await readPciSysfs(tree(BRIDGED, { linkFiles }));
      expect(topology.devices.map((device) => `${device.bus}:${device.device}.${device.function}`)).toEqual(['0:0.0', '0:28.0', '0:31.0', '1:0.0', '2:1.0', '2:2.0']);
      expect(topology.groupsGuessed).toBe(false);
      expect([...topology.groups!]).toEqual([
        [0, ['0000:00:00.0']],
        [1, ['0000:00:1c.0']],
        [2, ['0000:01:00.0', '0000:02:01.0']],
        [3, ['0000:00:1f.0']],
      ]);
      const index = new TopologyIndex(topology);
      const rootPort = index.get('0000:00:1c.0')!;
      expect([rootPort.secondaryBus, rootPort.subordinateBus, rootPort.headerType, rootPort.headerTypeDerived]).toEqual([1, 2, 1, true]);
      expect(rootPort.pcieType).toBe('root-port');
      const bridge = index.get('0000:01:00.0')!;
      expect([bridge.parent, bridge.secondaryBus, bridge.subordinateBus, bridge.pcieType, bridge.pcieTypeSource]).toEqual(['0000:00:1c.0', 2, 2, 'pcie-to-pci-bridge', 'known-id']);
      const usb = index.get('0000:02:01.0')!;
      expect([usb.classCode, usb.vendor, usb.parent, usb.iommuGroup, usb.headerType]).toEqual([0x0c0330, 0x8086, '0000:01:00.0', 2, 0]);
      expect(usb.sysfsPath).toBe('pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:01.0');
      // Behind the PCIe-to-PCI bridge both functions alias to secondary bus << 8.
      expect(dmaAliases(index, usb).aliases.map((alias) => alias.rid)).toEqual([0x0208, 0x0200]);
    });
  }

  it('accepts the bus/pci/devices directory as the argument', async () => {
    const root = tree(BRIDGED);
    const topology = await readPciSysfs(join(root, 'bus', 'pci', 'devices'));
    expect(topology.devices).toHaveLength(6);
    expect(topology.groups!.get(2)).toEqual(['0000:01:00.0', '0000:02:01.0']);
  });

  it('falls back to iommu_group links, then to guessed groups', async () => {
    const fromLinks = await readPciSysfs(tree(BRIDGED, { groupsDirectory: false }));
    expect(fromLinks.groupsGuessed).toBe(false);
    expect(fromLinks.groups!.get(2)).toEqual(['0000:01:00.0', '0000:02:01.0']);
    const guessed = await readPciSysfs(tree(BRIDGED.map(({ group: _group, ...device }) => device)));
    expect(guessed.groupsGuessed).toBe(true);
    expect(guessed.groups!.size).toBe(6);
    expect(guessed.notes.join('\n')).toMatch(/assumed to be alone/);
  });

  it('reads config space, VFs and reports what it cannot read', async () => {
    const config = new Uint8Array(256);
    config.set([0x86, 0x80, 0x10, 0x9d], 0);
    config[0x06] = 0x10; // capability list
    config[0x0e] = 0x01; // type 1
    config[0x19] = 0x05; // secondary bus
    config[0x1a] = 0x07; // subordinate bus
    config[0x34] = 0x40;
    config.set([0x10, 0x00, 0x42, 0x00], 0x40); // PCIe capability, type 4 (root port)
    const topology = await readPciSysfs(tree([
      { bdf: '0000:00:1d.0', class: 0x060400, config },
      { bdf: '0000:05:00.2', class: 0x020000, virtfn: true },
    ]));
    const port = topology.devices[0]!;
    expect([port.headerType, port.headerTypeDerived, port.secondaryBus, port.subordinateBus, port.pcieType, port.pcieTypeSource]).toEqual([1, undefined, 5, 7, 'root-port', 'config-space']);
    expect(topology.devices[1]!.isVirtFn).toBe(true);
    expect(topology.devices[1]!.parent).toBe('0000:00:1d.0');
  });

  it('names the problem when the path is not a sysfs tree', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'acpi-iommu-empty-'));
    made.push(empty);
    await expect(readPciSysfs(empty)).rejects.toBeInstanceOf(SysfsTopologyError);
    await expect(readPciSysfs(join(empty, 'missing'))).rejects.toThrow(/no such directory/);
  });

  const cases = kernelCases();
  it.skipIf(cases.length === 0)('reads a kernel case tree like the oracle saw it', async () => {
    const name = cases.includes('x86-bridge-scope') ? 'x86-bridge-scope' : cases[0]!;
    const topology = await readPciSysfs(join(CORPUS_ROOT, 'kernel', name, 'sysfs'));
    const meta = JSON.parse((await import('node:fs')).readFileSync(join(CORPUS_ROOT, 'kernel', name, 'case.json'), 'utf8'));
    const oracle = meta.oracle.pci as { bdf: string; class: string; group: number | null; sysfs_path: string }[];
    expect(topology.devices.map((device) => device.sysfsPath)).toEqual([...oracle].sort((left, right) => left.bdf.localeCompare(right.bdf)).map((device) => device.sysfs_path));
    for (const device of oracle) {
      const found = topology.devices.find((entry) => entry.sysfsPath === device.sysfs_path)!;
      expect(found.classCode).toBe(Number(device.class));
      if (device.group !== null) expect(topology.groups!.get(device.group)).toContain(device.bdf);
    }
  });
});

describe('JSON topology', () => {
  it('round-trips through the JSON form and reads the oracle layout', async () => {
    const topology = await readPciSysfs(tree(BRIDGED));
    const directory = mkdtempSync(join(tmpdir(), 'acpi-iommu-json-'));
    made.push(directory);
    const file = join(directory, 'topology.json');
    writeFileSync(file, JSON.stringify(topologyToJson(topology)));
    const again = await readPciTopology(file);
    expect(again.devices.map((device) => [device.parent, device.classCode, device.secondaryBus, device.subordinateBus, device.pcieType])).toEqual(
      topology.devices.map((device) => [device.parent, device.classCode, device.secondaryBus, device.subordinateBus, device.pcieType]),
    );
    expect([...again.groups!]).toEqual([...topology.groups!]);
    writeFileSync(file, JSON.stringify({ oracle: { pci: [{ bdf: '0000:00:1c.0', class: '0x060400', group: 1, sysfs_path: 'pci0000:00/0000:00:1c.0' }, { bdf: '0000:01:00.0', class: '0x020000', group: 4, sysfs_path: 'pci0000:00/0000:00:1c.0/0000:01:00.0' }] } }));
    const oracle = await readPciJson(file);
    expect(oracle.devices[1]!.parent).toBe('0000:00:1c.0');
    expect(oracle.groups!.get(4)).toEqual(['0000:01:00.0']);
  });

  it('rejects bad devices with every problem named', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'acpi-iommu-json-'));
    made.push(directory);
    const file = join(directory, 'bad.json');
    writeFileSync(file, JSON.stringify({ devices: [{ bdf: 'zz', class: 1 }, { bdf: '00:01.0' }, { bdf: '00:02.0', class: '0x020000', pcieType: 'bogus' }] }));
    await expect(readPciJson(file)).rejects.toThrow(/devices\[0\].*bdf.*devices\[1\].*class.*pcieType/s);
  });
});

describe.skipIf(!HAVE_SHARED)('readPciSysfs through a symlinked folder', () => {
  it('gives the same sysfs paths as the real folder', async () => {
    const tree = join(CORPUS_ROOT, 'kernel', 'x86-bridge-scope', 'sysfs');
    const link = join(mkdtempSync(join(tmpdir(), 'acpi-iommu-sysfs-link-')), 'sysfs');
    symlinkSync(tree, link);
    const direct = await readPciSysfs(tree);
    const linked = await readPciSysfs(link);
    expect(linked.devices.map((device) => device.sysfsPath)).toEqual(direct.devices.map((device) => device.sysfsPath));
    expect(linked.devices.every((device) => device.sysfsPath !== undefined)).toBe(true);
  });
});
