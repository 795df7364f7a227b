/**
 * Builds a sysfs-like tree in a temp directory, laid out like the kernel cases: devices nested
 * under their bridges in `devices/pci<SSSS>:<BB>/…`, `bus/pci/devices/<bdf>` links, and
 * `kernel/iommu_groups/<g>/devices/<bdf>` links. Links are real symlinks, or (option
 * `linkFiles`) small files holding the link text, as in the ../shared copies.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface FakeDevice {
  bdf: string;
  class: number;
  vendor?: number;
  device?: number;
  /** BDF of the upstream bridge (its directory holds this one). */
  parent?: string;
  group?: number;
  virtfn?: boolean;
  /** Raw config space bytes to write as `config`. */
  config?: Uint8Array;
}

export interface FakeSysfsOptions {
  linkFiles?: boolean;
  /** Write kernel/iommu_groups (default true). */
  groupsDirectory?: boolean;
}

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

export function writeFakeSysfs(root: string, devices: readonly FakeDevice[], options: FakeSysfsOptions = {}): string {
  const byBdf = new Map(devices.map((device) => [device.bdf, device]));
  const pathOf = (device: FakeDevice): string => {
    const parent = device.parent === undefined ? undefined : byBdf.get(device.parent);
    if (parent !== undefined) return join(pathOf(parent), device.bdf);
    const [segment, bus] = device.bdf.split(':');
    return join(`pci${segment}:${bus}`, device.bdf);
  };
  const link = (from: string, to: string) => {
    mkdirSync(dirname(from), { recursive: true });
    const target = relative(dirname(from), to);
    if (options.linkFiles === true) writeFileSync(from, `${target}\n`);
    else symlinkSync(target, from);
  };
  for (const device of devices) {
    const directory = join(root, 'devices', pathOf(device));
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'class'), `${hex(device.class, 6)}\n`);
    writeFileSync(join(directory, 'vendor'), `${hex(device.vendor ?? 0x8086, 4)}\n`);
    writeFileSync(join(directory, 'device'), `${hex(device.device ?? 0x1234, 4)}\n`);
    if (device.config !== undefined) writeFileSync(join(directory, 'config'), device.config);
    if (device.virtfn === true) mkdirSync(join(directory, 'physfn'));
    link(join(root, 'bus', 'pci', 'devices', device.bdf), directory);
    if (device.group !== undefined) {
      const groupDirectory = join(root, 'kernel', 'iommu_groups', String(device.group));
      mkdirSync(options.groupsDirectory === false ? groupDirectory : join(groupDirectory, 'devices'), { recursive: true });
      link(join(directory, 'iommu_group'), groupDirectory);
      if (options.groupsDirectory !== false) link(join(groupDirectory, 'devices', device.bdf), directory);
    }
  }
  return root;
}

/** A fresh temp directory holding the tree. */
export function makeFakeSysfs(devices: readonly FakeDevice[], options: FakeSysfsOptions = {}): string {
  return writeFakeSysfs(mkdtempSync(join(tmpdir(), 'acpi-iommu-sysfs-')), devices, options);
}
