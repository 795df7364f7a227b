/**
 * The whole benchmark as a function: `full` produces bench/RESULTS.md's figures (≈ 2 min on a
 * 2-core machine); `smoke` runs every module once on 1–2 tables with minimal iterations (for
 * test/bench-smoke.test.ts; its figures mean nothing and nothing is written).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { benchCorpus, type GroupFigures } from './corpus.js';
import { benchFuzz, FUZZ_SETTINGS, type FuzzRate } from './fuzz-rates.js';
import { FULL, SMOKE } from './measure.js';
import { benchCli, benchIaslAndBatch, CLI_ENTRY, typicalDmar } from './processes.js';
import { medianOverProcesses } from './process-median.js';
import { profileProcess, type ProfileSummary } from './profile.js';
import { renderResults, scalesFlat, type Machine, type Results, type YoungPoint } from './report.js';
import { benchScaling, FULL_SIZES, SMOKE_SIZES, type ScalingSeries } from './scaling.js';
import { HAVE_SHARED, loadRealCorpus, REAL_ROOT, REPO_ROOT, SHARED_ROOT } from './shared.js';
import { loadToolkit } from './toolkit.js';

export interface BenchRun {
  results: Results;
  markdown: string;
}

function machine(): Machine {
  const tinybench = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'tinybench', 'package.json'), 'utf8')) as { version: string };
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    platform: `${osType()} ${release()} ${process.arch}`,
    memoryGiB: totalmem() / 2 ** 30,
    loadAverage: loadavg(),
    loadAverageEnd: [],
    date: new Date().toISOString(),
    tinybench: tinybench.version,
  };
}

/** Child processes the corpus figures are measured in, each figure the median over them (process-median.ts says why). */
const CORPUS_PROCESSES = 3;
/** Young generation (semi-space) size for the GC check, MiB; V8's default maximum on 64-bit is 16. */
const LARGE_SEMI_SPACE_MB = 128;
/** The smaller size of the young-generation check (the larger is the largest scaling size). */
const YOUNG_CHECK_SIZES = [1000] as const;
const BUILD_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'acpi-iommu-bench');
const CHILD = join(BUILD_DIR, 'bench', 'child.js');

/** tsc-compiles src, fuzz and bench (bench/tsconfig.bench.json); undefined when it worked, else why not. */
function compileForChild(log: (line: string) => void): string | undefined {
  log('compiling src, fuzz and bench with tsc (bench/tsconfig.bench.json)');
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(REPO_ROOT, 'bench', 'tsconfig.bench.json')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (existsSync(CHILD)) {
    return result.status === 0 ? undefined : `tsc reported type errors (emitted anyway; first: ${result.stdout.trim().split('\n')[0]})`;
  }
  return `tsc emitted no bench/child.js (exit ${result.status}): ${(result.stdout + result.stderr).trim().split('\n').slice(0, 2).join(' / ')}`;
}

/** Runs a bench/child.ts job on the compiled output; throws on failure. */
function runChild<T>(args: readonly string[], nodeFlags: readonly string[] = []): T {
  const child = spawnSync(process.execPath, [...nodeFlags, CHILD, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ACPI_IOMMU_REPO: REPO_ROOT, ACPI_IOMMU_SHARED: SHARED_ROOT },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`bench child ${args.join(' ')} exited ${child.status}`);
  return JSON.parse(child.stdout) as T;
}

