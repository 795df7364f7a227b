/**
 * Arm SMMUv3 / SMMUv1v2 with IORT (docs/kernel-semantics.md §4): per device, in driver order, the
 * SW_MSI window 0x8000000–0x80fffff, then (HiSilicon Hi161x SMMUv3 only) one MSI region per
 * GIC ITS doorbell page, then the RMR regions. StreamIDs come from walking every DMA alias of
 * the device through the IORT (`iort_pci_iommu_init` → src/iort `mapId`).
 */
import type { IortTable } from '../index.js';
import { IORT_IOMMU_TYPES, IORT_MSI_TYPES } from '../layout.js';
import { mapId } from '../map-id.js';
import { STOP_TEXT } from '../stop-text.js';
import { findRootComplex } from '../translate.js';
import type { MadtTable } from '../../madt/index.js';
import { dmaAliases } from '../../pci/aliases.js';
import { bdfOf, type PciDevice, type PciTopology } from '../../pci/model.js';
import { TopologyIndex } from '../../pci/topology.js';
import type { DeviceRegions } from '../../regions/analysis.js';
import { rmrNodes, rmrRegions, rmrsApply, rmrTableFindings, type RmrOptions } from './arm-rmr.js';
import { finding, type RegionFinding } from '../../regions/codes.js';
import type { ProvidedRegions } from '../../regions/provider.js';
import { hex, PROT, type RegionDescriptor } from '../../regions/types.js';

/** `MSI_IOVA_BASE` / `MSI_IOVA_LENGTH` of the SMMU drivers. */
export const SW_MSI_WINDOW = { start: 0x8000000n, end: 0x80fffffn } as const;
/** `ACPI_IORT_SMMU_V3_HISILICON_HI161X`. */
export const SMMU_V3_MODEL_HISILICON_HI161X = 1;

export interface ArmOptions extends Partial<RmrOptions> {}

export interface StreamInfo {
  smmuOffset: number;
  smmuKind: 'smmu-v3' | 'smmu-v1v2';
  /** fwspec IDs in alias order (duplicates kept). */
  streamIds: number[];
  notes: string[];
  /** Bridge PCIe types that were not known and were assumed. */
  assumptions: string[];
}

/** The fwspec a PCI function gets: its SMMU and StreamIDs, or why it gets none. */
export function pciStreams(table: IortTable, index: TopologyIndex, device: PciDevice): StreamInfo | RegionFinding {
  const bdf = bdfOf(device);
  const rc = findRootComplex(table, device.segment);
  if (rc === undefined) return finding('regions.arm.no-root-complex', `${bdf}: no IORT root complex node for PCI segment ${hex(device.segment, 4)}`, { table: 'IORT', device: bdf });
  const { aliases, assumptions } = dmaAliases(index, device);
  const info: StreamInfo = { smmuOffset: -1, smmuKind: 'smmu-v3', streamIds: [], notes: [], assumptions };
  for (const alias of aliases) {
    const walk = mapId(table, rc.offset, alias.rid, IORT_IOMMU_TYPES);
    const final = walk.final;
    const origin = `${hex(alias.rid, 4)} (${alias.reason}${alias.via === bdf ? '' : ` via ${alias.via}`})`;
    const failed = walk.stop !== 'reached' || final === undefined || (info.smmuOffset >= 0 && final.nodeOffset !== info.smmuOffset);
    if (failed) {
      const why = walk.stop !== 'reached' ? `walk stopped: ${STOP_TEXT[walk.stop]}` : 'reaches a different SMMU';
      const message = `${bdf}: requester ID ${origin} maps to no SMMU (${why})`;
      if (info.streamIds.length === 0) return finding('regions.arm.unmapped', `${message}; the device gets no IOMMU`, { table: 'IORT', offset: rc.offset, device: bdf });
      info.notes.push(`${message}; the alias walk stops here`);
      break;
    }
    info.smmuOffset = final.nodeOffset;
    info.smmuKind = final.nodeKind === 'smmu-v1v2' ? 'smmu-v1v2' : 'smmu-v3';
    info.streamIds.push(final.id);
    info.notes.push(`RID ${origin} → StreamID ${hex(final.id)} on ${final.nodeKind} @${hex(final.nodeOffset)}`);
  }
  return info;
}

function swMsiRegion(device: string): RegionDescriptor {
  return {
    start: SW_MSI_WINDOW.start,
    end: SW_MSI_WINDOW.end,
    type: 'sw-msi',
    prot: PROT.write | PROT.noexec | PROT.mmio,
    source: { table: 'kernel', structure: 'SW MSI window', detail: 'MSI_IOVA_BASE, MSI_IOVA_LENGTH' },
    reason: 'software-managed MSI window of the SMMU driver, every device',
    device,
  };
}

