/** Diagnostics: what parsing found wrong or notable, with the byte offset in the table. */
/**
 * Every diagnostic code the library can raise. Each code table adds its codes to this registry by
 * declaration merging (`declare module` in src/dmar/codes.ts and the others), so a typo in `add(...)`
 * is a compile error while this file, which every table imports, knows no table.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DiagnosticCodes {}

export type DiagnosticCode = Extract<keyof DiagnosticCodes, string>;

import { publicRef } from './public-ref.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable dotted code, e.g. `dmar.scope.overrun`; listed in docs/diagnostics.md. */
  code: DiagnosticCode;
  severity: Severity;
  /** Absolute byte offset inside the table. */
  offset: number;
  /** Bytes covered by the finding, when meaningful. */
  length?: number;
  message: string;
  /** Spec section or kernel function the rule comes from. */
  ref?: string;
  /** Set on the one item that stands for this many further findings of its code (see DiagnosticList). */
  readonly omitted?: number;
}

/** One entry of a code table: the code's fixed severity, one-line meaning and source. */
export interface CodeInfo {
  severity: Severity;
  summary: string;
  ref?: string;
}

export type CodeTable = Readonly<Record<string, CodeInfo>>;

/**
 * Findings kept per code in one list before the rest are only counted. A hostile table can
 * raise one finding per byte (an 8 MiB DMAR of bad path entries: four million); keeping each
 * would cost ~120 bytes of heap per input byte. Changed with `setFindingCapPerCode` (the CLI
 * reads `ACPI_IOMMU_MAX_FINDINGS`).
 */
export const DEFAULT_FINDING_CAP_PER_CODE = 1000;
let findingCapPerCode = DEFAULT_FINDING_CAP_PER_CODE;

/** Sets the per-code cap of every DiagnosticList created afterwards (a positive integer). */
export function setFindingCapPerCode(cap: number): void {
  if (!Number.isSafeInteger(cap) || cap < 1) throw new RangeError(`finding cap ${cap} is not a positive integer`);
  findingCapPerCode = cap;
}

export function findingCapPerCodeInUse(): number {
  return findingCapPerCode;
}

/**
 * Collects diagnostics for one table. Severity and citation come from the code table, so a
 * code always has the same severity wherever it is raised. `C` is the table's code union, so
 * `add` takes only codes of that table (a parameter typed plain `DiagnosticList` takes any known code).
 * Past the per-code cap, one summary item per code ("… and N more") stands for the rest; its count
 * stays exact.
 *
 * Two ways to add a finding:
 * - `add(code, offset, message, length?)`: the message is already a string.
 * - `addFormatted(code, offset, length, format, a, b?, c?)`: the message is `format(a, b, c)`, built
 *   when the items are first read (`items`, `sorted()`). `format` is a module-level function of its
 *   arguments (no closure per finding), e.g. `const tooShort = (length: number, fixed: number) =>
 *   \`Length ${length} is smaller than …\``. A finding past the cap then costs no string work at all,
 *   and one in a list nobody reads (a table whose `diagnostics` is read on demand, e.g. a getter
 *   calling `sorted()`) costs an object and four slots, not a formatted string.
 */
export class DiagnosticList<C extends DiagnosticCode = DiagnosticCode> {
  readonly #items: Diagnostic[] = [];
  // Made on the first finding, with everything only findings need: most real tables raise none,
  // and every field a list starts with is a cost of every parse.
  #state: FindingState | undefined;
  // Typed by string, not C: only `add` carries the code type, so a list of one table's codes still
  // passes where a plain DiagnosticList is expected.
  readonly #codes: CodeTable;
  constructor(
    codes: Readonly<Record<C, CodeInfo>>,
    /** Items kept per code; defaults to the cap in use when the list is made. */
    readonly cap = findingCapPerCode,
  ) {
    this.#codes = codes;
  }

  /** The findings in the order added, every message formatted. */
  get items(): Diagnostic[] {
    const state = this.#state;
    if (state?.pending !== undefined) state.format(state.pending);
    return this.#items;
  }

  /** Every finding added, per code, including the ones only counted. */
  get totals(): ReadonlyMap<string, number> {
    return this.#state === undefined ? new Map() : this.#state.flushed();
  }

  add(code: C, offset: number, message: string, length?: number): void {
    const item = this.#keep(code, offset, length);
    if (item !== undefined) item.message = message;
  }

