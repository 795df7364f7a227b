/**
 * The commander program: global options, help text, exit codes. main.ts hands it the
 * command modules to register.
 */
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../node/package-info.js';
import { GLOBAL_FLAGS } from './shared/boolean-flags.js';
import { EXIT_INPUT, EXIT_OK } from './shared/conventions.js';
import { runGuarded } from './shared/run-guard.js';

/** A module under src/cli/commands/. */
export interface CommandModule {
  register(program: Command): void;
}

const EXAMPLES = `
Inputs:
  a raw table (DMAR, dmar.dat, IORT.bin, …), an acpidump text file, a directory of tables
  (/sys/firmware/acpi/tables, an "acpidump -b" folder), or - to read stdin.

Exit codes:
  0 done (check: no error-level finding)   1 check found errors
  2 an input could not be read or recognised, or bad usage   3 internal error

Examples:
  $ sudo acpi-iommu                              report on this machine
  $ acpi-iommu report ./tables/                  report on a folder of tables
  $ acpi-iommu dump dmar.dat                     list every DMAR structure
  $ acpi-iommu dump --json IORT.bin | jq .       the same as JSON
  $ sudo acpidump | acpi-iommu check -           check the live tables from a text dump
  $ acpi-iommu check --quiet DMAR IORT           print error-level findings only
`;

/** The program with `commands` registered (exported for test/cli-plain-check.test.ts, which reads argv with it). */
export function buildProgram(commands: readonly CommandModule[]): Command {
  const program = new Command();
  program
    .name('acpi-iommu')
    .description('Read ACPI DMAR, IORT and APIC tables and report IOMMU structures and reserved regions')
    .version(packageVersion(), '-V, --version');
  for (const flag of GLOBAL_FLAGS) program.option(flag.flags, flag.description);
  program
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`acpi-iommu: ${text}`) })
    .showHelpAfterError('(run acpi-iommu --help for usage)')
    .addHelpText('after', EXAMPLES);
  for (const command of commands) command.register(program);
  return program;
}

export async function runProgram(argv: readonly string[], commands: readonly CommandModule[]): Promise<void> {
  await runGuarded(
    () => buildProgram(commands).parseAsync([...argv]),
    (error) => {
      if (!(error instanceof CommanderError)) return undefined;
      // commander has already printed help, the version, or the usage error on stderr.
      const done = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      return done ? EXIT_OK : EXIT_INPUT;
    },
  );
}
