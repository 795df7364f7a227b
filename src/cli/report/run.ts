/**
 * `acpi-iommu report [input...]`: tables found, IOMMU units, reserved memory and a
 * diagnostics summary. Without inputs it reads the live machine; when the machine has no
 * DMAR, IORT or IVRS it says so and reports the bundled sample platform instead.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InputFailure } from '../../node/index.js';
import { documentOf, failuresJson } from '../shared/document.js';
import { EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { colourWanted, makePaint, wrapForTerminal } from '../shared/style.js';
import { writeJson, writeLines } from '../shared/output.js';
import { archiveTopologyOf, loadAndParse, loadAndReport, nothingReadable, parseLoaded, plainJson, printFailures, printNotes, type ParsedInput, type ParsedInputs } from '../shared/tables.js';
import { REPORT_SECTIONS, type ReportContext } from './sections.js';
import { reportSummary } from './section-diagnostics.js';
import { liveFallbackSentence, SAMPLES_FOLDER } from './live.js';
import type { JobsOptions } from '../shared/machines-option.js';

const LIVE_TABLES = '/sys/firmware/acpi/tables';
const LIVE_SYSFS = '/sys';
/** A PCI topology in JSON form beside the tables of a directory input (the samples have one). */
export const TOPOLOGY_BESIDE_TABLES = 'pci.json';
/** The tables that describe an IOMMU (Intel, Arm, AMD). */
const IOMMU_SIGNATURES = new Set(['DMAR', 'IORT', 'IVRS']);

export interface ReportOptions extends OutputOptions, JobsOptions {
  pci?: string;
}

/** --pci, else the pci.json of a single directory input (or a single collect archive), else nothing. */
async function topologyFor(paths: readonly string[], options: ReportOptions): Promise<string | undefined> {
  if (options.pci !== undefined) return options.pci;
  const archive = await archiveTopologyOf(paths);
  if (archive !== undefined) return archive;
  if (paths.length !== 1 || !existsSync(paths[0]!) || !statSync(paths[0]!).isDirectory()) return undefined;
  const beside = join(paths[0]!, TOPOLOGY_BESIDE_TABLES);
  return existsSync(beside) ? beside : undefined;
}

export async function runReport(paths: string[], options: ReportOptions): Promise<number> {
  if (paths.length > 0) {
    const machines = await reportMachines(paths, options);
    if (machines !== undefined) return machines;
    const inputs = await loadAndReport(paths, options.verbose, options.recursive);
    const nothing = nothingReadable(inputs);
    if (nothing !== undefined) {
      process.stderr.write(`acpi-iommu: ${nothing}\n`);
      return EXIT_INPUT;
    }
    await printReport(contextOf(paths.join(' '), inputs, await topologyFor(paths, options), options.verbose === true), options, [], inputs.failures);
    return inputs.failures.length > 0 ? EXIT_INPUT : EXIT_OK;
  }
  return reportLive(LIVE_TABLES, LIVE_SYSFS, options);
}

/**
 * With -r over a tree of several machines: the run over them (report/machines.ts), or undefined
 * to report the inputs as one machine. Without -r, several inputs are one machine, as always.
 */
async function reportMachines(paths: readonly string[], options: ReportOptions): Promise<number | undefined> {
  const { jobsWanted, planMachines } = await import('../shared/machines-option.js');
  const jobs = jobsWanted(options);
  if (typeof jobs === 'string') return refuse(jobs);
  const plan = options.recursive === true ? await planMachines(paths, options) : undefined;
  if (plan === undefined) return undefined;
  if (options.pci !== undefined) return refuse(`--pci names one machine's topology; over several machines (${plan.units.length} folders) each one's ${TOPOLOGY_BESIDE_TABLES} is read`);
  return (await import('./machines.js')).runReportOverMachines(paths, plan, options, jobs);
}

function refuse(message: string): number {
  process.stderr.write(`acpi-iommu: ${message}\n`);
  return EXIT_INPUT;
}

/** The machine whose ACPI tables and sysfs are at these roots, or the bundled sample without an IOMMU table. */
export async function reportLive(tablesRoot: string, sysfsRoot: string, options: ReportOptions): Promise<number> {
  const [{ loadInputs }, { packagePath }] = await Promise.all([import('../../node/inputs.js'), import('../../node/package-info.js')]);
  const live = await parseLoaded(await loadInputs([tablesRoot]));
  printNotes(live, options.verbose === true);
  if (live.parsed.some((input) => IOMMU_SIGNATURES.has(input.signature))) {
    printFailures(live.failures);
    const liveTopology = options.pci ?? (existsSync(join(sysfsRoot, 'bus', 'pci', 'devices')) ? sysfsRoot : undefined);
    await printReport(contextOf(tablesRoot, live, liveTopology, options.verbose === true), options, [], live.failures);
    return live.failures.length > 0 ? EXIT_INPUT : EXIT_OK;
  }
  const samplesPath = packagePath(SAMPLES_FOLDER);
  const samples = await loadAndParse([samplesPath]);
  const preface = [liveFallbackSentence(tablesRoot, live)];
  if (samples.parsed.length === 0) {
    preface.push(`The bundled sample platform (${samplesPath}) is not installed, so there is nothing more to show.`);
    await printReport(undefined, options, preface);
    return EXIT_OK;
  }
  preface.push(`Showing the bundled sample platform instead (${samplesPath}).`);
  await printReport(contextOf(`the bundled sample platform (${SAMPLES_FOLDER})`, samples, await topologyFor([samplesPath], options)), options, preface);
  return EXIT_OK;
}

export function contextOf(origin: string, inputs: Pick<ParsedInputs, 'parsed' | 'ignored'>, topologyPath: string | undefined, complete = false): ReportContext {
  const cache = new Map<ParsedInput, ReturnType<typeof plainJson>>();
  return {
    origin,
    topologyPath,
    complete,
    parsed: inputs.parsed,
    ignored: inputs.ignored,
    plain(input) {
      let json = cache.get(input);
      if (json === undefined) cache.set(input, (json = plainJson(input.table)));
      return json;
    },
  };
}

async function printReport(context: ReportContext | undefined, options: OutputOptions, preface: string[], failures: readonly InputFailure[] = []): Promise<void> {
  if (options.json === true) {
    const report: Record<string, unknown> = { source: context?.origin ?? null, notes: preface };
    if (context !== undefined) for (const section of REPORT_SECTIONS) report[section.id] = await section.json(context);
    report.failures = failuresJson(failures);
    if (context !== undefined) report.summary = reportSummary(context);
    await writeJson(documentOf('report', report));
    return;
  }
  const paint = makePaint(colourWanted(options.color));
  const out: string[] = [...preface];
  if (context !== undefined) {
    if (out.length > 0) out.push('');
    out.push(paint.bold(`acpi-iommu report: ${context.origin}`));
    for (const section of REPORT_SECTIONS) {
      const lines = await section.lines(context, paint);
      if (lines.length === 0) continue;
      out.push('', paint.bold(section.title), ...lines.map((line) => `  ${line}`));
    }
  }
  await writeLines(wrapForTerminal(out));
}
