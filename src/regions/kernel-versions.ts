/**
 * Which Linux release changed what this library reproduces — the one place that knows
 * (docs/kernel-semantics.md §2, §3.2–3.4, §4.1, §4.3, §8). Each row cites the words of
 * kernel-semantics.md that state it; test/kernel-versions.test.ts checks every quote against
 * the document. `kernelBehaviour()` turns a version into the switches the derivation reads;
 * without a version it is current mainline, the default everywhere.
 */
import type { Platform } from './provider.js';

export interface KernelVersion {
  major: number;
  minor: number;
  /** As given (`6.6.12`, `6.1.0-18-amd64`). */
  text: string;
}

export type KernelChangeId =
  | 'rmrr-locked'
  | 'reserved-regions-file'
  | 'host-bridge-windows'
  | 'direct-relaxable'
  | 'adjacent-merge'
  | 'bridge-scope-downstream'
  | 'isa-region'
  | 'isa-relaxable'
  | 'e820-check-fatal'
  | 'e820-check-taint'
  | 'bridge-scope-any-bridge-class'
  | 'rmr'
  | 'e820-accepts-nvs'
  | 'require-direct';

export interface KernelChange {
  id: KernelChangeId;
  /** First release with the behaviour (`v5.3`). */
  since: string;
  /** First release without it, when it was removed later. */
  until?: string;
  /** The document says "approx." or "verify" for this release. */
  approximate: boolean;
  platform: 'intel' | 'arm' | 'all';
  summary: string;
  source: {
    /** Where kernel-semantics.md states it. */
    section: string;
    /** Words of kernel-semantics.md (whitespace-normalised) that state the change and, unless `versionFrom` says otherwise, the release. */
    quote: string;
    /** Words of kernel-semantics.md that state `until`. */
    untilQuote?: string;
    /** Where the release comes from when the document gives none. */
    versionFrom?: string;
    /** Commit title or series, as the document (or `versionFrom`) names it. */
    commit?: string;
  };
}