export async function runBench(mode: 'full' | 'smoke', log: (line: string) => void = () => {}, analysis?: string): Promise<BenchRun> {
  const started = performance.now();
  const smoke = mode === 'smoke';
  const options = smoke ? SMOKE : FULL;
  const info = machine();
  const corpus = loadRealCorpus(smoke ? 2 : Infinity);
  const notes: string[] = [];
  if (!HAVE_SHARED) notes.push(`../shared is absent (looked in ${SHARED_ROOT}): real-corpus figures skipped.`);
  log(`corpus: ${corpus.length} tables from ${REAL_ROOT}`);

  // Full runs measure tsc output under plain node in a child (tsx's keepNames transform wraps
  // every closure in __name(), which made the IORT parse ≈ 1.5× slower); smoke runs stay in process.
  const compileProblem = smoke ? 'smoke run: in process' : compileForChild(log);
  const compiled = !smoke && existsSync(CHILD);
  let corpusFigures: GroupFigures[];
  let scaling: ScalingSeries[];
  let fuzz: FuzzRate[];
  let runtime: string;
  if (compiled) {
    if (compileProblem !== undefined) notes.push(compileProblem);
    const corpusParts = Array.from({ length: CORPUS_PROCESSES }, (_, index) => {
      log(`  corpus figures: process ${index + 1} of ${CORPUS_PROCESSES}`);
      return runChild<{ notes: string[]; corpus: GroupFigures[] }>(['figures', 'corpus', mode]);
    });
    notes.push(...corpusParts[0]!.notes);
    corpusFigures = medianOverProcesses(corpusParts.map((part) => part.corpus));
    scaling = runChild<{ scaling: ScalingSeries[] }>(['figures', 'scaling', mode]).scaling;
    fuzz = runChild<{ fuzz: FuzzRate[] }>(['figures', 'fuzz', mode]).fuzz;
    runtime = 'tsc output (bench/tsconfig.bench.json) under plain node, in a child process';
  } else {
    if (!smoke) notes.push(`Could not compile for the child (${compileProblem}); figures are from src under tsx, whose keepNames transform slows closure-heavy code (IORT validation ≈ 1.5×).`);
    const toolkit = await loadToolkit();
    notes.push(...toolkit.notes);
    corpusFigures = benchCorpus(corpus, toolkit, options, log);
    scaling = benchScaling(toolkit, smoke ? SMOKE_SIZES : FULL_SIZES, options, log);
    fuzz = benchFuzz(FUZZ_SETTINGS[mode], log);
    runtime = 'src under tsx, in process';
  }

  let iasl: Results['iasl'];
  let cli: Results['cli'];
  let cliBatch: Results['cliBatch'];
  const profiles: Results['profiles'] = [];
  const youngGeneration: Results['youngGeneration'] = [];
  if (!smoke) {
    // benchCli first: it builds dist when stale, which the interleaved iasl/check runs then use.
    const dmar = typicalDmar(corpus);
    cli = dmar === undefined ? { skipped: 'no DMAR in the corpus' } : benchCli(dmar, 20, log);
    const both = corpus.length === 0 ? undefined : benchIaslAndBatch(corpus, 3, 1, log);
    iasl = both?.iasl ?? { skipped: '../shared absent' };
    const batch = both?.batch;
    if (batch !== undefined) cliBatch = { ...batch, tables: corpus.length };
    const profileJob = (what: string, ms: number, size = 0): ProfileSummary | undefined => {
      if (!compiled) return undefined;
      try {
        return runChild<ProfileSummary>(['profile', what, String(ms), String(size)], ['--no-turbo-inlining']);
      } catch {
        return undefined;
      }
    };
    if (corpus.length > 0) {
      log('  profile: parse + regions over the corpus');
      profiles.push({
        title: 'parse + regions, every real table',
        why: 'Where the corpus pass of §2 ("all") spends its time; compare with the 2× floor target. Compiled child, V8 inlining off so self time stays in the function doing the work.',
        summary: profileJob('corpus-regions', 1500),
      });
    }
    if (dmar !== undefined && !(cli !== undefined && 'skipped' in cli)) {
      log('  profile: CLI check cold start');
      profiles.push({
        title: '`node --cpu-prof dist/cli/main.cjs check <DMAR>` (one cold start)',
        why: 'Where CLI start-up goes beyond `node -e 0`; compare with the 1.3× target.',
        summary: profileProcess([CLI_ENTRY, 'check', join(REAL_ROOT, dmar.path)]),
      });
    }
    for (const series of scaling) {
      const nonlinear = !scalesFlat(series.parseExponent, series.parseFit.r2, series.parseTail) || (series.regionsFit !== undefined && !scalesFlat(series.regionsExponent!, series.regionsFit.r2, series.regionsTail!));
      if (!nonlinear) continue;
      const count = series.points[series.points.length - 1]!.count;
      const what = series.label.startsWith('DMAR') ? 'dmar-scale' : 'iort-scale';
      log(`  profile: ${series.label} n=${count} (scaling target missed)`);
      profiles.push({
        title: `${series.label}, n = ${count}: parse + regions`,
        why: 'Scaling missed the flat criterion of §6; this is where the largest table spends its time (child process, inlining off).',
        summary: profileJob(what, 1500, count),
      });
      if (compiled) {
        log(`  young generation check: ${series.label}`);
        // One fresh process per size and flag, so no size inherits another's heap.
        const sizes = [YOUNG_CHECK_SIZES[0], count];
        const run = (flags: string[], work = what) => sizes.map((size) => runChild<YoungPoint[]>(['young', String(size), work], flags)[0]!);
        try {
          youngGeneration.push({
            label: series.label,
            structure: series.structure,
            normal: run([]),
            large: run([`--max-semi-space-size=${LARGE_SEMI_SPACE_MB}`]),
            flag: `--max-semi-space-size=${LARGE_SEMI_SPACE_MB}`,
            objectFloor: what === 'dmar-scale' ? run([], 'dmar-object-floor') : undefined,
          });
        } catch (error) {
          notes.push(`young generation check for ${series.label} failed: ${String(error)}`);
        }
      }
    }
  }

  const results: Results = {
    machine: info,
    mode,
    wallSeconds: (performance.now() - started) / 1000,
    measureNote:
      `Method: ${runtime}; tinybench ${info.tinybench}; every ratio measured side by side: each group of tasks runs ${options.rounds} round(s) ` +
      `(${options.warmup ? `warm-up ${options.warmupTime} ms, ` : 'no warm-up, '}≥ ${options.time} ms and ≥ ${options.iterations} samples per task and round, task order rotated between rounds); ` +
      'a figure is the median over rounds of the per-round mean CPU time per operation (user + system of the measuring process, not wall time; the mean because that clock ticks in whole µs, which quantises a per-sample median of a few-µs task). ' +
      (compiled ? `The real-corpus figures (§1–3) are measured in ${CORPUS_PROCESSES} child processes, one after the other: each ratio is the median over the processes of the ratio measured in one (bench/process-median.ts). ` : '') +
      'Machine is shared: absolute numbers wander, ratios are what to read. Process figures (§4, §5, CLI) are wall time of whole processes.',
    corpus: corpusFigures,
    iasl,
    cli,
    cliBatch,
    scaling,
    fuzz,
    profiles,
    youngGeneration,
    notes,
    analysis,
  };
  results.wallSeconds = (performance.now() - started) / 1000;
  results.machine.loadAverageEnd = loadavg();
  return { results, markdown: renderResults(results) };
}
