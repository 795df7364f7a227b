/**
 * What the benchmarks call, in one place: the parsers, the no-topology region derivation
 * (src/regions `unscopedRegions`) and the independent binary-parser implementation
 * (fuzz/oracle.ts), which is loaded only when present.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../src/bytes/diagnostics.js';
import type { DmarTable } from '../src/dmar/index.js';
import type { IortTable } from '../src/iort/index.js';
import type { IvrsTable } from '../src/ivrs/index.js';
import type { MadtTable } from '../src/madt/index.js';
import { unscopedRegions } from '../src/analyze.js';
import { parseTable, type AnyTable } from '../src/table.js';

type OracleModule = typeof import('../fuzz/oracle.js');

export interface Toolkit {
  parseTable(bytes: Uint8Array): AnyTable | undefined;
  /** Every region a DMAR produces, with the structure that claims it (no topology). */
  dmarRegions(table: DmarTable): readonly unknown[];
  /** Same for an IORT (+ the platform's MADT for ITS doorbells); undefined if not available. */
  armRegions: ((iort: IortTable, madt: MadtTable | undefined) => readonly unknown[]) | undefined;
  /** Same for an IVRS (AMD, no topology). */
  amdRegions(table: IvrsTable): readonly unknown[];
  /** The binary-parser implementation, by signature; undefined if fuzz/oracle.ts is absent. */
  oracle: ((signature: string, bytes: Uint8Array) => unknown) | undefined;
  notes: string[];
}

/** Reads what a user pays for validation: every diagnostic's fields. */
export function readDiagnostics(diagnostics: readonly Diagnostic[]): number {
  let acc = diagnostics.length;
  for (const diagnostic of diagnostics) acc += diagnostic.offset + diagnostic.message.length + diagnostic.code.length;
  return acc;
}

/**
 * Visits every item of a parsed table through the flyweight cursors of the public API (DMAR
 * structures and their device scopes, IORT nodes and their ID mappings, MADT entries, IVRS
 * blocks and their device entries), reading one field of each: what a consumer walking the
 * table pays on the fast path.
 */
export function walkItems(table: AnyTable): number {
  let acc = 0;
  if (table.signature === 'DMAR') {
    table.forEachStructure((structure) => {
      acc += structure.length;
      if ('forEachDeviceScope' in structure) structure.forEachDeviceScope((scope) => (acc += scope.length));
    });
  } else if (table.signature === 'IORT') {
    table.forEachNode((node) => {
      acc += node.length;
      node.forEachIdMapping((mapping) => (acc += mapping.idCount));
    });
  } else if (table.signature === 'APIC') {
    table.forEachEntry((entry) => (acc += entry.length));
  } else {
    table.forEachBlock((block) => {
      acc += block.length;
      if (block.kind === 'ivhd') block.forEachEntry((entry) => (acc += entry.offset));
    });
  }
  return acc;
}

/** The same walk through the iterators, which build one view object per item (views that may be kept). */
export function walkItemViews(table: AnyTable): number {
  let acc = 0;
  if (table.signature === 'DMAR') {
    for (const structure of table.structures()) {
      acc += structure.length;
      if ('deviceScopes' in structure) for (const scope of structure.deviceScopes()) acc += scope.length;
    }
  } else if (table.signature === 'IORT') {
    for (const node of table.nodes()) {
      acc += node.length;
      for (const mapping of node.idMappings()) acc += mapping.idCount;
    }
  } else if (table.signature === 'APIC') {
    for (const entry of table.entries()) acc += entry.length;
  } else {
    for (const block of table.blocks()) {
      acc += block.length;
      if (block.kind === 'ivhd') for (const entry of block.entries()) acc += entry.offset;
    }
  }
  return acc;
}

export async function loadToolkit(): Promise<Toolkit> {
  const notes: string[] = [];
  return {
    parseTable,
    dmarRegions: (dmar) => unscopedRegions({ dmar }, 'intel'),
    armRegions: (iort, madt) => unscopedRegions({ iort, madt }, 'arm'),
    amdRegions: (ivrs) => unscopedRegions({ ivrs }, 'amd'),
    oracle: await loadOracle(notes),
    notes,
  };
}

async function loadOracle(notes: string[]): Promise<Toolkit['oracle']> {
  // Next to this module: fuzz/oracle.ts under tsx, fuzz/oracle.js in the tsc-compiled child.
  const url = new URL('../fuzz/oracle.js', import.meta.url);
  const file = fileURLToPath(url);
  if (!existsSync(file) && !existsSync(file.replace(/\.js$/, '.ts'))) {
    notes.push('fuzz/oracle.ts (binary-parser implementation) is not present: the ratio to it is skipped.');
    return undefined;
  }
  try {
    const { ORACLES } = (await import(url.href)) as OracleModule;
    return (signature, bytes) => ORACLES[signature]!(bytes);
  } catch (error) {
    notes.push(`fuzz/oracle.ts could not be loaded (${String(error).split('\n')[0]}): the ratio to it is skipped.`);
    return undefined;
  }
}
