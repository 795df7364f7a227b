/**
 * `acpi-iommu check`: one line per finding, `source:0xOFFSET: severity code message`; or JSON,
 * SARIF 2.1.0 or GitHub annotations (`--format`). Exit 0 when no kept finding reaches
 * `--fail-on` (default error), 1 when one does, 2 when an input could not be read or held no
 * table acpi-iommu reads. `--ignore CODE` leaves a code out of output, counts and exit status.
 * `--strict` adds the `lint.*` findings of src/lint (printed, counted and exited on alike).
 */
import { compareDiagnostics, type Diagnostic } from '../../bytes/diagnostics.js';
import type { InputFailure, LoadedTable } from '../../node/index.js';
import { ciSettings, githubAnnotations, isIgnored, sarifLog, summarize, type CiOptions, type Gate, type LocatedFinding, type Summary } from '../shared/ci-formats.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { documentOf, failuresJson } from '../shared/document.js';
import { colourWanted, makePaint, paintSeverity, plural, severitySummary, wrapForTerminal, type Paint } from '../shared/style.js';
import { crossFindings } from '../shared/cross.js';
import { loadAndReport, nothingReadable, printable, type ParsedInput, type ParsedInputs } from '../shared/tables.js';
import { writeJson, writeLines } from '../shared/output.js';
import type { JobsOptions } from '../shared/machines-option.js';

export interface CheckOptions extends OutputOptions, CiOptions, JobsOptions {
  quiet?: boolean;
  strict?: boolean;
}

/** One table's kept findings: byte findings of the table, line findings of its acpidump text. */
export interface Checked {
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
  const { jobsWanted, planMachines } = await import('../shared/machines-option.js');
  const jobs = jobsWanted(options);
  if (typeof jobs === 'string') {
    process.stderr.write(`acpi-iommu: ${jobs}\n`);
    return EXIT_INPUT;
  }
  const machines = await planMachines(paths, options);
  if (machines !== undefined) return (await import('./machines.js')).runCheckOverMachines(machines, options, { format, gate, jobs });
  const inputs = await loadAndReport(paths, options.verbose, options.recursive);
  const nothing = nothingReadable(inputs);
  if (nothing !== undefined) process.stderr.write(`acpi-iommu: ${nothing}\n`);
  const { checked, located, ignoredCount } = await checkParsed(inputs.parsed, options.strict === true, gate);
  const summary = summarize(located, ignoredCount, gate);
  // --quiet trims what is printed, never what is counted.
  const shown = shownFor(options);
  if (format === 'json') {
    await writeJson(documentOf('check', { tables: checked.map((item) => tableEntry(item, shown)), ...checkTail(inputs, checked.length, summary) }));
  } else if (format === 'sarif') {
    await writeJson(await checkSarif(located.filter((item) => shown(item.severity))));
  } else if (format === 'github') {
    const lines = githubAnnotations(located.filter((item) => shown(item.severity)));
    if (inputs.parsed.length > 0) lines.push(summaryLine(plural(checked.length, 'table'), summary, inputs.ignored));
    await writeLines(lines);
  } else {
    const paint = makePaint(colourWanted(options.color));
    const lines = located.filter((item) => shown(item.severity)).map((item) => findingLine(item, paint));
    if (options.quiet !== true && inputs.parsed.length > 0) lines.push(summaryLine(plural(checked.length, 'table'), summary, inputs.ignored));
    if (lines.length > 0) await writeLines(wrapForTerminal(lines));
  }
  if (inputs.failures.length > 0 || nothing !== undefined) return EXIT_INPUT;
  return summary.failed ? EXIT_FINDINGS : EXIT_OK;
}

/** --quiet: error-level findings only. */
export function shownFor(options: CheckOptions): (severity: string) => boolean {
  return (severity) => options.quiet !== true || severity === 'error';
}

/** Every kept finding of the parsed tables of one run (or one unit of machines), with --strict's and the cross-table ones. */
export async function checkParsed(parsed: readonly ParsedInput[], strictRules: boolean, gate: Gate): Promise<{ checked: Checked[]; located: LocatedFinding[]; ignoredCount: number }> {
  const cross = await crossFindings(parsed);
  const strict = strictRules ? await (await import('./strict.js')).strictFindings(parsed) : new Map<ParsedInput, Diagnostic[]>();
  let ignoredCount = 0;
  const keepCode = <T extends { code: string }>(items: readonly T[]): T[] => items.filter((item) => (isIgnored(item.code, gate) ? (ignoredCount++, false) : true));
  const checked: Checked[] = parsed.map((input) => ({
    input,
    diagnostics: keepCode(sorted([...input.table.diagnostics, ...(cross.get(input) ?? []), ...(strict.get(input) ?? [])])),
    lines: keepCode(input.inputDiagnostics),
  }));
  return { checked, located: checked.flatMap(locate), ignoredCount };
}

/** SARIF 2.1.0 of the findings, with every code's description. */
export async function checkSarif(located: readonly LocatedFinding[]): Promise<unknown> {
  const [{ packageVersion }, rules] = await Promise.all([import('../../node/package-info.js'), allCodes()]);
  return sarifLog(located, { version: packageVersion(), rules });
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

/** One table of `check --json`'s `tables`. */
export function tableEntry(item: Checked, shown: (severity: string) => boolean) {
  return {
    source: item.input.source,
    signature: item.input.signature,
    diagnostics: item.diagnostics.filter((found) => shown(found.severity)),
    ...(item.lines.length > 0 ? { inputDiagnostics: item.lines.filter((found) => shown(found.severity)) } : {}),
  };
}

/** What follows the tables in `check --json`. */
export function checkTail(inputs: { ignored: readonly Pick<LoadedTable, 'source' | 'signature'>[]; failures: readonly InputFailure[] }, tables: number, summary: Summary) {
  return {
    notChecked: inputs.ignored.map((table) => ({ source: table.source, signature: printable(table.signature) })),
    failures: failuresJson(inputs.failures),
    summary: { tables, notChecked: inputs.ignored.length, unreadable: inputs.failures.length, ...summary },
  };
}

/** `source:0xOFFSET: severity code message`, or `source:line N: …` for a line of an acpidump text. */
export function findingLine(found: LocatedFinding, paint: Paint): string {
  const where = found.line !== undefined ? `line ${found.line}` : `0x${(found.offset ?? 0).toString(16).padStart(4, '0')}`;
  return `${found.source}:${where}: ${paintSeverity(paint, found.severity)} ${found.code} ${found.message}`;
}

/** Every table read is accounted for: checked, or named as one acpi-iommu does not check. */
export function summaryLine(checked: string, summary: Summary, ignored: readonly Pick<LoadedTable, 'signature'>[]): string {
  const others = ignored.length === 0 ? '' : `; ${plural(ignored.length, 'other table')} not checked (${[...new Set(ignored.map((table) => printable(table.signature)))].join(', ')})`;
  const left = summary.ignored === 0 ? '' : `; ${plural(summary.ignored, 'finding')} ignored (--ignore)`;
  const gate = summary.failOn === 'warning' ? '; failing on warnings' : '';
  return `checked ${checked}: ${severitySummary(summary)}${others}${left}${gate}`;
}
