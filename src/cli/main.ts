#!/usr/bin/env node
/**
 * acpi-iommu command line. Start-up is a benchmark target, so this file loads nothing heavy:
 * `--version` answers without commander, and each command imports what it needs (file
 * reading, parsers, renderers) inside its action.
 *
 * To add a command: write `src/cli/commands/<name>.ts` exporting `register(program)` and add
 * one line to `COMMANDS`.
 */
import { packageVersion } from '../node/package-info.js';

const COMMANDS = [
  () => import('./commands/report.js'),
  () => import('./commands/dump.js'),
  () => import('./commands/check.js'),
  () => import('./commands/regions.js'),
  () => import('./commands/iova.js'),
  () => import('./commands/conflicts.js'),
  () => import('./commands/map.js'),
  () => import('./commands/encode.js'),
  () => import('./commands/audit.js'),
  () => import('./commands/explain.js'),
];

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const [{ runProgram }, ...commands] = await Promise.all([import('./program.js'), ...COMMANDS.map((load) => load())]);
  await runProgram(process.argv, commands);
}
