import type { Command } from 'commander';
import { INPUT_ARGUMENT_HELP, RECURSIVE_HELP } from '../shared/conventions.js';
import type { CheckOptions } from '../check/run.js';

export function register(program: Command): void {
  program
    .command('check')
    .description('validate tables: one line per finding; exit 0 clean, 1 errors found, 2 an input could not be read')
    .argument('<input...>', INPUT_ARGUMENT_HELP)
    .option('-r, --recursive', RECURSIVE_HELP)
    .option('--json', 'print a JSON array of {source, signature, diagnostics}')
    .option('-q, --quiet', 'print error-level findings only, and no summary line')
    .option('--strict', 'also run the lint.* rules for table generators (revision fit, undefined flag bits, shared IDs, uncovered devices; docs/diagnostics.md)')
    .action(async (inputs: string[], _options: CheckOptions, command: Command) => {
      const { runCheck } = await import('../check/run.js');
      process.exitCode = await runCheck(inputs, command.optsWithGlobals<CheckOptions>());
    });
}
