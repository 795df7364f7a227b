/**
 * `acpi-iommu audit`: every RMRR (DMAR) and IORT RMR range against its own rules and, with
 * --memmap, against the platform memory map (docs/kernel-semantics.md §3.2). Exit 0 clean, 1 an
 * error-level finding (severity policy in src/audit/codes.ts), 2 an input could not be read.
 */
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, INPUT_ARGUMENT_HELP, RECURSIVE_HELP, type OutputOptions } from '../shared/conventions.js';
import type { CiOptions, LocatedFinding } from '../shared/ci-formats.js';
import { addCiOptions } from '../shared/ci-options.js';
import { addJobsOption, type JobsOptions } from '../shared/machines-option.js';
import { fail, kernelFromOptions } from './regions.js';

interface AuditCommandOptions extends OutputOptions, CiOptions, JobsOptions {
  memmap?: string;
  kernel?: string;
}

async function runAudit(inputs: string[], options: AuditCommandOptions): Promise<number> {
  const kernel = await kernelFromOptions(options);
  if (typeof kernel === 'string') return fail(kernel);
  const [{ loadAndReport, onlyTables }, audit, { writeJson, writeLines }, { ciSettings, githubAnnotations, isIgnored, sarifLog, summarize }] = await Promise.all([
    import('../shared/tables.js'),
    import('../../audit/index.js'),
    import('../shared/output.js'),
    import('../shared/ci-formats.js'),
  ]);
  const settings = ciSettings(options);
  if (typeof settings === 'string') return fail(settings);
  const { format, gate } = settings;
  const machines = await auditMachines(inputs, options, settings);
  if (machines !== undefined) return machines;
  const loaded = await loadAndReport(inputs, options.verbose, options.recursive);
  const picked = onlyTables(loaded.parsed, ['DMAR', 'IORT', 'IVRS']);
  if ('refusal' in picked) return fail(picked.refusal);
  const { DMAR: dmar, IORT: iort, IVRS: ivrs } = picked.tables;
  if (dmar === undefined && iort === undefined && ivrs === undefined) return fail(`no DMAR, IORT or IVRS table in ${inputs.join(', ')}`);
  let memoryMap: import('../../audit/index.js').MemoryMap | undefined;
  if (options.memmap !== undefined) {
    try {
      const { readMemoryMap } = await import('../../node/memmap.js');
      memoryMap = await readMemoryMap(options.memmap);
    } catch (error) {
      const { describeFileError } = await import('../../node/file-errors.js');
      return fail(`--memmap ${options.memmap}: ${error instanceof audit.MemoryMapFormatError ? error.message : describeFileError(error, options.memmap)}`);
    }
  }
  const result = audit.auditTables(
    {
      dmar: dmar?.table as import('../../dmar/index.js').DmarTable | undefined,
      iort: iort?.table as import('../../iort/index.js').IortTable | undefined,
      ivrs: ivrs?.table as import('../../ivrs/index.js').IvrsTable | undefined,
    },
    { memoryMap, kernel },
  );
  // --ignore leaves a code out everywhere: the range lists, the totals and the exit status.
  const before = result.findings.length;
  result.findings = result.findings.filter((item) => !isIgnored(item.code, gate));
  for (const range of result.ranges) range.findings = range.findings.filter((item) => !isIgnored(item.code, gate));
  const sourceOf = (table: string) => (table === 'memmap' ? (options.memmap ?? 'memmap') : table === 'DMAR' ? dmar!.source : table === 'IORT' ? iort!.source : ivrs!.source);
  const located: LocatedFinding[] = result.findings.map((item) => ({ source: sourceOf(item.table), code: item.code, severity: item.severity, message: item.message, offset: item.offset, length: item.length }));
  const summary = summarize(located, before - result.findings.length, gate);
  const sources = [dmar, iort, ivrs].flatMap((input) => (input === undefined ? [] : [`${input.signature} ${input.source}`]));
  if (format === 'json') {
    const { documentOf, failuresJson } = await import('../shared/document.js');
    const json = audit.auditJson(result);
    const body = documentOf('audit', { source: sources.join(', '), memmap: options.memmap ?? null, ...json, failures: failuresJson(loaded.failures), summary: { ...json.summary, ...summary } });
    await writeJson(body);
  } else if (format === 'sarif') {
    const [{ packageVersion }, { AUDIT_CODES }] = await Promise.all([import('../../node/package-info.js'), import('../../audit/codes.js')]);
    await writeJson(sarifLog(located, { version: packageVersion(), rules: AUDIT_CODES }));
  } else if (format === 'github') {
    await writeLines([...githubAnnotations(located), `summary: ${result.ranges.length} range(s), ${summary.error} error(s), ${summary.warning} warning(s)`]);
  } else {
    const header = `audit: ${sources.join(', ')}${options.memmap === undefined ? '' : `; memory map ${options.memmap}`}`;
    const { wrapForTerminal } = await import('../shared/style.js');
    await writeLines(wrapForTerminal([header, ...audit.auditLines(result)]));
  }
  if (loaded.failures.length > 0) return EXIT_INPUT;
  return summary.failed ? EXIT_FINDINGS : EXIT_OK;
}

