import type { Command } from 'commander';
import { INPUT_ARGUMENT_HELP } from '../shared/conventions.js';
import type { CheckOptions } from '../check/run.js';
import { CHECK_FLAGS } from '../shared/boolean-flags.js';
import { addCiOptions } from '../shared/ci-options.js';
import { addJobsOption } from '../shared/machines-option.js';
import { runGuarded } from '../shared/run-guard.js';

export function register(program: Command): void {
  const command = program
    .command('check')
    .description('validate tables: one line per finding; exit 0 clean, 1 a finding at --fail-on level, 2 an input could not be read or held no table acpi-iommu reads')
    .argument('<input...>', INPUT_ARGUMENT_HELP);
  for (const flag of CHECK_FLAGS) command.option(flag.flags, flag.description);
  addJobsOption(addCiOptions(command)).action((inputs: string[], _options: CheckOptions, self: Command) => check(inputs, self.optsWithGlobals<CheckOptions>()));
}

async function check(inputs: string[], options: CheckOptions): Promise<void> {
  const { runCheck } = await import('../check/run.js');
  process.exitCode = await runCheck(inputs, options);
}

/** main.ts's commander-free path (check/plain-args.ts read the argv): the action above, guarded as runProgram guards it. */
export function runPlain(inputs: string[], options: CheckOptions): Promise<void> {
  return runGuarded(() => check(inputs, options));
}
