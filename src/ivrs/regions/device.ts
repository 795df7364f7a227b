/**
 * `amd_iommu_get_resv_regions` (Linux 6.1 drivers/iommu/amd/iommu.c) for one PCI function:
 * every unity map of its segment whose device-ID range holds its requester ID (its own ID, not
 * an alias), in table order, as DIRECT — an exclusion range too, because `init_unity_map_range`
 * rewrote its protection to read/write (kernel-semantics §6) — then the MSI window and the
 * HyperTransport range, for every device the AMD IOMMU handles.
 */
import { hex } from '../../bytes/hex.js';
import { bdfOf, type PciDevice, type PciTopology } from '../../pci/model.js';
import { formatRequesterId, requesterId, type PciAddress } from '../../pci/bdf.js';
import type { DeviceRegions } from '../../regions/analysis.js';
import type { RegionFinding } from '../../regions/codes.js';
import type { RegionDescriptor } from '../../regions/types.js';
import type { KernelBehaviour } from '../../regions/kernel-versions.js';
import type { IvrsTable } from '../table.js';
import { amdBootModel, coveringEntry, type AmdBootModel, type UnityMap } from './boot.js';
import { amdFinding } from './codes.js';

/** `MSI_RANGE_START`–`MSI_RANGE_END` (amd_iommu_types.h). */
export const AMD_MSI_RANGE = { start: 0xfee00000n, end: 0xfeefffffn } as const;
/** `HT_RANGE_START`–`HT_RANGE_END`: the HyperTransport window, reserved for every device. */
export const AMD_HT_RANGE = { start: 0xfd00000000n, end: 0xffffffffffn } as const;

const IVMD_NAMES: Readonly<Record<number, string>> = { 0x20: 'IVMD (all devices)', 0x21: 'IVMD (one device)', 0x22: 'IVMD (device range)' };

/** A unity map as a region descriptor (`device` set when reported for one). */
export function unityRegion(map: UnityMap, device?: string): RegionDescriptor {
  const region: RegionDescriptor = {
    start: map.start,
    end: map.end,
    type: 'direct',
    prot: map.prot,
    source: { table: 'IVRS', offset: map.ivmd.offset, structure: IVMD_NAMES[map.ivmd.type]!, detail: `device IDs ${formatRequesterId(map.first)}–${formatRequesterId(map.last)}` },
    reason: map.ivmd.exclusionRange ? 'exclusion range: Linux 6.1 maps it 1:1 read/write (init_unity_map_range), reported as direct' : 'unity-mapped range: reported as direct',
  };
  if (device !== undefined) region.device = device;
  return region;
}

/** The two windows `amd_iommu_get_resv_regions` adds for every device. */
export function amdFixedRegions(device?: string): RegionDescriptor[] {
  // Start and end written out: spreading an object of BigInts takes V8's slow path (≈ 2 µs per
  // object, most of an IVRS's parse + regions).
  const regions: RegionDescriptor[] = [
    { start: AMD_MSI_RANGE.start, end: AMD_MSI_RANGE.end, type: 'msi', prot: 0, source: { table: 'kernel', structure: 'interrupt window', detail: 'MSI_RANGE_START–MSI_RANGE_END' }, reason: 'AMD MSI address range, reported for every device' },
    { start: AMD_HT_RANGE.start, end: AMD_HT_RANGE.end, type: 'reserved', prot: 0, source: { table: 'kernel', structure: 'HyperTransport range', detail: 'HT_RANGE_START–HT_RANGE_END' }, reason: 'HyperTransport reserved window, reported for every device' },
  ];
  if (device !== undefined) for (const region of regions) region.device = device;
  return regions;
}

/** The driver's list for one function, or undefined when the AMD IOMMU does not handle it. */
export function amdDeviceRegions(model: AmdBootModel, device: PciAddress): RegionDescriptor[] | undefined {
  if (!model.enabled) return undefined;
  const segment = model.segments.get(device.segment);
  const id = requesterId(device);
  if (coveringEntry(segment, id) === undefined) return undefined;
  const bdf = bdfOf(device);
  const unity = segment!.unityMaps.filter((map) => map.first <= id && id <= map.last).map((map) => unityRegion(map, bdf));
  return [...unity, ...amdFixedRegions(bdf)];
}

export interface AmdDeviceList {
  /** False when Linux would not bring the AMD IOMMU up: no device has regions then. */
  iommuEnabled: boolean;
  /** Devices that get an IOMMU, in probe order. */
  devices: DeviceRegions[];
  findings: RegionFinding[];
}

/** Every function of the topology the AMD IOMMU handles, with its list; the others as findings. */
export function amdDeviceList(table: IvrsTable, topology: PciTopology, kernel?: KernelBehaviour): AmdDeviceList {
  const model = amdBootModel(table, kernel);
  const findings = [...model.findings];
  const devices: DeviceRegions[] = [];
  for (const device of topology.devices as PciDevice[]) {
    const regions = amdDeviceRegions(model, device);
    if (regions !== undefined) devices.push({ device: bdfOf(device), regions, notes: [] });
    else if (model.enabled) findings.push(amdFinding('regions.amd.no-iommu', `${bdfOf(device)} (ID ${hex(requesterId(device))}): no IVHD entry gives it an IOMMU`, { device: bdfOf(device) }));
  }
  return { iommuEnabled: model.enabled, devices, findings };
}
