/**
 * Regions without a PCI topology: every region the tables can produce, each with the scope
 * that claims it, resolving scope paths only as far as the tables allow (design.md "PCI
 * topology"). Types that depend on the device (RMRR relaxability) are given as `direct` with
 * the rule in `reason`.
 */
import { pathEntryCount } from '../device-scope.js';
import type { DmarTable } from '../index.js';
import { SCOPE, SCOPE_PATH_ENTRY_SIZE } from '../layout.js';
import { formatBdf } from '../../pci/bdf.js';
import { INTERRUPT_WINDOW, ISA_WINDOW } from './intel.js';
import { BYTE_HEX, scopeLabel } from './scope-text.js';
import { CURRENT_KERNEL, type KernelBehaviour } from '../../regions/kernel-versions.js';
import { hex, PROT, type RegionDescriptor } from '../../regions/types.js';

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
      const kind = scope.kind;
      if (kind !== 'endpoint' && kind !== 'bridge') return;
      regions.push(scopeRegion(table.bytes, scope.offset, scope.length, kind, segment, kernel, {
        start,
        end,
        type,
        prot: PROT.read | PROT.write,
        source: { table: 'DMAR', offset, structure: 'RMRR', detail: '' },
        reason,
      }));
    });
  });
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

/**
 * Completes `region` for the scope of `kind` at `at`: its detail, and the device when the one
 * hop is a valid device and function. Read from the bytes; the BDF is formatted once for both.
 */
function scopeRegion(bytes: Uint8Array, at: number, length: number, kind: 'endpoint' | 'bridge', segment: number, kernel: KernelBehaviour, region: RegionDescriptor): RegionDescriptor {
  const hops = pathEntryCount(length);
  const bus = bytes[at + SCOPE.startBusNumber]!;
  let target = 'no path: names no device';
  if (hops > 0) {
    const last = at + SCOPE.path + (hops - 1) * SCOPE_PATH_ENTRY_SIZE;
    const device = bytes[last]!;
    const pciFunction = bytes[last + 1]!;
    const below = kind !== 'bridge' ? '' : kernel.bridgeScopeDownstream ? ' and every device below it' : ` only (${kernel.label}: not the devices below it, v5.3+)`;
    if (hops === 1) {
      const bdf = formatBdf({ segment, bus, device: device & 0x1f, function: pciFunction & 7 });
      target = bdf + below;
      if (device < 32 && pciFunction < 8) region.device = bdf;
    } else {
      target = `device ${BYTE_HEX[device]}.${pciFunction} ${hops - 1} bridge(s) below bus ${hex(bus, 2)} of segment ${hex(segment, 4)}${below} (its bus number needs the topology)`;
    }
  }
  // One flat string: a template literal's tree of pieces would live as long as the region
  // (with 10,000 RMRRs those trees no longer fit the young generation).
  region.source.detail = [scopeLabel(kind, bytes, at, length), ' @', hex(at), ': ', target].join('');
  return region;
}
