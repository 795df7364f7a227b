/**
 * How soon V8 optimises a hot function, raised for a `check`, `report` or `audit` of several
 * inputs or a tree (main.ts, before the command runs; never in a library or test process, whose
 * V8 flags are shared by everything else in it). V8's default tier-up budget suits a page or a
 * server that runs for minutes: a check of the 502 real tables sent about 20 functions to
 * TurboFan (the IORT mapping check alone took ≈ 35 ms to compile, on a thread of its own), work
 * such a run ends before it pays back. With four times the budget, CPU time over the 502 real
 * tables (medians of interleaved runs on 2 loaded cores): `check` 156 → 125 ms, `report -r`
 * 467 → 333 ms, `audit -r` 271 → 219 ms, `check --format sarif` 174 → 151 ms; `check -r` over
 * 5,020 files spent less too, and a check of one 100,000-structure DMAR or IORT, whose loops
 * are still optimised, stayed within noise (issue 14). A run of one input is left alone:
 * loading node:v8 costs ≈ 2 ms, more than it saves.
 *
 * Only on V8 11 (Node 20), where the flag was measured: V8 12 and later (Node 22, 26) tier up by
 * invocation counts and have no `--interrupt-budget`, and V8 prints an unknown flag to stderr.
 *
 * V8 counts its flags in the hash a code cache carries: check-plain.cjs's cache is read before
 * this is set, and the build's run that writes the cache (WRITE_CODE_CACHE_ENV) never sets it,
 * so every run can use the cache.
 */

/** The commands that run over many machines (shared/machines-run.ts). */
const MANY_MACHINE_COMMANDS: ReadonlySet<string> = new Set(['check', 'report', 'audit']);

/**
 * Whether `acpi-iommu …argv` is check, report or audit of several inputs or a tree: `-r` or
 * `--recursive`, or two arguments that are not options. An option's value counts as one (`report
 * --pci topo.json DMAR.bin`): that costs such a run the ≈ 2 ms of node:v8 and changes nothing else.
 */
export function readsSeveralInputs(argv: readonly string[]): boolean {
  const [command, ...args] = argv;
  if (command === undefined || !MANY_MACHINE_COMMANDS.has(command)) return false;
  return args.includes('-r') || args.includes('--recursive') || args.filter((arg) => !arg.startsWith('-')).length > 1;
}

/** Set by scripts/build-cli.mjs for its runs that store check-plain.cjs's compiled code. */
export const WRITE_CODE_CACHE_ENV = 'ACPI_IOMMU_WRITE_CODE_CACHE';

/** V8 11 checks for tier-up every 67,584 bytes of bytecode run; four times that. */
export const CLI_V8_FLAGS = '--interrupt-budget=270336';

export interface TierUpContext {
  /** `process.versions.v8`. */
  v8: string;
  execArgv: readonly string[];
  /** NODE_OPTIONS, '' when unset. */
  nodeOptions: string;
  /** The build's run that writes the code cache. */
  writingCodeCache: boolean;
}

/** Whether CLI_V8_FLAGS applies: V8 11, no budget of the user's own (node flags or NODE_OPTIONS), not the cache-writing run. */
export function tierUpApplies({ v8, execArgv, nodeOptions, writingCodeCache }: TierUpContext): boolean {
  return v8.startsWith('11.') && !writingCodeCache && ![...execArgv, nodeOptions].some((flag) => /--interrupt[-_]budget(?:=|\s|$)/.test(flag));
}

/** This process's context. */
export function currentTierUpContext(): TierUpContext {
  return { v8: process.versions.v8, execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS ?? '', writingCodeCache: process.env[WRITE_CODE_CACHE_ENV] === '1' };
}

/** Sets CLI_V8_FLAGS where it applies; whether it did. */
export function tuneTierUp(context: TierUpContext = currentTierUpContext()): boolean {
  if (!tierUpApplies(context)) return false;
  process.getBuiltinModule('node:v8').setFlagsFromString(CLI_V8_FLAGS);
  return true;
}
