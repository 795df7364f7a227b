import type { Command } from 'commander';
import { INPUT_ARGUMENT_HELP, RECURSIVE_HELP } from '../shared/conventions.js';
import type { CheckOptions } from '../check/run.js';
import { addCiOptions } from '../shared/ci-options.js';
import { addJobsOption } from '../shared/machines-option.js';

export function register(program: Command): void {
  const command = program
    .command('check')
    .description('validate tables: one line per finding; exit 0 clean, 1 a finding at --fail-on level, 2 an input could not be read or held no table acpi-iommu reads')
    .argument('<input...>', INPUT_ARGUMENT_HELP)
    .option('-r, --recursive', RECURSIVE_HELP)
    .option('--json', 'print one JSON document {schemaVersion, tables: [{source, signature, diagnostics}], failures, summary} (same as --format json)')
    .option('-q, --quiet', 'print error-level findings only, and no summary line')
    .option('--strict', 'also run the lint.* rules for table generators (revision fit, undefined flag bits, shared IDs, uncovered devices; docs/diagnostics.md)');
  addJobsOption(addCiOptions(command)).action(async (inputs: string[], _options: CheckOptions, self: Command) => {
    const { runCheck } = await import('../check/run.js');
    process.exitCode = await runCheck(inputs, self.optsWithGlobals<CheckOptions>());
  });
}
