/**
 * Side-by-side timing with tinybench. Every figure that becomes a ratio is measured in the same
 * process and in the same rounds as its reference: each round runs all tasks of a group (order
 * rotated from round to round, so slow drift on a shared machine hits every task alike), and
 * a task's figure is the median over rounds of its per-round mean latency. Time is the
 * process's CPU time (user + system, `process.cpuUsage`), not wall time, so other processes on a
 * shared machine do not inflate a figure while they hold the core. That clock ticks in whole
 * microseconds, so a per-sample median of a few-µs task is quantised to 1, 2, 3 µs; the mean of
 * the samples is not (truncation at both ends of a sample cancels on average). Reading that clock
 * costs ≈ 0.5–1 µs, so a task shorter than 0.1 ms runs several times per sample.
 */
import { Bench } from 'tinybench';
import { median } from './stats.js';

export interface BenchTask {
  name: string;
  /** One measured operation; returns a number folded into a sink so nothing is optimised away. */
  fn: () => number;
}

export interface MeasureOptions {
  rounds: number;
  /** Per task and round, milliseconds. */
  time: number;
  warmupTime: number;
  /** Minimum samples per task and round. */
  iterations: number;
  warmup: boolean;
}

export const FULL: MeasureOptions = { rounds: 5, time: 150, warmupTime: 60, iterations: 10, warmup: true };
/** For the smoke test: each task runs a handful of times, figures mean nothing. */
export const SMOKE: MeasureOptions = { rounds: 1, time: 0, warmupTime: 0, iterations: 2, warmup: false };

export interface Measured {
  /** Median over rounds of the mean CPU time per operation, milliseconds. */
  ms: number;
  /** Per-round means, milliseconds (per process once merged over processes: process-median.ts). */
  rounds: number[];
  samples: number;
}

/** CPU time of this process in milliseconds: tinybench's clock for every figure. */
export function cpuNow(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

let sink = 0;
/** Keeps results observable; exported so the optimiser cannot prove it unused. */
export function sinkValue(): number {
  return sink;
}

/** CPU time one sample should at least span: reading the clock costs ≈ 0.5–1 µs (a getrusage call). */
const MIN_SAMPLE_MS = 0.1;

/** How many calls of `fn` one sample makes so it spans MIN_SAMPLE_MS (estimated with the wall clock). */
function repeatsFor(fn: () => number): number {
  const started = performance.now();
  let calls = 0;
  do {
    sink = (sink + fn()) | 0;
    calls++;
  } while (performance.now() - started < MIN_SAMPLE_MS && calls < 1_000_000);
  return Math.max(1, Math.ceil((MIN_SAMPLE_MS * calls) / Math.max(performance.now() - started, 1e-6)));
}

export function measure(tasks: readonly BenchTask[], options: MeasureOptions): Map<string, Measured> {
  // A task shorter than MIN_SAMPLE_MS runs several times per sample, so the clock's own cost stays small.
  const repeats = new Map(tasks.map((task) => [task.name, options.time > 0 ? repeatsFor(task.fn) : 1]));
  const perRound = new Map<string, number[]>(tasks.map((task) => [task.name, []]));
  const samples = new Map<string, number>(tasks.map((task) => [task.name, 0]));
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({
      time: options.time,
      warmupTime: options.warmupTime,
      iterations: options.iterations,
      warmupIterations: options.warmup ? 4 : 0,
      warmup: options.warmup,
      throws: true,
      now: cpuNow,
    });
    for (let index = 0; index < tasks.length; index++) {
      const task = tasks[(index + round) % tasks.length]!;
      const fn = task.fn;
      const times = repeats.get(task.name)!;
      bench.add(task.name, () => {
        for (let call = 0; call < times; call++) sink = (sink + fn()) | 0;
      });
    }
    for (const task of bench.runSync()) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`bench task ${task.name} ended ${result.state}`);
      perRound.get(task.name)!.push(result.latency.mean / repeats.get(task.name)!);
      samples.set(task.name, samples.get(task.name)! + result.latency.samplesCount);
    }
  }
  const out = new Map<string, Measured>();
  for (const task of tasks) {
    const rounds = perRound.get(task.name)!;
    out.set(task.name, { ms: median(rounds), rounds, samples: samples.get(task.name)! });
  }
  return out;
}
