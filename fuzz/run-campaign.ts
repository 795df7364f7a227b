/**
 * One fuzz campaign over one table kind: mutate seeds, run the fast target (parse + cheap
 * invariants) on every input and the full invariant suite on a sampled fraction, keep inputs
 * that reach a new diagnostic code or item kind as new seeds, and watch time per byte.
 * Budgeted by executions (deterministic for a seed) or by wall time.
 */
import { performance } from 'node:perf_hooks';
import { SDT_CODES } from '../src/bytes/sdt.js';
import { CROSS_CODES } from '../src/cross/codes.js';
import { DMAR_CODES } from '../src/dmar/codes.js';
import { IORT_CODES } from '../src/iort/codes.js';
import { MADT_CODES } from '../src/madt/codes.js';
import { IVRS_CODES } from '../src/ivrs/codes.js';
import type { Violation } from './invariants.js';
import { makeSeed, mutate, MutationSpace, type Seed } from './mutate.js';
import { Random } from './prng.js';
import { seedsFor } from './seeds.js';
import { TARGETS, type TargetName } from './targets/index.js';

export interface CampaignOptions {
  table: TargetName;
  seed: number;
  /** Stop after this many executions (deterministic). */
  executions?: number;
  /** Or after this many seconds. */
  seconds?: number;
  /** Generated seed models (default 64). */
  generated?: number;
  /** Use ../shared real tables as seeds (default true). */
  real?: boolean;
  /** Flag inputs whose time per byte exceeds this multiple of the median, confirmed by CPU time (default 50; 0 disables). */
  slowFactor?: number;
  /** Called with every input just before it runs (the hang watchdog keeps a copy). */
  beforeRun?: (bytes: Uint8Array) => void;
  /** Run the full invariant suite on one input in this many, chosen by a PRNG seeded from `seed` (default 64; 1 = every input). */
  fullEvery?: number;
}

export interface Finding {
  table: TargetName;
  violation: Violation;
  /** Dedupe key: invariant + detail with numbers blanked. */
  signature: string;
  bytes: Uint8Array;
  seedName: string;
  operators: string[];
  execution: number;
}

export interface CampaignStats {
  table: TargetName;
  executions: number;
  seconds: number;
  /** Executions of the whole loop (mutation, fast target, sampled full suite) per second. */
  executionsPerSecond: number;
  /** Executions of the fast target per second of time spent inside it. */
  fastPerSecond: number;
  /** Inputs that also ran the full invariant suite, and those per second of time spent inside it. */
  fullExecutions: number;
  fullPerSecond: number;
  seeds: number;
  pool: number;
  /** Code → executions that raised it. */
  codes: Map<string, number>;
  /** Codes of the table's code tables never raised. */
  unreached: string[];
  kinds: Map<string, number>;
  /** First input that raised each code (for specimens). */
  examples: Map<string, Uint8Array>;
  findings: Finding[];
  medianNanosPerByte: number;
  /** Highest heap growth over the start of the loop, sampled every 4096 executions (MiB). */
  peakHeapGrowthMiB: number;
}

/** The codes a target can raise: SDT, its table's, and the cross-table codes it checks. */
export function codeUniverse(table: TargetName): string[] {
  const own = { dmar: DMAR_CODES, iort: IORT_CODES, madt: MADT_CODES, ivrs: IVRS_CODES }[table];
  const cross = { dmar: ['cross.ioapic.missing'], iort: ['cross.its.missing'], madt: [] as string[], ivrs: [] as string[] }[table];
  return [...Object.keys(SDT_CODES), ...Object.keys(own), ...cross.filter((code) => code in CROSS_CODES)];
}

export function findingSignature(violation: Violation): string {
  return `${violation.invariant}:${violation.detail.split('\n')[0]!.replace(/0x[0-9a-f]+|\d+/gi, '#')}`;
}

const POOL_LIMIT = 4000;
/** Heap growth over the loop's start that counts as unbounded memory (inputs are ≤ 64 KiB tables). */
const HEAP_CEILING_MIB = 1024;
/** Below this many milliseconds an execution is never called slow (timer and GC noise). */
const SLOW_FLOOR_MS = 10;
const COST_FLOOR_BYTES = 1024;

