/** The CI options of `check` and `audit` (ci-formats.ts does the work). Loads at start-up: keep it small. */
import type { Command } from 'commander';

/** Commander's collector for a repeatable option. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function addCiOptions(command: Command): Command {
  return command
    .option('--format <text|json|sarif|github>', 'output: text (default), json, sarif (SARIF 2.1.0 for code-scanning upload), github (workflow annotations)')
    .option('--fail-on <error|warning>', 'exit 1 on a finding of this severity or worse (default error)')
    .option('--ignore <code>', 'leave this diagnostic code out of output, counts and exit status; repeatable; dmar.rmrr.* ignores a family', collect);
}
