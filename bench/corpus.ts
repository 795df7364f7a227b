/**
 * Figures 1–3: the real corpus (../shared/corpus/real), every table read into memory first.
 * Per signature and overall, side by side in the same rounds: a bare checksum loop over the
 * same bytes (the floor), parse + reading diagnostics, parse + toJSON, parse + no-topology
 * region derivation, and the binary-parser implementation.
 */
import type { IortTable } from '../src/iort/index.js';
import type { MadtTable } from '../src/madt/index.js';
import { measure, type BenchTask, type Measured, type MeasureOptions } from './measure.js';
import { totalBytes, type CorpusTable } from './shared.js';
import { readDiagnostics, walkItems, walkItemViews, type Toolkit } from './toolkit.js';

export interface RegionFigures {
  /** What one unit of work is, e.g. "each DMAR" or "each IORT with its platform's APIC". */
  unit: string;
  tables: number;
  bytes: number;
  floor: Measured;
  run: Measured;
}

export interface GroupFigures {
  label: string;
  tables: number;
  bytes: number;
  checksum: Measured;
  parse: Measured;
  /** Parse + every item visited through the flyweight cursors (toolkit.ts `walkItems`). */
  walk: Measured;
  /** The same walk through the iterators, one view object per item (toolkit.ts `walkItemViews`). */
  walkViews: Measured;
  toJSON: Measured;
  regions: RegionFigures | undefined;
  regionsNote: string | undefined;
  /** The binary-parser implementation over the tables it reads, and ours over the same tables. */
  oracle: Measured | undefined;
  oracleParse: Measured;
  oracleToJSON: Measured;
  oracleNote: string | undefined;
}

/** The floor: one byte-sum pass per table, as the SDT checksum does it. */
export function checksumAll(tables: readonly Uint8Array[]): number {
  let acc = 0;
  for (const bytes of tables) {
    let sum = 0;
    for (let index = 0; index < bytes.length; index++) sum = (sum + bytes[index]!) & 0xff;
    acc += sum;
  }
  return acc;
}

export function parseAll(toolkit: Toolkit, tables: readonly Uint8Array[]): number {
  let acc = 0;
  for (const bytes of tables) acc += readDiagnostics(toolkit.parseTable(bytes)!.diagnostics);
  return acc;
}

export function walkAll(toolkit: Toolkit, tables: readonly Uint8Array[]): number {
  let acc = 0;
  for (const bytes of tables) acc += walkItems(toolkit.parseTable(bytes)!);
  return acc;
}

export function walkViewsAll(toolkit: Toolkit, tables: readonly Uint8Array[]): number {
  let acc = 0;
  for (const bytes of tables) acc += walkItemViews(toolkit.parseTable(bytes)!);
  return acc;
}

export function toJsonAll(toolkit: Toolkit, tables: readonly Uint8Array[]): number {
  let acc = 0;
  for (const bytes of tables) acc += Object.keys(toolkit.parseTable(bytes)!.toJSON()).length;
  return acc;
}

/** Parses every table of one unit (a platform, or one table) and derives its regions. */
export function parseAndDerive(toolkit: Toolkit, unit: readonly Uint8Array[]): number {
  let acc = 0;
  let iort: IortTable | undefined;
  let madt: MadtTable | undefined;
  for (const bytes of unit) {
    const table = toolkit.parseTable(bytes)!;
    acc += readDiagnostics(table.diagnostics);
    if (table.signature === 'DMAR') acc += toolkit.dmarRegions(table).length;
    else if (table.signature === 'IVRS') acc += toolkit.amdRegions(table).length;
    else if (table.signature === 'IORT') iort = table;
    else if (table.signature === 'APIC') madt = table;
  }
  if (iort !== undefined && toolkit.armRegions !== undefined) acc += toolkit.armRegions(iort, madt).length;
  return acc;
}

function oracleReads(oracle: NonNullable<Toolkit['oracle']>, table: CorpusTable): boolean {
  try {
    oracle(table.signature, table.bytes);
    return true;
  } catch {
    return false;
  }
}

function byPlatform(tables: readonly CorpusTable[]): Map<string, CorpusTable[]> {
  const platforms = new Map<string, CorpusTable[]>();
  for (const table of tables) {
    const list = platforms.get(table.platform) ?? [];
    list.push(table);
    platforms.set(table.platform, list);
  }
  return platforms;
}

