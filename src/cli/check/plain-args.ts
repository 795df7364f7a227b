/**
 * The commander-free start of `check` (issue 14, CLI start-up): importing commander and building
 * the program cost more than checking a table. An argv of input paths and the boolean flags of
 * shared/boolean-flags.ts only is read here, to the inputs and the options commander would hand
 * the action (test/cli-plain-check.test.ts holds the two equal); anything else (a value option,
 * `-`, `--`, `-rq`, --help, a typo) is undefined and goes to commander, which owns usage errors.
 */
import { CHECK_FLAGS, flagNames, flagSetting, GLOBAL_FLAGS } from '../shared/boolean-flags.js';
import type { CheckOptions } from './run.js';

export function plainCheckArgs(args: readonly string[]): { inputs: string[]; options: CheckOptions } | undefined {
  const flags = [...GLOBAL_FLAGS, ...CHECK_FLAGS];
  const options: Record<string, boolean> = {};
  // Commander's default for a negated flag: `color` is true unless --no-color is given.
  for (const flag of flags) if (!flagSetting(flag).value) options[flagSetting(flag).key] = true;
  const inputs: string[] = [];
  for (const arg of args) {
    if (!arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    const flag = flags.find((candidate) => flagNames(candidate).includes(arg));
    if (flag === undefined) return undefined;
    const { key, value } = flagSetting(flag);
    options[key] = value;
  }
  return inputs.length > 0 ? { inputs, options } : undefined;
}
