/**
 * --pci from `lspci -tv` / `lspci -tvnn`. The fixtures are written in the exact layout of pciutils'
 * ls-tree.c: a domain `-[0000:00]-`, several root buses `-+-[0000:40]-` … ` \-[0000:00]-`, a
 * bridge `dd.f-[ss]-` or `dd.f-[ss-uu]-` followed by the bus's own `-`, one function on a bus
 * `--dd.f`, several `+-dd.f` … `\-dd.f`, `  name [vvvv:dddd]` after the functions that are not
 * bridges (-v -nn), and each later line repeating the prefix with `+`/`|` as `|` and all else blank.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { looksLikeLspciTree, topologyFromLspciTree } from '../src/pci/lspci-tree.js';
import { looksLikeLspciVmm } from '../src/pci/lspci.js';
import { looksLikeDmesg } from '../src/pci/dmesg.js';
import { runCli } from './support/cli.js';
import { buildDmar } from './support/region-tables.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-lspci-tree-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * An X58 server: root port 00:03.0 to bus 03 (a two-function NIC), 00:1c.0 to buses 04–05 with a
 * PCIe-to-PCI bridge 04:00.0 to bus 05 (a Matrox VGA), a UHCI on the root bus, an empty slot 00:1e.0.
 */
const TREE = [
  '-[0000:00]-+-00.0  Intel Corporation 5520/5500/X58 I/O Hub to ESI Port [8086:3406]',
  '           +-03.0-[03]--+-00.0  Broadcom Inc. and subsidiaries NetXtreme II BCM5709 Gigabit Ethernet [14e4:1639]',
  '           |            \\-00.1  Broadcom Inc. and subsidiaries NetXtreme II BCM5709 Gigabit Ethernet [14e4:1639]',
  '           +-1c.0-[04-05]----00.0-[05]----00.0  Matrox Electronics Systems Ltd. MGA G200eH [102b:0533]',
  '           +-1d.0  Intel Corporation 82801JI (ICH10 Family) USB UHCI Controller #1 [8086:3a34]',
  '           \\-1e.0-[01]--',
  '',
].join('\n');

/** Two root buses of domain 0 (the later first, as lspci lists them) and a second domain; `lspci -t` without names. */
const MULTI = [
  '-+-[0000:40]-+-00.0',
  ' |           \\-01.1-[41]----00.0',
  ' \\-[0000:00]-+-00.0',
  '             \\-02.0-[01-02]--+-00.0-[02]--',
  '                             \\-00.1',
  '-[0001:00]---00.0-[01]----00.0',
  '',
].join('\n');

const rows = (text: string) => topologyFromLspciTree(text).devices.map((device) => [
  `${device.segment.toString(16).padStart(4, '0')}:${device.bus.toString(16).padStart(2, '0')}:${device.device.toString(16).padStart(2, '0')}.${device.function}`,
  device.parent ?? null, device.secondaryBus ?? null, device.subordinateBus ?? null,
]);

describe('lspci -tv', () => {
  it('is told from the other pasted forms', () => {
    expect(looksLikeLspciTree(TREE)).toBe(true);
    expect(looksLikeLspciTree(MULTI)).toBe(true);
    expect(looksLikeLspciVmm(TREE) || looksLikeDmesg(TREE)).toBe(false);
    expect(looksLikeLspciTree('Slot:\t00:03.0\nClass:\tPCI bridge [0604]\n')).toBe(false);
  });

  it('gives every function, each bridge\'s bus range and each function\'s parent', () => {
    expect(rows(TREE)).toEqual([
      ['0000:00:00.0', null, null, null],
      ['0000:00:03.0', null, 3, 3],
      ['0000:00:1c.0', null, 4, 5],
      ['0000:00:1d.0', null, null, null],
      ['0000:00:1e.0', null, 1, 1],
      ['0000:03:00.0', '0000:00:03.0', null, null],
      ['0000:03:00.1', '0000:00:03.0', null, null],
      ['0000:04:00.0', '0000:00:1c.0', 5, 5],
      ['0000:05:00.0', '0000:04:00.0', null, null],
    ]);
  });

  it('takes vendor:device from -nn, bridges as class 0x060400, the rest as class unknown; no groups', () => {
    const topology = topologyFromLspciTree(TREE);
    const nic = topology.devices.find((device) => device.bus === 3 && device.function === 1)!;
    expect([nic.vendor, nic.deviceId, nic.classUnknown]).toEqual([0x14e4, 0x1639, true]);
    const bridge = topology.devices.find((device) => device.bus === 4)!;
    expect([bridge.classCode, bridge.classUnknown, bridge.headerType]).toEqual([0x060400, undefined, 1]);
    expect(topology.groupsGuessed).toBe(true);
    expect(topology.notes.join('\n')).toMatch(/no class codes/);
  });

  it('reads several root buses and domains, and functions without names (-t alone)', () => {
    expect(rows(MULTI)).toEqual([
      ['0000:00:00.0', null, null, null],
      ['0000:00:02.0', null, 1, 2],
      ['0000:01:00.0', '0000:00:02.0', 2, 2],
      ['0000:01:00.1', '0000:00:02.0', null, null],
      ['0000:40:00.0', null, null, null],
      ['0000:40:01.1', null, 0x41, 0x41],
      ['0000:41:00.0', '0000:40:01.1', null, null],
      ['0001:00:00.0', null, 1, 1],
      ['0001:01:00.0', '0001:00:00.0', null, null],
    ]);
    const topology = topologyFromLspciTree(MULTI);
    expect(topology.devices.find((device) => device.bus === 0x41)!.vendor).toBe(0xffff);
    // The tree places 40:00.0 and 40:01.1 on root bus 0x40: no "upstream bridge unknown" for them.
    expect(topology.notes.filter((note) => /upstream bridge unknown|continues no branch/.test(note))).toEqual([]);
  });

  it('a line that continues no branch is noted and skipped, not guessed', () => {
    const topology = topologyFromLspciTree('-[0000:00]-+-00.0\n                 \\-05.0\n');
    expect(topology.devices).toHaveLength(1);
    expect(topology.notes.join('\n')).toMatch(/line 2: continues no branch/);
  });
});

