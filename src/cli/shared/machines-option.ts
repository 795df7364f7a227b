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
  /** As given; undefined: chosen from the amount of work (workersFor). */
  jobs?: string;
  recursive?: boolean;
}

/**
 * Files each worker thread must have to pay for starting it: a worker costs ≈ 90 ms of CPU
 * (thread, bundle compile, results crossing threads) against ≈ 0.3 ms per file read and checked
 * in this process. Measured on 2 shared cores, `check -r` over copies of the real corpus (502
 * files each; load 8–20), --jobs 1 against 2: one worker won at 502 files (0.76× the wall
 * time, 0.68× the CPU), they were about level at 1,000–2,000, and at 4,000 two won in one run
 * (0.72× the wall time) and drew level in another; two always cost ≈ 1.4× the CPU (issue 14).
 */
export const FILES_PER_WORKER = 1000;

export const JOBS_HELP = `with -r over a tree of several machines' folders (check: also several folders or files given): read them in N worker threads (1: in this process; default: one per core, but no more than one per ${FILES_PER_WORKER} files, so a smaller run stays in this process); the output is the same for any N`;

export function addJobsOption(command: Command): Command {
  return command.option('-j, --jobs <n>', JOBS_HELP);
}

/** Workers asked for with --jobs (undefined: not asked, workersFor chooses); or the usage error. */
export function jobsWanted(options: JobsOptions): number | undefined | string {
  if (options.jobs === undefined) return undefined;
  return /^\d{1,4}$/.test(options.jobs) && Number(options.jobs) >= 1 ? Number(options.jobs) : `--jobs takes a whole number of workers, 1 or more, not "${options.jobs}"`;
}

/** --jobs when given; else one per core, each with at least FILES_PER_WORKER of the run's files (1: this process). */
export function workersFor(jobs: number | undefined, files: number, cores = availableParallelism()): number {
  return jobs ?? Math.max(1, Math.min(cores, Math.floor(files / FILES_PER_WORKER)));
}

/** The units when the inputs are several machines, else undefined (the command reads them as one run). */
export async function planMachines(paths: readonly string[], options: JobsOptions): Promise<MachinePlan | undefined> {
  if (paths.includes('-') || (paths.length < 2 && options.recursive !== true)) return undefined;
  const { planMachineUnits } = await import('./machine-units.js');
  const plan = await planMachineUnits(paths, options.recursive === true);
  return plan.units.length > 1 ? plan : undefined;
}
