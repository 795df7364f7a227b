/** `acpi-iommu dump`: every DMAR, IORT and APIC found, as a compact listing or JSON. */
import { toJsonText } from '../../bytes/hex.js';
import { EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { colourWanted, makePaint } from '../shared/style.js';
import { documentOf, failuresJson } from '../shared/document.js';
import { loadAndReport, nothingReadable, printable } from '../shared/tables.js';
import { renderTable } from './render.js';

export async function runDump(paths: string[], options: OutputOptions): Promise<number> {
  const inputs = await loadAndReport(paths, options.verbose, options.recursive);
  const nothing = nothingReadable(inputs);
  if (nothing !== undefined) process.stderr.write(`acpi-iommu: ${nothing}\n`);
  if (options.json === true) {
    // `tables` is always an array, even for one table, so scripts need no special case.
    const tables = inputs.parsed.map((input) => ({ source: input.source, signature: input.signature, table: input.table.toJSON() }));
    const notRead = inputs.ignored.map((table) => ({ source: table.source, signature: printable(table.signature) }));
    const summary = { tables: tables.length, notRead: notRead.length, unreadable: inputs.failures.length };
    process.stdout.write(`${toJsonText(documentOf('dump', { tables, notRead, failures: failuresJson(inputs.failures), summary }))}\n`);
  } else {
    const paint = makePaint(colourWanted(options.color));
    const blocks = inputs.parsed.map((input) => renderTable(input, paint, options.verbose === true).join('\n'));
    if (blocks.length > 0) process.stdout.write(`${blocks.join('\n\n')}\n`);
  }
  return inputs.failures.length > 0 || nothing !== undefined ? EXIT_INPUT : EXIT_OK;
}
