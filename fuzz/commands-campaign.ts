/**
 * `npx tsx fuzz/commands-campaign.ts [--seconds N | --executions N] [--seed S] [--no-write] [--no-real]`
 *
 * Runs the command target (fuzz/targets/commands.ts): every command of the CLI in turn, in
 * process, on mutated tables, models, topologies and memory maps. Prints each command's
 * execution count and exit statuses, and the findings; findings are minimised and written to
 * corpus/regressions/commands-*.case.json (replayed by test/fuzz-corpus-replay.test.ts).
 */
import { parseArgs } from 'node:util';
import { minimiseCase, runCommandCampaign, saveCase } from './run-command-campaign.js';
import { COMMAND_NAMES } from './targets/commands.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    executions: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'no-write': { type: 'boolean', default: false },
    'no-real': { type: 'boolean', default: false },
  },
});

const seed = Number(values.seed);
const executions = values.executions === undefined ? undefined : Number(values.executions);
const seconds = values.seconds === undefined ? (executions === undefined ? 30 : undefined) : Number(values.seconds);
const stats = await runCommandCampaign({ seed, executions, seconds, real: !values['no-real'] });

console.log(`== commands: ${stats.executions} executions in ${stats.seconds.toFixed(1)} s = ${Math.round(stats.executions / Math.max(stats.seconds, 1e-9))} exec/s (seed ${seed})`);
for (const command of COMMAND_NAMES) {
  const counts = stats.perCommand[command];
  const exits = Object.entries(counts.exits).map(([code, runs]) => `exit ${code}×${runs}`).join(' ');
  console.log(`  ${command.padEnd(10)} ${String(counts.executions).padStart(7)} executions  ${exits}`);
}
console.log(`findings: ${stats.findings.length}`);
for (const finding of stats.findings) {
  const where = values['no-write'] ? '(not written: --no-write)' : saveCase(await minimiseCase(finding), finding, seed);
  console.log(`  ${finding.signature}\n    ${finding.violation.detail.split('\n').join('\n    ')}\n    ops ${finding.operators.join('+') || '-'} → ${where}`);
}
process.exitCode = stats.findings.length > 0 ? 1 : 0;
