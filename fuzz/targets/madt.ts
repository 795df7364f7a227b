/**
 * Fuzz target: an MADT, checked against the laptop DMAR (IOAPIC scopes) and a HiSilicon IORT
 * whose SMMUv3 makes the Arm derivation read ITS doorbells from the fuzzed MADT.
 */
import { crossCheck } from '../../src/cross/index.js';
import { parseMadt, type MadtTable } from '../../src/madt/index.js';
import { unscopedRegions } from '../../src/analyze.js';
import { checkRegionSources, guard, parseChecked, type Violation } from '../invariants.js';
import type { TargetResult } from './common.js';
import { COMPANIONS } from './companions.js';

function walk(table: MadtTable, kinds: Set<string>): void {
  for (const entry of table.entries()) kinds.add(`${entry.kind}:${entry.type < 0x1f ? entry.type : entry.type < 0x80 ? 'reserved' : 'oem'}`);
  for (const its of table.gicIts()) void its.translaterAddress;
  for (const frame of table.gicMsiFrames()) void frame.setSpiNsAddress;
  for (const ioApic of table.ioApics()) void ioApic.ioApicAddress;
}

export function run(bytes: Uint8Array): TargetResult {
  const violations: Violation[] = [];
  const kinds = new Set<string>();
  const table = parseChecked(violations, 'parseMadt', () => parseMadt(bytes), bytes.length);
  if (table === undefined) return { codes: [], kinds: [], violations };
  guard(violations, 'iterate entries', () => walk(table, kinds));
  const tables = { iort: COMPANIONS.hisiliconIort, madt: table };
  const regions = guard(violations, 'unscopedRegions', () => unscopedRegions(tables, 'arm')) ?? [];
  checkRegionSources(violations, regions, { IORT: new Set(COMPANIONS.hisiliconIort.nodeOffsets), MADT: new Set(table.entryOffsets) });
  guard(violations, 'crossCheck', () => crossCheck({ ...tables, dmar: COMPANIONS.x86Dmar }));
  return { codes: table.diagnostics.map((item) => item.code), kinds: [...kinds], violations };
}
