/**
 * Worker threads over units of machines (machines-run.ts). Each worker runs the command's unit
 * job on one unit at a time; results are delivered in unit order. At most WINDOW_PER_WORKER
 * units per worker are ahead of the one being delivered, so a slow stdout (or one huge unit)
 * cannot make finished results pile up: memory stays bounded by the window, not the tree.
 */
import type { Worker } from 'node:worker_threads';
import type { MachineUnit } from './machine-units.js';
import type { MachineCommand } from './machines-run.js';

const WINDOW_PER_WORKER = 4;

export interface PoolRun<R> {
  command: MachineCommand;
  options: unknown;
  units: readonly MachineUnit[];
  workers: number;
  /** A unit finished (in any order): for the progress bar. */
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

export async function runInWorkers<R>(run: PoolRun<R>): Promise<void> {
  const count = Math.min(run.workers, run.units.length);
  const workers = await Promise.all(Array.from({ length: count }, () => startWorker(run.command, run.options)));
  try {
    await new Promise<void>((resolve, reject) => {
      const window = count * WINDOW_PER_WORKER;
      const finished = new Map<number, R>();
      const idle = [...workers];
      let dispatched = 0;
      let delivered = 0;
      let delivering = false;
      let failed = false;
      const fail = (error: unknown): void => {
        failed = true;
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      const dispatch = (): void => {
        while (!failed && idle.length > 0 && dispatched < run.units.length && dispatched - delivered < window) {
          idle.pop()!.postMessage({ index: dispatched, unit: run.units[dispatched] });
          dispatched++;
        }
      };
      const drain = async (): Promise<void> => {
        if (delivering) return;
        delivering = true;
        try {
          while (!failed && finished.has(delivered)) {
            const result = finished.get(delivered)!;
            finished.delete(delivered);
            delivered++;
            await run.deliver(result);
            dispatch();
          }
        } catch (error) {
          fail(error);
        } finally {
          delivering = false;
        }
        if (!failed && delivered === run.units.length) resolve();
      };
      for (const worker of workers) {
        worker.on('message', (reply: WorkerReply<R>) => {
          if ('error' in reply) return fail(new Error(`a worker failed on ${run.units[reply.index]!.paths.join(', ')}: ${reply.error}`));
          finished.set(reply.index, reply.result);
          idle.push(worker);
          run.done();
          dispatch();
          void drain();
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (!failed && delivered < run.units.length) fail(new Error(`a worker stopped (exit ${code}) before the run ended`));
        });
      }
      dispatch();
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
