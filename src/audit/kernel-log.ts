/**
 * The lines Linux prints for each RMRR and IORT RMR descriptor, with the kernel's own text and
 * number formats (platform-free). Text is that of 6.1 (checked against the shared kernel cases'
 * dmesg); older releases are marked where their text or tests differ.
 *
 * DMAR, per RMRR in table order (drivers/iommu/intel/dmar.c, iommu.c, arch/x86/include/asm/iommu.h):
 * `dmar_table_print_dmar_entry` ("RMRR base: … end: …"), then `rmrr_sanity_check`, whose tests
 * short-circuit: alignment, order, and only then `arch_rmrr_sanity_check` ("No firmware reserved
 * region can cover this RMRR"); any failure → "Your BIOS is broken; bad RMRR"; then
 * `dmar_alloc_dev_scope` ("Unsupported device scope").
 * IORT, per RMR node (drivers/acpi/arm64/iort.c): `iort_rmr_desc_check` (zero length, overlaps)
 * over all descriptors, then `iort_rmr_alloc` per descriptor ("not aligned to 64K").
 */
import { hex } from '../bytes/hex.js';
import type { MemoryMap, MemoryMapEntry } from './memmap.js';
import type { KernelBehaviour } from '../regions/kernel-versions.js';
import { rmrDescriptorRange } from '../iort/regions/arm-rmr.js';

export interface KernelLogLine {
  level: 'info' | 'warn' | 'err';
  /** As dmesg shows it after the timestamp, prefix included (`DMAR: `, `ACPI: IORT: `). */
  text: string;
  /** The kernel function that prints it. */
  from: string;
}

export interface KernelLogPrediction {
  lines: KernelLogLine[];
  /** Set when a line cannot be predicted (what is missing, what would settle it). */
  unknown?: string;
  /** What the kernel prints that the table cannot tell (DMI strings), or how often it repeats. */
  notes: string[];
}

const PAGE = 0x1000n;
const U64 = (value: bigint) => BigInt.asUintN(64, value);
const FW_BUG = '[Firmware Bug]: ';

/** printf `%#0<width>llx`: `0x` counts toward the width. */
function alternateHex(value: bigint, width: number): string {
  return hex(value, width - 2);
}

/**
 * `__e820__mapped_all(start, end, 0)`: walk the table in order, moving `start` past every entry
 * that begins at or before it; the entry that carries `start` to `end` decides the type. So a
 * range is accepted when consecutive entries cover it and the *last* one is of an accepted type.
 */
export function e820EntryAt(entries: readonly MemoryMapEntry[], start: bigint, endExclusive: bigint): MemoryMapEntry | undefined {
  let from = start;
  for (const entry of entries) {
    const entryEnd = entry.end + 1n;
    if (entry.start >= endExclusive || entryEnd <= from) continue;
    if (entry.start <= from) from = entryEnd;
    if (from >= endExclusive) return entry;
  }
  return undefined;
}

export interface RmrrFacts {
  base: bigint;
  limit: bigint;
  /** Device scope entry types, in order. */
  scopeTypes: readonly number[];
}

