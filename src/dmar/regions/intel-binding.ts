/**
 * Binding PCI functions to DMAR device scopes at boot (docs/kernel-semantics.md §3.3):
 * `dmar_dev_scope_init` → `dmar_pci_bus_add_dev` → `dmar_insert_dev_scope` for the DRHDs, then
 * `dmar_iommu_notify_scope_dev` for RMRRs, ATSRs and SATCs. Reproduced literally: segment
 * filter, `dmar_match_pci_path` with its one-element fallback, the header-type sanity check,
 * one slot per ENDPOINT/BRIDGE/NAMESPACE entry, recorded at most once per structure, VFs skipped.
 */
import type { DeviceScope, DmarTable } from '../index.js';
import { formatShortBdf } from '../../pci/bdf.js';
import { bdfOf, type PciDevice } from '../../pci/model.js';
import type { TopologyIndex } from '../../pci/topology.js';
import { finding, type RegionFinding } from '../../regions/codes.js';
import { hex } from '../../regions/types.js';
import { scopeLabel } from './scope-text.js';

export type UnitKind = 'DRHD' | 'RMRR' | 'ATSR' | 'SATC';

export interface RecordedDevice {
  device: PciDevice;
  /** The scope entry that matched. */
  scope: DeviceScope;
  /** Matched only through the one-element fallback (FW_BUG "applying workaround"). */
  fallback: boolean;
}

/** One structure with device scopes, as the kernel keeps it (`dmar_*_unit`). */
export interface ScopeUnit {
  kind: UnitKind;
  offset: number;
  segment: number;
  /** DRHD INCLUDE_PCI_ALL / ATSR ALL_PORTS: scopes are not bound. */
  includeAll: boolean;
  scopes: DeviceScope[];
  recorded: RecordedDevice[];
  /** RMRR only. */
  base?: bigint;
  end?: bigint;
}

/** `struct dmar_pci_notify_info`: the device's path from its root bus. */
interface NotifyInfo {
  device: PciDevice;
  rootBus: number;
  path: { bus: number; device: number; function: number }[];
}

/** Renders a scope entry as `endpoint 00:1c.1/00.0` (start bus, then each hop's dev.fn). */
export function describeScope(scope: DeviceScope): string {
  return scopeLabel(scope.kind, scope.raw, 0, scope.length);
}

/** Units in the kernel's list order (docs/kernel-semantics.md §3.2: lists are built by prepending). */
export function collectUnits(table: DmarTable): Record<UnitKind, ScopeUnit[]> {
  const units: Record<UnitKind, ScopeUnit[]> = { DRHD: [], RMRR: [], ATSR: [], SATC: [] };
  const includeAllDrhds: ScopeUnit[] = [];
  const seenDrhd = new Set<string>();
  for (const structure of table.structures()) {
    if (structure.kind !== 'drhd' && structure.kind !== 'rmrr' && structure.kind !== 'atsr' && structure.kind !== 'satc') continue;
    const scopes = [...structure.deviceScopes()];
    const unit: ScopeUnit = {
      kind: structure.kind.toUpperCase() as UnitKind,
      offset: structure.offset,
      segment: structure.segmentNumber,
      includeAll: structure.kind === 'drhd' ? structure.includePciAll : structure.kind === 'atsr' ? structure.allPorts : false,
      scopes,
      recorded: [],
    };
    if (structure.kind === 'rmrr') {
      unit.base = structure.baseAddress;
      unit.end = structure.limitAddress;
    }
    if (structure.kind === 'drhd') {
      // dmar_parse_one_drhd ignores a unit whose segment and register base repeat an earlier one.
      const key = `${structure.segmentNumber}:${structure.registerBaseAddress}`;
      if (seenDrhd.has(key)) continue;
      seenDrhd.add(key);
      // dmar_register_drhd_unit: INCLUDE_PCI_ALL units go to the tail, the others to the head.
      if (unit.includeAll) includeAllDrhds.push(unit);
      else units.DRHD.unshift(unit);
      continue;
    }
    units[unit.kind].unshift(unit);
  }
  units.DRHD.push(...includeAllDrhds);
  return units;
}

function notifyInfo(index: TopologyIndex, device: PciDevice): NotifyInfo {
  const hops = index.pathFromRoot(device);
  return {
    device,
    rootBus: hops[0]!.bus,
    path: hops.map((hop) => ({ bus: hop.bus, device: hop.device, function: hop.function })),
  };
}

