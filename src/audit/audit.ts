/**
 * `audit`: every RMRR (DMAR) and IORT RMR range checked against its own rules (alignment,
 * order) and, when a memory map is given, against the firmware's reserved memory — the check
 * Linux makes for RMRRs in `arch_rmrr_sanity_check` (docs/kernel-semantics.md §3.2), reported in two
 * views: one entry and the union of reserved entries. Apart from these findings (ours), each
 * range carries `kernelLog`: the lines the chosen kernel prints for it (kernel-log.ts).
 * Platform-free.
 */
import type { DmarTable, RmrrStructure } from '../dmar/index.js';
import { IORT_RMR_TABLE_REVISION, type IortTable, type RmrNode } from '../iort/index.js';
import { rmrHasMappings } from '../iort/regions/arm-rmr.js';
import { CURRENT_KERNEL, type KernelBehaviour } from '../regions/kernel-versions.js';
import { auditFinding, type AuditCode, type AuditFinding } from './codes.js';
import { coveredPercent, rangeCoverage, type Coverage } from './coverage.js';
import type { MemoryKind, MemoryMap } from './memmap.js';
import { hex } from '../bytes/hex.js';
import { memoryFindings } from './memory-findings.js';
import { auditIvrs } from './ivmd-audit.js';
import type { IvrsTable } from '../ivrs/table.js';
import { rmrNodeKernelLog, rmrrKernelLog, type KernelLogLine, type KernelLogPrediction } from './kernel-log.js';

const PAGE = 0x1000n;
const SZ_64K = 0x10000n;
const U64_MAX = (1n << 64n) - 1n;

export interface AuditedRange {
  table: 'DMAR' | 'IORT' | 'IVRS';
  structure: 'RMRR' | 'RMR' | 'IVMD';
  /** Offset of the RMRR, the RMR memory range descriptor, or the IVMD. */
  offset: number;
  /** The RMR node holding the descriptor. */
  nodeOffset?: number;
  start: bigint;
  /** Inclusive, as the table states it (RMR: base + length − 1); undefined when it wraps. */
  end: bigint | undefined;
  /** The devices the structure names, as text (`endpoint 00:14.0`, `StreamID 0x0 on SMMU @0xdc`). */
  claims: readonly string[];
  /** Absent without a memory map, or when the range is malformed. */
  coverage?: Coverage;
  /** Our findings: not kernel messages. */
  findings: readonly AuditFinding[];
  /** What the kernel prints for this range, in its order (empty when it prints nothing). */
  kernelLog: readonly KernelLogLine[];
  /** A line that cannot be predicted from these inputs, and what would settle it. */
  kernelLogUnknown?: string;
  kernelLogNotes: readonly string[];
  /** Lines the kernel prints only when a command-line option is set (IVMD: `amd_iommu_dump`). */
  kernelLogWithOption?: { option: string; lines: readonly KernelLogLine[] };
}

export interface AuditOptions {
  memoryMap?: MemoryMap | undefined;
  kernel?: KernelBehaviour | undefined;
  /** Arm kernel page size for rounding RMR descriptors (default 4 KiB, Debian's arm64 kernel). */
  pageSize?: number | undefined;
}

export interface AuditResult {
  kernel: KernelBehaviour;
  memoryMap: MemoryMap | undefined;
  /** Memory kinds counted as firmware-reserved for RMRRs by this kernel. */
  acceptedKinds: readonly MemoryKind[];
  ranges: readonly AuditedRange[];
  /** Every finding: the audit's own notes first, then each range's, in table order. */
  findings: readonly AuditFinding[];
  /** Every range's kernel lines in the order the kernel prints them (DMAR, then IORT nodes), and the IVRS walk's WARN lines, which belong to no range. */
  kernelLog: readonly KernelLogLine[];
}


/** An approx.-v5.5 kernel stops at a bad RMRR (its prediction says so) without a "bad RMRR" line. */
const stopsParsing = (prediction: KernelLogPrediction) => prediction.notes.some((note) => note.includes('stops parsing'));

/**
 * What the kernel does about an RMRR we have a finding for. `stopped`: it gave up on the DMAR at
 * an earlier RMRR, so it rejects the table whatever this one holds. A failed sanity check shows as
 * the "bad RMRR" line (taint) or the stop (fatal); a reaction is asked only with a memory map or
 * a malformed range, so the e820 test is never unknown here.
 */
function kernelReaction(kernel: KernelBehaviour, prediction: KernelLogPrediction, stopped: boolean): string {
  if (kernel.e820Check === 'none') return `${kernel.label} does not check (the E820 check came ~v5.5)`;
  const bad = stopped || stopsParsing(prediction) || prediction.lines.some((line) => line.from === 'dmar_parse_one_rmrr');
  if (!bad) return `yet ${kernel.label}'s own check passes it (its e820 lookup accepts consecutive entries ending in an accepted one)`;
  if (kernel.e820Check === 'fatal') return `${kernel.label} rejects the DMAR: no IOMMU`;
  return 'Linux logs "[Firmware Bug]: Your BIOS is broken; bad RMRR" and taints, then uses the RMRR anyway';
}

