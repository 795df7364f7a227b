/** bench/RESULTS.md: the results model, the target verdicts, and the page assembled from report-sections.ts. */
import type { GroupFigures } from './corpus.js';
import type { Measured } from './measure.js';
import type { FuzzRate } from './fuzz-rates.js';
import type { CliFigures, IaslFigures } from './processes.js';
import type { ProfileSummary } from './profile.js';
import { cliSection, iaslSection, profileSection } from './report-processes.js';
import { corpusSection, fuzzSection, scalingSection, youngSection } from './report-sections.js';
import type { ScalingSeries } from './scaling.js';
import { fmt, fmtRatio, markdownTable, median, verdict } from './stats.js';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGiB: number;
  loadAverage: number[];
  /** Load average when the run ended (other work on a shared machine shows here). */
  loadAverageEnd: number[];
  date: string;
  tinybench: string;
}

export interface Results {
  machine: Machine;
  mode: 'full' | 'smoke';
  wallSeconds: number;
  measureNote: string;
  corpus: GroupFigures[];
  iasl: IaslFigures | { skipped: string } | undefined;
  cli: CliFigures | { skipped: string } | undefined;
  cliBatch: { ms: number; cpuMs: number; status: number | null; tables: number } | undefined;
  scaling: ScalingSeries[];
  fuzz: FuzzRate[];
  profiles: { title: string; why: string; summary: ProfileSummary | undefined }[];
  /** Parse + regions per structure with V8's default young generation and a large one (only when scaling missed). */
  youngGeneration: {
    label: string;
    structure: string;
    flag: string;
    normal: YoungPoint[];
    large: YoungPoint[];
    /** Parse + one plain four-field object per structure, defaults (DMAR only): what keeping an object per region costs at all. */
    objectFloor?: YoungPoint[];
  }[];
  notes: string[];
  /** Hand-written text kept from the previous RESULTS.md (between the analysis markers). */
  analysis: string | undefined;
}

export interface YoungPoint {
  count: number;
  msPerStructure: number;
}

export const ANALYSIS_START = '<!-- analysis:start (kept across runs; edit by hand) -->';
export const ANALYSIS_END = '<!-- analysis:end -->';

/** Time ÷ reference time; NaN when either is missing. */
export function ratio(measured: Measured | undefined, floor: Measured | undefined): number {
  return measured === undefined || floor === undefined ? Number.NaN : measured.ms / floor.ms;
}

export interface TargetRow {
  target: string;
  measured: string;
  met: boolean | undefined;
}

/**
 * Flat time per structure: log–log exponent over n ≥ 100 at most 1.1, a straight-line fit of time
 * against n with r² ≥ 0.98, and the time per structure at the largest n at most 1.5× the lowest
 * over n ≥ 100 (the fit alone let a 2.3× rise from 10,000 to 100,000 pass).
 */
export function scalesFlat(exponent: number, r2: number, tail: number): boolean {
  return exponent <= 1.1 && r2 >= 0.98 && tail <= 1.5;
}

/** A "× floor" target over every corpus group (each signature and all). */
function floorTarget(results: Results, what: string, limit: number, figure: (group: GroupFigures) => number): TargetRow {
  const ratios = results.corpus.map((group) => [group.label, figure(group)] as const).filter(([, value]) => Number.isFinite(value));
  return {
    target: `${what} ≤ ${limit}× checksum floor (per signature and all; issue 14)`,
    measured: ratios.length === 0 ? 'n/a' : ratios.map(([label, value]) => `${label} ${fmtRatio(value)}`).join(', '),
    met: ratios.length === 0 ? undefined : ratios.every(([, value]) => value <= limit),
  };
}

/** Issue 14's fuzzer target per table, executions per CPU second of the fast target. */
const FUZZ_TARGET: Readonly<Record<string, number>> = { dmar: 80_000, madt: 80_000, iort: 30_000, ivrs: 30_000 };