/** The version table, oldest first. */
export const KERNEL_CHANGES: readonly KernelChange[] = [
  {
    id: 'rmrr-locked', since: 'v3.17', until: 'v6.6', approximate: false, platform: 'intel',
    summary: 'devices with a non-USB, non-graphics RMRR are "RMRR locked": VFIO attach fails with -EPERM',
    source: { section: 'docs/kernel-semantics.md §3.4, §5.1', quote: '| v3.17 | `device_is_rmrr_locked`: devices with non-USB/non-GFX RMRRs refused', untilQuote: 'The Intel-specific RMRR-locked check was removed in the same cycle' },
  },
  {
    id: 'reserved-regions-file', since: 'v4.11', approximate: false, platform: 'all',
    summary: '/sys/kernel/iommu_groups/N/reserved_regions exists',
    source: { section: 'docs/kernel-semantics.md §3.4', quote: '| v4.11 | reserved_regions sysfs file' },
  },
  {
    id: 'host-bridge-windows', since: 'v4.11', until: 'v5.1', approximate: false, platform: 'arm',
    summary: 'Arm (dma-iommu): the PCI host bridge memory windows are reported as reserved (not in the tables; not derived)',
    source: { section: 'docs/kernel-semantics.md §4.1', quote: 'History: v4.10/v4.11–v5.0 `iommu_dma_get_resv_regions` also reported the PCI host bridge\'s memory windows as `RESERVED`', untilQuote: 'removed by cd2c9fcf5c66 "iommu/dma: Move PCI window region reservation back into dma specific path" (v5.1)', commit: 'cd2c9fcf5c66 "iommu/dma: Move PCI window region reservation back into dma specific path" (removal, v5.1)' },
  },
  {
    id: 'direct-relaxable', since: 'v5.3', approximate: false, platform: 'all',
    summary: 'the DIRECT_RELAXABLE type exists (printed direct-relaxable): USB and graphics RMRRs use it; before, they are direct',
    source: { section: 'docs/kernel-semantics.md §1, §3.4', quote: '| v5.3 | (Eric Auger series) `DIRECT_RELAXABLE` + string `direct-relaxable`', commit: 'Eric Auger\'s v5.3 series' },
  },
  {
    id: 'adjacent-merge', since: 'v5.3', approximate: false, platform: 'all',
    summary: 'the group merge joins exactly adjacent same-type regions; before, only overlapping ones',
    source: { section: 'docs/kernel-semantics.md §2', quote: 'Eric Auger\'s commit "iommu: Revisit iommu_insert_resv_region() implementation" (v5.3 series)', commit: 'iommu: Revisit iommu_insert_resv_region() implementation' },
  },
  {
    id: 'bridge-scope-downstream', since: 'v5.3', approximate: false, platform: 'intel',
    summary: 'an RMRR whose scope names a bridge reaches the devices below it; before, only devices its scope names exactly',
    source: { section: 'docs/kernel-semantics.md §3.4', quote: '| v5.3 | (Eric Auger series) `DIRECT_RELAXABLE` + string `direct-relaxable`; USB/GFX RMRRs reported relaxable; bridge-scope RMRRs applied to downstream devices', commit: 'Eric Auger\'s v5.3 series' },
  },
  {
    id: 'isa-region', since: 'v5.3', approximate: false, platform: 'intel',
    summary: 'the ISA bridge 0–16 MiB region (floppy workaround) appears in reserved_regions, first as direct',
    source: { section: 'docs/kernel-semantics.md §3.4', quote: 'ISA region exposed through get_resv_regions (first as `DIRECT`)' },
  },
  {
    id: 'isa-relaxable', since: 'v5.5', approximate: true, platform: 'intel',
    summary: 'the ISA bridge region is direct-relaxable',
    source: { section: 'docs/kernel-semantics.md §3.4', quote: '| ~v5.5 | ISA 0–16 MiB region switched to `DIRECT_RELAXABLE`', commit: '"Set ISA bridge reserved region as relaxable"' },
  },
  {
    id: 'e820-check-fatal', since: 'v5.5', until: 'v5.6', approximate: true, platform: 'intel',
    summary: 'an RMRR not covered by a reserved E820 entry (or misaligned, or end ≤ base) aborts DMAR parsing: no IOMMU',
    source: { section: 'docs/kernel-semantics.md §3.2', quote: 'when the E820 check first appeared (approx. v5.5) a failing RMRR aborted DMAR parsing', untilQuote: 'relaxed to warn-and-taint shortly after (approx. v5.6', commit: 'f036c7fa0ab6 "iommu/vt-d: Check VT-d RMRR region in BIOS is reported as reserved"' },
  },
  {
    id: 'e820-check-taint', since: 'v5.6', approximate: true, platform: 'intel',
    summary: 'a bad RMRR logs "Your BIOS is broken; bad RMRR" and taints (TAINT_FIRMWARE_WORKAROUND) but stays in use',
    source: { section: 'docs/kernel-semantics.md §3.2', quote: 'it was relaxed to warn-and-taint shortly after (approx. v5.6, Barret Rhoden)', commit: 'Barret Rhoden, "iommu/vt-d: Mark firmware tainted if RMRR fails sanity check"' },
  },
  {
    id: 'bridge-scope-any-bridge-class', since: 'v5.6', approximate: true, platform: 'intel',
    summary: 'a BRIDGE scope may name any type-0 function of base class 0x06; before, only class 0x0680 (others: "Device scope type does not match", no IOMMU)',
    source: { section: 'docs/kernel-semantics.md §3.3', quote: 'Jim Yan\'s "iommu/vt-d: Don\'t reject nvme host due to scope mismatch" (early 2020, v5.6 era — verify tag)', commit: 'iommu/vt-d: Don\'t reject nvme host due to scope mismatch' },
  },
  {
    id: 'rmr', since: 'v6.0', approximate: false, platform: 'arm',
    summary: 'IORT RMR nodes (table revision ≥ 5) give direct / direct-relaxable regions',
    source: { section: 'docs/kernel-semantics.md §4.3', quote: 'Since v6.0 (Shameer Kolothum\'s IORT RMR series)', commit: 'Shameer Kolothum\'s IORT RMR series' },
  },
  {
    id: 'e820-accepts-nvs', since: 'v6.1', approximate: true, platform: 'intel',
    summary: 'the RMRR E820 check also accepts an ACPI NVS entry, not only a reserved one',
    source: { section: 'docs/kernel-semantics.md §3.2', quote: '"reserved", and in newer kernels also ACPI NVS', versionFrom: 'the patch was posted as a fix after v6.1-rc1 (2022-10-19, Lu Baolu\'s pull to Joerg Roedel): v6.1 or v6.2, verify', commit: 'Charlotte Tan, "iommu/vt-d: Allow NVS regions in arch_rmrr_sanity_check()"' },
  },
  {
    id: 'require-direct', since: 'v6.6', approximate: false, platform: 'all',
    summary: 'any direct region sets require_direct: VFIO/iommufd ownership fails with "Firmware has requested this device have a 1:1 IOMMU mapping" (-EINVAL)',
    source: { section: 'docs/kernel-semantics.md §3.4, §5.1, §8', quote: '| v6.6 | Core rule: any `IOMMU_RESV_DIRECT` region sets `dev->iommu->require_direct`', commit: 'iommu: Prevent RESV_DIRECT devices from blocking domains' },
  },
];