/** Kernel lines of one RMRR; none once an approx.-v5.5 kernel has stopped parsing. */
function predictRmrr(rmrr: RmrrStructure, options: AuditOptions, kernel: KernelBehaviour, stopped: boolean): KernelLogPrediction {
  if (stopped) return { lines: [], notes: [`${kernel.label} stopped parsing the DMAR at an earlier bad RMRR: nothing is printed for this one`] };
  const scopeTypes = [...rmrr.deviceScopes()].map((scope) => scope.type);
  return rmrrKernelLog({ base: rmrr.baseAddress, limit: rmrr.limitAddress, scopeTypes }, options.memoryMap, kernel);
}

function auditRmrrs(table: DmarTable, options: AuditOptions, kernel: KernelBehaviour, accepted: MemoryKind[]): AuditedRange[] {
  const ranges: AuditedRange[] = [];
  let stopped = false;
  for (const rmrr of table.structuresOfKind('rmrr')) {
    const base = rmrr.baseAddress;
    const limit = rmrr.limitAddress;
    const claims = [...rmrr.deviceScopes()].map((scope) => `${scope.kind} ${scope.startBusNumber.toString(16).padStart(2, '0')}:${scope.path.map((hop) => `${hop.device.toString(16).padStart(2, '0')}.${hop.function}`).join('/')}`);
    const prediction = predictRmrr(rmrr, options, kernel, stopped);
    const reaction = kernelReaction(kernel, prediction, stopped);
    stopped ||= stopsParsing(prediction);
    const findings: AuditFinding[] = [];
    const range: AuditedRange = {
      table: 'DMAR', structure: 'RMRR', offset: rmrr.offset, start: base, end: limit, claims: [`segment ${hex(rmrr.segmentNumber, 4)}: ${claims.join(', ') || 'no device scope'}`], findings,
      kernelLog: prediction.lines, kernelLogNotes: prediction.notes, ...(prediction.unknown === undefined ? {} : { kernelLogUnknown: prediction.unknown }),
    };
    const where = `RMRR [${hex(base)}-${hex(limit)}]`;
    if (base % PAGE !== 0n || (limit + 1n) % PAGE !== 0n) {
      const which = [base % PAGE !== 0n ? 'base' : '', (limit + 1n) % PAGE !== 0n ? 'limit + 1' : ''].filter(Boolean).join(' and ');
      findings.push(auditFinding('audit.rmrr.misaligned', 'DMAR', rmrr.offset, `${where}: ${which} not 4 KiB aligned; ${reaction}`));
    }
    if (limit <= base) {
      findings.push(auditFinding('audit.rmrr.end-not-after-base', 'DMAR', rmrr.offset, `${where}: limit ${limit < base ? 'before' : 'equal to'} base; ${reaction}`));
    }
    if (options.memoryMap !== undefined && limit >= base) {
      const coverage = rangeCoverage({ start: base, end: limit }, options.memoryMap, accepted);
      range.coverage = coverage;
      findings.push(...memoryFindings(range, coverage, { inRam: 'audit.rmrr.in-ram', outside: 'audit.rmrr.outside-reserved', partly: 'audit.rmrr.partly-reserved', union: 'audit.rmrr.reserved-union-only' }, reaction));
      if (!kernel.e820AcceptsNvs) {
        const withNvs = rangeCoverage({ start: base, end: limit }, options.memoryMap, [...accepted, 'nvs']);
        if (withNvs.verdict === 'inside' && coverage.verdict !== 'inside') {
          // The plain verdict above already reported it; say why a newer kernel would not.
          findings.push(auditFinding('audit.rmrr.nvs-not-accepted', 'DMAR', rmrr.offset, `${where} lies in ACPI NVS (${withNvs.singleEntry!.type}): ${kernel.label} accepts only "reserved"; from ~v6.1 NVS passes`));
        }
      }
    }
    ranges.push(range);
  }
  return ranges;
}

function rmrClaims(table: IortTable, node: RmrNode): string[] {
  return [...node.idMappings()].map((mapping) => {
    const target = table.nodeAt(mapping.outputReference);
    const last = (mapping.outputBase + mapping.idCount) >>> 0;
    const ids = mapping.idCount === 0 ? hex(mapping.outputBase) : `${hex(mapping.outputBase)}-${hex(last)}`;
    return `StreamID ${ids} on ${target?.kind ?? 'no node'} @${hex(mapping.outputReference)}`;
  });
}

/** Why Linux never walks the node's descriptors (so prints nothing for them), if it does not. */
function rmrSilence(table: IortTable, node: RmrNode, kernel: KernelBehaviour): string | undefined {
  if (table.revision < IORT_RMR_TABLE_REVISION) return `IORT revision ${table.revision} < 5`;
  if (!kernel.rmr) return `${kernel.label} predates RMR support (v6.0)`;
  if (!rmrHasMappings(node)) return 'the node has no ID mapping ("Invalid ID mapping, skipping RMR node", with a kernel pointer)';
  return undefined;
}

