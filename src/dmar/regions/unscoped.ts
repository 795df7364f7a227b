/**
 * Regions without a PCI topology: every region the tables can produce, each with the scope
 * that claims it, resolving scope paths only as far as the tables allow (design.md "PCI
 * topology"). Types that depend on the device (RMRR relaxability) are given as `direct` with
 * the rule in `reason`. An RMRR scope's detail and device are built when first read (scope-region.ts).
 */
import { frameScope } from '../device-scope.js';
import type { DmarTable } from '../index.js';
import { RMRR, SCOPE, SCOPE_TYPE_BRIDGE, SCOPE_TYPE_ENDPOINT, STRUCTURE_LENGTH_OFFSET } from '../layout.js';
import { structureKindAt } from '../walk.js';
import { INTERRUPT_WINDOW, ISA_WINDOW } from './intel.js';
import { RmrrScopeRegion } from './scope-region.js';
import { CURRENT_KERNEL, type KernelBehaviour } from '../../regions/kernel-versions.js';
import { PROT, type RegionDescriptor } from '../../regions/types.js';

const RELAXABLE_RULE = 'direct-relaxable instead if the device is USB (class 0x0c03xx) or display (0x03xxxx)';
// Built once: one derivation per parsed table made these the most frequent strings after the scopes'.
const ISA_REASON_DIRECT = 'CONFIG_INTEL_IOMMU_FLOPPY_WA: 0–16 MiB identity map, direct before ~v5.5';
const ISA_REASON_RELAXABLE = 'CONFIG_INTEL_IOMMU_FLOPPY_WA: 0–16 MiB identity map, relaxable';

function relaxableRule(kernel: KernelBehaviour): string {
  if (kernel.relaxRmrr) return 'direct-relaxable for every device: intel_iommu=relax_rmrr (out-of-tree patch)';
  return kernel.directRelaxable ? RELAXABLE_RULE : `${kernel.label} has no DIRECT_RELAXABLE type (v5.3+): direct for every device`;
}

/** Intel: one descriptor per RMRR PCI scope entry (table order), then the kernel's fixed regions. */
export function intelUnscopedRegions(table: DmarTable, kernel: KernelBehaviour = CURRENT_KERNEL): RegionDescriptor[] {
  const regions: RegionDescriptor[] = [];
  const rmrrType = kernel.relaxRmrr ? 'direct-relaxable' : 'direct';
  const reason = relaxableRule(kernel);
  // Read in place over the framed structures and scopes: neither a view nor a cursor closure
  // per RMRR (the flyweight walk cost as much as the regions it fed).
  const reader = table.reader;
  const bytes = reader.bytes;
  const context = { reader, kernel };
  for (const at of table.structureOffsets) {
    if (structureKindAt(reader, at) !== 'rmrr') continue;
    const structureEnd = at + (reader.u16(at + STRUCTURE_LENGTH_OFFSET) ?? 0);
    for (let scope = at + RMRR.scopes; scope < structureEnd; ) {
      const length = frameScope(bytes, scope, structureEnd);
      if (length < 0) break;
      const scopeType = bytes[scope + SCOPE.type];
      if (scopeType === SCOPE_TYPE_ENDPOINT || scopeType === SCOPE_TYPE_BRIDGE) {
        regions.push(new RmrrScopeRegion(rmrrType, reason, at, context, scope));
      }
      scope += length;
    }
  }
  if (kernel.isaRegion !== 'none') {
    regions.push({
      start: ISA_WINDOW.start,
      end: ISA_WINDOW.end,
      type: kernel.isaRegion,
      prot: PROT.read | PROT.write,
      source: { table: 'kernel', structure: 'ISA bridge (floppy workaround)', detail: 'every ISA bridge function (class 0x0601xx)' },
      reason: kernel.isaRegion === 'direct' ? ISA_REASON_DIRECT : ISA_REASON_RELAXABLE,
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
