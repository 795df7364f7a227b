/** Fuzz target: an IORT, with the Arm server MADT and PCI topology beside it; ID walks from every device node. */
import type { Diagnostic } from '../../src/bytes/diagnostics.js';
import { crossCheck } from '../../src/cross/index.js';
import { IORT_MSI_TYPES, mapId, mapPlatformId, parseIort, type IortTable } from '../../src/iort/index.js';
import { analyzeRegions, unscopedRegions } from '../../src/analyze.js';
import { checkDiagnostics, checkRegionSources, guard, parseChecked, type Violation } from '../invariants.js';
import { analysisRegions, probeIds, type TargetResult } from './common.js';
import { COMPANIONS } from './companions.js';

/** Walks from at most this many nodes per input, so the work stays linear in the table. */
const WALK_STARTS = 8;

function walk(table: IortTable, kinds: Set<string>, diagnostics: Diagnostic[]): void {
  let starts = 0;
  for (const node of table.nodes()) {
    kinds.add(`${node.kind}:${node.type <= 8 ? node.type : '>8'}:r${node.revision <= 6 ? node.revision : '>6'}`);
    const mappings = [...node.idMappings()];
    if (node.kind === 'rmr') for (const range of node.memoryRanges()) void range.length;
    if (node.kind === 'smmu-v1v2') void [...node.contextInterrupts(), ...node.pmuInterrupts()];
    if (starts >= WALK_STARTS || mappings.length === 0) continue;
    starts++;
    for (const id of probeIds(mappings)) {
      diagnostics.push(...mapId(table, node.offset, id).diagnostics, ...mapId(table, node.offset, id, IORT_MSI_TYPES).diagnostics);
    }
    diagnostics.push(...mapPlatformId(table, node.offset, 0).diagnostics);
  }
}

export function run(bytes: Uint8Array): TargetResult {
  const violations: Violation[] = [];
  const kinds = new Set<string>();
  const table = parseChecked(violations, 'parseIort', () => parseIort(bytes), bytes.length);
  if (table === undefined) return { codes: [], kinds: [], violations };
  const walkDiagnostics: Diagnostic[] = [];
  guard(violations, 'iterate nodes and walk IDs', () => walk(table, kinds, walkDiagnostics));
  checkDiagnostics(violations, walkDiagnostics, bytes.length);
  const items = { IORT: new Set(table.nodeOffsets), MADT: new Set(COMPANIONS.armMadt.entryOffsets) };
  const tables = { iort: table, madt: COMPANIONS.armMadt };
  checkRegionSources(violations, guard(violations, 'unscopedRegions', () => unscopedRegions(tables, 'arm')) ?? [], items);
  checkRegionSources(violations, analysisRegions(guard(violations, 'analyzeRegions', () => analyzeRegions(tables, COMPANIONS.armTopology, 'arm'))), items);
  const cross = guard(violations, 'crossCheck', () => crossCheck(tables));
  checkDiagnostics(violations, cross?.iort ?? [], bytes.length);
  const codes = [...table.diagnostics, ...walkDiagnostics, ...(cross?.iort ?? [])].map((item) => item.code);
  return { codes, kinds: [...kinds], violations };
}
