/**
 * What the address map draws: one row per IOMMU group (the merged list `reserved_regions`
 * prints) followed by a row per member device (its driver's own list), or, without a topology,
 * one row per device the tables name. Regions come only from the public entry (src/index.ts).
 */
import {
  analyzeRegions, apertureFromBits, findConflicts, isMalformed, platformOf, unscopedRegions, vfioUsableIova,
  type Conflict, type IovaRange, type PciTopology, type Platform, type RegionDescriptor, type RegionOwner, type RegionTables,
} from '../../index.js';

export interface MapRow {
  id: string;
  label: string;
  level: 'group' | 'device';
  regions: readonly RegionDescriptor[];
  /** Address ranges between the blocking regions (VFIO's usable IOVA when the aperture is known). */
  free: IovaRange[];
}

export interface AddressMapModel {
  platform: Platform;
  rows: MapRow[];
  /** The IOVA aperture drawn: the DMAR host address width, or the whole 64-bit space when the tables do not say. */
  aperture: IovaRange;
  apertureKnown: boolean;
  /** What the free ranges mean, in one sentence. */
  freeMeaning: string;
  /** Lines of the analysis' findings and assumptions. */
  notes: string[];
  /** Regions whose end lies below their start: listed, never drawn. */
  malformed: RegionDescriptor[];
  /** A guest RAM layout to check, as `conflicts --guest-ram` does: every overlap with a region of a group (or device). */
  guestRam?: { ranges: IovaRange[]; conflicts: Conflict[] };
}

const FULL_64: IovaRange = { start: 0n, end: (1n << 64n) - 1n };

/** Where the aperture comes from when no table gives it. */
const APERTURE_SOURCE: Readonly<Record<Platform, string>> = {
  intel: 'the VT-d capability registers',
  arm: 'the SMMU ID registers',
  amd: "the IOMMU's extended features and the driver's page-table mode",
};

export function addressMapModel(tables: RegionTables, topology: PciTopology | undefined, guestRam?: readonly IovaRange[]): AddressMapModel | undefined {
  const platform = platformOf(tables);
  if (platform === undefined) return undefined;
  const width = platform === 'intel' ? tables.dmar?.hostAddressWidth : undefined;
  const apertureKnown = width !== undefined && width >= 1 && width <= 64;
  const aperture = apertureKnown ? apertureFromBits(width) : FULL_64;
  const freeMeaning = apertureKnown
    ? `usable IOVA: the ${width}-bit aperture (DMAR host address width) minus the regions VFIO excludes`
    : `not reserved: the tables do not give the aperture (${APERTURE_SOURCE[platform]} do), so free space is drawn up to 2^64`;
  const rows: MapRow[] = [];
  const owners: RegionOwner[] = [];
  const notes: string[] = [];
  const malformed: RegionDescriptor[] = [];
  const row = (id: string, label: string, level: MapRow['level'], regions: readonly RegionDescriptor[]) => {
    const drawable = regions.filter((region) => !isMalformed(region));
    malformed.push(...regions.filter((region) => isMalformed(region)));
    rows.push({ id, label, level, regions: drawable, free: vfioUsableIova(aperture, drawable).ranges });
  };
  if (topology !== undefined) {
    const analysis = analyzeRegions(tables, topology, platform);
    if (!analysis.iommuEnabled) notes.push('the kernel would not enable the IOMMU with these tables: no groups exist');
    for (const group of analysis.groups) {
      row(`group-${group.group}`, `group ${group.group}: ${group.devices.join(', ')}`, 'group', group.regions);
      for (const member of group.members) {
        row(`device-${member.device}`, member.device, 'device', member.regions);
        // Per member, as `conflicts` checks them: each overlap names the device that reports the region.
        owners.push({ device: member.device, group: group.group, regions: member.regions });
      }
    }
    notes.push(...analysis.findings.map((finding) => `${finding.code}: ${finding.message}`), ...analysis.assumptions.map((text) => `assumed: ${text}`));
  } else {
    const byDevice = new Map<string, RegionDescriptor[]>();
    for (const region of unscopedRegions(tables, platform)) {
      // Kernel-wide regions name their scope in the detail ("every device", "every ISA bridge function …").
      const key = region.device ?? region.source.detail ?? 'every device';
      byDevice.set(key, [...(byDevice.get(key) ?? []), region]);
    }
    for (const [device, regions] of byDevice) {
      row(`device-${device}`, device, 'device', regions);
      owners.push({ device, regions });
    }
    notes.push('no PCI topology: regions are listed per device the tables name, without groups (give --pci, or drop a pci.json, for groups)');
  }
  const model: AddressMapModel = { platform, rows, aperture, apertureKnown, freeMeaning, notes, malformed: dedupe(malformed) };
  if (guestRam !== undefined && guestRam.length > 0) model.guestRam = { ranges: [...guestRam], conflicts: findConflicts(guestRam, owners) };
  return model;
}

function dedupe(regions: RegionDescriptor[]): RegionDescriptor[] {
  return [...new Set(regions)];
}
