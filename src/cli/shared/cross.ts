/**
 * Cross-table findings for the CLI: tables loaded from the same place (one directory, one
 * acpidump text, one file list entry) describe one machine, so an IORT or DMAR is checked
 * against the MADT beside it.
 */
import { dirname } from 'node:path';
import type { Diagnostic } from '../../bytes/diagnostics.js';
import type { DmarTable } from '../../dmar/index.js';
import type { IortTable } from '../../iort/index.js';
import type { MadtTable } from '../../madt/index.js';
import type { ParsedInput } from './tables.js';

/** `dir/DMAR` and `dir/APIC` share `dir`; `dump.txt#1` and `dump.txt#3` share `dump.txt`. */
export function machineOf(source: string): string {
  const hash = source.lastIndexOf('#');
  return hash > 0 ? source.slice(0, hash) : dirname(source);
}

/** The parsed inputs of each machine (same directory, same text dump), in input order. */
export function machinesOf(parsed: readonly ParsedInput[]): ParsedInput[][] {
  const machines = new Map<string, ParsedInput[]>();
  for (const input of parsed) {
    const key = machineOf(input.source);
    const inputs = machines.get(key);
    if (inputs === undefined) machines.set(key, [input]);
    else inputs.push(input);
  }
  return [...machines.values()];
}

/** Adds `extra` to the findings of `input` in `result`. */
export function addFindings(result: Map<ParsedInput, Diagnostic[]>, input: ParsedInput, extra: readonly Diagnostic[]): void {
  if (extra.length === 0) return;
  const list = result.get(input);
  if (list === undefined) result.set(input, [...extra]);
  else list.push(...extra);
}

/** Extra diagnostics per parsed input, from crossCheck over each machine with exactly one MADT. */
export async function crossFindings(parsed: readonly ParsedInput[]): Promise<Map<ParsedInput, Diagnostic[]>> {
  const result = new Map<ParsedInput, Diagnostic[]>();
  for (const inputs of machinesOf(parsed)) {
    const madts = inputs.filter((input) => input.signature === 'APIC');
    if (madts.length !== 1) continue;
    const others = inputs.filter((input) => input.signature === 'DMAR' || input.signature === 'IORT');
    if (others.length === 0) continue;
    const { crossCheck } = await import('../../cross/checks.js');
    for (const input of others) {
      const findings = crossCheck({
        madt: madts[0]!.table as MadtTable,
        ...(input.signature === 'DMAR' ? { dmar: input.table as DmarTable } : { iort: input.table as IortTable }),
      });
      addFindings(result, input, input.signature === 'DMAR' ? findings.dmar : findings.iort);
    }
  }
  return result;
}
