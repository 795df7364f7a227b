/**
 * Report section: reserved regions per device and group, as Linux would compute them. With a
 * PCI topology (--pci, the live machine's /sys, or a pci.json beside the tables) every group is
 * listed with its devices, regions and the passthrough verdict; groups that only get the
 * kernel's own windows (interrupt, ISA, SW MSI) are listed by their devices only. Without a topology, every region the
 * tables produce is listed with the scope that claims it.
 */
import type { RegionTables } from '../../analyze.js';
import type { GroupRegions, RegionAnalysis, RegionDescriptor } from '../../regions/index.js';
import type { Paint } from '../shared/style.js';
import { onlyTables } from '../shared/tables.js';
import type { ReportContext, ReportSection } from './sections.js';

type Derived =
  | { kind: 'none' }
  | { kind: 'unscoped'; regions: RegionDescriptor[] }
  | { kind: 'topology'; path: string; analysis: RegionAnalysis; classes: Map<string, number> }
  | { kind: 'error'; message: string };

const cache = new WeakMap<ReportContext, Promise<Derived>>();

function derive(context: ReportContext): Promise<Derived> {
  let result = cache.get(context);
  if (result === undefined) cache.set(context, (result = computeRegions(context)));
  return result;
}

async function computeRegions(context: ReportContext): Promise<Derived> {
  const regions = await import('../../analyze.js');
  // Regions are per machine: several DMARs (two machines) get a refusal here, not the first one's regions.
  const picked = onlyTables(context.parsed, ['DMAR', 'IORT', 'APIC', 'IVRS']);
  if ('refusal' in picked) return { kind: 'error', message: picked.refusal };
  const tables = { dmar: picked.tables.DMAR?.table, iort: picked.tables.IORT?.table, madt: picked.tables.APIC?.table, ivrs: picked.tables.IVRS?.table } as RegionTables;
  const platform = regions.platformOf(tables);
  if (platform === undefined) return { kind: 'none' };
  if (context.topologyPath === undefined) return { kind: 'unscoped', regions: regions.unscopedRegions(tables, platform) };
  try {
    const { readPciTopology } = await import('../../node/pci-json.js');
    const topology = await readPciTopology(context.topologyPath);
    const { formatBdf } = await import('../../pci/bdf.js');
    const classes = new Map(topology.devices.map((device) => [formatBdf(device), device.classCode]));
    return { kind: 'topology', path: context.topologyPath, analysis: regions.analyzeRegions(tables, topology, platform), classes };
  } catch (error) {
    return { kind: 'error', message: `could not read the PCI topology: ${context.topologyPath}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** True when the group's regions all come from the kernel itself (interrupt or SW MSI window). */
function onlyKernelWindows(group: GroupRegions): boolean {
  return group.regions.every((region) => region.parts.every((part) => part.source.table === 'kernel'));
}

async function regionLines(context: ReportContext, paint: Paint): Promise<string[]> {
  const derived = await derive(context);
  const render = await import('../../regions/render.js');
  switch (derived.kind) {
    case 'none':
      return [];
    case 'error':
      return [derived.message];
    case 'unscoped':
      return [
        paint.dim('no PCI topology (give --pci): every region the tables produce, with the scope that claims it'),
        ...derived.regions.map((region) => render.regionLine(region)),
      ];
    case 'topology': {
      const { analysis, classes } = derived;
      const describe = (bdf: string) => `${bdf}${classes.has(bdf) ? ` [${classes.get(bdf)!.toString(16).padStart(6, '0')}]` : ''}`;
      const lines = [paint.dim(`topology ${derived.path}: groups ${render.groupsOrigin(analysis)}`), ...render.renderFindings(analysis)];
      if (!analysis.iommuEnabled) return [...lines, 'no IOMMU groups: the IOMMU would not be enabled with these tables (see the errors above)'];
      const plain = analysis.groups.filter(onlyKernelWindows);
      for (const group of analysis.groups) if (!plain.includes(group)) lines.push(...render.renderGroup(group, describe));
      if (plain.length > 0) {
        const windows = [...new Set(plain.flatMap((group) => group.regions.flatMap((region) => region.parts.map((part) => part.source.structure))))];
        lines.push(`${plain.length} other group(s) get only the kernel's own windows (${windows.join(', ')}); assignment not blocked:`);
        for (const group of plain) lines.push(`  group ${group.group}: ${group.devices.map(describe).join(', ')}`);
      }
      return lines;
    }
  }
}

async function regionJson(context: ReportContext): Promise<unknown> {
  const derived = await derive(context);
  const render = await import('../../regions/render.js');
  const { formatSysfs } = await import('../../regions/sysfs.js');
  switch (derived.kind) {
    case 'none':
      return null;
    case 'error':
      return { error: derived.message };
    case 'unscoped':
      return { topology: null, regions: derived.regions.map(render.regionJson) };
    case 'topology':
      return {
        topology: derived.path,
        iommuEnabled: derived.analysis.iommuEnabled,
        groupsGuessed: derived.analysis.groupsGuessed,
        assumptions: derived.analysis.assumptions,
        diagnostics: derived.analysis.findings,
        groups: derived.analysis.groups.map((group) => render.groupJson(group, formatSysfs(group.regions))),
      };
  }
}

export const regionsSection: ReportSection = {
  id: 'regions',
  title: 'Reserved regions per IOMMU group (as Linux computes them)',
  lines: regionLines,
  json: regionJson,
};