export function runCampaign(options: CampaignOptions): CampaignStats {
  const target = TARGETS[options.table];
  const random = new Random(options.seed);
  // A second stream for the sampling, so the mutations do not depend on the sampled fraction.
  const sampler = new Random(options.seed ^ 0x5a5a5a5a);
  const fullEvery = options.fullEvery ?? 64;
  let fastMs = 0;
  let fullMs = 0;
  const seeds = seedsFor(options.table, { generated: options.generated, seed: options.seed, real: options.real });
  const pool: Seed[] = [...seeds];
  const stats: CampaignStats = {
    table: options.table, executions: 0, seconds: 0, executionsPerSecond: 0, fastPerSecond: 0, fullExecutions: 0, fullPerSecond: 0, seeds: seeds.length, pool: 0,
    codes: new Map(), unreached: [], kinds: new Map(), examples: new Map(), findings: [], medianNanosPerByte: 0, peakHeapGrowthMiB: 0,
  };
  const seen = new Set<string>();
  const costs: number[] = [];
  let median = Infinity;
  const slowFactor = options.slowFactor ?? 50;
  const heapAtStart = process.memoryUsage().heapUsed;
  const started = performance.now();
  const deadline = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  const limit = options.executions ?? (options.seconds === undefined ? 10_000 : Infinity);
  // Inputs are mutated in one reused space; an input that is kept (example, seed, finding) is copied once.
  const space = new MutationSpace();
  let kept: Uint8Array | undefined;
  const keep = (bytes: Uint8Array) => (kept ??= bytes.slice());
  const report = (violation: Violation, bytes: Uint8Array, seed: Seed, operators: string[]) => {
    const signature = findingSignature(violation);
    if (seen.has(signature)) return;
    seen.add(signature);
    stats.findings.push({ table: options.table, violation, signature, bytes: keep(bytes), seedName: seed.name, operators, execution: stats.executions });
  };
  while (stats.executions < limit && (stats.executions & 255 || performance.now() < deadline)) {
    const seed = random.pick(pool);
    const { bytes, operators } = mutate(seed, random, pool, space);
    kept = undefined;
    options.beforeRun?.(bytes);
    const before = performance.now();
    const result = target.fast(bytes);
    const elapsed = performance.now() - before;
    fastMs += elapsed;
    if (sampler.below(fullEvery) === 0) {
      const full = target.run(bytes);
      fullMs += performance.now() - before - elapsed;
      stats.fullExecutions++;
      result.codes.push(...full.codes);
      result.kinds.push(...full.kinds);
      result.violations.push(...full.violations);
    }
    stats.executions++;
    let novel = false;
    for (const code of result.codes) {
      const count = stats.codes.get(code) ?? 0;
      if (count === 0) {
        novel = true;
        stats.examples.set(code, keep(bytes));
      }
      stats.codes.set(code, count + 1);
    }
    for (const kind of result.kinds) {
      if (!stats.kinds.has(kind)) novel = true;
      stats.kinds.set(kind, (stats.kinds.get(kind) ?? 0) + 1);
    }
    if (novel && bytes.length >= 36) {
      const found = makeSeed(`found/${stats.executions}`, keep(bytes));
      if (pool.length < POOL_LIMIT) pool.push(found);
      else pool[seeds.length + random.below(POOL_LIMIT - seeds.length)] = found;
    }
    for (const violation of result.violations) report(violation, bytes, seed, operators);
    const cost = (elapsed * 1e6) / Math.max(bytes.length, COST_FLOOR_BYTES);
    if (costs.length < 4096) costs.push(cost);
    else costs[random.below(4096)] = cost;
    if ((stats.executions & 4095) === 0) {
      median = [...costs].sort((a, b) => a - b)[costs.length >> 1]!;
      const growth = (process.memoryUsage().heapUsed - heapAtStart) / 2 ** 20;
      stats.peakHeapGrowthMiB = Math.max(stats.peakHeapGrowthMiB, growth);
      if (growth > HEAP_CEILING_MIB) report({ invariant: 'memory', detail: `heap grew ${growth.toFixed(0)} MiB over the campaign start (last input ${bytes.length} bytes)` }, bytes, seed, operators);
    }
    if (slowFactor > 0 && elapsed > SLOW_FLOOR_MS && cost > slowFactor * median) {
      // Confirm with CPU time (other processes on a shared machine inflate wall time), best of three.
      const again = Math.min(...[0, 1, 2].map(() => {
        const start = process.cpuUsage();
        target.fast(bytes);
        const used = process.cpuUsage(start);
        return (used.user + used.system) / 1000;
      }));
      const againCost = (again * 1e6) / Math.max(bytes.length, COST_FLOOR_BYTES);
      if (again > SLOW_FLOOR_MS && againCost > slowFactor * median) {
        report({ invariant: 'linear-time', detail: `${again.toFixed(1)} ms for ${bytes.length} bytes: ${Math.round(againCost)} ns/byte vs median ${median.toFixed(1)}` }, bytes, seed, operators);
      }
    }
  }
  stats.seconds = (performance.now() - started) / 1000;
  stats.executionsPerSecond = stats.executions / Math.max(stats.seconds, 1e-9);
  stats.fastPerSecond = (stats.executions * 1000) / Math.max(fastMs, 1e-9);
  stats.fullPerSecond = (stats.fullExecutions * 1000) / Math.max(fullMs, 1e-9);
  stats.pool = pool.length;
  stats.unreached = codeUniverse(options.table).filter((code) => !stats.codes.has(code));
  stats.medianNanosPerByte = [...costs].sort((a, b) => a - b)[costs.length >> 1] ?? 0;
  return stats;
}
