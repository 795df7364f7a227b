/**
 * `audit -r` over a tree of many machines' dumps: each machine's RMRR, RMR and IVMD ranges
 * checked on their own (no memory map: one --memmap is one machine's), its findings as
 * `source:0xOFFSET: severity code message` lines, one line per machine and the totals; JSON
 * gives `machines`, each the ranges, kernel log and findings of a one-machine audit. Units of
 * machines run in worker threads when there are several (machines-run.ts); the output is the same for any number.
 */
import { jsonReplacer } from '../../bytes/hex.js';
import { findingLine } from '../check/run.js';
import { githubAnnotations, isIgnored, sarifLog, summarize, type Gate, type LocatedFinding, type OutputFormat, type Summary } from '../shared/ci-formats.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK } from '../shared/conventions.js';
import { machineOf, machinesOf } from '../shared/cross.js';
import { documentOf, failuresJson } from '../shared/document.js';
import { DocumentStream } from '../shared/document-stream.js';
import { loadUnit, type MachinePlan, type MachineUnit } from '../shared/machine-units.js';
import { addSummary, runMachines, type UnitOutcome } from '../shared/machines-run.js';
import { ChunkedWriter, writeJson } from '../shared/output.js';
import { colourWanted, makePaint, plural, severitySummary, wrapForTerminal } from '../shared/style.js';
import { onlyTables, parseLoaded } from '../shared/tables.js';

export interface AuditUnitOptions {
  format: OutputFormat;
  gate: Gate;
  /** --kernel as given (checked before the run). */
  kernel?: string | undefined;
  colour: boolean;
}

interface AuditedMachine extends Summary {
  ranges: number;
  /** Text: finding lines then the machine's line; github: annotations; json: the machine's object as JSON text. */
  output: string[];
  located: LocatedFinding[];
}

/** Its failures include the machines refused (two DMARs in one folder). */
export interface AuditUnitResult extends UnitOutcome {
  machines: AuditedMachine[];
}

export async function auditUnit(unit: MachineUnit, options: AuditUnitOptions): Promise<AuditUnitResult> {
  const [inputs, audit, { kernelFromOptions }] = await Promise.all([loadUnit(unit).then(parseLoaded), import('../../audit/index.js'), import('../commands/regions.js')]);
  const kernel = await kernelFromOptions({ kernel: options.kernel });
  const paint = makePaint(options.colour);
  const result: AuditUnitResult = { machines: [], failures: [...inputs.failures], notes: [...inputs.notes], notRead: inputs.ignored.map((table) => ({ source: table.source, signature: table.signature })) };
  for (const parsed of machinesOf(inputs.parsed)) {
    const source = machineOf(parsed[0]!.source);
    const picked = onlyTables(parsed, ['DMAR', 'IORT', 'IVRS']);
    if ('refusal' in picked) {
      result.failures.push({ path: source, reason: picked.refusal });
      continue;
    }
    const { DMAR: dmar, IORT: iort, IVRS: ivrs } = picked.tables;
    if (dmar === undefined && iort === undefined && ivrs === undefined) {
      result.notes.push(`${source}: no DMAR, IORT or IVRS table; not audited`);
      continue;
    }
    const audited = audit.auditTables(
      {
        dmar: dmar?.table as import('../../dmar/index.js').DmarTable | undefined,
        iort: iort?.table as import('../../iort/index.js').IortTable | undefined,
        ivrs: ivrs?.table as import('../../ivrs/index.js').IvrsTable | undefined,
      },
      { kernel: typeof kernel === 'string' ? undefined : kernel },
    );
    const before = audited.findings.length;
    audited.findings = audited.findings.filter((item) => !isIgnored(item.code, options.gate));
    for (const range of audited.ranges) range.findings = range.findings.filter((item) => !isIgnored(item.code, options.gate));
    const tableSource = { DMAR: dmar?.source, IORT: iort?.source, IVRS: ivrs?.source } as Record<string, string | undefined>;
    const located: LocatedFinding[] = audited.findings.map((item) => ({ source: tableSource[item.table] ?? source, code: item.code, severity: item.severity, message: item.message, offset: item.offset, length: item.length }));
    const summary = summarize(located, before - audited.findings.length, options.gate);
    const machine: AuditedMachine = { ranges: audited.ranges.length, ...summary, output: [], located: [] };
    if (options.format === 'json') {
      const json = audit.auditJson(audited);
      machine.output = [JSON.stringify({ source, ranges: json.ranges, kernelLog: json.kernelLog, diagnostics: json.diagnostics, summary: { ...json.summary, ...summary } }, jsonReplacer, 2)];
    } else if (options.format === 'sarif') machine.located = located;
    else if (options.format === 'github') machine.output = githubAnnotations(located);
    else machine.output = [...located.map((item) => findingLine(item, paint)), `${source}: ${plural(audited.ranges.length, 'range')}: ${severitySummary(summary)}`];
    result.machines.push(machine);
  }
  return result;
}

export async function runAuditOverMachines(paths: readonly string[], plan: MachinePlan, options: { verbose?: boolean; color?: boolean }, unitOptions: AuditUnitOptions, jobs: number | undefined): Promise<number> {
  const writer = new ChunkedWriter();
  const document = unitOptions.format === 'json' ? new DocumentStream(writer) : undefined;
  if (document !== undefined) {
    for (const [name, value] of Object.entries(documentOf('audit', { source: paths.join(' '), memmap: null }))) await document.member(name, value);
    await document.openArray('machines');
  }
  const total = { machines: 0, ranges: 0, error: 0, warning: 0, info: 0, ignored: 0, failOn: unitOptions.gate.failOn, failed: false };
  const located: LocatedFinding[] = [];
  const { failures } = await runMachines({
    command: 'audit',
    plan,
    verbose: options.verbose === true,
    job: auditUnit,
    options: unitOptions,
    jobs,
    color: options.color,
    output: writer,
    async deliver(result: AuditUnitResult) {
      for (const machine of result.machines) {
        total.machines++;
        total.ranges += machine.ranges;
        addSummary(total, machine);
        located.push(...machine.located);
        if (document !== undefined) for (const text of machine.output) await document.item(text);
        else for (const line of wrapForTerminal(machine.output)) await writer.write(`${line}\n`);
      }
    },
  });
  if (document !== undefined) {
    await document.closeArray();
    await document.member('failures', failuresJson(failures));
    await document.member('summary', total);
    await document.close();
  } else if (unitOptions.format === 'sarif') {
    const [{ packageVersion }, { AUDIT_CODES }] = await Promise.all([import('../../node/package-info.js'), import('../../audit/codes.js')]);
    await writeJson(sarifLog(located, { version: packageVersion(), rules: AUDIT_CODES }));
  } else {
    await writer.write(`summary: ${plural(total.machines, 'machine')}, ${plural(total.ranges, 'range')}: ${severitySummary(total)}\n`);
    await writer.flush();
  }
  if (failures.length > 0) return EXIT_INPUT;
  return total.failed ? EXIT_FINDINGS : EXIT_OK;
}
