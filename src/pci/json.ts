/**
 * The JSON form of a PCI topology (read by src/node/pci-json.ts, written by `topologyToJson`).
 *
 * ```jsonc
 * {
 *   "devices": [
 *     {
 *       "bdf": "0000:00:1c.0",          // required; "00:1c.0" means segment 0
 *       "class": "0x060400",            // required; 24-bit class code, number or "0x…" text
 *       "vendor": "0x8086",             // optional (default 0xffff)
 *       "device": "0x9d10",             // optional (default 0xffff)
 *       "parent": "0000:00:00.0",       // optional: BDF of the upstream bridge
 *       "sysfs_path": "pci0000:00/0000:00:1c.0",  // optional: parent taken from the path
 *       "secondaryBus": 1,              // optional, bridges: bus numbers behind the bridge
 *       "subordinateBus": 3,            //   (otherwise taken from the devices below it)
 *       "headerType": 1,                // optional; derived from the class code when absent
 *       "virtfn": false,                // optional: SR-IOV virtual function
 *       "pcieType": "root-port",        // optional: one of PCIE_TYPES (for DMA aliases)
 *       "group": 5                      // optional: IOMMU group number
 *     }
 *   ],
 *   "groups": { "5": ["0000:01:00.0"] } // optional; wins over the per-device "group"
 * }
 * ```
 * A bare array of devices is accepted too, and so is an object with a `pci` array (the
 * kernel-case `oracle` layout: `{bdf, class, vendor, device, group, sysfs_path}`).
 * Camel-case aliases are accepted: `classCode`, `deviceId`, `isVirtFn`, `iommuGroup`.
 */
import { formatBdf, normaliseBdf, parseBdf } from './bdf.js';
import { PCIE_TYPES, bdfOf, type PciDevice, type PciTopology, type PcieType } from './model.js';
import { buildTopology } from './topology.js';
import { hex } from '../bytes/hex.js';

