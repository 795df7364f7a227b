/**
 * What surrounds every command run, with commander (program.ts) or without (main.ts's plain
 * `check`): output that cannot be written and escaped exceptions become one line and an exit
 * status, never a stack trace on a write error. Commander-free, as it loads at start-up.
 */
import { describeFileError } from '../../node/file-errors.js';
import { EXIT_INPUT, EXIT_INTERNAL, EXIT_OK } from './conventions.js';

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

/** Runs a command; `exitFor` gives the status of an error its caller expects (commander's), undefined for others. */
export async function runGuarded(run: () => Promise<unknown>, exitFor: (error: unknown) => number | undefined = () => undefined): Promise<void> {
  guardOutput();
  try {
    await run();
  } catch (error) {
    const expected = exitFor(error);
    if (expected !== undefined) {
      process.exitCode = expected;
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
