/**
 * `check --strict`: the lint rules of src/lint over every parsed input. A MADT is linted
 * against the IORT of its machine (same directory or text dump) when there is exactly one.
 */
import type { Diagnostic } from '../../bytes/diagnostics.js';
import type { DmarTable } from '../../dmar/index.js';
import type { IortTable } from '../../iort/index.js';
import type { IvrsTable } from '../../ivrs/index.js';
import type { MadtTable } from '../../madt/index.js';
import { addFindings, machinesOf } from '../shared/cross.js';
import type { ParsedInput } from '../shared/tables.js';

export async function strictFindings(parsed: readonly ParsedInput[]): Promise<Map<ParsedInput, Diagnostic[]>> {
  const lint = await import('../../lint/index.js');
  const result = new Map<ParsedInput, Diagnostic[]>();
  for (const inputs of machinesOf(parsed)) {
    const iorts = inputs.filter((input) => input.signature === 'IORT');
    const iort = iorts.length === 1 ? (iorts[0]!.table as IortTable) : undefined;
    for (const input of inputs) {
      if (input.signature === 'DMAR') addFindings(result, input, lint.lintDmarTable(input.table as DmarTable));
      else if (input.signature === 'IORT') addFindings(result, input, lint.lintIortTable(input.table as IortTable));
      else if (input.signature === 'APIC') addFindings(result, input, lint.lintMadtTable(input.table as MadtTable, iort));
      else if (input.signature === 'IVRS') addFindings(result, input, lint.lintIvrsTable(input.table as IvrsTable));
    }
  }
  return result;
}
