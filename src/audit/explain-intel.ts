/**
 * `explain` on Intel: which DMAR structures name a PCI function and how — each scope path
 * resolved hop by hop through the topology — as the kernel binds them (`dmar_insert_dev_scope`,
 * `device_to_iommu`, docs/kernel-semantics.md §3.3). Without a topology only one-element paths can be
 * resolved; longer paths and bridge scopes are listed as needing one.
 */
import type { DeviceScope, DmarTable } from '../dmar/index.js';
import { formatBdf } from '../pci/bdf.js';
import { bdfOf, type PciDevice } from '../pci/model.js';
import { isDownstreamOfBridge, type TopologyIndex } from '../pci/topology.js';
import { bindScopes, collectUnits, describeScope, type RecordedDevice, type ScopeUnit, type UnitKind } from '../dmar/regions/intel-binding.js';
import type { KernelBehaviour } from '../regions/kernel-versions.js';
import type { NamingStructure } from './explain-model.js';
import { hex } from '../bytes/hex.js';

const hexOffset = (value: number) => `@0x${value.toString(16)}`;
const devfn = (hop: { device: number; function: number }) => `${hop.device.toString(16).padStart(2, '0')}.${hop.function}`;

/** `0000:00:1c.4 [060400] bridge to buses 0x01–0x01`. */
export function describePciDevice(device: PciDevice): string {
  const bridge = device.secondaryBus === undefined ? '' : ` bridge to buses ${hex(device.secondaryBus, 2)}–${hex(device.subordinateBus ?? device.secondaryBus, 2)}`;
  const klass = device.classUnknown === true ? 'class unknown' : device.classCode.toString(16).padStart(6, '0');
  return `${bdfOf(device)} [${klass}]${bridge}`;
}

/** A scope path walked from its start bus: one line per hop. */
export function resolveScopePath(scope: DeviceScope, segment: number, index: TopologyIndex): string[] {
  const steps: string[] = [];
  let bus = scope.startBusNumber;
  for (const [position, hop] of scope.path.entries()) {
    const device = index.get(formatBdf({ segment, bus, device: hop.device & 0x1f, function: hop.function & 7 }));
    if (device === undefined) {
      steps.push(`bus ${hex(bus, 2)}, ${devfn(hop)}: no such function in the topology`);
      return steps;
    }
    steps.push(`bus ${hex(bus, 2)}, ${devfn(hop)} → ${describePciDevice(device)}`);
    if (position === scope.path.length - 1) break;
    if (device.secondaryBus === undefined) {
      steps.push(`${bdfOf(device)} is not a bridge: the path cannot continue`);
      return steps;
    }
    bus = device.secondaryBus;
  }
  return steps;
}

function unitLabel(unit: ScopeUnit): string {
  if (unit.kind === 'RMRR') return `RMRR [0x${unit.base!.toString(16)}-0x${unit.end!.toString(16)}]`;
  return unit.kind;
}

/** How one recorded scope reaches `device`, or undefined when it does not. */
function reach(recorded: RecordedDevice, device: PciDevice, unit: ScopeUnit, kernel: KernelBehaviour): string | undefined {
  const scope = `${describeScope(recorded.scope)} ${hexOffset(recorded.scope.offset)}`;
  const fallback = recorded.fallback ? ' (only through the kernel\'s one-element fallback: "[Firmware Bug]: RMRR entry for device … is broken - applying workaround")' : '';
  if (recorded.device === device) return `its ${scope} names the device itself${fallback}`;
  if (!isDownstreamOfBridge(device, recorded.device)) return undefined;
  const above = `its ${scope} names ${bdfOf(recorded.device)}, a bridge above the device (bus ${hex(device.bus, 2)} is within its secondary–subordinate range)${fallback}`;
  if (unit.kind === 'RMRR' && !kernel.bridgeScopeDownstream) return `${above}; ${kernel.label} applies bridge-scope RMRRs to the bridge only (below it from v5.3)`;
  return above;
}

/** `device_to_iommu`: the first DRHD in kernel list order (INCLUDE_PCI_ALL last) that covers the device. */
function servingDrhd(units: ScopeUnit[], device: PciDevice, kernel: KernelBehaviour): NamingStructure | undefined {
  for (const unit of units) {
    if (unit.segment !== device.segment) continue;
    if (unit.includeAll) {
      return { table: 'DMAR', structure: 'DRHD', offset: unit.offset, how: `INCLUDE_PCI_ALL for segment ${hex(unit.segment, 4)}: it serves every device no other DRHD names (listed last by the kernel)`, steps: [], certainty: 'certain' };
    }
    for (const recorded of unit.recorded) {
      const how = reach(recorded, device, unit, kernel);
      if (how !== undefined) return { table: 'DMAR', structure: 'DRHD', offset: unit.offset, how, steps: [], certainty: 'certain' };
    }
  }
  return undefined;
}

