/**
 * Hang detection for long campaigns: a worker thread watches a heartbeat the main thread bumps
 * before every execution. If it stops for `seconds`, the worker saves the input being run to
 * fuzz/out/hang-<table>-<time>.bin and ends the process (a hang cannot be interrupted from
 * inside JavaScript).
 */
import { Worker } from 'node:worker_threads';

const WORKER = `
const { workerData } = require('node:worker_threads');
const { writeFileSync, mkdirSync } = require('node:fs');
const beat = new Int32Array(workerData.control, 0, 2);
const input = new Uint8Array(workerData.input);
let last = -1, still = 0;
setInterval(() => {
  const now = Atomics.load(beat, 0);
  if (now !== last) { last = now; still = 0; return; }
  if (++still < workerData.seconds) return;
  mkdirSync(workerData.outDir, { recursive: true });
  const file = workerData.outDir + '/hang-' + workerData.table + '-' + Date.now() + '.bin';
  writeFileSync(file, input.slice(0, Atomics.load(beat, 1)));
  process.stderr.write('\\nwatchdog: no progress for ' + workerData.seconds + ' s; input saved to ' + file + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 1000);
`;

/** Starts the watchdog; returns the `beforeRun` hook and a stop function. */
export function startWatchdog(table: string, outDir: string, seconds = 20, maxInput = 1 << 20): { beforeRun: (bytes: Uint8Array) => void; stop: () => Promise<number> } {
  const control = new SharedArrayBuffer(8);
  const input = new SharedArrayBuffer(maxInput);
  const beat = new Int32Array(control);
  const copy = new Uint8Array(input);
  const worker = new Worker(WORKER, { eval: true, workerData: { control, input, seconds, outDir, table } });
  worker.unref();
  return {
    beforeRun(bytes) {
      const length = Math.min(bytes.length, maxInput);
      copy.set(bytes.subarray(0, length));
      Atomics.store(beat, 1, length);
      Atomics.add(beat, 0, 1);
    },
    stop: () => worker.terminate(),
  };
}