/** `dmar_match_pci_path`: 'normal', 'fallback' (one-element path on the device's own bus), or undefined. */
export function matchPciPath(info: NotifyInfo, startBus: number, path: readonly { device: number; function: number }[]): 'normal' | 'fallback' | undefined {
  if (info.rootBus === startBus && info.path.length === path.length && path.every((hop, i) => hop.device === info.path[i]!.device && hop.function === info.path[i]!.function)) {
    return 'normal';
  }
  if (path.length !== 1) return undefined;
  const own = info.path[info.path.length - 1]!;
  return startBus === own.bus && path[0]!.device === own.device && path[0]!.function === own.function ? 'fallback' : undefined;
}

type InsertResult = 0 | 1 | RegionFinding;

export interface BindOptions {
  /**
   * A BRIDGE scope may name any type-0 function of base class 0x06 (~v5.6+, the default);
   * before, only class 0x0680 (docs/kernel-semantics.md §3.3).
   */
  anyBridgeClass?: boolean;
}

function bridgeClassAccepted(classCode: number, options: BindOptions): boolean {
  return options.anyBridgeClass === false ? classCode >>> 8 === 0x0680 : classCode >>> 16 === 0x06;
}

/**
 * `dmar_insert_dev_scope`: 1 recorded, 0 not named, or the finding behind -EINVAL. The kernel's
 * "no free slot" WARN cannot happen here: a scope path names at most one function, and every
 * ENDPOINT/BRIDGE entry has its own slot.
 */
function insertDevScope(unit: ScopeUnit, info: NotifyInfo, findings: RegionFinding[], options: BindOptions): InsertResult {
  const device = info.device;
  const bdf = bdfOf(device);
  if (unit.segment !== device.segment) return 0;
  for (const scope of unit.scopes) {
    if (scope.kind !== 'endpoint' && scope.kind !== 'bridge') continue;
    const match = matchPciPath(info, scope.startBusNumber, scope.path);
    if (match === undefined) continue;
    const headerType = device.headerType ?? 0;
    const derived = device.headerTypeDerived === true ? ' (header type derived from the class code)' : '';
    if ((scope.kind === 'endpoint' && headerType !== 0) || (scope.kind === 'bridge' && headerType === 0 && !bridgeClassAccepted(device.classCode, options))) {
      return finding('regions.intel.scope-mismatch', `${unit.kind} @${hex(unit.offset)}: ${describeScope(scope)} names ${bdf}, header type ${headerType}${derived}, class ${hex(device.classCode, 6)}: "Device scope type does not match for ${bdf}"`, { table: 'DMAR', offset: scope.offset, device: bdf });
    }
    if (match === 'fallback') {
      findings.push(finding('regions.intel.path-fallback', `${unit.kind} @${hex(unit.offset)}: "[Firmware Bug]: RMRR entry for device ${formatShortBdf({ bus: scope.startBusNumber, ...scope.path[0]! })} is broken - applying workaround" (${bdf})`, { table: 'DMAR', offset: scope.offset, device: bdf }));
    }
    unit.recorded.push({ device, scope, fallback: match === 'fallback' });
    return 1;
  }
  return 0;
}

/**
 * Boot-time binding of every non-VF function, in probe order. Returns the first error (the
 * kernel stores it in `dmar_dev_scope_status` and `intel_iommu_init` gives up) and all findings.
 */
export function bindScopes(units: Record<UnitKind, ScopeUnit[]>, index: TopologyIndex, options: BindOptions = {}): { errors: RegionFinding[]; findings: RegionFinding[] } {
  const errors: RegionFinding[] = [];
  const findings: RegionFinding[] = [];
  const fail = (result: InsertResult): boolean => {
    if (typeof result === 'object') errors.push(result);
    return typeof result === 'object';
  };
  for (const device of index.topology.devices) {
    if (device.isVirtFn === true) continue;
    const info = notifyInfo(index, device);
    let result: InsertResult = 0;
    for (const unit of units.DRHD) {
      if (unit.includeAll) continue;
      result = insertDevScope(unit, info, findings, options);
      if (result !== 0) break;
    }
    if (fail(result)) continue;
    notifyScopeDev(units, info, findings, fail, options);
  }
  return { errors, findings };
}

/** `dmar_iommu_notify_scope_dev`: RMRRs (stop on error), then ATSRs and SATCs (stop on first record). */
function notifyScopeDev(units: Record<UnitKind, ScopeUnit[]>, info: NotifyInfo, findings: RegionFinding[], fail: (result: InsertResult) => boolean, options: BindOptions): void {
  for (const unit of units.RMRR) if (fail(insertDevScope(unit, info, findings, options))) return;
  for (const kind of ['ATSR', 'SATC'] as const) {
    for (const unit of units[kind]) {
      if (unit.includeAll) continue;
      const result = insertDevScope(unit, info, findings, options);
      if (fail(result)) return;
      if (result === 1) break;
    }
  }
}
