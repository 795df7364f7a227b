/**
 * `check` over many machines' dumps (a tree read with -r, several folders): each unit of
 * machines is loaded, parsed and checked on its own, in worker threads when there are several, and
 * only its findings come back. Text prints each machine's findings then one line for the
 * machine, and the totals last; JSON adds `machines` (one summary per machine) to the usual
 * document. The output is the same for any number of workers.
 */
import { jsonReplacer } from '../../bytes/hex.js';
import { githubAnnotations, summarize, type Gate, type LocatedFinding, type OutputFormat, type Summary } from '../shared/ci-formats.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK } from '../shared/conventions.js';
import { machineOf, machinesOf } from '../shared/cross.js';
import { documentOf, failuresJson } from '../shared/document.js';
import { DocumentStream } from '../shared/document-stream.js';
import { loadUnit, type MachinePlan, type MachineUnit } from '../shared/machine-units.js';
import { addSummary, runMachines, type UnitOutcome } from '../shared/machines-run.js';
import { ChunkedWriter, writeJson } from '../shared/output.js';
import { colourWanted, makePaint, plural, severitySummary, wrapForTerminal } from '../shared/style.js';
import { nothingReadable, parseLoaded } from '../shared/tables.js';
import { checkParsed, checkSarif, checkTail, findingLine, shownFor, summaryLine, tableEntry, type CheckOptions } from './run.js';

/** What a unit job needs of the command line: plain data, sent to workers. */
export interface CheckUnitOptions {
  format: OutputFormat;
  gate: Gate;
  quiet: boolean;
  strict: boolean;
  colour: boolean;
}

/** One machine's summary, as `check --json` lists it. */
export interface CheckedMachine extends Summary {
  /** Its directory, or its acpidump text file. */
  source: string;
  tables: number;
}

/** One machine's part of the output. */
interface MachineOutput {
  summary: CheckedMachine;
  /** Text: finding lines; github: annotations; json: each table entry as JSON text. */
  output: string[];
  /** Text without --quiet: the machine's line, printed when the run holds several machines. */
  line?: string;
}

export interface CheckUnitResult extends UnitOutcome {
  machines: MachineOutput[];
  /** sarif: the findings shown. */
  located: LocatedFinding[];
}

export async function checkUnit(unit: MachineUnit, options: CheckUnitOptions): Promise<CheckUnitResult> {
  const inputs = await parseLoaded(await loadUnit(unit));
  const result: CheckUnitResult = {
    machines: [],
    located: [],
    notRead: inputs.ignored.map((table) => ({ source: table.source, signature: table.signature })),
    failures: inputs.failures,
    notes: inputs.notes,
  };
  const shown = shownFor(options);
  const paint = makePaint(options.colour);
  for (const machine of machinesOf(inputs.parsed)) {
    const { checked, located, ignoredCount } = await checkParsed(machine, options.strict, options.gate);
    const summary = summarize(located, ignoredCount, options.gate);
    const source = machineOf(machine[0]!.source);
    const part: MachineOutput = { summary: { source, tables: checked.length, ...summary }, output: [] };
    const kept = located.filter((item) => shown(item.severity));
    if (options.format === 'json') part.output = checked.map((item) => JSON.stringify(tableEntry(item, shown), jsonReplacer, 2));
    else if (options.format === 'sarif') result.located.push(...kept);
    else if (options.format === 'github') part.output = githubAnnotations(kept);
    else {
      part.output = kept.map((item) => findingLine(item, paint));
      if (!options.quiet) part.line = `${source}: checked ${plural(checked.length, 'table')}: ${severitySummary(summary)}`;
    }
    result.machines.push(part);
  }
  return result;
}

export async function runCheckOverMachines(plan: MachinePlan, options: CheckOptions, { format, gate, jobs }: { format: OutputFormat; gate: Gate; jobs: number | undefined }): Promise<number> {
  const unitOptions: CheckUnitOptions = { format, gate, quiet: options.quiet === true, strict: options.strict === true, colour: colourWanted(options.color) };
  const total = { tables: 0, error: 0, warning: 0, info: 0, ignored: 0, failOn: gate.failOn, failed: false };
  const machines: CheckedMachine[] = [];
  const located: LocatedFinding[] = [];
  const writer = new ChunkedWriter();
  const document = format === 'json' ? new DocumentStream(writer) : undefined;
  if (document !== undefined) {
    for (const [name, value] of Object.entries(documentOf('check', {}))) await document.member(name, value);
    await document.openArray('tables');
  }
  // The first machine is held back until a second one shows the run is over several machines:
  // a run that turns out to hold one prints exactly what a plain check prints.
  let held: MachineOutput | undefined;
  const emit = async (part: MachineOutput, several: boolean): Promise<void> => {
    machines.push(part.summary);
    if (document !== undefined) for (const text of part.output) await document.item(text);
    else for (const line of wrapForTerminal([...part.output, ...(several && part.line !== undefined ? [part.line] : [])])) await writer.write(`${line}\n`);
  };
  const { failures, notRead } = await runMachines({
    command: 'check',
    plan,
    verbose: options.verbose === true,
    job: checkUnit,
    options: unitOptions,
    jobs,
    color: options.color,
    output: writer,
    async deliver(result: CheckUnitResult) {
      located.push(...result.located);
      for (const part of result.machines) {
        total.tables += part.summary.tables;
        addSummary(total, part.summary);
        if (machines.length === 0 && held === undefined) held = part;
        else {
          if (held !== undefined) await emit(held, true);
          held = undefined;
          await emit(part, true);
        }
      }
    },
  });
  const several = machines.length > 1;
  if (held !== undefined) await emit(held, false);
  const nothing = nothingReadable({ parsed: { length: total.tables }, failures, skippedDirectories: [], ignored: notRead });
  if (nothing !== undefined) process.stderr.write(`acpi-iommu: ${nothing}\n`);
  const { tables, ...summary } = total;
  if (document !== undefined) {
    await document.closeArray();
    if (several) await document.member('machines', machines);
    for (const [name, value] of Object.entries(checkTail({ ignored: notRead, failures }, tables, summary))) await document.member(name, value);
    await document.close();
  } else if (format === 'sarif') {
    await writeJson(await checkSarif(located));
  } else if (tables > 0 && (format === 'github' || !unitOptions.quiet)) {
    const checked = several ? `${plural(machines.length, 'machine')}, ${plural(tables, 'table')}` : plural(tables, 'table');
    await writer.write(`${summaryLine(checked, summary, notRead)}\n`);
  }
  await writer.flush();
  if (failures.length > 0 || nothing !== undefined) return EXIT_INPUT;
  return summary.failed ? EXIT_FINDINGS : EXIT_OK;
}

