/**
 * Runs one command's unit job (src/cli/shared/machine-units.ts) over every unit and hands the
 * results over in unit order, so the output is the same whatever the number of workers. With
 * `--jobs 1` (or one unit) the job runs in this process; otherwise in worker threads, whose
 * module is loaded only then (a `check` of one table never loads it).
 */
import type { MachineUnit } from './machine-units.js';
import { createProgress } from './progress.js';

/** The commands that run over many machines; the worker looks their jobs up by this name. */
export type MachineCommand = 'check' | 'report' | 'audit';

/** A unit's answer, computed where the unit is parsed; results cross threads, so plain data only. */
export type UnitJob<O, R> = (unit: MachineUnit, options: O) => Promise<R>;

export interface MachinesRun<O, R> {
  command: MachineCommand;
  /** The same job the worker runs, for the in-process path. */
  job: UnitJob<O, R>;
  /** Plain data (structured-cloneable): the command's options as the job reads them. */
  options: O;
  units: readonly MachineUnit[];
  jobs: number;
  /** Called once per unit, in unit order; output written here is kept clear of the progress bar. */
  deliver(result: R): Promise<void>;
  /** --no-color, for the progress bar. */
  color?: boolean | undefined;
}

export async function runMachines<O, R>(run: MachinesRun<O, R>): Promise<void> {
  const progress = createProgress(process.stderr, run.units.length, run.color);
  const deliver = async (result: R): Promise<void> => {
    progress.hide();
    await run.deliver(result);
    progress.show();
  };
  try {
    if (run.jobs <= 1 || run.units.length < 2) {
      for (const unit of run.units) {
        const result = await run.job(unit, run.options);
        progress.tick();
        await deliver(result);
      }
    } else {
      const { runInWorkers } = await import('./machines-pool.js');
      await runInWorkers<R>({ command: run.command, options: run.options, units: run.units, workers: run.jobs, done: () => progress.tick(), deliver });
    }
  } finally {
    progress.done();
  }
}
