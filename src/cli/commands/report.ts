import type { Command } from 'commander';
import { INPUT_ARGUMENT_HELP, type OutputOptions } from '../shared/conventions.js';

export function register(program: Command): void {
  program
    .command('report', { isDefault: true })
    .description('tables, IOMMU units, reserved memory and findings (default command; no input: this machine)')
    .argument('[input...]', `${INPUT_ARGUMENT_HELP}; default /sys/firmware/acpi/tables`)
    .option('--json', 'print the report as one JSON object')
    .action(async (inputs: string[], _options: OutputOptions, command: Command) => {
      const { runReport } = await import('../report/run.js');
      process.exitCode = await runReport(inputs, command.optsWithGlobals<OutputOptions>());
    });
}
