/**
 * Runs one command's unit job (src/cli/shared/machine-units.ts) over every unit and hands the
 * results over in unit order, so the output is the same whatever the number of workers. With
 * one worker (`--jobs 1`, a run too small to pay for threads, or one unit) the job runs in this
 * process; otherwise in worker threads, whose module is loaded only then (a `check` of one table
 * never loads it).
 */
import type { InputFailure } from '../../node/index.js';
import type { Summary } from './ci-formats.js';
import type { MachinePlan, MachineUnit } from './machine-units.js';
import { workersFor } from './machines-option.js';
import type { ChunkedWriter } from './output.js';
import { createProgress } from './progress.js';
import { printFailures, printNotes } from './tables.js';

/** Units in flight in this process (--jobs 1): their file reads overlap while one is parsed. */
const IN_PROCESS_UNITS = 8;

/** The commands that run over many machines; the worker looks their jobs up by this name. */
export type MachineCommand = 'check' | 'report' | 'audit';

/** A unit's answer, computed where the unit is parsed; results cross threads, so plain data only. */
export type UnitJob<O, R> = (unit: MachineUnit, options: O) => Promise<R>;

/** What every unit's answer carries besides the command's own: what could not be read, what was skipped. */
export interface UnitOutcome {
  failures: InputFailure[];
  notes: string[];
  /** Tables present but not read by acpi-iommu (FACP, DSDT…). */
  notRead: { source: string; signature: string }[];
}

export interface MachinesRun<O, R extends UnitOutcome> {
  command: MachineCommand;
  plan: MachinePlan;
  /** -v: the notes too. */
  verbose: boolean;
  /** The same job the worker runs, for the in-process path. */
  job: UnitJob<O, R>;
  /** Plain data (structured-cloneable): the command's options as the job reads them. */
  options: O;
  /** --jobs; undefined: chosen from the plan's files (machines-option.ts workersFor). */
  jobs: number | undefined;
  /** Called once per unit, in unit order, after its failures (and notes) are on stderr; output written here is kept clear of the progress bar. */
  deliver(result: R): Promise<void>;
  /**
   * Where `deliver` writes stdout. It is flushed after each unit only when a terminal shows the
   * run (stdout or stderr a TTY: machines appear as they are done, the bar is never drawn over
   * unwritten lines); otherwise in 64 KiB chunks (a write per unit was 6 % of `check` over 502
   * files). Either way it is flushed before a unit's lines on stderr and when the run ends, so
   * stdout and stderr interleave as with a flush per unit.
   */
  output: ChunkedWriter;
  /** Whether a terminal shows the run; default: stdout or stderr is a TTY. */
  interactive?: boolean;
  /** --no-color, for the progress bar. */
  color?: boolean | undefined;
}

/** Runs the units; returns every failure (the plan's and the units') and every table not read. */
export async function runMachines<O, R extends UnitOutcome>(run: MachinesRun<O, R>): Promise<Pick<UnitOutcome, 'failures' | 'notRead'>> {
  const { units } = run.plan;
  const outcome: Pick<UnitOutcome, 'failures' | 'notRead'> = { failures: [...run.plan.failures], notRead: [] };
  printFailures(run.plan.failures);
  printNotes({ notes: run.plan.notes, ignored: [] }, run.verbose);
  const workers = workersFor(run.jobs, run.plan.files);
  const progress = createProgress(process.stderr, units.length, run.color);
  const interactive = run.interactive ?? (process.stdout.isTTY === true || process.stderr.isTTY === true);
  let delivered = 0;
  const deliver = async (result: R): Promise<void> => {
    progress.hide();
    // What earlier units wrote goes out before this unit's stderr lines (before the first unit, as before, nothing was flushed).
    if (delivered > 0 && (result.failures.length > 0 || run.verbose)) await run.output.flush();
    printFailures(result.failures);
    printNotes({ notes: result.notes, ignored: result.notRead }, run.verbose);
    outcome.failures.push(...result.failures);
    outcome.notRead.push(...result.notRead);
    await run.deliver(result);
    delivered++;
    if (interactive) await run.output.flush();
    progress.show();
  };
  try {
    if (workers <= 1 || units.length < 2) {
      const { runOrdered } = await import('./ordered-run.js');
      await runOrdered<R>({ count: units.length, concurrency: IN_PROCESS_UNITS, window: IN_PROCESS_UNITS * 2, start: (index) => run.job(units[index]!, run.options), done: () => progress.tick(), deliver });
    } else {
      const { runInWorkers } = await import('./machines-pool.js');
      await runInWorkers<R>({ command: run.command, options: run.options, units, workers, done: () => progress.tick(), deliver });
    }
  } catch (error) {
    // The units delivered before the failure keep their output, as with a flush per unit.
    await run.output.flush().catch(() => {});
    throw error;
  } finally {
    progress.done();
  }
  await run.output.flush();
  return outcome;
}

/** Adds one machine's finding counts to the run's. */
export function addSummary(total: Summary, part: Summary): void {
  total.error += part.error;
  total.warning += part.warning;
  total.info += part.info;
  total.ignored += part.ignored;
  total.failed ||= part.failed;
}