/** With -r over a tree of several machines: the run over them (src/cli/audit/machines.ts); otherwise undefined. */
async function auditMachines(inputs: readonly string[], options: AuditCommandOptions, { format, gate }: Exclude<ReturnType<typeof import('../shared/ci-formats.js').ciSettings>, string>): Promise<number | undefined> {
  const { jobsWanted, planMachines } = await import('../shared/machines-option.js');
  const jobs = jobsWanted(options);
  if (typeof jobs === 'string') return fail(jobs);
  const plan = options.recursive === true ? await planMachines(inputs, options) : undefined;
  if (plan === undefined) return undefined;
  if (options.memmap !== undefined) return fail(`--memmap names one machine's memory map; over several machines (${plan.units.length} folders) give none`);
  const [{ runAuditOverMachines }, { colourWanted }] = await Promise.all([import('../audit/machines.js'), import('../shared/style.js')]);
  return runAuditOverMachines(inputs, plan, options, { format, gate, kernel: options.kernel, colour: colourWanted(options.color) }, jobs);
}

export function register(program: Command): void {
  const command = program
    .command('audit')
    .description('check RMRR, IORT RMR and IVRS IVMD ranges: alignment, order, and (with --memmap) that the firmware reserves them; exit 0 clean, 1 errors, 2 unreadable input')
    .argument('<input...>', `${INPUT_ARGUMENT_HELP}; a DMAR, an IORT and/or an IVRS`)
    .option('-r, --recursive', `${RECURSIVE_HELP}; a tree of several machines' folders is audited machine by machine, one line each and the totals (JSON: machines[]), without --memmap`)
    .option('--memmap <path>', "the memory map: a kernel log (best: the kernel's own e820 table is rebuilt from its BIOS-e820 and later e820 lines), /sys/firmware/memmap or a sysfs root (the firmware's view), or JSON [{start, end, type}] or {view, entries} (end inclusive)")
    .option('--kernel <version>', "judge with that Linux release's RMRR check (e.g. 5.4, 6.1); default: current mainline")
    .option('--json', 'print JSON; addresses as "0x…" strings (same as --format json)')
    .addHelpText('after', `
Severity (exit 1 on any error; --fail-on warning also on warnings):
  error    Linux's rmrr_sanity_check fails (RMRR misaligned, limit <= base, not inside one
           "reserved"/"ACPI NVS" entry: "bad RMRR", taint), or a range overlaps System RAM
  warning  RMRR only across several reserved entries, ACPI NVS on kernels before ~6.1,
           RMR not 64 KiB aligned, empty, or outside reserved memory (no kernel check on Arm);
           IVMD without the unity/exclusion flag, not 4 KiB aligned, empty, or outside
           reserved memory (Linux checks none of it; an IVMD in System RAM is an error)
  info     what was not checked (no --memmap), RMR nodes Linux ignores
These findings are ours. Each range also lists "kernel log": the DMAR / IORT lines the chosen
kernel prints for it (text of Linux 6.1), or what cannot be predicted without --memmap. IVMDs
print nothing by default; the line 6.1 prints with amd_iommu_dump is shown apart.`);
  addJobsOption(addCiOptions(command)).action(async (inputs: string[], _options: AuditCommandOptions, self: Command) => {
    process.exitCode = await runAudit(inputs, self.optsWithGlobals<AuditCommandOptions>());
  });
}