/** `iort_iommu_msi_get_resv_regions`: HiSilicon Hi161x only; the first SID that reaches an ITS group. */
export function hisiliconMsiRegions(table: IortTable, madt: MadtTable | undefined, streams: StreamInfo, device: string | undefined, findings: RegionFinding[]): RegionDescriptor[] {
  const smmu = table.nodeAt(streams.smmuOffset);
  if (smmu === undefined || smmu.kind !== 'smmu-v3' || smmu.model !== SMMU_V3_MODEL_HISILICON_HI161X) return [];
  let group: number | undefined;
  for (const sid of streams.streamIds) {
    const walk = mapId(table, smmu.offset, sid, IORT_MSI_TYPES);
    if (walk.final !== undefined) {
      group = walk.final.nodeOffset;
      break;
    }
  }
  const node = group === undefined ? undefined : table.nodeAt(group);
  if (node === undefined || node.kind !== 'its-group') return [];
  const itsEntries = madt === undefined ? [] : [...madt.gicIts()];
  const regions: RegionDescriptor[] = [];
  for (const id of node.itsIdentifiers) {
    const its = itsEntries.find((entry) => entry.translationId === id);
    if (its === undefined) {
      findings.push(finding('regions.arm.its-missing', `ITS group @${hex(node.offset)}: GIC ITS ${id} is not in the MADT${madt === undefined ? ' (no MADT given)' : ''}; no MSI region for it`, { table: 'IORT', offset: node.offset, ...(device === undefined ? {} : { device }) }));
      continue;
    }
    const region: RegionDescriptor = {
      start: its.baseAddress + 0x10000n,
      end: its.baseAddress + 0x1ffffn,
      type: 'msi',
      prot: PROT.write | PROT.noexec | PROT.mmio,
      source: { table: 'MADT', offset: its.offset, structure: 'GIC ITS', detail: `translation ID ${id} via IORT ITS group @${hex(node.offset)}; GITS_TRANSLATER page` },
      reason: 'HiSilicon Hi161x SMMUv3 (model 1): the ITS doorbell is not translated',
    };
    if (device !== undefined) region.device = device;
    regions.push(region);
  }
  return regions;
}

/** The driver's list for a device with a fwspec. */
export function armDeviceRegions(table: IortTable, madt: MadtTable | undefined, streams: StreamInfo, device: { bdf: string; isPci: boolean }, options: RmrOptions, findings: RegionFinding[]): RegionDescriptor[] {
  return [
    swMsiRegion(device.bdf),
    ...hisiliconMsiRegions(table, madt, streams, device.bdf, findings),
    ...rmrRegions(table, { isPci: device.isPci, smmuOffset: streams.smmuOffset, streamIds: streams.streamIds, device: device.bdf }, options),
  ];
}

export function resolveOptions(options: ArmOptions): RmrOptions {
  return { preserveBootConfig: options.preserveBootConfig ?? true, pageSize: options.pageSize ?? 4096, kernel: options.kernel };
}

/** `get_resv_regions` for every PCI function that gets an SMMU through the IORT (+ MADT), kernel-semantics §4. */
export function armDeviceLists(table: IortTable, madt: MadtTable | undefined, topology: PciTopology, options: ArmOptions = {}): ProvidedRegions {
  const resolved = resolveOptions(options);
  const index = new TopologyIndex(topology);
  const findings: RegionFinding[] = rmrTableFindings(table, resolved.pageSize, options.kernel);
  const assumptions: string[] = [];
  const devices: DeviceRegions[] = [];
  const streamOwners = new Map<string, string>();
  for (const device of topology.devices) {
    const bdf = bdfOf(device);
    const streams = pciStreams(table, index, device);
    if ('code' in streams) {
      findings.push(streams);
      continue;
    }
    if (streams.smmuKind === 'smmu-v3') {
      // arm_smmu_insert_master: a StreamID already owned by an earlier device fails the probe.
      const clash = [...new Set(streams.streamIds)].find((sid) => streamOwners.has(`${streams.smmuOffset}:${sid}`));
      if (clash !== undefined) {
        findings.push(finding('regions.arm.duplicate-stream', `${bdf}: "stream ${hex(clash!)} already in tree" (owned by ${streamOwners.get(`${streams.smmuOffset}:${clash}`)}): the device gets no IOMMU group`, { table: 'IORT', offset: streams.smmuOffset, device: bdf }));
        continue;
      }
      for (const sid of streams.streamIds) streamOwners.set(`${streams.smmuOffset}:${sid}`, bdf);
    }
    for (const note of streams.assumptions) if (!assumptions.includes(note)) assumptions.push(note);
    devices.push({ device: bdf, regions: armDeviceRegions(table, madt, streams, { bdf, isPci: true }, resolved, findings), notes: streams.notes });
  }
  if (rmrsApply(table, options.kernel) && rmrNodes(table).length > 0) {
    assumptions.push(`host bridge preserve_config (_DSM function 5) = ${resolved.preserveBootConfig ? 'yes' : 'no'}${options.preserveBootConfig === undefined ? ' (assumed; not in IORT or sysfs)' : ''}: RMRs apply to PCI devices only when yes`);
    assumptions.push(`kernel page size ${resolved.pageSize}${options.pageSize === undefined ? ' (assumed)' : ''}, used to round RMR descriptors not aligned to 64 KiB`);
  }
  return { devices, findings, assumptions, iommuEnabled: true };
}
