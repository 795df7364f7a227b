/**
 * `--jobs N` of the commands that run over many machines' dumps (check, report, audit), and the
 * decision to run that way: when the inputs make up several units of machines
 * (machine-units.ts). One input that is not a tree (-r) is never planned, so `check DMAR.bin`
 * costs no directory walk.
 */
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import type { MachinePlan } from './machine-units.js';

export interface JobsOptions {
  /** As given; undefined: every core. */
  jobs?: string;
  recursive?: boolean;
}

export const JOBS_HELP = "with -r over a tree of several machines' folders (check: also several folders given): read them in N worker threads (default: one per core; 1: in this process); the output is the same for any N";

export function addJobsOption(command: Command): Command {
  return command.option('-j, --jobs <n>', JOBS_HELP);
}

/** Workers to use: --jobs, else one per core; or the usage error. */
export function jobsWanted(options: JobsOptions): number | string {
  if (options.jobs === undefined) return availableParallelism();
  return /^\d{1,4}$/.test(options.jobs) && Number(options.jobs) >= 1 ? Number(options.jobs) : `--jobs takes a whole number of workers, 1 or more, not "${options.jobs}"`;
}

/** The units when the inputs are several machines, else undefined (the command reads them as one run). */
export async function planMachines(paths: readonly string[], options: JobsOptions): Promise<MachinePlan | undefined> {
  if (paths.includes('-') || (paths.length < 2 && options.recursive !== true)) return undefined;
  const { planMachineUnits } = await import('./machine-units.js');
  const plan = await planMachineUnits(paths, options.recursive === true);
  return plan.units.length > 1 ? plan : undefined;
}