/** `intel_iommu=relax_rmrr`: not a kernel release, an out-of-tree patch (docs/kernel-semantics.md §8.1 mentions such patches). */
export const RELAX_RMRR_PATCH = {
  summary: 'intel_iommu=relax_rmrr: device_rmrr_is_relaxable() returns true for every device, so every RMRR is direct-relaxable and no device is RMRR-locked',
  source: {
    section: 'docs/kernel-semantics.md §8.1',
    quote: 'out-of-tree patches removing the check',
    patch: 'out-of-tree, not in mainline: github.com/kiler129/relax-intel-rmrr (patches/add-relaxable-rmrr-*.patch, for 5.x kernels; built into some Proxmox community kernels)',
  },
  /** The patch changes device_rmrr_is_relaxable(), which exists from v5.3. */
  since: 'v5.3',
} as const;

const VERSION_PATTERN = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+~._][0-9A-Za-z._+~-]*)?$/;

/** `5.2`, `v6.6`, `6.6.12`, `6.1.0-18-amd64`; undefined when it is none of these. */
export function parseKernelVersion(text: string): KernelVersion | undefined {
  const match = VERSION_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), text: text.trim() };
}

/** Releases compare by major.minor: behaviour changes land in merge windows, not stable updates. */
export function compareKernelVersions(left: KernelVersion, right: KernelVersion): number {
  return left.major !== right.major ? left.major - right.major : left.minor - right.minor;
}

function release(text: string): KernelVersion {
  return parseKernelVersion(text)!;
}

/** Whether a change is in effect at `version` (undefined = current mainline). */
export function changeInEffect(change: KernelChange, version: KernelVersion | undefined): boolean {
  if (version === undefined) return change.until === undefined;
  if (compareKernelVersions(version, release(change.since)) < 0) return false;
  return change.until === undefined || compareKernelVersions(version, release(change.until)) < 0;
}

export function kernelChange(id: KernelChangeId): KernelChange {
  return KERNEL_CHANGES.find((change) => change.id === id)!;
}

/** The switches the derivation reads. */
export interface KernelBehaviour {
  /** Undefined: current mainline. */
  version: KernelVersion | undefined;
  /** `Linux 5.2`, or `current Linux` for the default. */
  label: string;
  /** `intel_iommu=relax_rmrr` (out-of-tree patch), honoured from v5.3. */
  relaxRmrr: boolean;
  reservedRegionsFile: boolean;
  directRelaxable: boolean;
  adjacentMerge: boolean;
  bridgeScopeDownstream: boolean;
  isaRegion: 'none' | 'direct' | 'direct-relaxable';
  bridgeScopeAnyBridgeClass: boolean;
  rmr: boolean;
  requireDirect: boolean;
  rmrrLocked: boolean;
  /** What a bad RMRR (alignment, order, E820) does. */
  e820Check: 'none' | 'fatal' | 'taint';
  e820AcceptsNvs: boolean;
  hostBridgeWindows: boolean;
}