export class TopologyFormatError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid PCI topology JSON: ${problems.join('; ')}`);
    this.name = 'TopologyFormatError';
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number, or a decimal / `0x…` text; undefined when absent or not a non-negative integer. */
function numberField(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^(0x[0-9a-f]+|\d+)$/i.test(value.trim())) return undefined;
  return Number(value.trim());
}

function first(record: Json, ...keys: string[]): unknown {
  for (const key of keys) if (record[key] !== undefined) return record[key];
  return undefined;
}

/** The BDF of the directory holding the device in a sysfs path (`…/0000:00:1c.0/0000:01:00.0`). */
export function parentFromSysfsPath(path: string): string | undefined {
  const parts = path.split('/').filter((part) => part.length > 0);
  return parts.length >= 2 ? normaliseBdf(parts[parts.length - 2]!) : undefined;
}

function deviceFromJson(record: unknown, position: number, problems: string[]): PciDevice | undefined {
  const where = `devices[${position}]`;
  if (!isObject(record)) {
    problems.push(`${where} is not an object`);
    return undefined;
  }
  const address = typeof record.bdf === 'string' ? parseBdf(record.bdf) : undefined;
  if (address === undefined) {
    problems.push(`${where}: "bdf" must be a text like "0000:00:1f.0"`);
    return undefined;
  }
  const classCode = numberField(first(record, 'class', 'classCode'));
  if (classCode === undefined || classCode > 0xffffff) {
    problems.push(`${where} (${formatBdf(address)}): "class" must be a 24-bit class code like "0x0c0330"`);
    return undefined;
  }
  const device: PciDevice = {
    ...address,
    classCode,
    vendor: numberField(first(record, 'vendor')) ?? 0xffff,
    deviceId: numberField(first(record, 'device', 'deviceId')) ?? 0xffff,
  };
  const sysfsPath = first(record, 'sysfs_path', 'sysfsPath');
  if (typeof sysfsPath === 'string') device.sysfsPath = sysfsPath;
  const parent = first(record, 'parent');
  if (typeof parent === 'string') {
    const normal = normaliseBdf(parent);
    if (normal === undefined) problems.push(`${where}: "parent" is not a BDF`);
    else device.parent = normal;
  } else if (typeof sysfsPath === 'string') {
    const fromPath = parentFromSysfsPath(sysfsPath);
    if (fromPath !== undefined) device.parent = fromPath;
  }
  copyNumber(record, device, 'secondaryBus', ['secondaryBus', 'secondary_bus', 'secondary_bus_number']);
  copyNumber(record, device, 'subordinateBus', ['subordinateBus', 'subordinate_bus', 'subordinate_bus_number']);
  copyNumber(record, device, 'headerType', ['headerType', 'header_type']);
  copyNumber(record, device, 'iommuGroup', ['group', 'iommuGroup', 'iommu_group']);
  const virtfn = first(record, 'virtfn', 'isVirtFn');
  if (virtfn === true) device.isVirtFn = true;
  const pcieType = first(record, 'pcieType', 'pcie_type');
  if (typeof pcieType === 'string') {
    if ((PCIE_TYPES as readonly string[]).includes(pcieType)) {
      device.pcieType = pcieType as PcieType;
      device.pcieTypeSource = 'input';
    } else problems.push(`${where}: "pcieType" must be one of ${PCIE_TYPES.join(', ')}`);
  }
  return device;
}

function copyNumber(record: Json, device: PciDevice, field: 'secondaryBus' | 'subordinateBus' | 'headerType' | 'iommuGroup', keys: string[]): void {
  const value = numberField(first(record, ...keys));
  if (value !== undefined) device[field] = value;
}

function groupsFromJson(value: unknown, problems: string[]): Map<number, string[]> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    problems.push('"groups" must be an object mapping group numbers to BDF lists');
    return undefined;
  }
  const groups = new Map<number, string[]>();
  for (const [key, members] of Object.entries(value)) {
    const group = numberField(key);
    const list = Array.isArray(members) ? members.map((member) => (typeof member === 'string' ? normaliseBdf(member) : undefined)) : [];
    if (group === undefined || !Array.isArray(members) || list.some((member) => member === undefined)) {
      problems.push(`groups["${key}"] must be a list of BDFs under a numeric key`);
      continue;
    }
    groups.set(group, list as string[]);
  }
  return groups;
}

/** Reads the JSON form (already parsed). Throws TopologyFormatError listing every problem. */
export function topologyFromJson(value: unknown): PciTopology {
  const problems: string[] = [];
  let list: unknown;
  let groupsValue: unknown;
  if (Array.isArray(value)) list = value;
  else if (isObject(value)) {
    list = value.devices ?? value.pci ?? (isObject(value.oracle) ? value.oracle.pci : undefined);
    groupsValue = value.groups;
  }
  if (!Array.isArray(list)) throw new TopologyFormatError(['expected {"devices": [...]} or an array of devices']);
  const devices = list.map((record, position) => deviceFromJson(record, position, problems)).filter((device) => device !== undefined);
  // The oracle layout's "groups" is a list of objects, not our map: ignore it there.
  const groups = Array.isArray(groupsValue) ? undefined : groupsFromJson(groupsValue, problems);
  if (problems.length > 0) throw new TopologyFormatError(problems);
  return buildTopology(devices, groups);
}


/** The JSON form of a topology (plain data, ready for JSON.stringify). */
export function topologyToJson(topology: PciTopology): { devices: Json[]; groups?: Record<string, string[]> } {
  const devices = topology.devices.map((device) => {
    const record: Json = { bdf: bdfOf(device), class: hex(device.classCode, 6), vendor: hex(device.vendor, 4), device: hex(device.deviceId, 4) };
    if (device.parent !== undefined) record.parent = device.parent;
    if (device.secondaryBus !== undefined) record.secondaryBus = device.secondaryBus;
    if (device.subordinateBus !== undefined) record.subordinateBus = device.subordinateBus;
    if (device.headerType !== undefined && device.headerTypeDerived !== true) record.headerType = device.headerType;
    if (device.isVirtFn === true) record.virtfn = true;
    if (device.pcieType !== undefined && device.pcieTypeSource !== 'known-id') record.pcieType = device.pcieType;
    if (device.iommuGroup !== undefined) record.group = device.iommuGroup;
    return record;
  });
  if (topology.groups === undefined || topology.groupsGuessed) return { devices };
  return { devices, groups: Object.fromEntries([...topology.groups].map(([group, members]) => [String(group), members])) };
}