/** Structures naming `device` (a device of `index`), in table order; DRHD first. */
export function intelStructures(table: DmarTable, index: TopologyIndex, device: PciDevice, kernel: KernelBehaviour, topologyGiven: boolean): NamingStructure[] {
  const units = collectUnits(table);
  bindScopes(units, index, { anyBridgeClass: kernel.bridgeScopeAnyBridgeClass });
  const certainty = topologyGiven ? 'certain' : 'assumed';
  const result: NamingStructure[] = [];
  const drhd = servingDrhd(units.DRHD, device, kernel);
  if (drhd !== undefined) {
    const scope = units.DRHD.find((unit) => unit.offset === drhd.offset)?.recorded.find((recorded) => recorded.device === device || isDownstreamOfBridge(device, recorded.device));
    if (scope !== undefined) drhd.steps = resolveScopePath(scope.scope, device.segment, index);
    drhd.certainty = certainty;
    result.push(drhd);
  }
  for (const kind of ['RMRR', 'ATSR', 'SATC'] as UnitKind[]) {
    for (const unit of [...units[kind]].reverse()) {
      if (unit.includeAll && unit.segment === device.segment) {
        result.push({ table: 'DMAR', structure: kind, offset: unit.offset, how: `ALL_PORTS for segment ${hex(unit.segment, 4)}: ATS is allowed for every root port`, steps: [], certainty: 'certain' });
        continue;
      }
      for (const recorded of unit.recorded) {
        const how = reach(recorded, device, unit, kernel);
        if (how === undefined) continue;
        result.push({ table: 'DMAR', structure: unitLabel(unit), offset: unit.offset, how, steps: resolveScopePath(recorded.scope, unit.segment, index), certainty });
      }
    }
  }
  if (!topologyGiven) result.push(...unresolvedScopes(table, device));
  return result;
}

/** Without a topology: scopes that may name the device, but only the topology can tell. */
function unresolvedScopes(table: DmarTable, device: PciDevice): NamingStructure[] {
  const result: NamingStructure[] = [];
  for (const structure of table.structures()) {
    if (structure.kind !== 'drhd' && structure.kind !== 'rmrr') continue;
    if (structure.segmentNumber !== device.segment || (structure.kind === 'drhd' && structure.includePciAll)) continue;
    const label = structure.kind === 'rmrr' ? `RMRR [0x${structure.baseAddress.toString(16)}-0x${structure.limitAddress.toString(16)}]` : 'DRHD';
    for (const scope of structure.deviceScopes()) {
      if (scope.kind !== 'endpoint' && scope.kind !== 'bridge') continue;
      const last = scope.path[scope.path.length - 1];
      if (last === undefined) continue;
      const sameFunction = last.device === device.device && last.function === device.function;
      const names = `${describeScope(scope)} ${hexOffset(scope.offset)}`;
      if (scope.path.length > 1 && sameFunction) {
        const bridges = scope.path.slice(0, -1).map(devfn).join(' → ');
        result.push({ table: 'DMAR', structure: label, offset: structure.offset, how: `its ${names} names function ${devfn(last)} behind ${bridges} from bus ${hex(scope.startBusNumber, 2)}: the device if that path leads to bus ${hex(device.bus, 2)}`, steps: [], certainty: 'needs-topology' });
      } else if (scope.kind === 'bridge' && !(scope.path.length === 1 && sameFunction && scope.startBusNumber === device.bus)) {
        result.push({ table: 'DMAR', structure: label, offset: structure.offset, how: `its ${names} names a bridge: it covers the device if the device lies below that bridge`, steps: [], certainty: 'needs-topology' });
      }
    }
  }
  return result;
}

/** Every RMRR's PCI scope targets, as text (for "move the device to a slot no RMRR names"). */
export function rmrrScopeTargets(table: DmarTable): string[] {
  const targets: string[] = [];
  for (const rmrr of table.structuresOfKind('rmrr')) {
    for (const scope of rmrr.deviceScopes()) {
      if (scope.kind === 'endpoint' || scope.kind === 'bridge') targets.push(`${describeScope(scope)} (RMRR ${hexOffset(rmrr.offset)})`);
    }
  }
  return targets;
}
