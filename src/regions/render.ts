/**
 * Human text and JSON shapes for region results. Platform-free: the CLI prints these strings;
 * JSON keeps bigint (serialise with `jsonReplacer` from src/bytes/hex.ts → `"0x…"`).
 */
import type { DeviceRegions, GroupRegions, RegionAnalysis } from './analysis.js';
import type { KernelBehaviour } from './kernel-versions.js';
import { evaluatePassthrough, type PassthroughVerdict } from './passthrough.js';
import { plainSource } from './lazy-region.js';
import { sysfsTypeName, type MergedRegion, type RegionDescriptor } from './types.js';
import { hex } from '../bytes/hex.js';


function sourceLabel(region: RegionDescriptor): string {
  const { table, offset, structure } = region.source;
  const where = offset === undefined ? '' : ` @0x${offset.toString(16)}`;
  return table === 'kernel' ? `${structure} (kernel)` : `${table} ${structure}${where}`;
}

/** One line for a region: its structure and offset, the devices, why this type. */
export function explainRegion(region: RegionDescriptor | MergedRegion): string {
  const parts = 'parts' in region ? region.parts : [region];
  const bySource = new Map<string, { label: string; detail?: string; devices: string[]; reasons: Set<string> }>();
  for (const part of parts) {
    const label = sourceLabel(part);
    const key = `${label}|${part.source.detail ?? ''}|${part.reason ?? ''}`;
    const entry = bySource.get(key) ?? { label, devices: [], reasons: new Set<string>() };
    if (part.source.detail !== undefined) entry.detail = part.source.detail;
    if (part.device !== undefined && !entry.devices.includes(part.device)) entry.devices.push(part.device);
    if (part.reason !== undefined) entry.reasons.add(part.reason);
    bySource.set(key, entry);
  }
  return [...bySource.values()]
    .map((entry) => {
      const detail = entry.detail === undefined ? '' : ` [${entry.detail}]`;
      const devices = entry.devices.length === 0 ? '' : ` for ${[...entry.devices].sort().join(', ')}`;
      const reasons = entry.reasons.size === 0 ? '' : ` — ${[...entry.reasons].join('; ')}`;
      return `${entry.label}${detail}${devices}${reasons}`;
    })
    .join(' | ');
}

export function regionLine(region: RegionDescriptor | MergedRegion): string {
  const type = region.type === 'sw-msi' ? 'msi (sw)' : sysfsTypeName(region.type);
  return `${hex(region.start, 16)}-${hex(region.end, 16)} ${type.padEnd(16)} ${explainRegion(region)}`;
}

export function passthroughLine(verdict: PassthroughVerdict): string {
  const asked = verdict.kernel;
  if (asked !== undefined) {
    if (!asked.refused) return `device assignment on ${asked.label}: not blocked by reserved regions`;
    return asked.rule === 'require-direct'
      ? `device assignment on ${asked.label}: refused (direct region on ${verdict.directDevices.map((entry) => entry.device).join(', ')}; -EINVAL)`
      : `device assignment on ${asked.label}: refused (RMRR-locked: ${verdict.rmrrLockedDevices.join(', ')}; -EPERM)`;
  }
  if (!verdict.refusedSince66 && !verdict.refusedIntelLegacy) return 'device assignment: not blocked by reserved regions';
  const since66 = verdict.refusedSince66 ? `refused on Linux ≥ 6.6 (direct region on ${verdict.directDevices.map((entry) => entry.device).join(', ')})` : 'allowed on Linux ≥ 6.6';
  const legacy = verdict.refusedIntelLegacy ? `; refused on 3.17–6.5 (RMRR-locked: ${verdict.rmrrLockedDevices.join(', ')})` : '';
  return `device assignment: ${since66}${legacy}`;
}

export function renderGroup(group: GroupRegions, describeDevice: (bdf: string) => string = (bdf) => bdf, kernel?: KernelBehaviour): string[] {
  const lines = [`group ${group.group}: ${group.devices.map(describeDevice).join(', ')}`];
  if (group.regions.length === 0) lines.push('  (no reserved regions)');
  for (const region of group.regions) lines.push(`  ${regionLine(region)}`);
  lines.push(`  ${passthroughLine(evaluatePassthrough(group.members, kernel))}`);
  return lines;
}

export function renderDevice(entry: DeviceRegions): string[] {
  return [`device ${entry.device} (own list, driver order):`, ...entry.regions.map((region) => `  ${regionLine(region)}`), ...entry.notes.map((note) => `  note: ${note}`)];
}

/** Where the groups come from, in words: a guessed group holds more than one device only through a DMA alias. */
export function groupsOrigin(analysis: RegionAnalysis): string {
  if (!analysis.groupsGuessed) return 'from the topology';
  return analysis.groups.some((group) => group.devices.length > 1) ? 'guessed (one device per group, DMA aliases joined)' : 'guessed (one device per group)';
}

/** Findings and assumptions as `error:`/`warning:`/`info:`/`assumed:` lines. */
export function renderFindings(analysis: RegionAnalysis): string[] {
  return [
    ...analysis.assumptions.map((text) => `assumed: ${text}`),
    ...analysis.findings.map((item) => `${item.severity}: ${item.table === undefined ? '' : `${item.table} @0x${item.offset.toString(16)}: `}${item.message}`),
  ];
}

// ── JSON ────────────────────────────────────────────────────────────────────────────────────

export function regionJson(region: RegionDescriptor | MergedRegion) {
  const parts = 'parts' in region ? region.parts : [region];
  return {
    start: region.start,
    end: region.end,
    type: region.type,
    sysfsType: sysfsTypeName(region.type),
    prot: region.prot,
    sources: parts.map((part) => ({ device: part.device, ...plainSource(part.source), reason: part.reason })),
  };
}

export function groupJson(group: GroupRegions, sysfsText: string, kernel?: KernelBehaviour) {
  return {
    group: group.group,
    devices: group.devices,
    regions: group.regions.map(regionJson),
    sysfs: sysfsText,
    passthrough: evaluatePassthrough(group.members, kernel),
  };
}

export function deviceJson(entry: DeviceRegions) {
  return { device: entry.device, regions: entry.regions.map(regionJson), notes: entry.notes };
}
