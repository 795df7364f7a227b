import type { Command } from 'commander';
import type { ReportOptions } from '../report/run.js';
import { INPUT_ARGUMENT_HELP, RECURSIVE_HELP } from '../shared/conventions.js';
import { addJobsOption } from '../shared/machines-option.js';

export function register(program: Command): void {
  const command = program
    .command('report', { isDefault: true })
    .description('tables, IOMMU units, reserved memory and findings (default command; no input: this machine)')
    .argument('[input...]', `${INPUT_ARGUMENT_HELP}; default /sys/firmware/acpi/tables`)
    .option('-r, --recursive', `${RECURSIVE_HELP}; a tree of several machines' folders gets one line per machine and the totals (JSON: machines[])`)
    .option('--json', 'print the report as one JSON object')
    .option('--pci <path>', "PCI topology for the per-group regions: a sysfs root or a JSON file (default: this machine's /sys, or a pci.json beside the tables)");
  addJobsOption(command).action(async (inputs: string[], _options: ReportOptions, command: Command) => {
      const { runReport } = await import('../report/run.js');
      process.exitCode = await runReport(inputs, command.optsWithGlobals<ReportOptions>());
    });
}