  /** The lazy form (see the class comment): the message is `format(a, b, c)`, built when the items are read. */
  addFormatted<A>(code: C, offset: number, length: number | undefined, format: (a: A) => string, a: A): void;
  addFormatted<A, B>(code: C, offset: number, length: number | undefined, format: (a: A, b: B) => string, a: A, b: B): void;
  addFormatted<A, B, D>(code: C, offset: number, length: number | undefined, format: (a: A, b: B, c: D) => string, a: A, b: B, c: D): void;
  addFormatted(code: C, offset: number, length: number | undefined, format: (a: unknown, b: unknown, c: unknown) => string, a: unknown, b?: unknown, c?: unknown): void {
    const item = this.#keep(code, offset, length);
    if (item === undefined) return;
    const pending = (this.#state!.pending ??= []);
    const at = pending.length;
    pending[at] = item;
    pending[at + 1] = format;
    pending[at + 2] = a;
    pending[at + 3] = b;
    pending[at + 4] = c;
  }

  /** Counts the finding; the item to fill in (its message still empty) when it is within the cap. */
  #keep(code: C, offset: number, length: number | undefined): Diagnostic | undefined {
    const state = (this.#state ??= new FindingState());
    if (code !== state.code) {
      const info = this.#codes[code];
      if (info === undefined) throw new Error(`unregistered diagnostic code ${code}`);
      state.switchTo(code, info);
    }
    const total = ++state.total;
    if (total > this.cap) {
      if (total === this.cap + 1) this.#items.push(omittedSummary(this, code, state.severity, state.ref, offset));
      return undefined;
    }
    // Field order is the JSON order of every diagnostic: code, severity, offset, message, length, ref.
    const item: Diagnostic = { code, severity: state.severity, offset, message: '' };
    if (length !== undefined) item.length = length;
    if (state.ref !== undefined) item.ref = state.ref;
    this.#items.push(item);
    return item;
  }

  /** Findings of `code` past the cap (0 when all were kept). */
  omitted(code: string): number {
    return Math.max(0, (this.#state?.of(code) ?? 0) - this.cap);
  }

  /**
   * The items sorted with compareDiagnostics, in place (a clean table skips the sort call). Cheap to
   * call again: it sorts only when findings were added since, so a table may keep its list and
   * serve `diagnostics` from a getter calling this (the messages are then built on first read).
   */
  sorted(): Diagnostic[] {
    const items = this.items;
    const state = this.#state;
    if (state !== undefined && items.length !== state.sortedLength) {
      if (items.length > 1) items.sort(compareDiagnostics);
      state.sortedLength = items.length;
    }
    return items;
  }

  get hasErrors(): boolean {
    return this.#items.some((item) => item.severity === 'error');
  }
}

/**
 * What a list holds once it has findings. Per code: the latest code's running total, severity and
 * public ref are kept apart from the Map (written back when the code changes or the totals are
 * read), so a hostile table raising one code thousands of times in a row skips three lookups per
 * finding. `pending` holds the lazy findings not yet formatted, five slots each: item, format, a, b, c.
 */
class FindingState {
  readonly totals = new Map<string, number>();
  code: string | undefined;
  total = 0;
  severity: Severity = 'info';
  ref: string | undefined;
  pending: unknown[] | undefined;
  /** Items already in sorted order (they are only ever appended). */
  sortedLength = 0;

  switchTo(code: string, info: CodeInfo): void {
    this.total = this.flushed().get(code) ?? 0;
    this.code = code;
    this.severity = info.severity;
    this.ref = publicRef(info.ref);
  }

  /** The Map, the latest code's total written back. */
  flushed(): Map<string, number> {
    if (this.code !== undefined) this.totals.set(this.code, this.total);
    return this.totals;
  }

  of(code: string): number {
    return code === this.code ? this.total : (this.totals.get(code) ?? 0);
  }

  format(pending: unknown[]): void {
    this.pending = undefined;
    for (let at = 0; at < pending.length; at += 5) {
      const format = pending[at + 1] as (a: unknown, b: unknown, c: unknown) => string;
      (pending[at] as Diagnostic).message = format(pending[at + 2], pending[at + 3], pending[at + 4]);
    }
  }
}

/**
 * The item standing for every finding of `code` past the cap, at the first omitted one's
 * offset. Message and count are read when printed, so the count is the final one.
 */
function omittedSummary(list: DiagnosticList, code: string, severity: Severity, ref: string | undefined, offset: number): Diagnostic {
  const item = {
    code,
    severity,
    offset,
    get message() {
      return `… and ${list.omitted(code)} more ${code} finding(s) from here on, not listed (limit ${list.cap} per code)`;
    },
    get omitted() {
      return list.omitted(code);
    },
  } as Diagnostic;
  if (ref !== undefined) item.ref = ref;
  return item;
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Sort key used for stable presentation: by offset, then severity, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.offset - b.offset || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.code.localeCompare(b.code);
}
