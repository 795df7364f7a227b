/** Fuzz target: a DMAR, with the laptop MADT and PCI topology beside it. */
import { crossCheck } from '../../src/cross/index.js';
import { parseDmar, type DmarTable } from '../../src/dmar/index.js';
import { analyzeRegions, unscopedRegions } from '../../src/analyze.js';
import { checkDiagnostics, checkRegionSources, guard, parseChecked, type Violation } from '../invariants.js';
import { COMPANIONS } from './companions.js';
import { analysisRegions, type TargetResult } from './common.js';

function walk(table: DmarTable, kinds: Set<string>): void {
  for (const structure of table.structures()) {
    kinds.add(`${structure.kind}:${structure.type <= 7 ? structure.type : 'reserved-type'}`);
    if ('deviceScopes' in structure) for (const scope of structure.deviceScopes()) kinds.add(`scope:${scope.kind}:${scope.path.length > 1 ? 'multi-hop' : scope.path.length}`);
    void structure.raw;
  }
}

export function run(bytes: Uint8Array): TargetResult {
  const violations: Violation[] = [];
  const kinds = new Set<string>();
  const table = parseChecked(violations, 'parseDmar', () => parseDmar(bytes), bytes.length);
  if (table === undefined) return { codes: [], kinds: [], violations };
  guard(violations, 'iterate structures', () => walk(table, kinds));
  const structures = new Set(table.structureOffsets);
  const regions = guard(violations, 'unscopedRegions', () => unscopedRegions({ dmar: table }, 'intel')) ?? [];
  checkRegionSources(violations, regions, { DMAR: structures });
  const analysis = guard(violations, 'analyzeRegions', () => analyzeRegions({ dmar: table }, COMPANIONS.x86Topology, 'intel'));
  checkRegionSources(violations, analysisRegions(analysis), { DMAR: structures });
  const cross = guard(violations, 'crossCheck', () => crossCheck({ dmar: table, madt: COMPANIONS.x86Madt }));
  checkDiagnostics(violations, cross?.dmar ?? [], bytes.length);
  const codes = [...table.diagnostics, ...(cross?.dmar ?? [])].map((item) => item.code);
  return { codes, kinds: [...kinds], violations };
}