/** Units of region work for a group; undefined when that group derives no regions. */
function regionUnits(label: string, group: readonly CorpusTable[], corpus: readonly CorpusTable[], toolkit: Toolkit): { unit: string; units: CorpusTable[][] } | undefined {
  if (label === 'DMAR' || label === 'IVRS') return { unit: `each ${label}`, units: group.map((table) => [table]) };
  if (label === 'IORT') {
    if (toolkit.armRegions === undefined) return undefined;
    const platforms = byPlatform(corpus);
    return {
      unit: "each IORT with its platform's APIC",
      units: group.map((table) => [table, ...(platforms.get(table.platform) ?? []).filter((other) => other.signature === 'APIC')]),
    };
  }
  if (label === 'all') {
    return { unit: `every table, grouped by platform (DMAR, IVRS${toolkit.armRegions === undefined ? '' : ', IORT+APIC'} → regions)`, units: [...byPlatform(group).values()] };
  }
  return undefined;
}

export function benchCorpus(corpus: readonly CorpusTable[], toolkit: Toolkit, options: MeasureOptions, log: (line: string) => void): GroupFigures[] {
  const groups: [string, CorpusTable[]][] = [
    ['DMAR', corpus.filter((table) => table.signature === 'DMAR')],
    ['IORT', corpus.filter((table) => table.signature === 'IORT')],
    ['APIC', corpus.filter((table) => table.signature === 'APIC')],
    ['IVRS', corpus.filter((table) => table.signature === 'IVRS')],
    ['all', [...corpus]],
  ];
  const out: GroupFigures[] = [];
  for (const [label, group] of groups) {
    if (group.length === 0) continue;
    const bytes = group.map((table) => table.bytes);
    const tasks: BenchTask[] = [
      { name: 'checksum', fn: () => checksumAll(bytes) },
      { name: 'parse', fn: () => parseAll(toolkit, bytes) },
      { name: 'walk', fn: () => walkAll(toolkit, bytes) },
      { name: 'walk views', fn: () => walkViewsAll(toolkit, bytes) },
      { name: 'toJSON', fn: () => toJsonAll(toolkit, bytes) },
    ];
    const regions = regionUnits(label, group, corpus, toolkit);
    let regionTables = 0;
    let regionBytes = 0;
    if (regions !== undefined) {
      const units = regions.units.map((unit) => unit.map((table) => table.bytes));
      const flat = units.flat();
      regionTables = flat.length;
      regionBytes = totalBytes(regions.units.flat());
      tasks.push({ name: 'regions', fn: () => units.reduce((acc, unit) => acc + parseAndDerive(toolkit, unit), 0) });
      tasks.push({ name: 'regions floor', fn: () => checksumAll(flat) });
    }
    const oracle = toolkit.oracle;
    let oracleNote = oracle === undefined ? 'fuzz/oracle.ts absent' : undefined;
    if (oracle !== undefined) {
      // Tables the binary-parser reading throws on are left out of both sides of the ratio.
      const readable = group.filter((table) => oracleReads(oracle, table));
      const readableBytes = readable.map((table) => table.bytes);
      const signatures = readable.map((table) => table.signature);
      if (readable.length < group.length) oracleNote = `binary-parser threw on ${group.length - readable.length} of ${group.length} tables; they are left out of this comparison`;
      if (readable.length > 0) {
        tasks.push({ name: 'oracle', fn: () => readableBytes.reduce((acc, table, index) => acc + (oracle(signatures[index]!, table) === undefined ? 0 : 1), 0) });
        if (readable.length < group.length) {
          tasks.push({ name: 'oracle ours parse', fn: () => parseAll(toolkit, readableBytes) });
          tasks.push({ name: 'oracle ours toJSON', fn: () => toJsonAll(toolkit, readableBytes) });
        }
      }
    }
    log(`  corpus ${label}: ${group.length} tables, ${tasks.length} tasks`);
    const measured = measure(tasks, options);
    out.push({
      label,
      tables: group.length,
      bytes: totalBytes(group),
      checksum: measured.get('checksum')!,
      parse: measured.get('parse')!,
      walk: measured.get('walk')!,
      walkViews: measured.get('walk views')!,
      toJSON: measured.get('toJSON')!,
      regions:
        regions === undefined
          ? undefined
          : { unit: regions.unit, tables: regionTables, bytes: regionBytes, floor: measured.get('regions floor')!, run: measured.get('regions')! },
      regionsNote:
        regions !== undefined ? undefined : label === 'APIC' ? 'APIC alone yields no regions (it is measured with its IORT)' : 'Arm no-topology derivation not available',
      oracle: measured.get('oracle'),
      oracleParse: measured.get('oracle ours parse') ?? measured.get('parse')!,
      oracleToJSON: measured.get('oracle ours toJSON') ?? measured.get('toJSON')!,
      oracleNote,
    });
  }
  return out;
}
