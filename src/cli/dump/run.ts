/** `acpi-iommu dump`: every DMAR, IORT, APIC and IVRS found, as a compact listing or JSON. */
import { EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { colourWanted, makePaint, plural, type Paint } from '../shared/style.js';
import { loadAndReport, type ParsedInput } from '../shared/tables.js';
import { lazyTableJson } from '../shared/lazy-table.js';
import { LazyJsonArray, writeJson, writeLines } from '../shared/output.js';
import { renderTable } from './render.js';

export async function runDump(paths: string[], options: OutputOptions): Promise<number> {
  const inputs = await loadAndReport(paths, options.verbose);
  if (options.json === true) {
    // Always an array, even for one table, so scripts need no special case. One table's
    // JSON is made at a time, while it is written.
    await writeJson(new LazyJsonArray(lazyMap(inputs.parsed, (input) => ({ source: input.source, table: lazyTableJson(input.table) }))));
  } else {
    const paint = makePaint(colourWanted(options.color));
    if (inputs.parsed.length > 0) await writeLines(blockLines(inputs.parsed, paint));
    else if (inputs.failures.length === 0) process.stderr.write(`acpi-iommu: no DMAR, IORT, APIC or IVRS table in the inputs${skippedHint(inputs.skippedDirectories)}\n`);
  }
  return inputs.failures.length > 0 ? EXIT_INPUT : EXIT_OK;
}

/** Directories are read one level deep (plus sysfs dynamic/); say so when that found nothing. */
function skippedHint(directories: readonly string[]): string {
  if (directories.length === 0) return '';
  return ` (${plural(directories.length, 'subdirectory')} not read; name them directly, or see --verbose)`;
}

function* lazyMap<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

/** Each table's lines, a blank line between tables; one table's lines exist at a time. */
function* blockLines(parsed: readonly ParsedInput[], paint: Paint): Generator<string> {
  for (const [index, input] of parsed.entries()) {
    if (index > 0) yield '';
    yield* renderTable(input, paint);
  }
}
