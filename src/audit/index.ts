/** Audits (platform-free): RMRR / RMR ranges against the memory map, and `explain` for one device. */
export { AUDIT_CODES, auditFinding, type AuditCode, type AuditFinding } from './codes.js';
export {
  memoryKind, memoryMap, parseDmesgE820, memoryMapFromJson, parseMemoryMapText, MemoryMapFormatError, OS_MEMORY_KINDS,
  type MemoryKind, type MemoryMap, type MemoryMapEntry,
} from './memmap.js';
export { rangeCoverage, type Coverage, type CoverageVerdict } from './coverage.js';
export { auditTables, auditHasErrors, type AuditedRange, type AuditOptions, type AuditResult } from './audit.js';
export { auditLines, auditJson } from './render.js';
export { parseExplainTarget, canonicalAcpiPath, type ExplainTarget, type Explanation, type NamingStructure, type IdChain, type ReleaseVerdict } from './explain-model.js';
export { explainDevice, type ExplainTables, type ExplainOptions } from './explain.js';
export { explanationLines, explanationJson } from './explain-render.js';
