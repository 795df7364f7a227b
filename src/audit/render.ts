/** Human lines and the JSON shape of an audit (platform-free; JSON keeps bigint for `jsonReplacer`). */
import type { AuditedRange, AuditResult } from './audit.js';
import { coveredPercent, type Coverage } from './coverage.js';
import { hex } from '../bytes/hex.js';


function sizeText(bytes: bigint): string {
  if (bytes >= 1n << 20n && bytes % (1n << 20n) === 0n) return `${bytes >> 20n} MiB`;
  if (bytes >= 1n << 10n && bytes % (1n << 10n) === 0n) return `${bytes >> 10n} KiB`;
  return `${bytes} bytes`;
}

const KIND_NAMES: Partial<Record<string, string>> = { reserved: '"reserved"', nvs: '"ACPI NVS"' };

const VERDICT_TEXT: Record<Coverage['verdict'], string> = {
  inside: 'fully inside one firmware-reserved entry',
  'inside-union': 'inside reserved memory, but only across several entries',
  partly: 'partly inside reserved memory',
  outside: 'not inside reserved memory at all',
};

function countSeverity(result: AuditResult, severity: string): number {
  return result.findings.filter((item) => item.severity === severity).length;
}

function coverageLines(coverage: Coverage): string[] {
  const single = coverage.singleEntry === undefined ? 'none' : `${hex(coverage.singleEntry.start)}-${hex(coverage.singleEntry.end)} ${coverage.singleEntry.type}`;
  const lines = [
    `  memory map: ${VERDICT_TEXT[coverage.verdict]}`,
    `    single entry: ${single}; union of reserved entries: ${coveredPercent(coverage)}% (${sizeText(coverage.coveredBytes)} of ${sizeText(coverage.totalBytes)})`,
    ...coverage.overlapping.map((entry) => `    overlaps ${hex(entry.start)}-${hex(entry.end)} ${entry.type} (${entry.kind})`),
  ];
  if (coverage.holes.length > 0) lines.push(`    in no entry: ${coverage.holes.map((part) => `${hex(part.start)}-${hex(part.end)}`).join(', ')}`);
  return lines;
}

function rangeHeader(range: AuditedRange): string {
  const where = range.nodeOffset === undefined ? `@${hex(range.offset)}` : `@${hex(range.nodeOffset)} descriptor @${hex(range.offset)}`;
  const span = range.end === undefined ? `[${hex(range.start)}, empty or wrapping]` : `[${hex(range.start)}-${hex(range.end)}]`;
  const size = range.end === undefined || range.end < range.start ? '' : ` ${sizeText(range.end - range.start + 1n)}`;
  return `${range.table} ${range.structure} ${where} ${span}${size}: ${range.claims.join('; ') || 'no ID mappings'}`;
}

/** The kernel's own lines for a range, verbatim, then what could not be predicted. */
function kernelLogLines(range: AuditedRange, label: string): string[] {
  const lines = [`  kernel log (${label} prints${range.kernelLog.length === 0 ? ' nothing for it' : ''}):`];
  for (const line of range.kernelLog) lines.push(`    | ${line.text}`);
  if (range.kernelLogUnknown !== undefined) lines.push(`    unknown: ${range.kernelLogUnknown}`);
  const optional = range.kernelLogWithOption;
  if (optional !== undefined) {
    lines.push(`    with ${optional.option} on the command line:`);
    for (const line of optional.lines) lines.push(`    | ${line.text}`);
  }
  for (const note of range.kernelLogNotes) lines.push(`    note: ${note}`);
  return lines;
}

export function auditLines(result: AuditResult): string[] {
  const lines: string[] = [];
  const map = result.memoryMap;
  if (map !== undefined) {
    const kinds = result.acceptedKinds.map((kind) => KIND_NAMES[kind] ?? kind).join(' or ');
    // Only RMRRs have a kernel check against the map (IORT RMRs and IVMDs have none).
    const rmrrRule = result.ranges.some((range) => range.structure === 'RMRR') ? `; ${result.kernel.label} wants each RMRR covered by entries back to back, the last one ${kinds} (e820__get_entry_type)` : '';
    lines.push(`memory map: ${map.entries.length} entries (${map.source})${rmrrRule}`);
    lines.push(`memory map view: ${map.view}: ${map.viewNote}`);
    for (const note of map.notes) lines.push(`note: ${note}`);
  }
  // One set of the ranges' findings: a search of every range per finding was quadratic (65k RMRRs).
  const inRanges = new Set(result.ranges.flatMap((range) => range.findings));
  const own = result.findings.filter((item) => !inRanges.has(item));
  for (const item of own) lines.push(`${item.severity}: ${item.message} [${item.code}]`);
  if (result.ranges.length === 0) lines.push('no RMRR, RMR or IVMD ranges in these tables');
  for (const range of result.ranges) {
    lines.push(rangeHeader(range));
    if (range.coverage !== undefined) lines.push(...coverageLines(range.coverage));
    lines.push(...kernelLogLines(range, result.kernel.label));
    if (range.findings.length === 0) lines.push('  ok');
    else lines.push('  our findings (acpi-iommu, not kernel messages):');
    for (const item of range.findings) lines.push(`  ${item.severity}: ${item.message} [${item.code}]`);
  }
  lines.push(`summary: ${result.ranges.length} range(s), ${countSeverity(result, 'error')} error(s), ${countSeverity(result, 'warning')} warning(s)`);
  return lines;
}

function coverageJson(coverage: Coverage) {
  return {
    verdict: coverage.verdict,
    singleEntry: coverage.singleEntry ?? null,
    coveredBytes: coverage.coveredBytes,
    totalBytes: coverage.totalBytes,
    overlapping: coverage.overlapping,
    osMemory: coverage.osMemory,
    holes: coverage.holes,
  };
}

export function auditJson(result: AuditResult) {
  return {
    kernel: { label: result.kernel.label, version: result.kernel.version?.text ?? null, acceptedKinds: result.acceptedKinds },
    memoryMap: result.memoryMap === undefined ? null : { source: result.memoryMap.source, view: result.memoryMap.view, viewNote: result.memoryMap.viewNote, entries: result.memoryMap.entries, notes: result.memoryMap.notes },
    ranges: result.ranges.map((range) => ({
      table: range.table,
      structure: range.structure,
      offset: range.offset,
      nodeOffset: range.nodeOffset ?? null,
      start: range.start,
      end: range.end ?? null,
      claims: range.claims,
      coverage: range.coverage === undefined ? null : coverageJson(range.coverage),
      kernelLog: range.kernelLog,
      kernelLogUnknown: range.kernelLogUnknown ?? null,
      kernelLogNotes: range.kernelLogNotes,
      kernelLogWithOption: range.kernelLogWithOption ?? null,
      // Ours, not kernel messages.
      diagnostics: range.findings,
    })),
    kernelLog: result.kernelLog,
    diagnostics: result.findings,
    summary: { ranges: result.ranges.length, errors: countSeverity(result, 'error'), warnings: countSeverity(result, 'warning'), infos: countSeverity(result, 'info') },
  };
}