function auditRmrs(table: IortTable, options: AuditOptions, kernel: KernelBehaviour, findings: AuditFinding[], kernelLog: KernelLogLine[]): AuditedRange[] {
  const ranges: AuditedRange[] = [];
  const accepted: MemoryKind[] = ['reserved', 'nvs'];
  for (const node of table.nodes()) {
    if (node.kind !== 'rmr') continue;
    if (table.revision < IORT_RMR_TABLE_REVISION || !kernel.rmr) {
      const why = table.revision < IORT_RMR_TABLE_REVISION ? `IORT revision ${table.revision} < 5` : `${kernel.label} predates RMR support (v6.0)`;
      findings.push(auditFinding('audit.rmr.ignored', 'IORT', node.offset, `RMR @${hex(node.offset)}: ${why}: Linux ignores it`));
    }
    const claims = rmrClaims(table, node);
    const descriptors = [...node.memoryRanges()];
    const silence = rmrSilence(table, node, kernel);
    const predicted = rmrNodeKernelLog(descriptors, options.pageSize ?? 4096);
    if (silence === undefined) kernelLog.push(...predicted.ordered);
    const notes = silence === undefined
      ? ['printed each time the kernel collects this node\'s RMRs (SMMU probe, each device it maps, each reserved_regions read): the count varies, the text does not']
      : [`nothing printed: ${silence}`];
    for (const [index, descriptor] of descriptors.entries()) {
      const last = descriptor.baseAddress + descriptor.length - 1n;
      const end = descriptor.length === 0n || last > U64_MAX ? undefined : last;
      const findings: AuditFinding[] = [];
    const range: AuditedRange = {
        table: 'IORT', structure: 'RMR', offset: descriptor.offset, nodeOffset: node.offset, start: descriptor.baseAddress, end, claims, findings,
        kernelLog: silence === undefined ? predicted.perDescriptor[index]! : [], kernelLogNotes: notes,
      };
      const where = `RMR @${hex(node.offset)} descriptor [${hex(descriptor.baseAddress)}, length ${hex(descriptor.length)}]`;
      if (descriptor.length === 0n) findings.push(auditFinding('audit.rmr.zero-length', 'IORT', descriptor.offset, `${where}: zero length`));
      else if (last > U64_MAX) findings.push(auditFinding('audit.rmr.wraps', 'IORT', descriptor.offset, `${where}: runs past 2^64 − 1`));
      if (descriptor.baseAddress % SZ_64K !== 0n || descriptor.length % SZ_64K !== 0n) {
        findings.push(auditFinding('audit.rmr.misaligned', 'IORT', descriptor.offset, `${where}: not 64 KiB aligned; Linux rounds it to its page size`));
      }
      if (options.memoryMap !== undefined && end !== undefined) {
        const coverage = rangeCoverage({ start: descriptor.baseAddress, end }, options.memoryMap, accepted);
        range.coverage = coverage;
        const reaction = 'Linux does not check RMRs against the memory map';
        findings.push(...memoryFindings(range, coverage, { inRam: 'audit.rmr.in-ram', outside: 'audit.rmr.outside-reserved', partly: 'audit.rmr.outside-reserved', union: 'audit.rmr.outside-reserved' }, reaction));
      }
      ranges.push(range);
    }
  }
  return ranges;
}

export function auditTables(tables: { dmar?: DmarTable | undefined; iort?: IortTable | undefined; ivrs?: IvrsTable | undefined }, options: AuditOptions = {}): AuditResult {
  const kernel = options.kernel ?? CURRENT_KERNEL;
  const accepted: MemoryKind[] = kernel.e820AcceptsNvs ? ['reserved', 'nvs'] : ['reserved'];
  const findings: AuditFinding[] = [];
  if (options.memoryMap === undefined) {
    findings.push(auditFinding('audit.memmap.absent', 'memmap', 0, 'no memory map given (--memmap /sys/firmware/memmap, a kernel log with BIOS-e820 lines, or JSON): RMRR, RMR and IVMD ranges were checked for alignment and order only'));
  }
  const rmrrs = tables.dmar === undefined ? [] : auditRmrrs(tables.dmar, options, kernel, accepted);
  const kernelLog = rmrrs.flatMap((range) => range.kernelLog);
  const ivrs = tables.ivrs === undefined ? undefined : auditIvrs(tables.ivrs, options, kernel);
  if (ivrs !== undefined) {
    kernelLog.push(...ivrs.kernelLog);
    findings.push(...ivrs.findings);
  }
  const ranges = [
    ...rmrrs,
    ...(tables.iort === undefined ? [] : auditRmrs(tables.iort, options, kernel, findings, kernelLog)),
    ...(ivrs?.ranges ?? []),
  ];
  for (const range of ranges) findings.push(...range.findings);
  return { kernel, memoryMap: options.memoryMap, acceptedKinds: accepted, ranges, findings, kernelLog };
}

export function auditHasErrors(result: AuditResult): boolean {
  return result.findings.some((item) => item.severity === 'error');
}
