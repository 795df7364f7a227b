/**
 * --pci from what people paste: a boot log's PCI lines and `lspci -vmm -nn`. The lines follow the
 * kernel's formats (drivers/pci/probe.c "[%04x:%04x] type %02x class %#08x", "PCI bridge to %pR";
 * drivers/iommu/iommu.c "Adding to iommu group %d") and lspci's -vmm -nn records.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topologyFromDmesg, looksLikeDmesg } from '../src/pci/dmesg.js';
import { topologyFromLspci, looksLikeLspciVmm } from '../src/pci/lspci.js';
import { lookupPciName } from '../src/node/pci-ids.js';
import { runCli } from './support/cli.js';
import { buildDmar } from './support/region-tables.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-pasted-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** DL360 G7 shape: root port 00:03.0 to bus 03 with a two-function NIC, and an xHCI on bus 0. */
const DMESG = `[    0.412345] pci 0000:00:03.0: [8086:340a] type 01 class 0x060400 PCIe Root Port
[    0.412400] pci 0000:00:1d.0: [8086:3a34] type 00 class 0x0c0300 conventional PCI endpoint
[    0.512345] pci 0000:03:00.0: [14e4:1639] type 00 class 0x020000
[    0.512346] pci 0000:03:00.1: [14e4:1639] type 00 class 0x020000
[    0.512400] pci 0000:00:03.0: PCI bridge to [bus 03]
[    1.000000] pci 0000:00:03.0: Adding to iommu group 2
[    1.000001] pci 0000:00:1d.0: Adding to iommu group 5
[    1.000002] iommu: Adding device 0000:03:00.0 to group 7
[    1.000003] pci 0000:03:00.1: Adding to iommu group 7
`;

const LSPCI = `Slot:\t00:03.0
Class:\tPCI bridge [0604]
Vendor:\tIntel Corporation [8086]
Device:\t5520/5500/X58 I/O Hub PCI Express Root Port 3 [340a]
IOMMUGroup:\t2

Slot:\t00:1d.0
Class:\tUSB controller [0c03]
Vendor:\tIntel Corporation [8086]
Device:\t82801JI (ICH10 Family) USB UHCI Controller #1 [3a34]
IOMMUGroup:\t5

Slot:\t03:00.0
Class:\tEthernet controller [0200]
Vendor:\tBroadcom Inc. and subsidiaries [14e4]
Device:\tNetXtreme II BCM5709 Gigabit Ethernet [1639]
IOMMUGroup:\t7
`;

// region-tables.ts layout: the RMRR at 64 = 0x40. Its endpoint path 00:03.0/00.0 names the NIC through the root port.
const dmar = join(work, 'DMAR.bin');
writeFileSync(dmar, buildDmar({ rmrrs: [{ base: 0xdf61e000n, end: 0xdf61ffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[3, 0], [0, 0]] }] }] }));
const dmesgFile = join(work, 'dmesg.txt');
writeFileSync(dmesgFile, DMESG);
const lspciFile = join(work, 'lspci.txt');
writeFileSync(lspciFile, LSPCI);

describe('a boot log', () => {
  it('gives devices, classes, IDs, header types, bridge bus ranges and groups (both group-line forms)', () => {
    expect(looksLikeDmesg(DMESG)).toBe(true);
    const topology = topologyFromDmesg(DMESG);
    expect(topology.devices.map((device) => [device.bus, device.device, device.function, device.classCode, device.vendor, device.deviceId, device.headerType])).toEqual([
      [0, 3, 0, 0x060400, 0x8086, 0x340a, 1],
      [0, 0x1d, 0, 0x0c0300, 0x8086, 0x3a34, 0],
      [3, 0, 0, 0x020000, 0x14e4, 0x1639, 0],
      [3, 0, 1, 0x020000, 0x14e4, 0x1639, 0],
    ]);
    expect(topology.devices[0]).toMatchObject({ secondaryBus: 3, subordinateBus: 3 });
    expect(topology.devices[2]!.parent).toBe('0000:00:03.0');
    expect(topology.groupsGuessed).toBe(false);
    expect([...topology.groups!]).toEqual([[2, ['0000:00:03.0']], [5, ['0000:00:1d.0']], [7, ['0000:03:00.0', '0000:03:00.1']]]);
  });

  it('--pci dmesg.txt: explain follows the two-hop path and refuses the NIC, as with a JSON topology', async () => {
    const result = await runCli(['explain', dmar, '03:00.0', '--pci', dmesgFile]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/group 7: 0000:03:00\.0, 0000:03:00\.1/);
    expect(result.stdout).toMatch(/v6\.6 and later: refused/);
    const sysfs = await runCli(['regions', dmar, '--pci', dmesgFile, '--group', '7', '--sysfs']);
    expect([sysfs.code, sysfs.stderr]).toEqual([0, '']);
    expect(sysfs.stdout).toBe('0x00000000df61e000 0x00000000df61ffff direct\n0x00000000fee00000 0x00000000feefffff msi\n');
  });
});

