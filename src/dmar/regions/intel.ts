/**
 * Intel VT-d: reserved regions per device (`intel_iommu_get_resv_regions`, kernel-semantics
 * §3.3) and per group. Per device, in driver order: every RMRR (reverse table order) whose
 * recorded scope device is the device or a bridge above it — DIRECT_RELAXABLE for USB and
 * display functions, DIRECT otherwise — then the ISA-bridge 0–16 MiB region, then the
 * interrupt window. A `KernelBehaviour` (kernel-versions.ts) selects an older release's rules:
 * no bridge-scope reach and no DIRECT_RELAXABLE before v5.3, the ISA region's type by release,
 * and the out-of-tree `relax_rmrr` option.
 */
import type { DmarTable } from '../index.js';
import { bdfOf, type PciDevice, type PciTopology } from '../../pci/model.js';
import { TopologyIndex, isDownstreamOfBridge } from '../../pci/topology.js';
import type { DeviceRegions } from '../../regions/analysis.js';
import { finding, type RegionFinding } from '../../regions/codes.js';
import { bindScopes, collectUnits, describeScope, type ScopeUnit, type UnitKind } from './intel-binding.js';
import { CURRENT_KERNEL, RELAX_RMRR_PATCH, type KernelBehaviour } from '../../regions/kernel-versions.js';
import type { ProvidedRegions } from '../../regions/provider.js';
import { hex, PROT, type RegionDescriptor } from '../../regions/types.js';
import { rmrrWidthFindings } from './intel-width.js';

/** `IOAPIC_RANGE_START`/`END`: the x86 interrupt (MSI) window, reported for every device. */
export const INTERRUPT_WINDOW = { start: 0xfee00000n, end: 0xfeefffffn } as const;
/** `CONFIG_INTEL_IOMMU_FLOPPY_WA`: 16 MiB identity map for ISA bridges. */
export const ISA_WINDOW = { start: 0n, end: 0xffffffn } as const;

/** Parser codes after which Linux does not bring the Intel IOMMU up (docs/kernel-semantics.md §3.1). */
const FATAL_PARSE_CODES: Readonly<Record<string, string>> = {
  'dmar.haw.invalid': 'Invalid DMAR haw',
  'dmar.drhd.none': 'No DMAR devices found',
  'dmar.length.overrun': 'Record passes table end: DMAR rejected',
  'dmar.andd.unterminated': 'an ANDD name is not NUL-terminated: DMAR parse fails',
  'dmar.drhd.base-zero': 'a DRHD at address 0 fails detect_intel_iommu()',
};

/** `device_rmrr_is_relaxable`: USB (0x0C03xx) or display (0x03xxxx), judged on the queried device. */
export function rmrrRelaxableReason(device: PciDevice): string | undefined {
  if (device.classCode >>> 8 === 0x0c03) return 'USB controller (class 0x0c03xx): relaxable';
  if (device.classCode >>> 16 === 0x03) return 'display controller (class 0x03xxxx): relaxable';
  return undefined;
}

/** `device_rmrr_is_relaxable` as the kernel version has it (relax_rmrr: every device). */
function relaxableUnder(device: PciDevice, kernel: KernelBehaviour): string | undefined {
  return rmrrRelaxableReason(device) ?? (kernel.relaxRmrr ? `intel_iommu=relax_rmrr (${RELAX_RMRR_PATCH.source.patch}): relaxable` : undefined);
}

function rmrrRegion(unit: ScopeUnit, device: PciDevice, via: ScopeUnit['recorded'][number], kernel: KernelBehaviour): RegionDescriptor {
  const relaxable = relaxableUnder(device, kernel);
  const bridge = via.device.secondaryBus === undefined ? '' : ` and buses ${hex(via.device.secondaryBus, 2)}–${hex(via.device.subordinateBus ?? via.device.secondaryBus, 2)} below it`;
  const region: RegionDescriptor = {
    start: unit.base!,
    end: unit.end!,
    type: relaxable === undefined ? 'direct' : 'direct-relaxable',
    prot: PROT.read | PROT.write,
    source: { table: 'DMAR', offset: unit.offset, structure: 'RMRR', detail: `${describeScope(via.scope)} @${hex(via.scope.offset)} → ${bdfOf(via.device)}${bridge}${via.fallback ? ' (one-element path fallback)' : ''}` },
    reason: relaxable ?? 'neither USB (0x0c03xx) nor display (0x03xxxx): not relaxable',
    device: bdfOf(device),
  };
  if (relaxable !== undefined && !kernel.directRelaxable) {
    region.type = 'direct';
    region.relaxableAsDirect = true;
    region.reason = `${relaxable}, but ${kernel.label} has no DIRECT_RELAXABLE type (v5.3+): reported as direct`;
  }
  return region;
}

function isaRegion(bdf: string, kernel: KernelBehaviour): RegionDescriptor {
  const relaxable = kernel.isaRegion === 'direct-relaxable';
  return {
    start: ISA_WINDOW.start,
    end: ISA_WINDOW.end,
    type: relaxable ? 'direct-relaxable' : 'direct',
    prot: PROT.read | PROT.write,
    source: { table: 'kernel', structure: 'ISA bridge (floppy workaround)', detail: 'CONFIG_INTEL_IOMMU_FLOPPY_WA' },
    reason: relaxable ? 'ISA bridge (class 0x0601xx): 0–16 MiB identity map for legacy DMA, relaxable' : `ISA bridge (class 0x0601xx): 0–16 MiB identity map for legacy DMA, direct on ${kernel.label} (relaxable from ~v5.5)`,
    device: bdf,
  };
}

