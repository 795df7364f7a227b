/**
 * Fuzzer throughput per table (issue 14 target: ≥ 80k executions/s per core on DMAR and MADT,
 * ≥ 30k on IORT and IVRS). Side by side in CPU time over the same fixed-seed mutants: the fast
 * target (parse + cheap invariants, run on every input) and the full invariant suite (run on
 * one input in `fullEvery`); then the whole campaign loop (mutation, coverage bookkeeping,
 * sampling) for a few seconds, as executions per CPU second.
 */
import { runCampaign } from '../fuzz/run-campaign.js';
import { mutate } from '../fuzz/mutate.js';
import { Random } from '../fuzz/prng.js';
import { seedsFor } from '../fuzz/seeds.js';
import { TARGETS, type TargetName } from '../fuzz/targets/index.js';
import { cpuNow, measure, type MeasureOptions } from './measure.js';

export interface FuzzRate {
  table: TargetName;
  mutants: number;
  /** Executions per CPU second of the target alone. */
  fastPerSecond: number;
  fullPerSecond: number;
  /** The campaign loop: executions, CPU seconds, and the full-suite sampling it used. */
  loopExecutions: number;
  loopCpuSeconds: number;
  loopFullExecutions: number;
}

const SEED = 1;

export interface FuzzSettings {
  measure: MeasureOptions;
  mutants: number;
  loopSeconds: number;
}

/** Full: a full-suite pass over 256 mutants takes ~0.1 s, so fewer samples per round than FULL. */
export const FUZZ_SETTINGS: Record<'full' | 'smoke', FuzzSettings> = {
  full: { measure: { rounds: 3, time: 300, warmupTime: 100, iterations: 3, warmup: true }, mutants: 256, loopSeconds: 3 },
  smoke: { measure: { rounds: 1, time: 0, warmupTime: 0, iterations: 1, warmup: false }, mutants: 4, loopSeconds: 0.1 },
};

export function benchFuzz({ measure: options, mutants, loopSeconds }: FuzzSettings, log: (line: string) => void): FuzzRate[] {
  const out: FuzzRate[] = [];
  for (const table of Object.keys(TARGETS) as TargetName[]) {
    const pool = seedsFor(table, { generated: 64, seed: SEED, real: true });
    const random = new Random(SEED);
    const inputs = Array.from({ length: mutants }, () => mutate(random.pick(pool), random, pool).bytes);
    const { fast, run } = TARGETS[table];
    log(`  fuzz ${table}: ${mutants} mutants, fast target vs full suite; then a ${loopSeconds} s campaign`);
    const measured = measure(
      [
        { name: 'fast', fn: () => inputs.reduce((acc, bytes) => acc + fast(bytes).codes.length, 0) },
        { name: 'full', fn: () => inputs.reduce((acc, bytes) => acc + run(bytes).codes.length, 0) },
      ],
      options,
    );
    const before = cpuNow();
    const stats = runCampaign({ table, seed: SEED, seconds: loopSeconds, slowFactor: 0 });
    out.push({
      table,
      mutants,
      fastPerSecond: mutants / (measured.get('fast')!.ms / 1000),
      fullPerSecond: mutants / (measured.get('full')!.ms / 1000),
      loopExecutions: stats.executions,
      loopCpuSeconds: (cpuNow() - before) / 1000,
      loopFullExecutions: stats.fullExecutions,
    });
  }
  return out;
}
