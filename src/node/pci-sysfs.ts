/**
 * Reads a PCI topology from a sysfs tree: a real `/sys`, a copy of one, or the fake trees of
 * the kernel cases (`bus/pci/devices/<bdf>` symlinks to `devices/…` directories holding
 * `class`, `vendor`, `device`; `kernel/iommu_groups/<g>/devices/<bdf>`). The argument may be
 * the root (`/sys`) or the `bus/pci/devices` directory itself.
 *
 * Bus hierarchy comes from directory nesting: a bridge's directory holds the functions of its
 * secondary bus, so its secondary bus is the bus of its children and its subordinate bus the
 * highest bus below it (src/pci/topology.ts). `config`, `physfn`, `secondary_bus_number` and
 * `subordinate_bus_number` are used when present (real sysfs).
 */
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { normaliseBdf, parseBdf } from '../pci/bdf.js';
import { parseConfigSpace } from '../pci/config.js';
import type { PciDevice, PciTopology } from '../pci/model.js';
import { buildTopology } from '../pci/topology.js';
import { readFileCapped, readTextCapped } from './read-capped.js';

export class SysfsTopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SysfsTopologyError';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readTextCapped(path)).trim();
  } catch {
    return undefined;
  }
}

async function readNumber(path: string): Promise<number | undefined> {
  const text = await readText(path);
  if (text === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(text)) return undefined;
  return Number(text);
}

/** `{root, devicesDir}` for a sysfs root or its `bus/pci/devices` directory. */
export async function locatePciSysfs(path: string): Promise<{ root: string; devicesDir: string }> {
  // Device directories are compared after realpath, so the root must be too (a tree reached
  // through a symlinked folder would otherwise lose every sysfs path).
  const given = await realpath(resolve(path)).catch(() => resolve(path));
  if (await exists(join(given, 'bus', 'pci', 'devices'))) return { root: given, devicesDir: join(given, 'bus', 'pci', 'devices') };
  if (await exists(given)) {
    const names = await readdir(given).catch(() => [] as string[]);
    if (names.some((name) => parseBdf(name) !== undefined) || given.endsWith(join('bus', 'pci', 'devices'))) {
      return { root: resolve(given, '..', '..', '..'), devicesDir: given };
    }
    throw new SysfsTopologyError(`${path}: neither a sysfs root (no bus/pci/devices inside) nor a bus/pci/devices directory`);
  }
  throw new SysfsTopologyError(`${path}: no such directory`);
}

/**
 * Where a sysfs link points. Copies of sysfs trees made without symlink support hold the
 * link text in a small regular file (the kernel cases in ../shared are like that); both work.
 */
async function linkTarget(path: string): Promise<string | undefined> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return await readlink(path);
    if (info.isFile() && info.size < 4096) {
      const text = (await readTextCapped(path)).trim();
      if (/^(\.\.?\/|\/)/.test(text) && !text.includes('\n')) return text;
    }
  } catch {
    // Not there: no link.
  }
  return undefined;
}

/** The directory a `bus/pci/devices/<bdf>` entry stands for, links resolved. */
async function resolveEntry(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  if (info.isSymbolicLink() || info.isDirectory()) return realpath(path).catch(() => undefined);
  const target = await linkTarget(path);
  if (target === undefined) return undefined;
  const resolved = resolve(dirname(path), target);
  return (await exists(resolved)) ? realpath(resolved).catch(() => resolved) : undefined;
}

async function readDevice(root: string, devicesDir: string, name: string, notes: string[]): Promise<PciDevice | undefined> {
  const address = parseBdf(name);
  if (address === undefined) return undefined;
  const directory = await resolveEntry(join(devicesDir, name));
  if (directory === undefined) {
    notes.push(`${name}: link does not resolve; skipped`);
    return undefined;
  }
  const classCode = await readNumber(join(directory, 'class'));
  if (classCode === undefined) {
    notes.push(`${name}: no readable class file; skipped`);
    return undefined;
  }
  const device: PciDevice = {
    ...address,
    classCode: classCode & 0xffffff,
    vendor: (await readNumber(join(directory, 'vendor'))) ?? 0xffff,
    deviceId: (await readNumber(join(directory, 'device'))) ?? 0xffff,
  };
  const parent = normaliseBdf(basename(dirname(directory)));
  if (parent !== undefined) device.parent = parent;
  const devicesRoot = join(root, 'devices');
  if (directory.startsWith(devicesRoot + sep)) device.sysfsPath = relative(devicesRoot, directory).split(sep).join('/');
  if (await exists(join(directory, 'physfn'))) device.isVirtFn = true;
  await addConfigFacts(directory, device);
  const secondary = await readNumber(join(directory, 'secondary_bus_number'));
  const subordinate = await readNumber(join(directory, 'subordinate_bus_number'));
  if (secondary !== undefined) device.secondaryBus = secondary;
  if (subordinate !== undefined) device.subordinateBus = subordinate;
  // No iommu_group link: the device has no group.
  const groupLink = await linkTarget(join(directory, 'iommu_group'));
  if (groupLink !== undefined && /^\d+$/.test(basename(groupLink))) device.iommuGroup = Number(basename(groupLink));
  return device;
}

async function addConfigFacts(directory: string, device: PciDevice): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFileCapped(join(directory, 'config'));
  } catch {
    return;
  }
  const facts = parseConfigSpace(bytes);
  if (facts.headerType !== undefined) device.headerType = facts.headerType;
  if (facts.secondaryBus !== undefined) device.secondaryBus = facts.secondaryBus;
  if (facts.subordinateBus !== undefined) device.subordinateBus = facts.subordinateBus;
  if (facts.pcieType !== undefined) {
    device.pcieType = facts.pcieType;
    device.pcieTypeSource = 'config-space';
  }
}

/** `kernel/iommu_groups/<g>/devices/<bdf>`; undefined when the directory is absent or empty. */
async function readGroups(root: string): Promise<Map<number, string[]> | undefined> {
  const base = join(root, 'kernel', 'iommu_groups');
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return undefined;
  }
  const groups = new Map<number, string[]>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const members = await readdir(join(base, name, 'devices')).catch(() => undefined);
    if (members === undefined) continue;
    groups.set(Number(name), members.map((member) => normaliseBdf(member)).filter((member) => member !== undefined));
  }
  return groups.size > 0 ? groups : undefined;
}

/** Reads the topology below `path` (a sysfs root or its `bus/pci/devices`). */
export async function readPciSysfs(path: string): Promise<PciTopology> {
  const { root, devicesDir } = await locatePciSysfs(path);
  const notes: string[] = [];
  const names = (await readdir(devicesDir)).sort();
  const devices: PciDevice[] = [];
  for (const name of names) {
    const device = await readDevice(root, devicesDir, name, notes);
    if (device !== undefined) devices.push(device);
  }
  if (devices.length === 0) throw new SysfsTopologyError(`${path}: no PCI devices found in ${devicesDir}`);
  const groups = await readGroups(root);
  if (groups === undefined && devices.some((device) => device.iommuGroup !== undefined)) {
    notes.push('kernel/iommu_groups not found; groups taken from each device\'s iommu_group link');
  }
  return buildTopology(devices, groups, notes);
}