/** Resolves a version (text or parsed; undefined = current mainline). Throws on text that is not a version. */
export function kernelBehaviour(version?: KernelVersion | string, options: { relaxRmrr?: boolean } = {}): KernelBehaviour {
  const parsed = typeof version === 'string' ? parseKernelVersion(version) : version;
  if (typeof version === 'string' && parsed === undefined) throw new RangeError(`not a kernel version: "${version}" (expected e.g. 5.2, 6.1 or 6.6.12)`);
  const on = (id: KernelChangeId) => changeInEffect(kernelChange(id), parsed);
  const directRelaxable = on('direct-relaxable');
  return {
    version: parsed,
    label: parsed === undefined ? 'current Linux' : `Linux ${parsed.major}.${parsed.minor}`,
    relaxRmrr: options.relaxRmrr === true && directRelaxable,
    reservedRegionsFile: on('reserved-regions-file'),
    directRelaxable,
    adjacentMerge: on('adjacent-merge'),
    bridgeScopeDownstream: on('bridge-scope-downstream'),
    isaRegion: !on('isa-region') ? 'none' : on('isa-relaxable') ? 'direct-relaxable' : 'direct',
    bridgeScopeAnyBridgeClass: on('bridge-scope-any-bridge-class'),
    rmr: on('rmr'),
    requireDirect: on('require-direct'),
    rmrrLocked: on('rmrr-locked'),
    e820Check: on('e820-check-fatal') ? 'fatal' : on('e820-check-taint') ? 'taint' : 'none',
    e820AcceptsNvs: on('e820-accepts-nvs'),
    hostBridgeWindows: on('host-bridge-windows'),
  };
}

/** Current mainline: what every derivation does unless told otherwise. */
export const CURRENT_KERNEL: KernelBehaviour = kernelBehaviour();

/** Rows whose state at this version differs from current mainline (only those of `platform`, when given). */
export function kernelDifferences(behaviour: KernelBehaviour, platform?: Platform): KernelChange[] {
  if (behaviour.version === undefined) return [];
  return KERNEL_CHANGES.filter((change) => (platform === undefined || change.platform === 'all' || change.platform === platform) && changeInEffect(change, behaviour.version) !== changeInEffect(change, undefined));
}

function releaseText(change: KernelChange): string {
  const approx = change.approximate ? '~' : '';
  return change.until === undefined ? `from ${approx}${change.since}` : `from ${approx}${change.since}, gone in ${change.until}`;
}

/** Human lines: the version asked for and every way it differs from current mainline. */
export function describeKernel(behaviour: KernelBehaviour, requestedRelaxRmrr = behaviour.relaxRmrr, platform?: Platform): string[] {
  const lines: string[] = [];
  if (behaviour.version !== undefined) {
    const differences = kernelDifferences(behaviour, platform);
    lines.push(`kernel: ${behaviour.label} behaviour${differences.length === 0 ? ' (same as current mainline for everything modelled)' : ''}`);
    for (const change of differences) {
      const state = changeInEffect(change, behaviour.version) ? 'still' : 'not yet';
      // The section cites the project's notes, which users do not have; the commit is public.
      lines.push(`  ${state}: ${change.summary} [${releaseText(change)}${change.source.commit === undefined ? '' : `; ${change.source.commit}`}]`);
    }
  }
  // relax_rmrr is an Intel matter.
  if (platform !== undefined && platform !== 'intel') return lines;
  if (behaviour.relaxRmrr) lines.push(`kernel: ${RELAX_RMRR_PATCH.summary} (${RELAX_RMRR_PATCH.source.patch})`);
  else if (requestedRelaxRmrr) lines.push(`kernel: --relax-rmrr ignored: the patch changes device_rmrr_is_relaxable(), which ${behaviour.label} does not have (from ${RELAX_RMRR_PATCH.since})`);
  return lines;
}

/** The release range text of a change (`from v3.17, gone in v6.6`, `from ~v5.5`). */
export function changeReleases(id: KernelChangeId): string {
  return releaseText(kernelChange(id));
}
