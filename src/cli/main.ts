#!/usr/bin/env node
/**
 * acpi-iommu command line. Start-up is a benchmark target, so this file loads nothing heavy:
 * `--version` and a plain `check FILE…` run without commander, and each command imports what
 * it needs (file reading, parsers, renderers) inside its action.
 *
 * To add a command: write `src/cli/commands/<name>.ts` exporting `register(program)` and add
 * one line to `COMMANDS`. A run names one command, so only that command's module is loaded.
 */
import { applyEnvironmentLimits } from '../node/limits.js';
import { packageVersion } from '../node/package-info.js';
import { plainCheckArgs } from './check/plain-args.js';
import { EXIT_INPUT } from './shared/conventions.js';
import { readsSeveralInputs, tuneTierUp, WRITE_CODE_CACHE_ENV } from './shared/tier-up.js';

const COMMANDS = {
  report: () => import('./commands/report.js'),
  dump: () => import('./commands/dump.js'),
  check: () => import('./commands/check.js'),
  regions: () => import('./commands/regions.js'),
  iova: () => import('./commands/iova.js'),
  conflicts: () => import('./commands/conflicts.js'),
  map: () => import('./commands/map.js'),
  encode: () => import('./commands/encode.js'),
  audit: () => import('./commands/audit.js'),
  explain: () => import('./commands/explain.js'),
  view: () => import('./commands/view.js'),
  collect: () => import('./commands/collect.js'),
} as const;

type CommandName = keyof typeof COMMANDS;

/** `acpi-iommu check …` needs only the check command's module; help and the default command need them all. */
function commandsFor(first: string | undefined): (() => Promise<unknown>)[] {
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? [COMMANDS[first as CommandName]] : Object.values(COMMANDS);
}

// No top-level await: the build makes this file CommonJS (scripts/build-cli.mjs buildMain says why).
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const badLimit = applyEnvironmentLimits();
  const unknown = argv[0] === undefined || Object.hasOwn(COMMANDS, argv[0]) ? undefined : (await import('./shared/unknown-command.js')).unknownCommand(argv[0], Object.keys(COMMANDS));
  // Paths and boolean flags only: `check` runs without commander (plain-args.ts says why and how it stays equal).
  const plain = argv[0] === 'check' ? plainCheckArgs(argv.slice(1)) : undefined;
  if (badLimit !== undefined) {
    process.stderr.write(`acpi-iommu: ${badLimit}\n`);
    process.exitCode = EXIT_INPUT;
  } else if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${packageVersion()}\n`);
  } else if (unknown !== undefined) {
    process.stderr.write(`acpi-iommu: ${unknown}\n`);
    process.exitCode = EXIT_INPUT;
  } else if (plain !== undefined) {
    // Built: check-plain.cjs with its code cache (shared/code-cache.ts); from source: the module.
    const bundle = (await import('./shared/code-cache.js')).loadBundle<typeof import('./commands/check.js')>(new URL('./check-plain.cjs', import.meta.url));
    // Several inputs or a tree: optimise later (shared/tier-up.ts), once the cache is read.
    if (readsSeveralInputs(argv)) tuneTierUp();
    await (bundle?.exports ?? (await import('./commands/check.js'))).runPlain(plain.inputs, plain.options);
    if (process.env[WRITE_CODE_CACHE_ENV] === '1') bundle?.writeCache();
  } else {
    if (readsSeveralInputs(argv)) tuneTierUp();
    const [{ runProgram }, ...commands] = await Promise.all([import('./program.js'), ...commandsFor(argv[0]).map((load) => load())]);
    await runProgram(process.argv, commands as Parameters<typeof runProgram>[1]);
  }
}

void main();
