/**
 * How soon V8 optimises a hot function, raised for a `check` over several inputs or a tree.
 * V8's default tier-up budget suits a page or a server that runs for minutes: a check of the
 * 502 real tables sent about 20 functions to TurboFan (the IORT mapping check alone took
 * ≈ 35 ms to compile, on a thread of its own), work such a run ends before it pays back. With
 * four times the budget that run spent ≈ 25 ms less CPU (≈ 160 → ≈ 136 ms; medians of
 * interleaved runs on 2 loaded cores), a check of one 100,000-structure DMAR or IORT, whose
 * loops are still optimised, stayed within noise, and `check -r` over 5,020 files spent less
 * (issue 14). A run of one input is left alone: loading node:v8 costs ≈ 2 ms, more than it saves.
 *
 * Only on V8 11 (Node 20), where the flag was measured: V8 12 and later (Node 22, 26) tier up by
 * invocation counts and have no `--interrupt-budget`, and V8 prints an unknown flag to stderr.
 *
 * V8 counts its flags in the hash a code cache carries: check-plain.cjs's cache is read before
 * this is set and written by a build run that never sets it (main.ts), so every run can use it.
 */

/** V8 11 checks for tier-up every 67,584 bytes of bytecode run; four times that. */
export const CLI_V8_FLAGS = '--interrupt-budget=270336';

export interface TierUpContext {
  /** `process.versions.v8`. */
  v8: string;
  execArgv: readonly string[];
  /** NODE_OPTIONS, '' when unset. */
  nodeOptions: string;
}

/** Whether CLI_V8_FLAGS applies: V8 11, and no budget of the user's own (node flags or NODE_OPTIONS). */
export function tierUpApplies({ v8, execArgv, nodeOptions }: TierUpContext): boolean {
  return v8.startsWith('11.') && ![...execArgv, nodeOptions].some((flag) => /--interrupt[-_]budget(?:=|\s|$)/.test(flag));
}

/** Sets CLI_V8_FLAGS where it applies; whether it did. */
export function tuneTierUp(context: TierUpContext = { v8: process.versions.v8, execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS ?? '' }): boolean {
  if (!tierUpApplies(context)) return false;
  process.getBuiltinModule('node:v8').setFlagsFromString(CLI_V8_FLAGS);
  return true;
}