/** The lines one RMRR gets while the DMAR is parsed. */
export function rmrrKernelLog(rmrr: RmrrFacts, map: MemoryMap | undefined, kernel: KernelBehaviour): KernelLogPrediction {
  const { base, limit } = rmrr;
  const lines: KernelLogLine[] = [{ level: 'info', text: `DMAR: RMRR base: ${alternateHex(base, 16)} end: ${alternateHex(limit, 16)}`, from: 'dmar_table_print_dmar_entry' }];
  const notes: string[] = [];
  const span = `[${alternateHex(base, 18)}-${alternateHex(limit, 18)}]`;
  const result: KernelLogPrediction = { lines, notes };
  if (kernel.e820Check !== 'none') {
    const shapeOk = base % PAGE === 0n && U64(limit + 1n) % PAGE === 0n && limit > base;
    let bad = !shapeOk;
    if (shapeOk && map === undefined) {
      result.unknown = 'whether the e820 test passes: give --memmap (the boot\'s kernel log is best)';
    } else if (shapeOk) {
      const entry = e820EntryAt(map!.entries, base, U64(limit + 1n));
      const accepted = entry !== undefined && (entry.kind === 'reserved' || (kernel.e820AcceptsNvs && entry.kind === 'nvs'));
      if (!accepted) {
        bad = true;
        lines.push({ level: 'err', text: `DMAR: ${FW_BUG}No firmware reserved region can cover this RMRR ${span}, contact BIOS vendor for fixes`, from: 'arch_rmrr_sanity_check' });
      }
    }
    if (bad && kernel.e820Check === 'taint') {
      lines.push({ level: 'warn', text: `DMAR: ${FW_BUG}Your BIOS is broken; bad RMRR ${span}`, from: 'dmar_parse_one_rmrr' });
      notes.push('the "bad RMRR" message goes on with a line "BIOS vendor: …; Ver: …; Product Version: …" from DMI, which the tables do not hold');
    }
    if (bad && kernel.e820Check === 'fatal') notes.push(`${kernel.label} stops parsing the DMAR here (approx. v5.5): no later structure is parsed, no IOMMU`);
  }
  for (const type of rmrr.scopeTypes) {
    // dmar_alloc_dev_scope counts endpoint (1), bridge (2), namespace (5); IOAPIC (3) and HPET (4) pass silently.
    if (type < 1 || type > 5) lines.push({ level: 'warn', text: 'DMAR: Unsupported device scope', from: 'dmar_alloc_dev_scope' });
  }
  if (kernel.version !== undefined && (kernel.version.major < 6 || (kernel.version.major === 6 && kernel.version.minor < 1))) {
    notes.push(`the text is 6.1's; ${kernel.label} may word or format these lines differently (not checked)`);
  }
  return result;
}

export interface RmrDescriptorFacts {
  baseAddress: bigint;
  length: bigint;
}

/**
 * One RMR node's lines, per descriptor, and in the kernel's order (every check line first,
 * then the alignment lines). The kernel prints the set each time it collects the node's RMRs.
 */
export function rmrNodeKernelLog(descriptors: readonly RmrDescriptorFacts[], pageSize: number): { perDescriptor: KernelLogLine[][]; ordered: KernelLogLine[] } {
  const checks: KernelLogLine[][] = descriptors.map(() => []);
  const alignment: KernelLogLine[][] = descriptors.map(() => []);
  for (const [index, descriptor] of descriptors.entries()) {
    if (descriptor.length === 0n) {
      checks[index]!.push({ level: 'err', text: `ACPI: IORT: ${FW_BUG}RMR descriptor[${hex(descriptor.baseAddress)}] with zero length, continue anyway`, from: 'iort_rmr_desc_check' });
      continue;
    }
    const end = U64(descriptor.baseAddress + descriptor.length - 1n);
    for (const other of descriptors.slice(index + 1)) {
      const otherEnd = U64(other.baseAddress + other.length - 1n);
      if (descriptor.baseAddress <= otherEnd && end >= other.baseAddress) {
        checks[index]!.push({ level: 'err', text: `ACPI: IORT: ${FW_BUG}RMR descriptor[${hex(descriptor.baseAddress)} - ${hex(end)}] overlaps, continue anyway`, from: 'iort_rmr_desc_check' });
      }
    }
  }
  for (const [index, descriptor] of descriptors.entries()) {
    const used = rmrDescriptorRange(descriptor, pageSize);
    if (!used.rounded) continue;
    const last = U64(descriptor.baseAddress + descriptor.length - 1n);
    alignment[index]!.push({ level: 'err', text: `ACPI: IORT: ${FW_BUG}RMR descriptor[${hex(descriptor.baseAddress)} - ${hex(last)}] not aligned to 64K, continue with [${hex(used.start)} - ${hex(used.end)}]`, from: 'iort_rmr_alloc' });
  }
  return {
    perDescriptor: descriptors.map((_, index) => [...checks[index]!, ...alignment[index]!]),
    ordered: [...checks.flat(), ...alignment.flat()],
  };
}
