import type { Command } from 'commander';
import { INPUT_ARGUMENT_HELP, RECURSIVE_HELP, type OutputOptions } from '../shared/conventions.js';

export function register(program: Command): void {
  program
    .command('dump')
    .description('list every DMAR, IORT, APIC and IVRS structure with its offset and fields')
    .argument('<input...>', INPUT_ARGUMENT_HELP)
    .option('-r, --recursive', RECURSIVE_HELP)
    .option('--json', 'print a JSON array of {source, table}, addresses as "0x…" strings')
    .action(async (inputs: string[], _options: OutputOptions, command: Command) => {
      const { runDump } = await import('../dump/run.js');
      process.exitCode = await runDump(inputs, command.optsWithGlobals<OutputOptions>());
    });
}