export function targets(results: Results): TargetRow[] {
  const rows: TargetRow[] = [];
  const all = results.corpus.find((group) => group.label === 'all');
  rows.push(floorTarget(results, 'parse with every rule', 2, (group) => ratio(group.parse, group.checksum)));
  rows.push(floorTarget(results, 'walk every item', 3, (group) => ratio(group.walk, group.checksum)));
  rows.push(floorTarget(results, 'parse + regions', 5, (group) => (group.regions === undefined ? Number.NaN : ratio(group.regions.run, group.regions.floor))));
  for (const rate of results.fuzz) {
    const goal = FUZZ_TARGET[rate.table]!;
    const loop = rate.loopExecutions / Math.max(rate.loopCpuSeconds, 1e-9);
    rows.push({
      target: `fuzzer ${rate.table} ≥ ${fmt(goal / 1000)}k executions/s per core (fast target; full suite sampled)`,
      measured: `fast target ${fmt(rate.fastPerSecond)}/s, campaign loop ${fmt(loop)}/s, full suite ${fmt(rate.fullPerSecond)}/s`,
      met: rate.fastPerSecond >= goal && loop >= goal,
    });
  }
  const oracleRatio = all?.oracle === undefined ? Number.NaN : ratio(all.oracle, all.oracleParse);
  const oracleJsonRatio = all?.oracle === undefined ? Number.NaN : ratio(all.oracle, all.oracleToJSON);
  rows.push({
    target: '≥ 10× faster than the binary-parser implementation (all tables; verdict on parse + diagnostics)',
    measured: Number.isFinite(oracleRatio) ? `binary-parser time ÷ ours: parse ${fmtRatio(oracleRatio)}, toJSON ${fmtRatio(oracleJsonRatio)}` : 'n/a (fuzz/oracle.ts absent)',
    met: Number.isFinite(oracleRatio) ? oracleRatio >= 10 : undefined,
  });
  const cli = results.cli !== undefined && !('skipped' in results.cli) ? results.cli : undefined;
  const cliRatio = cli === undefined ? Number.NaN : median(cli.commands[cli.commands.length - 1]!.times) / median(cli.commands[0]!.times);
  const cliCpuRatio = cli === undefined ? Number.NaN : median(cli.commands[cli.commands.length - 1]!.cpu) / median(cli.commands[0]!.cpu);
  rows.push({ target: 'CLI `check <one DMAR>` ≤ 1.3× `node -e 0`', measured: cli === undefined ? 'n/a' : `${fmtRatio(cliRatio)} (CPU time ${fmtRatio(cliCpuRatio)})`, met: cli === undefined ? undefined : cliRatio <= 1.3 });
  const iasl = results.iasl !== undefined && !('skipped' in results.iasl) ? results.iasl : undefined;
  const batch = results.cliBatch;
  const iaslRatio = iasl === undefined || batch === undefined ? Number.NaN : median(iasl.passes) / batch.ms;
  rows.push({
    target: 'one `check` over the shared real tables ≥ 10× faster than `iasl -d` once per table',
    measured: Number.isFinite(iaslRatio) ? `${fmtRatio(iaslRatio)} (${batch!.tables} tables; CPU time ${fmtRatio(median(iasl!.cpuPasses) / batch!.cpuMs)})` : `n/a (${iasl === undefined ? 'iasl not run or not installed' : 'no batch run'})`,
    met: Number.isFinite(iaslRatio) ? iaslRatio >= 10 : undefined,
  });
  for (const series of results.scaling) {
    const span = `n=${series.points[series.points.length - 1]?.count} vs n=${series.points[0]?.count}`;
    rows.push({
      target: `flat scaling, ${series.label} parse`,
      measured: `exponent ${fmt(series.parseExponent)}, r² ${fmt(series.parseFit.r2, 4)}; per-${series.structure} time at the largest n ${fmtRatio(series.parseTail)} the lowest over n ≥ 100, ${fmtRatio(series.parseRatio)} (${span})`,
      met: scalesFlat(series.parseExponent, series.parseFit.r2, series.parseTail),
    });
    if (series.regionsFit !== undefined) {
      rows.push({
        target: `flat scaling, ${series.label} parse + regions`,
        measured: `exponent ${fmt(series.regionsExponent!)}, r² ${fmt(series.regionsFit.r2, 4)}; per-${series.structure} time at the largest n ${fmtRatio(series.regionsTail!)} the lowest over n ≥ 100, ${fmtRatio(series.regionsRatio!)} (${span})`,
        met: scalesFlat(series.regionsExponent!, series.regionsFit.r2, series.regionsTail!),
      });
    }
  }
  return rows;
}

export function renderResults(results: Results): string {
  const machine = results.machine;
  const out: string[] = [
    '# acpi-iommu benchmarks — results',
    '',
    `Generated by \`npm run bench\` (bench/run.ts, ${results.mode} mode) in ${fmt(results.wallSeconds)} s. Do not edit by hand except between the analysis markers; rerun instead.`,
    '',
    markdownTable(
      ['machine', ''],
      [
        ['date', machine.date],
        ['CPU', machine.cpu],
        ['cores', String(machine.cores)],
        ['Node', machine.node],
        ['OS', machine.platform],
        ['memory', `${fmt(machine.memoryGiB)} GiB`],
        ['load average (1/5/15 min) at start → end', `${machine.loadAverage.map((value) => fmt(value)).join(' / ')} → ${machine.loadAverageEnd.map((value) => fmt(value)).join(' / ')}`],
        ['tinybench', machine.tinybench],
      ],
    ),
    '',
    results.measureNote,
    '',
    '## Targets (reported, never asserted)',
    '',
    markdownTable(['target', 'measured', 'verdict'], targets(results).map((row) => [row.target, row.measured, verdict(row.met)])),
    '',
    ...corpusSection(results.corpus),
    ...iaslSection(results),
    ...cliSection(results),
    ...scalingSection(results.scaling),
    ...fuzzSection(results.fuzz),
    ...youngSection(results.youngGeneration),
    ...profileSection(results.profiles),
  ];
  if (results.notes.length > 0) out.push('## Notes', '', ...results.notes.map((note) => `- ${note}`), '');
  out.push('## Analysis', '', ANALYSIS_START, '', results.analysis?.trim() || '_(none yet)_', '', ANALYSIS_END, '');
  return out.join('\n');
}

/** The hand-written analysis of a previous RESULTS.md, if any. */
export function keptAnalysis(previous: string | undefined): string | undefined {
  if (previous === undefined) return undefined;
  const start = previous.indexOf(ANALYSIS_START);
  const end = previous.indexOf(ANALYSIS_END);
  if (start < 0 || end < start) return undefined;
  return previous.slice(start + ANALYSIS_START.length, end);
}
