/**
 * What every command shares: exit codes (design.md "Command line"), option shapes and the
 * input argument's help. One small module, because it loads at start-up.
 */
export const EXIT_OK = 0;
/** `check` found at least one error-level diagnostic. */
export const EXIT_FINDINGS = 1;
/** An input could not be read or recognised, or the command line was wrong. */
export const EXIT_INPUT = 2;
/** A bug: an exception escaped a command. */
export const EXIT_INTERNAL = 3;
/** `explain`: the verdict cannot be given from the inputs (e.g. no topology); the output says what is missing. */
export const EXIT_UNKNOWN = 4;

export interface GlobalOptions {
  /** Commander's `--no-color` sets this to false. */
  color?: boolean;
  verbose?: boolean;
}

export interface OutputOptions extends GlobalOptions {
  json?: boolean;
  /** `-r`: read subdirectories of directory inputs (check, dump, report). */
  recursive?: boolean;
}

export const RECURSIVE_HELP = 'read subdirectories of directory inputs too, at any depth (default: one level, plus sysfs dynamic/)';

export const INPUT_ARGUMENT_HELP = 'table file (.bin/.aml/.dat, sysfs name), acpidump text, a directory of tables, or - for stdin';