describe('lspci -vmm -nn', () => {
  it('gives classes, IDs and groups; says it has no bridge ranges', () => {
    expect(looksLikeLspciVmm(LSPCI)).toBe(true);
    expect(looksLikeLspciVmm(DMESG)).toBe(false);
    const topology = topologyFromLspci(LSPCI);
    expect(topology.devices.map((device) => [device.bus, device.device, device.classCode, device.vendor, device.deviceId])).toEqual([
      [0, 3, 0x060400, 0x8086, 0x340a],
      [0, 0x1d, 0x0c0300, 0x8086, 0x3a34],
      [3, 0, 0x020000, 0x14e4, 0x1639],
    ]);
    expect([...topology.groups!.keys()]).toEqual([2, 5, 7]);
    expect(topology.notes.join('\n')).toMatch(/no bridge bus ranges/);
  });

  it('--pci lspci.txt: a device whose bridge is unknown gets an unknown verdict, not a false "allowed"', async () => {
    const result = await runCli(['explain', dmar, '03:00.0', '--pci', lspciFile]);
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/unknown: the topology does not say which bridge 0000:03:00\.0 sits behind/);
    expect(result.stdout).toMatch(/PCI bridge to \[bus …\]/);
    // A device on the root bus is placed: its verdict stands.
    expect((await runCli(['explain', dmar, '00:1d.0', '--pci', lspciFile])).code).toBe(0);
  });
});

describe('other text given to --pci', () => {
  it('is refused with one line naming the forms accepted', async () => {
    const notes = join(work, 'notes.txt');
    writeFileSync(notes, 'hello\n');
    const result = await runCli(['regions', dmar, '--pci', notes]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^acpi-iommu: --pci .*notes\.txt: not valid JSON .*; expected a PCI topology: JSON .*, a boot log with its "pci …" lines, lspci -vmm -nn or lspci -tvnn output, an acpi-iommu collect archive, or a sysfs root/);
  });
});

describe('device names from pci.ids', () => {
  // The layout of pciutils' pci.ids: vendor lines, tab-indented device lines, tab-tab subsystems, # comments.
  const IDS = '# pci.ids excerpt\n8086  Intel Corporation\n\t340a  5520/5500/X58 I/O Hub PCI Express Root Port 3\n14e4  Broadcom Inc. and subsidiaries\n\t1638  NetXtreme BCM57711E\n\t1639  NetXtreme II BCM5709 Gigabit Ethernet\n\t\t103c 7055  NC382i\n15b3  Mellanox\n\t1639  Not this one\n';

  it('finds the vendor, and the device only under its own vendor', () => {
    expect(lookupPciName(IDS, 0x14e4, 0x1639)).toEqual({ vendor: 'Broadcom Inc. and subsidiaries', device: 'NetXtreme II BCM5709 Gigabit Ethernet' });
    expect(lookupPciName(IDS, 0x8086, 0x1639)).toEqual({ vendor: 'Intel Corporation' });
    expect(lookupPciName(IDS, 0x1234, 0x1639)).toBeUndefined();
  });

  it('explain names the device when the system has pci.ids (here ACPI_IOMMU_PCI_IDS), and says nothing without one', async () => {
    const ids = join(work, 'pci.ids');
    writeFileSync(ids, IDS);
    const named = await runCli(['explain', dmar, '03:00.0', '--pci', dmesgFile], { env: { ACPI_IOMMU_PCI_IDS: ids } });
    expect(named.stdout.split('\n')[1]).toBe('device: Broadcom Inc. and subsidiaries — NetXtreme II BCM5709 Gigabit Ethernet (pci.ids)');
    const unnamed = await runCli(['explain', dmar, '03:00.0', '--pci', dmesgFile], { env: { ACPI_IOMMU_PCI_IDS: join(work, 'absent.ids') } });
    expect(unnamed.stdout).not.toMatch(/^device: /m);
  });
});

