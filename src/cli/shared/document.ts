/**
 * One contract for machines: every `--json` document is an object with `schemaVersion` (the
 * schemas/*.json that describe it), the command, and the inputs that could not be read.
 * Findings are always `diagnostics`; where data came from is always `source`.
 */
import type { InputFailure } from '../../node/index.js';

/** Bumped when a field changes meaning or disappears; new fields do not bump it. */
export const SCHEMA_VERSION = 1;

/**
 * Documents whose schema moved past 1, each with why (schemas/<command>.json holds the same const).
 * report 2: `diagnostics` became the array of findings (it held per-table counts, now `summary`).
 */
const SCHEMA_VERSIONS: Readonly<Record<string, number>> = { report: 2 };

export interface DocumentHead {
  schemaVersion: number;
  command: string;
}

export function documentOf<T extends object>(command: string, body: T): DocumentHead & T {
  return { schemaVersion: SCHEMA_VERSIONS[command] ?? SCHEMA_VERSION, command, ...body };
}

/** `failures` as the documents list them: `{source, reason}`. */
export function failuresJson(failures: readonly InputFailure[]): { source: string; reason: string }[] {
  return failures.map((failure) => ({ source: failure.path, reason: failure.reason }));
}
