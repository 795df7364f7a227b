/**
 * A worker thread of machines-pool.ts: runs one command's unit job on each unit it is sent and
 * replies with the result (or the error's text). The run's environment limits apply here too.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyEnvironmentLimits } from '../../node/limits.js';
import type { MachineUnit } from './machine-units.js';
import type { MachineCommand, UnitJob } from './machines-run.js';
import type { WorkerReply } from './machines-pool.js';

const JOBS: Record<MachineCommand, () => Promise<UnitJob<never, unknown>>> = {
  check: async () => (await import('../check/machines.js')).checkUnit as UnitJob<never, unknown>,
  report: async () => (await import('../report/machines.js')).reportUnit as UnitJob<never, unknown>,
  audit: async () => (await import('../audit/machines.js')).auditUnit as UnitJob<never, unknown>,
};

const { command, options } = workerData as { command: MachineCommand; options: never };
applyEnvironmentLimits();
const job = await JOBS[command]();
parentPort!.on('message', (message: { index: number; unit: MachineUnit }) => {
  job(message.unit, options).then(
    (result) => parentPort!.postMessage({ index: message.index, result } satisfies WorkerReply<unknown>),
    (error: unknown) => parentPort!.postMessage({ index: message.index, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply<unknown>),
  );
});