describe('--pci lspci -tvnn output: bus ranges decide what explain and regions say', () => {
  const tree = join(work, 'lspci-tv.txt');
  writeFileSync(tree, TREE);
  // region-tables.ts layout: the RMRR at 0x40. A BRIDGE scope on 00:1c.0 (bus 0, path 1c.0).
  const bridgeRmrr = join(work, 'bridge-DMAR.bin');
  writeFileSync(bridgeRmrr, buildDmar({ rmrrs: [{ base: 0xdf61e000n, end: 0xdf61ffffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] }] }));
  // An ENDPOINT scope path 00:03.0 / 00.0: the NIC through the root port.
  const pathRmrr = join(work, 'path-DMAR.bin');
  writeFileSync(pathRmrr, buildDmar({ rmrrs: [{ base: 0xdf61e000n, end: 0xdf61ffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[3, 0], [0, 0]] }] }] }));

  it('a device outside the bridge\'s buses 04–05 is settled as allowed; without the tree it is unknown', async () => {
    const without = await runCli(['explain', bridgeRmrr, '03:00.0']);
    expect(without.code).toBe(4);
    const given = await runCli(['explain', bridgeRmrr, '03:00.0', '--pci', tree]);
    expect(given.code, given.stdout).toBe(0);
    expect(given.stdout).toMatch(/v3\.17 and later: allowed: no region of the group blocks it/);
  });

  it('a device two bridges below 00:1c.0 gets the RMRR; its class (unknown in a tree) decides, so the verdict is unknown', async () => {
    const result = await runCli(['explain', bridgeRmrr, '05:00.0', '--pci', tree]);
    expect(result.code, result.stdout).toBe(4);
    expect(result.stdout).toMatch(/^explain 0000:05:00\.0 \[class unknown\]/m);
    expect(result.stdout).toMatch(/upstream: 0000:00:1c\.0 \[060400\] bridge to buses 0x04–0x05.*0000:04:00\.0 \[060400\] bridge to buses 0x05–0x05/s);
    expect(result.stdout).toMatch(/unknown: its class decides whether RMRR @0x40 is relaxable/);
    expect(result.stdout).toMatch(/the device's class: --pci \/sys on the machine/);
    const sysfs = await runCli(['regions', bridgeRmrr, '--pci', tree, '--device', '05:00.0', '--sysfs']);
    expect(sysfs.stdout).toContain('0x00000000df61e000 0x00000000df61ffff direct\n');
  });

  it('a two-hop ENDPOINT path resolves through the root port\'s secondary bus 03 to the NIC', async () => {
    const result = await runCli(['explain', pathRmrr, '03:00.0', '--pci', tree]);
    expect(result.stdout).toMatch(/RMRR @0x40/);
    expect(result.stdout).toMatch(/bus 0x03, 00\.0 → 0000:03:00\.0 \[class unknown\]/);
    expect(result.code).toBe(4);
    // The other function is not named by the path: its own list has no RMRR.
    const other = await runCli(['regions', pathRmrr, '--pci', tree, '--device', '03:00.1', '--sysfs']);
    expect(other.stdout).not.toContain('df61e000');
  });
});
