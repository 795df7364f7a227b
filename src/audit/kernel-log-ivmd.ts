/**
 * What Linux 6.1 prints for an IVMD (drivers/iommu/amd/init.c). `init_memory_definitions` hands
 * every block with the unity or exclusion flag to `init_unity_map_range`, whose only message is a
 * `DUMP_printk` — printed (pr_info) only when `amd_iommu_dump` is on the kernel command line.
 * Nothing checks an IVMD against the memory map and nothing is printed for a misaligned one
 * (`PAGE_ALIGN` rounds start and length up silently). So a default boot prints nothing per IVMD
 * (the amd-basic kernel case: four IVMDs, no IVMD line); the dump line is given apart.
 * 6.1's `DUMP_printk` adds "AMD-Vi: " to init.c's own `pr_fmt` "AMD-Vi: " (removed in 2024).
 * Checked line for line against a 6.1 boot with amd_iommu_dump (test/audit-ivmd-dump-boot.test.ts).
 */
import { padHex } from '../bytes/hex.js';
import { addressOfRequesterId, formatBdf } from '../pci/bdf.js';
import { IVMD_TYPE_ALL, IVMD_TYPE_RANGE, IVMD_TYPE_SELECT } from '../ivrs/layout.js';
import type { UnityMap } from '../ivrs/regions/boot.js';
import type { KernelLogLine } from './kernel-log.js';

/** The `%s` of the dump line: the type's name with the kernel's tab padding. */
const TYPE_LABELS: Readonly<Record<number, string>> = {
  [IVMD_TYPE_SELECT]: 'IVMD_TYPEi\t\t\t',
  [IVMD_TYPE_ALL]: 'IVMD_TYPE_ALL\t\t',
  [IVMD_TYPE_RANGE]: 'IVMD_TYPE_RANGE\t\t',
};

/** `%04x:%02x:%02x.%x` of a segment and a requester ID. */
function sbdf(segment: number, id: number): string {
  return formatBdf({ segment, ...addressOfRequesterId(id) });
}

/**
 * The line `init_unity_map_range` prints under `amd_iommu_dump` for one unity map (an IVMD
 * `init_memory_definitions` kept: devices and window as the boot model resolved them).
 */
export function ivmdDumpLine(map: UnityMap): KernelLogLine {
  const { ivmd } = map;
  const segment = ivmd.pciSegmentGroup;
  // address_end = address_start + PAGE_ALIGN(length): exclusive, printed as such.
  const end = BigInt.asUintN(64, map.end + 1n);
  return {
    level: 'info',
    text: `AMD-Vi: AMD-Vi: ${TYPE_LABELS[ivmd.type]!} devid_start: ${sbdf(segment, map.first)} devid_end: ${sbdf(segment, map.last)} range_start: ${padHex(map.start, 16)} range_end: ${padHex(end, 16)} flags: ${ivmd.flags.toString(16)}`,
    from: 'init_unity_map_range',
  };
}
