#!/usr/bin/env node
// Runs the vitest suite and ends with the plain summary line `N passed, N failed, N skipped`
// (read from vitest's JSON reporter), so CI logs always say what ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const report = '.vitest-report.json';
rmSync(report, { force: true });
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
let summary = '0 passed, 1 failed (vitest wrote no report)';
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  summary = `${result.numPassedTests} passed, ${result.numFailedTests} failed, ${result.numPendingTests + result.numTodoTests} skipped`;
}
console.log(summary);
process.exit(run.status ?? 1);
