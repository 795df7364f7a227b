/**
 * `report -r` over a tree of many machines' dumps: one line per machine (its tables, IOMMU
 * units, reserved ranges and finding counts) and the totals; `--json` gives `machines`, each
 * the sections of a one-machine report. Each unit of machines is loaded, parsed and reported on
 * its own, in worker threads when there are several (machines-run.ts); the output is the same for any number.
 * A machine's PCI topology is the pci.json in its folder, when there is one.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { jsonReplacer } from '../../bytes/hex.js';
import { EXIT_INPUT, EXIT_OK } from '../shared/conventions.js';
import { machineOf, machinesOf } from '../shared/cross.js';
import { documentOf, failuresJson } from '../shared/document.js';
import { DocumentStream } from '../shared/document-stream.js';
import { loadUnit, type MachinePlan, type MachineUnit } from '../shared/machine-units.js';
import { runMachines, type UnitOutcome } from '../shared/machines-run.js';
import { ChunkedWriter } from '../shared/output.js';
import { colourWanted, makePaint, plural, severitySummary, wrapForTerminal } from '../shared/style.js';
import { nothingReadable, parseLoaded, printable } from '../shared/tables.js';
import { contextOf, TOPOLOGY_BESIDE_TABLES, type ReportOptions } from './run.js';
import { reportSummary } from './section-diagnostics.js';
import { REPORT_SECTIONS } from './sections.js';

export interface ReportUnitOptions {
  json: boolean;
  colour: boolean;
}

interface ReportedMachine {
  tables: number;
  counts: { error: number; warning: number; info: number };
  /** Text: the machine's line; JSON: its object as JSON text. */
  output: string;
}

export interface ReportUnitResult extends UnitOutcome {
  machines: ReportedMachine[];
}

/** The pci.json beside a machine's tables (its folder, or the folder of its acpidump text). */
function topologyBeside(machine: string, fromDump: boolean): string | undefined {
  const path = join(fromDump ? dirname(machine) : machine, TOPOLOGY_BESIDE_TABLES);
  return existsSync(path) ? path : undefined;
}

export async function reportUnit(unit: MachineUnit, options: ReportUnitOptions): Promise<ReportUnitResult> {
  const inputs = await parseLoaded(await loadUnit(unit));
  const paint = makePaint(options.colour);
  const machines: ReportedMachine[] = [];
  for (const parsed of machinesOf(inputs.parsed)) {
    const source = machineOf(parsed[0]!.source);
    const ignored = inputs.ignored.filter((table) => machineOf(table.source) === source);
    const context = contextOf(source, { ...inputs, parsed, ignored }, topologyBeside(source, parsed[0]!.source.includes('#')));
    const sections: Record<string, unknown> = {};
    for (const section of REPORT_SECTIONS) sections[section.id] = await section.json(context);
    const { error, warning, info } = reportSummary(context);
    const counts = { error, warning, info };
    const count = (id: string) => (Array.isArray(sections[id]) ? (sections[id] as unknown[]).length : 0);
    const line = [
      paint.bold(source),
      `: ${parsed.map((input) => printable(input.signature)).join(', ')}`,
      `; ${plural(count('iommuUnits'), 'IOMMU unit')}; ${plural(count('reservedMemory'), 'reserved range')}; `,
      counts.error > 0 ? paint.red(severitySummary(counts)) : severitySummary(counts),
    ].join('');
    machines.push({ tables: parsed.length, counts, output: options.json ? JSON.stringify({ source, ...sections }, jsonReplacer, 2) : line });
  }
  return { machines, notRead: inputs.ignored.map((table) => ({ source: table.source, signature: table.signature })), failures: inputs.failures, notes: inputs.notes };
}

export async function runReportOverMachines(paths: readonly string[], plan: MachinePlan, options: ReportOptions, jobs: number | undefined): Promise<number> {
  const json = options.json === true;
  const writer = new ChunkedWriter();
  const document = json ? new DocumentStream(writer) : undefined;
  if (document !== undefined) {
    for (const [name, value] of Object.entries(documentOf('report', { source: paths.join(' '), notes: [] }))) await document.member(name, value);
    await document.openArray('machines');
  }
  const total = { machines: 0, tables: 0, error: 0, warning: 0, info: 0 };
  const { failures, notRead } = await runMachines({
    command: 'report',
    plan,
    verbose: options.verbose === true,
    job: reportUnit,
    options: { json, colour: colourWanted(options.color) } satisfies ReportUnitOptions,
    jobs,
    color: options.color,
    output: writer,
    async deliver(result: ReportUnitResult) {
      for (const machine of result.machines) {
        total.machines++;
        total.tables += machine.tables;
        total.error += machine.counts.error;
        total.warning += machine.counts.warning;
        total.info += machine.counts.info;
        if (document !== undefined) await document.item(machine.output);
        else for (const line of wrapForTerminal([machine.output])) await writer.write(`${line}\n`);
      }
    },
  });
  const nothing = nothingReadable({ parsed: { length: total.tables }, failures, skippedDirectories: [], ignored: notRead });
  if (nothing !== undefined) process.stderr.write(`acpi-iommu: ${nothing}\n`);
  if (document !== undefined) {
    await document.closeArray();
    await document.member('failures', failuresJson(failures));
    await document.member('summary', { ...total, notRead: notRead.length, unreadable: failures.length });
    await document.close();
  } else if (total.tables > 0) {
    await writer.write(`reported ${plural(total.machines, 'machine')}, ${plural(total.tables, 'table')}: ${severitySummary(total)}${notRead.length > 0 ? `; ${plural(notRead.length, 'other table')} not read` : ''}\n`);
    await writer.flush();
  }
  return failures.length > 0 || nothing !== undefined ? EXIT_INPUT : EXIT_OK;
}
