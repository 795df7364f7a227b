/**
 * What `explain` says about one device: the structures that name it and how, the ID chain on
 * Arm, its regions, its group, the passthrough verdict per kernel release, and what to do.
 */
import { formatBdf, parseBdf, type PciAddress } from '../pci/bdf.js';
import type { KernelBehaviour } from '../regions/kernel-versions.js';
import type { Platform } from '../regions/provider.js';
import type { RegionFinding } from '../regions/codes.js';
import type { MergedRegion, RegionDescriptor } from '../regions/types.js';

export type ExplainTarget =
  | { kind: 'pci'; bdf: string; address: PciAddress }
  /** An ACPI path of an IORT named component, as given (`\_SB.ETH0`). */
  | { kind: 'named-component'; path: string };

/** `SSSS:BB:DD.F`, `BB:DD.F` (segment 0), or an ACPI path starting with `\`. */
export function parseExplainTarget(text: string): ExplainTarget | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('\\')) return /^\\[A-Za-z0-9_.^]+$/.test(trimmed) ? { kind: 'named-component', path: trimmed } : undefined;
  const address = parseBdf(trimmed);
  return address === undefined ? undefined : { kind: 'pci', bdf: formatBdf(address), address };
}

/** ACPI name segments are four characters padded with `_`: `\_SB.ETH0` and `\_SB_.ETH0` are one path. */
export function canonicalAcpiPath(path: string): string {
  const body = path.replace(/^\\/, '');
  return `\\${body.split('.').map((segment) => (segment.length < 4 ? segment.padEnd(4, '_') : segment).toUpperCase()).join('.')}`;
}

/** One structure (or table node) that names the device, and how. */
export interface NamingStructure {
  table: 'DMAR' | 'IORT' | 'IVRS';
  /** `DRHD`, `RMRR`, `ATSR`, `SATC`, `root complex`, `named component`, `RMR`, `IVHD 0x40`, `IVMD (one device)`. */
  structure: string;
  offset: number;
  /** How it names the device, in a sentence. */
  how: string;
  /** The scope path or ID mapping resolved step by step. */
  steps: string[];
  /** `certain`; `assumed` (true under a stated assumption); `needs-topology` (cannot tell without one). */
  certainty: 'certain' | 'assumed' | 'needs-topology';
}

/** One ID walk (Arm): a requester ID or mapping index through the IORT, hop by hop. */
export interface IdChain {
  /** What starts the walk: `RID 0x0100 (own requester ID)`, `mapping 0 (single)`. */
  start: string;
  steps: string[];
  /** `StreamID 0x100 on smmu-v3 @0x48`, or why it ended. */
  result: string;
}

/** `no-iommu`: the tables give the device no IOMMU, so VFIO has nothing to assign. */
export type VerdictOutcome = 'allowed' | 'refused' | 'unknown' | 'no-iommu';

/** Whether assignment is refused in a range of releases. */
export interface ReleaseVerdict {
  /** `before v3.17`, `v3.17–v5.2`, `v6.6 and later`. */
  releases: string;
  outcome: VerdictOutcome;
  /** True only when the refusal is certain (`outcome` is `refused`). */
  refused: boolean;
  /** The kernel's message and errno, why nothing refuses, or what is not known. */
  detail: string;
}

/** Why a verdict cannot be given from what was supplied, and what would settle it. */
export interface Unsettled {
  reasons: string[];
  /** True when the device's unknown class decides whether its own RMRR blocks it. */
  classDecides: boolean;
  missing: string;
}

export interface Explanation {
  target: ExplainTarget;
  /** The device as named in output (`0000:00:14.0 [0c0330]`, `\_SB_.DPU0`). */
  title: string;
  platform: Platform;
  kernel: KernelBehaviour;
  /** True when a topology was given. */
  topologyGiven: boolean;
  assumptions: string[];
  /** Remarks that are not assumptions (e.g. range mappings Linux does not use). */
  notes: string[];
  /** Upstream bridges, root first (`0000:00:1c.4 [060400] secondary bus 0x01`). */
  upstream: string[];
  structures: NamingStructure[];
  chains: IdChain[];
  /** False when the tables give the device no IOMMU (no group, no regions). */
  hasIommu: boolean;
  /** The driver's list for the device, in driver order, under `kernel`. */
  regions: RegionDescriptor[];
  /** `number` is absent for a named component (a platform device gets a group of its own). */
  group?: { number?: number; guessed: boolean; members: string[]; regions: MergedRegion[]; sysfs: string };
  /** Verdicts per release range, then (with --kernel) the asked one first. */
  passthrough: ReleaseVerdict[];
  /** The answer for `kernel`. */
  verdict: ReleaseVerdict;
  /** Set when some verdicts are `unknown`: the open questions and what would answer them. */
  unsettled?: Unsettled;
  advice: string[];
  findings: RegionFinding[];
}
