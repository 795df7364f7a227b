/**
 * Regions without a PCI topology: every region the tables can produce, each with the scope
 * that claims it, resolving scope paths only as far as the tables allow (design.md "PCI
 * topology"). Types that depend on the device (RMRR relaxability) are given as `direct` with
 * the rule in `reason`.
 */
import type { DmarTable } from '../index.js';
import { formatBdf } from '../../pci/bdf.js';
import { INTERRUPT_WINDOW, ISA_WINDOW } from './intel.js';
import { describeScope } from './intel-binding.js';
import { CURRENT_KERNEL, type KernelBehaviour } from '../../regions/kernel-versions.js';
import { hex, PROT, type RegionDescriptor } from '../../regions/types.js';

const RELAXABLE_RULE = 'direct-relaxable instead if the device is USB (class 0x0c03xx) or display (0x03xxxx)';

function relaxableRule(kernel: KernelBehaviour): string {
  if (kernel.relaxRmrr) return 'direct-relaxable for every device: intel_iommu=relax_rmrr (out-of-tree patch)';
  return kernel.directRelaxable ? RELAXABLE_RULE : `${kernel.label} has no DIRECT_RELAXABLE type (v5.3+): direct for every device`;
}

/** Intel: one descriptor per RMRR PCI scope entry (table order), then the kernel's fixed regions. */
export function intelUnscopedRegions(table: DmarTable, kernel: KernelBehaviour = CURRENT_KERNEL): RegionDescriptor[] {
  const regions: RegionDescriptor[] = [];
  const type = kernel.relaxRmrr ? 'direct-relaxable' : 'direct';
  const reason = relaxableRule(kernel);
  // Flyweight walk: no view, generator or scope object per RMRR and scope; with 10,000 RMRRs
  // that garbage pushed the regions (which live to the end) out of the young generation.
  table.forEachStructure((rmrr) => {
    if (rmrr.kind !== 'rmrr') return;
    const start = rmrr.baseAddress;
    const end = rmrr.limitAddress;
    const segment = rmrr.segmentNumber;
    const offset = rmrr.offset;
    rmrr.forEachDeviceScope((scope) => {
      if (scope.kind !== 'endpoint' && scope.kind !== 'bridge') return;
      const region: RegionDescriptor = {
        start,
        end,
        type,
        prot: PROT.read | PROT.write,
        source: {
          table: 'DMAR',
          offset,
          structure: 'RMRR',
          // One flat string: a template literal's tree of pieces would live as long as the region
          // (with 10,000 RMRRs those trees no longer fit the young generation).
          detail: [describeScope(scope), ' @', hex(scope.offset), ': ', scopeTarget(segment, scope, kernel)].join(''),
        },
        reason,
      };
      const hop = scope.path[0];
      if (scope.path.length === 1 && hop !== undefined && hop.device < 32 && hop.function < 8) {
        region.device = formatBdf({ segment, bus: scope.startBusNumber, device: hop.device, function: hop.function });
      }
      regions.push(region);
    });
  });
  if (kernel.isaRegion !== 'none') {
    regions.push({
      start: ISA_WINDOW.start,
      end: ISA_WINDOW.end,
      type: kernel.isaRegion,
      prot: PROT.read | PROT.write,
      source: { table: 'kernel', structure: 'ISA bridge (floppy workaround)', detail: 'every ISA bridge function (class 0x0601xx)' },
      reason: `CONFIG_INTEL_IOMMU_FLOPPY_WA: 0–16 MiB identity map, ${kernel.isaRegion === 'direct' ? 'direct before ~v5.5' : 'relaxable'}`,
    });
  }
  regions.push(
    {
      start: INTERRUPT_WINDOW.start,
      end: INTERRUPT_WINDOW.end,
      type: 'msi',
      prot: 0,
      source: { table: 'kernel', structure: 'interrupt window', detail: 'every device' },
      reason: 'x86 interrupt address range',
    },
  );
  return regions;
}

function scopeTarget(segment: number, scope: { kind: string; startBusNumber: number; path: readonly { device: number; function: number }[] }, kernel: KernelBehaviour): string {
  const last = scope.path[scope.path.length - 1];
  if (last === undefined) return 'no path: names no device';
  const below = scope.kind !== 'bridge' ? '' : kernel.bridgeScopeDownstream ? ' and every device below it' : ` only (${kernel.label}: not the devices below it, v5.3+)`;
  if (scope.path.length === 1) return `${formatBdf({ segment, bus: scope.startBusNumber, device: last.device & 0x1f, function: last.function & 7 })}${below}`;
  return `device ${last.device.toString(16).padStart(2, '0')}.${last.function} ${scope.path.length - 1} bridge(s) below bus ${hex(scope.startBusNumber, 2)} of segment ${hex(segment, 4)}${below} (its bus number needs the topology)`;
}