/** The driver's list for one device, given bound RMRR units (kernel list order). */
export function intelDeviceRegions(device: PciDevice, rmrrs: readonly ScopeUnit[], kernel: KernelBehaviour = CURRENT_KERNEL): RegionDescriptor[] {
  const bdf = bdfOf(device);
  const regions: RegionDescriptor[] = [];
  for (const unit of rmrrs) {
    for (const recorded of unit.recorded) {
      const reaches = recorded.device === device || (kernel.bridgeScopeDownstream && isDownstreamOfBridge(device, recorded.device));
      if (reaches) regions.push(rmrrRegion(unit, device, recorded, kernel));
    }
  }
  if (device.classCode >>> 8 === 0x0601 && kernel.isaRegion !== 'none') regions.push(isaRegion(bdf, kernel));
  regions.push({
    start: INTERRUPT_WINDOW.start,
    end: INTERRUPT_WINDOW.end,
    type: 'msi',
    prot: 0,
    source: { table: 'kernel', structure: 'interrupt window', detail: 'IOAPIC_RANGE_START–IOAPIC_RANGE_END' },
    reason: 'x86 interrupt address range, reported for every device',
    device: bdf,
  });
  return regions;
}

/** `device_to_iommu`: a DRHD names the device (or a bridge above it), or INCLUDE_PCI_ALL covers its segment. */
function hasDrhd(device: PciDevice, drhds: readonly ScopeUnit[]): boolean {
  return drhds.some(
    (unit) =>
      unit.segment === device.segment &&
      (unit.includeAll || unit.recorded.some((recorded) => recorded.device === device || isDownstreamOfBridge(device, recorded.device))),
  );
}

/** Why the IOMMU would stay off, from the parser's findings (docs/kernel-semantics.md §3.1, §10). */
function fatalParseFindings(table: DmarTable): RegionFinding[] {
  const result: RegionFinding[] = [];
  if (!table.headerUsable) result.push(finding('regions.intel.iommu-off', 'the DMAR header is unusable: no Intel IOMMU', { table: 'DMAR' }));
  for (const diagnostic of table.diagnostics) {
    const why = FATAL_PARSE_CODES[diagnostic.code];
    if (why !== undefined) result.push(finding('regions.intel.iommu-off', `${why} (${diagnostic.code}): no Intel IOMMU, no groups`, { table: 'DMAR', offset: diagnostic.offset }));
  }
  return result;
}

function scopeFindings(units: Record<UnitKind, ScopeUnit[]>): RegionFinding[] {
  const result: RegionFinding[] = [];
  for (const unit of [...units.RMRR].reverse()) {
    for (const scope of unit.scopes) {
      if (scope.kind === 'namespace') {
        result.push(finding('regions.intel.namespace-scope', `RMRR @${hex(unit.offset)}: ACPI namespace scope (device ${scope.enumerationId}) never receives the region`, { table: 'DMAR', offset: scope.offset }));
      } else if ((scope.kind === 'endpoint' || scope.kind === 'bridge') && !unit.recorded.some((recorded) => recorded.scope === scope)) {
        result.push(finding('regions.intel.scope-unmatched', `RMRR @${hex(unit.offset)} [${hex(unit.base!)}–${hex(unit.end!)}]: ${describeScope(scope)} names no device of the topology`, { table: 'DMAR', offset: scope.offset }));
      }
    }
  }
  return result;
}

/** `get_resv_regions` for every device a DRHD covers, with the binding's findings (kernel-semantics §3). */
export function intelDeviceLists(table: DmarTable, topology: PciTopology, kernel: KernelBehaviour = CURRENT_KERNEL): ProvidedRegions {
  const index = new TopologyIndex(topology);
  const units = collectUnits(table);
  const findings = fatalParseFindings(table);
  const binding = bindScopes(units, index, { anyBridgeClass: kernel.bridgeScopeAnyBridgeClass });
  findings.push(...binding.errors, ...binding.findings, ...scopeFindings(units));
  findings.push(...rmrrWidthFindings(units.RMRR, table.hostAddressWidth, (device) => hasDrhd(device, units.DRHD)));
  if (binding.errors.length > 0) {
    findings.push(finding('regions.intel.iommu-off', `device scope binding failed at boot (${binding.errors.length} error(s)): intel_iommu_init gives up, no IOMMU groups`, { table: 'DMAR', offset: binding.errors[0]!.offset }));
  }
  const devices: DeviceRegions[] = [];
  for (const device of topology.devices) {
    const bdf = bdfOf(device);
    if (!hasDrhd(device, units.DRHD)) {
      findings.push(finding('regions.intel.no-drhd', `${bdf}: no DRHD covers segment ${hex(device.segment, 4)} for this device`, { table: 'DMAR', device: bdf }));
      continue;
    }
    devices.push({ device: bdf, regions: intelDeviceRegions(device, units.RMRR, kernel), notes: [] });
  }
  const iommuEnabled = !findings.some((item) => item.code === 'regions.intel.iommu-off' || item.code === 'regions.intel.boot-crash');
  const assumptions = topology.devices.some((device) => device.headerTypeDerived === true)
    ? ['header types derived from class codes (0x0604/0x0609 → 1, 0x0607 → 2, else 0)']
    : [];
  return { devices, findings, assumptions, iommuEnabled };
}
