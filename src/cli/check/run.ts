/**
 * `acpi-iommu check`: one line per finding, `source:0xOFFSET: severity code message`; or JSON,
 * SARIF 2.1.0 or GitHub annotations (`--format`). Exit 0 when no kept finding reaches
 * `--fail-on` (default error), 1 when one does, 2 when an input could not be read or held no
 * table acpi-iommu reads. `--ignore CODE` leaves a code out of output, counts and exit status.
 * `--strict` adds the `lint.*` findings of src/lint (printed, counted and exited on alike).
 */
import { compareDiagnostics, type Diagnostic } from '../../bytes/diagnostics.js';
import type { LoadedTable } from '../../node/index.js';
import { ciSettings, githubAnnotations, isIgnored, sarifLog, summarize, type CiOptions, type LocatedFinding, type Summary } from '../shared/ci-formats.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { documentOf, failuresJson } from '../shared/document.js';
import { colourWanted, makePaint, paintSeverity, plural, severitySummary, wrapForTerminal, type Paint } from '../shared/style.js';
import { crossFindings } from '../shared/cross.js';
import { loadAndReport, nothingReadable, printable, type ParsedInput, type ParsedInputs } from '../shared/tables.js';
import { writeJson, writeLines } from '../shared/output.js';

export interface CheckOptions extends OutputOptions, CiOptions {
  quiet?: boolean;
  strict?: boolean;
}

/** One table's kept findings: byte findings of the table, line findings of its acpidump text. */
interface Checked {
  input: ParsedInput;
  diagnostics: Diagnostic[];
  lines: ParsedInput['inputDiagnostics'];
}

export async function runCheck(paths: string[], options: CheckOptions): Promise<number> {
  const settings = ciSettings(options);
  if (typeof settings === 'string') {
    process.stderr.write(`acpi-iommu: ${settings}\n`);
    return EXIT_INPUT;
  }
  const { format, gate } = settings;
  const inputs = await loadAndReport(paths, options.verbose, options.recursive);
  const nothing = nothingReadable(inputs);
  if (nothing !== undefined) process.stderr.write(`acpi-iommu: ${nothing}\n`);
  const cross = await crossFindings(inputs.parsed);
  const strict = options.strict === true ? await (await import('./strict.js')).strictFindings(inputs.parsed) : new Map<ParsedInput, Diagnostic[]>();
  let ignoredCount = 0;
  const keepCode = <T extends { code: string }>(items: readonly T[]): T[] => items.filter((item) => (isIgnored(item.code, gate) ? (ignoredCount++, false) : true));
  const checked: Checked[] = inputs.parsed.map((input) => ({
    input,
    diagnostics: keepCode(sorted([...input.table.diagnostics, ...(cross.get(input) ?? []), ...(strict.get(input) ?? [])])),
    lines: keepCode(input.inputDiagnostics),
  }));
  const located = checked.flatMap(locate);
  const summary = summarize(located, ignoredCount, gate);
  // --quiet trims what is printed, never what is counted.
  const shown = (severity: string) => options.quiet !== true || severity === 'error';
  if (format === 'json') {
    await writeJson(checkDocument(checked, inputs, summary, shown));
  } else if (format === 'sarif') {
    const [{ packageVersion }, rules] = await Promise.all([import('../../node/package-info.js'), allCodes()]);
    await writeJson(sarifLog(located.filter((item) => shown(item.severity)), { version: packageVersion(), rules }));
  } else if (format === 'github') {
    const lines = githubAnnotations(located.filter((item) => shown(item.severity)));
    if (inputs.parsed.length > 0) lines.push(summaryLine(checked.length, summary, inputs.ignored));
    await writeLines(lines);
  } else {
    const paint = makePaint(colourWanted(options.color));
    const lines = checked.flatMap((item) => findingLines(item, shown, paint));
    if (options.quiet !== true && inputs.parsed.length > 0) lines.push(summaryLine(checked.length, summary, inputs.ignored));
    if (lines.length > 0) await writeLines(wrapForTerminal(lines));
  }
  if (inputs.failures.length > 0 || nothing !== undefined) return EXIT_INPUT;
  return summary.failed ? EXIT_FINDINGS : EXIT_OK;
}

function sorted(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(compareDiagnostics);
}

function locate(item: Checked): LocatedFinding[] {
  const source = item.input.source;
  return [
    ...item.lines.map((line) => ({ source, code: line.code, severity: line.severity, message: line.message, line: line.line })),
    ...item.diagnostics.map((found) => ({ source, code: found.code, severity: found.severity, message: found.message, offset: found.offset, length: found.length, omitted: found.omitted })),
  ];
}

/** Every code the library raises, for SARIF rule descriptions. */
async function allCodes(): Promise<Record<string, { summary: string; severity: Diagnostic['severity'] }>> {
  const [{ CODE_GROUPS }, { DUMP_CODES }] = await Promise.all([import('../../codes.js'), import('../../node/acpidump-text.js')]);
  return Object.assign({}, ...CODE_GROUPS.map((group) => group.codes), DUMP_CODES);
}

function checkDocument(checked: readonly Checked[], inputs: ParsedInputs, summary: Summary, shown: (severity: string) => boolean) {
  return documentOf('check', {
    tables: checked.map((item) => ({
      source: item.input.source,
      signature: item.input.signature,
      diagnostics: item.diagnostics.filter((found) => shown(found.severity)),
      ...(item.lines.length > 0 ? { inputDiagnostics: item.lines.filter((found) => shown(found.severity)) } : {}),
    })),
    notChecked: inputs.ignored.map((table) => ({ source: table.source, signature: printable(table.signature) })),
    failures: failuresJson(inputs.failures),
    summary: { tables: checked.length, notChecked: inputs.ignored.length, unreadable: inputs.failures.length, ...summary },
  });
}

function findingLines(item: Checked, shown: (severity: string) => boolean, paint: Paint): string[] {
  const source = item.input.source;
  return [
    ...item.lines.filter((found) => shown(found.severity)).map((found) => `${source}:line ${found.line}: ${paintSeverity(paint, found.severity)} ${found.code} ${found.message}`),
    ...item.diagnostics.filter((found) => shown(found.severity)).map((found) => `${source}:0x${found.offset.toString(16).padStart(4, '0')}: ${paintSeverity(paint, found.severity)} ${found.code} ${found.message}`),
  ];
}

/** Every table read is accounted for: checked, or named as one acpi-iommu does not check. */
function summaryLine(tables: number, summary: Summary, ignored: readonly LoadedTable[]): string {
  const others = ignored.length === 0 ? '' : `; ${plural(ignored.length, 'other table')} not checked (${[...new Set(ignored.map((table) => printable(table.signature)))].join(', ')})`;
  const left = summary.ignored === 0 ? '' : `; ${plural(summary.ignored, 'finding')} ignored (--ignore)`;
  const gate = summary.failOn === 'warning' ? '; failing on warnings' : '';
  return `checked ${plural(tables, 'table')}: ${severitySummary(summary)}${others}${left}${gate}`;
}
