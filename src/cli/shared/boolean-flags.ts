/**
 * Boolean options declared once as data: commander registers them (program.ts, commands/check.ts)
 * and main.ts's commander-free path for a plain `check FILE…` reads them (check/plain-args.ts),
 * so the two cannot drift apart. Loads at start-up: keep it small.
 */
import { RECURSIVE_HELP } from './conventions.js';

export interface BooleanFlag {
  /** Commander's flags: `-q, --quiet`; `--no-color` sets `color` to false (true unless given). */
  flags: string;
  description: string;
}

/** The program's own options (every command has them). */
export const GLOBAL_FLAGS: readonly BooleanFlag[] = [
  { flags: '-v, --verbose', description: 'also print notes about skipped files and tables' },
  { flags: '--no-color', description: 'never colour the output (colour is used only on a terminal, and never when NO_COLOR is set)' },
];

/** `check`'s boolean options, in the order --help lists them. */
export const CHECK_FLAGS: readonly BooleanFlag[] = [
  { flags: '-r, --recursive', description: RECURSIVE_HELP },
  { flags: '--json', description: 'print one JSON document {schemaVersion, tables: [{source, signature, diagnostics}], failures, summary} (same as --format json)' },
  { flags: '-q, --quiet', description: 'print error-level findings only, and no summary line' },
  { flags: '--strict', description: 'also run the lint.* rules for table generators (revision fit, undefined flag bits, shared IDs, uncovered devices; docs/diagnostics.md)' },
];

/** The words that give the flag: `-q` and `--quiet`. */
export function flagNames(flag: BooleanFlag): string[] {
  return flag.flags.split(', ');
}

/** The option key commander sets and the value given sets: `--no-color` → color false, `--dry-run` → dryRun true. */
export function flagSetting(flag: BooleanFlag): { key: string; value: boolean } {
  const long = flagNames(flag).find((name) => name.startsWith('--'))!;
  const negated = long.startsWith('--no-');
  const key = long.slice(negated ? 5 : 2).replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  return { key, value: !negated };
}
