/**
 * The commander program: global options, help text, exit codes. main.ts hands it the
 * command modules to register.
 */
import { Command, CommanderError } from 'commander';
import { describeFileError } from '../node/file-errors.js';
import { packageVersion } from '../node/package-info.js';
import { EXIT_INPUT, EXIT_INTERNAL, EXIT_OK } from './shared/conventions.js';

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

function buildProgram(commands: readonly CommandModule[]): Command {
  const program = new Command();
  program
    .name('acpi-iommu')
    .description('Read ACPI DMAR, IORT and APIC tables and report IOMMU structures and reserved regions')
    .version(packageVersion(), '-V, --version')
    .option('-v, --verbose', 'also print notes about skipped files and tables')
    .option('--no-color', 'never colour the output (colour is used only on a terminal, and never when NO_COLOR is set)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`acpi-iommu: ${text}`) })
    .showHelpAfterError('(run acpi-iommu --help for usage)')
    .addHelpText('after', EXAMPLES);
  for (const command of commands) command.register(program);
  return program;
}

let outputGuarded = false;

/**
 * Output that cannot be written is one line and exit 2, never a stack trace: a full disk
 * (ENOSPC), an I/O error. `acpi-iommu dump … | head` closing the pipe early (EPIPE) is the
 * reader's choice, not an error. Installed once, so the program can run many times in one
 * process (the command fuzz target does).
 */
function guardOutput(): void {
  if (outputGuarded) return;
  outputGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    process.stderr.write(`acpi-iommu: cannot write the output: ${describeFileError(error, 'stdout')}\n`);
    process.exit(EXIT_INPUT);
  });
  // Nowhere left to say it: only the exit status tells.
  process.stderr.on('error', () => process.exit(EXIT_INPUT));
}

/** An error of writing output (stdout, or a file a command writes), not a bug. */
function isWriteError(error: unknown): error is NodeJS.ErrnoException {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return typeof code === 'string' && (syscall === 'write' || syscall === 'writev' || syscall === 'fsync' || syscall === 'close');
}

export async function runProgram(argv: readonly string[], commands: readonly CommandModule[]): Promise<void> {
  guardOutput();
  try {
    await buildProgram(commands).parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed help, the version, or the usage error on stderr.
      const done = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      process.exitCode = done ? EXIT_OK : EXIT_INPUT;
      return;
    }
    if (isWriteError(error)) {
      process.stderr.write(`acpi-iommu: cannot write the output: ${describeFileError(error, 'stdout')}\n`);
      process.exitCode = EXIT_INPUT;
      return;
    }
    process.stderr.write(`acpi-iommu: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_INTERNAL;
  }
}

