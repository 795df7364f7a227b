/** `acpi-iommu dump`: every DMAR, IORT, APIC and IVRS found, as a compact listing or JSON. */
import { EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { colourWanted, makePaint, wrapForTerminal, type Paint } from '../shared/style.js';
import { documentOf, failuresJson } from '../shared/document.js';
import { loadAndReport, nothingReadable, printable, type ParsedInput } from '../shared/tables.js';
import { lazyTableJson } from '../shared/lazy-table.js';
import { LazyJsonArray, writeJson, writeLines } from '../shared/output.js';
import { renderTable } from './render.js';

export async function runDump(paths: string[], options: OutputOptions): Promise<number> {
  const inputs = await loadAndReport(paths, options.verbose, options.recursive);
  const nothing = nothingReadable(inputs);
  if (nothing !== undefined) process.stderr.write(`acpi-iommu: ${nothing}\n`);
  if (options.json === true) {
    // `tables` is always an array, even for one table, so scripts need no special case. One
    // table's JSON is made at a time, while it is written.
    const tables = new LazyJsonArray(lazyMap(inputs.parsed, (input) => ({ source: input.source, signature: input.signature, table: lazyTableJson(input.table) })));
    const notRead = inputs.ignored.map((table) => ({ source: table.source, signature: printable(table.signature) }));
    const summary = { tables: inputs.parsed.length, notRead: notRead.length, unreadable: inputs.failures.length };
    await writeJson(documentOf('dump', { tables, notRead, failures: failuresJson(inputs.failures), summary }));
  } else {
    const paint = makePaint(colourWanted(options.color));
    if (inputs.parsed.length > 0) await writeLines(wrapForTerminal(blockLines(inputs.parsed, paint, options.verbose === true)));
  }
  return inputs.failures.length > 0 || nothing !== undefined ? EXIT_INPUT : EXIT_OK;
}

function* lazyMap<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

/** Each table's lines, a blank line between tables; one table's lines exist at a time. */
function* blockLines(parsed: readonly ParsedInput[], paint: Paint, complete: boolean): Generator<string> {
  for (const [index, input] of parsed.entries()) {
    if (index > 0) yield '';
    yield* renderTable(input, paint, complete);
  }
}
