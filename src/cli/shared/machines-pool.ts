/**
 * Worker threads over units of machines (machines-run.ts): each worker runs the command's unit
 * job on the units it is sent, a few at a time (their file reads overlap); runOrdered hands the
 * results over in unit order and bounds how many are ahead.
 */
import type { Worker } from 'node:worker_threads';
import type { MachineUnit } from './machine-units.js';
import type { MachineCommand } from './machines-run.js';
import { runOrdered } from './ordered-run.js';

/** Units a worker has at once; twice as many may wait, done, for their turn to be delivered. */
const UNITS_PER_WORKER = 4;

export interface PoolRun<R> {
  command: MachineCommand;
  options: unknown;
  units: readonly MachineUnit[];
  workers: number;
  done(): void;
  deliver(result: R): Promise<void>;
}

/** What a worker sends back for one unit. */
export type WorkerReply<R> = { index: number; result: R } | { index: number; error: string };

/**
 * The worker's module: the bundled file beside this one, or under `node --import tsx` (the
 * tests run the CLI from source) the .ts file, loaded through tsx's hooks, which Node 20 does
 * not pass on to workers.
 */
async function startWorker(command: MachineCommand, options: unknown): Promise<Worker> {
  const { Worker } = await import('node:worker_threads');
  const workerData = { command, options };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./machines-worker.js', import.meta.url), { workerData });
  const source = new URL('./machines-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`, { eval: true, workerData });
}

interface Pending<R> {
  resolve(result: R): void;
  reject(error: Error): void;
}

export async function runInWorkers<R>(run: PoolRun<R>): Promise<void> {
  const count = Math.min(run.workers, run.units.length);
  const workers = await Promise.all(Array.from({ length: count }, () => startWorker(run.command, run.options)));
  const load = new Map(workers.map((worker) => [worker, 0]));
  const pending = new Map<number, Pending<R>>();
  let stopped: Error | undefined;
  const stopAll = (error: Error): void => {
    stopped ??= error;
    for (const task of pending.values()) task.reject(stopped);
    pending.clear();
  };
  for (const worker of workers) {
    worker.on('message', (reply: WorkerReply<R>) => {
      load.set(worker, load.get(worker)! - 1);
      const task = pending.get(reply.index);
      pending.delete(reply.index);
      if ('error' in reply) task?.reject(new Error(`a worker failed on ${run.units[reply.index]!.paths.join(', ')}: ${reply.error}`));
      else task?.resolve(reply.result);
    });
    worker.on('error', stopAll);
    worker.on('exit', (code) => {
      if (pending.size > 0) stopAll(new Error(`a worker stopped (exit ${code}) before the run ended`));
    });
  }
  try {
    await runOrdered<R>({
      count: run.units.length,
      concurrency: count * UNITS_PER_WORKER,
      window: count * UNITS_PER_WORKER * 2,
      start(index) {
        if (stopped !== undefined) return Promise.reject(stopped);
        const worker = workers.reduce((least, next) => (load.get(next)! < load.get(least)! ? next : least));
        load.set(worker, load.get(worker)! + 1);
        return new Promise<R>((resolve, reject) => {
          pending.set(index, { resolve, reject });
          worker.postMessage({ index, unit: run.units[index] });
        });
      },
      done: run.done,
      deliver: run.deliver,
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
