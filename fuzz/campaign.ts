/**
 * `npm run fuzz -- --seconds N --seed S [--table dmar|iort|madt] [--executions N] [--specimens] [--no-write]`
 *
 * Runs a campaign per table (each for N seconds, or N executions), prints executions/s (the loop,
 * the fast target alone and the sampled full invariant suite), the
 * item kinds and diagnostic codes reached and those never reached, and the findings. Findings
 * are minimised (ddmin) and written to corpus/regressions/<table>-<invariant>-<hash>.bin with
 * `.expected.json` and `.finding.json`; `--specimens` also writes, for every code reached that
 * no corpus specimen shows yet, a minimised `corpus/malformed/<table>-<code>.bin`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toJsonText } from '../src/bytes/hex.js';
import { CORPUS_DIR, codesWithSpecimens, expectedDiagnostics, shortHash, writeSpecimen } from './corpus.js';
import { ddmin } from './minimize.js';
import { findingSignature, runCampaign, type CampaignStats, type Finding } from './run-campaign.js';
import { TARGETS, type TargetName } from './targets/index.js';
import { startWatchdog } from './watchdog.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    executions: { type: 'string' },
    seed: { type: 'string', default: '1' },
    table: { type: 'string' },
    generated: { type: 'string', default: '64' },
    specimens: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'no-real': { type: 'boolean', default: false },
  },
});

const tables = (values.table === undefined ? Object.keys(TARGETS) : values.table.split(',')) as TargetName[];
for (const table of tables) if (!(table in TARGETS)) throw new Error(`--table: ${table} is not one of ${Object.keys(TARGETS).join(', ')}`);
const seed = Number(values.seed);
const executions = values.executions === undefined ? undefined : Number(values.executions);
const seconds = values.seconds === undefined ? (executions === undefined ? 10 : undefined) : Number(values.seconds);

/** Still shows the same defect: the minimiser's predicate. */
function reproduces(finding: Finding): (bytes: Uint8Array) => boolean {
  const { fast, run } = TARGETS[finding.table];
  return (bytes) => [...fast(bytes).violations, ...run(bytes).violations].some((violation) => findingSignature(violation) === finding.signature);
}

function saveFinding(finding: Finding): string {
  const timed = finding.violation.invariant === 'linear-time' || finding.violation.invariant === 'memory';
  const bytes = timed ? finding.bytes : ddmin(finding.bytes, reproduces(finding));
  const name = `${finding.table}-${finding.violation.invariant}-${shortHash(bytes)}`;
  const dir = join(CORPUS_DIR, 'regressions');
  let diagnostics: unknown = null;
  try {
    diagnostics = expectedDiagnostics(finding.table, bytes);
  } catch (error) {
    diagnostics = `parser throws: ${String(error)}`;
  }
  const record = { ...finding, bytes: undefined, minimisedLength: bytes.length, originalLength: finding.bytes.length, diagnostics };
  if (values['no-write']) return `${name} (not written: --no-write)`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.finding.json`), `${toJsonText(record)}\n`);
  writeFileSync(join(dir, `${name}.bin`), bytes);
  return `corpus/regressions/${name}.bin (${bytes.length} of ${finding.bytes.length} bytes)`;
}

function saveSpecimens(stats: CampaignStats, known: Set<string>): string[] {
  const written: string[] = [];
  for (const [code, example] of stats.examples) {
    if (known.has(code)) continue;
    const run = TARGETS[stats.table].run;
    const bytes = ddmin(example, (candidate) => {
      const result = run(candidate);
      return result.violations.length === 0 && result.codes.includes(code);
    });
    written.push(writeSpecimen(join(CORPUS_DIR, 'malformed'), `${stats.table}-${code.replace(/\./g, '-')}`, stats.table, bytes, `minimised campaign input raising ${code}`, { seed }));
    known.add(code);
  }
  return written;
}

function print(stats: CampaignStats): void {
  const kinds = [...stats.kinds.keys()].sort();
  const codes = [...stats.codes].sort(([left], [right]) => left.localeCompare(right));
  console.log(`\n== ${stats.table}: ${stats.executions} executions in ${stats.seconds.toFixed(1)} s = ${Math.round(stats.executionsPerSecond)} exec/s; fast target ${Math.round(stats.fastPerSecond)} exec/s of its own time, full suite on ${stats.fullExecutions} sampled inputs at ${Math.round(stats.fullPerSecond)} exec/s (seed ${seed}; ${stats.seeds} seeds, pool grew to ${stats.pool}; median ${stats.medianNanosPerByte.toFixed(0)} ns/byte, peak heap growth ${stats.peakHeapGrowthMiB.toFixed(0)} MiB)`);
  console.log(`kinds reached (${kinds.length}): ${kinds.join(' ')}`);
  console.log(`codes reached (${codes.length}): ${codes.map(([code, count]) => `${code}×${count}`).join(' ')}`);
  console.log(`codes NOT reached (${stats.unreached.length}): ${stats.unreached.join(' ') || '-'}`);
  console.log(`findings: ${stats.findings.length}`);
}

const totals = { executions: 0, seconds: 0, findings: 0 };
const known = codesWithSpecimens();
for (const table of tables) {
  const watchdog = startWatchdog(table, resolve(import.meta.dirname, 'out'));
  const stats = runCampaign({ table, seed, executions, seconds, generated: Number(values.generated), real: !values['no-real'], beforeRun: watchdog.beforeRun });
  await watchdog.stop();
  print(stats);
  for (const finding of stats.findings) console.log(`  ${finding.signature}\n    ${finding.violation.detail.split('\n').join('\n    ')}\n    seed ${finding.seedName}, ops ${finding.operators.join('+')} → ${saveFinding(finding)}`);
  if (values.specimens && !values['no-write']) for (const path of saveSpecimens(stats, known)) console.log(`  specimen ${path}`);
  totals.executions += stats.executions;
  totals.seconds += stats.seconds;
  totals.findings += stats.findings.length;
}
console.log(`\ntotal: ${totals.executions} executions in ${totals.seconds.toFixed(1)} s, ${totals.findings} finding(s)`);
process.exitCode = totals.findings > 0 ? 1 : 0;
