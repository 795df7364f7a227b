/**
 * What an IVHD range-end entry does with `devid_to`, the alias target, in `init_iommu_from_acpi`
 * (drivers/iommu/amd/init.c); the releases differ:
 *  - up to 6.13 the call `set_dev_entry_from_acpi(iommu, devid_to, …)` sits under `if (alias)` inside
 *    `for (dev_i = devid_start; dev_i <= devid; ++dev_i)`: only an alias range of at least one ID gives
 *    the target an IOMMU (a 6.1 boot of an alias range whose end is below its start left the target
 *    without a group: test/ivrs-entry-past-end.test.ts);
 *  - 6.14 (7bea695ada0 "iommu/amd: Introduce struct ivhd_dte_flags to store persistent DTE flags")
 *    moved it after the loop without the alias test: every range end gives `devid_to` an IOMMU — the
 *    target of the IVHD's last alias entry, or ID 0 before any — alias range or not;
 *  - 6.17 (a0c17ed907ac "iommu/amd: Fix alias device DTE setting", also in 6.16 stable updates) put it
 *    under `if (alias)` outside the loop: an alias range gives its target an IOMMU even when empty.
 * Releases compare by major.minor (kernel-versions.ts), so a 6.16 stable kernel with the fix is taken
 * as 6.16.
 */
import { compareKernelVersions, parseKernelVersion, type KernelBehaviour } from '../../regions/kernel-versions.js';

export type IvhdAliasTarget = 'non-empty-alias-range' | 'every-range-end' | 'alias-range';

const DTE_FLAGS_REWORK = parseKernelVersion('6.14')!;
const ALIAS_FIX = parseKernelVersion('6.17')!;

/** The rule of `kernel`; current mainline when it names no version. */
export function ivhdAliasTarget(kernel: KernelBehaviour): IvhdAliasTarget {
  const version = kernel.version;
  if (version === undefined || compareKernelVersions(version, ALIAS_FIX) >= 0) return 'alias-range';
  return compareKernelVersions(version, DTE_FLAGS_REWORK) >= 0 ? 'every-range-end' : 'non-empty-alias-range';
}
