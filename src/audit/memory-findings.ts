/** The memory-map findings shared by RMRRs, RMRs and IVMDs (ours, not kernel messages). */
import { hex } from '../bytes/hex.js';
import type { AuditedRange } from './audit.js';
import { auditFinding, type AuditCode, type AuditFinding } from './codes.js';
import { coveredPercent, type Coverage } from './coverage.js';

function describeEntries(coverage: Coverage): string {
  return coverage.overlapping.map((entry) => `${hex(entry.start)}-${hex(entry.end)} ${entry.type}`).join(', ') || 'no entry';
}

/** The memory-map findings of one range: `reaction` says what the kernel does about them. */
export function memoryFindings(range: AuditedRange, coverage: Coverage, codes: { inRam: AuditCode; outside: AuditCode; partly: AuditCode; union: AuditCode }, reaction: string): AuditFinding[] {
  const table = range.table;
  const where = `${range.structure} [${hex(range.start)}-${hex(range.end!)}]`;
  const result: AuditFinding[] = [];
  if (coverage.osMemory.length > 0) {
    const parts = coverage.osMemory.map((part) => `${hex(part.start)}-${hex(part.end)}`).join(', ');
    result.push(auditFinding(codes.inRam, table, range.offset, `${where} overlaps memory the OS allocates (${parts}; entries: ${describeEntries(coverage)})`));
  }
  if (coverage.verdict === 'outside') {
    result.push(auditFinding(codes.outside, table, range.offset, `${where}: no firmware reserved region can cover it (entries: ${describeEntries(coverage)}); ${reaction}`));
  } else if (coverage.verdict === 'partly') {
    result.push(auditFinding(codes.partly, table, range.offset, `${where}: only ${coveredPercent(coverage)}% inside reserved memory (entries: ${describeEntries(coverage)}); ${reaction}`));
  } else if (coverage.verdict === 'inside-union') {
    result.push(auditFinding(codes.union, table, range.offset, `${where}: covered by ${coverage.overlapping.length} adjacent reserved entries but by no single one (entries: ${describeEntries(coverage)})`));
  }
  return result;
}
