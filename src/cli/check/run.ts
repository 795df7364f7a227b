/**
 * `acpi-iommu check`: one line per finding, `source:0xOFFSET: severity code message`.
 * Exit 0 when no error-level finding, 1 when any, 2 when an input could not be read.
 * `--strict` adds the `lint.*` findings of src/lint (printed, counted and exited on alike).
 */
import { compareDiagnostics, type Diagnostic } from '../../bytes/diagnostics.js';
import { toJsonText } from '../../bytes/hex.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { colourWanted, makePaint, paintSeverity, plural, severitySummary, type Paint } from '../shared/style.js';
import { crossFindings } from '../shared/cross.js';
import type { LoadedTable } from '../../node/index.js';
import { loadAndReport, nothingReadable, printable, type ParsedInput } from '../shared/tables.js';

export interface CheckOptions extends OutputOptions {
  quiet?: boolean;
  strict?: boolean;
}

export async function runCheck(paths: string[], options: CheckOptions): Promise<number> {
  const inputs = await loadAndReport(paths, options.verbose, options.recursive);
  const nothing = nothingReadable(inputs);
  if (nothing !== undefined) process.stderr.write(`acpi-iommu: ${nothing}\n`);
  const cross = await crossFindings(inputs.parsed);
  const strict = options.strict === true ? await (await import('./strict.js')).strictFindings(inputs.parsed) : new Map<ParsedInput, Diagnostic[]>();
  const all = new Map(inputs.parsed.map((input) => [input, sorted([...input.table.diagnostics, ...(cross.get(input) ?? []), ...(strict.get(input) ?? [])])]));
  const findingsOf = (input: ParsedInput) => all.get(input) ?? [];
  const keep = (severity: string) => options.quiet !== true || severity === 'error';
  if (options.json === true) {
    const items = inputs.parsed.map((input) => ({
      source: input.source,
      signature: input.signature,
      diagnostics: findingsOf(input).filter((item) => keep(item.severity)),
      ...(input.inputDiagnostics.length > 0 ? { inputDiagnostics: input.inputDiagnostics.filter((item) => keep(item.severity)) } : {}),
    }));
    process.stdout.write(`${toJsonText(items)}\n`);
  } else {
    const paint = makePaint(colourWanted(options.color));
    const lines = inputs.parsed.flatMap((input) => findingLines(input, findingsOf(input), keep, paint));
    if (options.quiet !== true && inputs.parsed.length > 0) lines.push(summaryLine(inputs.parsed.map(findingsOf), inputs.ignored));
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (inputs.failures.length > 0 || nothing !== undefined) return EXIT_INPUT;
  const anyError = inputs.parsed.some((input) => findingsOf(input).some((item) => item.severity === 'error'));
  return anyError ? EXIT_FINDINGS : EXIT_OK;
}

function sorted(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(compareDiagnostics);
}

function findingLines(input: ParsedInput, findings: readonly Diagnostic[], keep: (severity: string) => boolean, paint: Paint): string[] {
  const lines: string[] = [];
  for (const item of input.inputDiagnostics) {
    if (keep(item.severity)) lines.push(`${input.source}:line ${item.line}: ${paintSeverity(paint, item.severity)} ${item.code} ${item.message}`);
  }
  for (const item of findings) {
    if (keep(item.severity)) lines.push(`${input.source}:0x${item.offset.toString(16).padStart(4, '0')}: ${paintSeverity(paint, item.severity)} ${item.code} ${item.message}`);
  }
  return lines;
}

/** Every table read is accounted for: checked, or named as one acpi-iommu does not check. */
function summaryLine(findingsPerTable: readonly (readonly Diagnostic[])[], ignored: readonly LoadedTable[]): string {
  const count = { error: 0, warning: 0, info: 0 };
  for (const findings of findingsPerTable) for (const item of findings) count[item.severity]++;
  const others = ignored.length === 0 ? '' : `; ${plural(ignored.length, 'other table')} not checked (${[...new Set(ignored.map((table) => printable(table.signature)))].join(', ')})`;
  return `checked ${plural(findingsPerTable.length, 'table')}: ${severitySummary(count)}${others}`;
}
