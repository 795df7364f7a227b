/** `acpi-iommu dump`: every DMAR, IORT, APIC and IVRS found, as a compact listing or JSON. */
import { toJsonText } from '../../bytes/hex.js';
import { EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { colourWanted, makePaint, plural } from '../shared/style.js';
import { loadAndReport } from '../shared/tables.js';
import { renderTable } from './render.js';

export async function runDump(paths: string[], options: OutputOptions): Promise<number> {
  const inputs = await loadAndReport(paths, options.verbose);
  if (options.json === true) {
    // Always an array, even for one table, so scripts need no special case.
    const items = inputs.parsed.map((input) => ({ source: input.source, table: input.table.toJSON() }));
    process.stdout.write(`${toJsonText(items)}\n`);
  } else {
    const paint = makePaint(colourWanted(options.color));
    const blocks = inputs.parsed.map((input) => renderTable(input, paint).join('\n'));
    if (blocks.length > 0) process.stdout.write(`${blocks.join('\n\n')}\n`);
    else if (inputs.failures.length === 0) process.stderr.write(`acpi-iommu: no DMAR, IORT, APIC or IVRS table in the inputs${skippedHint(inputs.skippedDirectories)}\n`);
  }
  return inputs.failures.length > 0 ? EXIT_INPUT : EXIT_OK;
}

/** Directories are read one level deep (plus sysfs dynamic/); say so when that found nothing. */
function skippedHint(directories: readonly string[]): string {
  if (directories.length === 0) return '';
  return ` (${plural(directories.length, 'subdirectory')} not read; name them directly, or see --verbose)`;
}
