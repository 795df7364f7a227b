/** Diagnostics: what parsing found wrong or notable, with the byte offset in the table. */
/**
 * Every diagnostic code the library can raise. Each code table adds its codes to this registry by
 * declaration merging (`declare module` in src/dmar/codes.ts and the others), so a typo in `add(...)`
 * is a compile error while this file, which every table imports, knows no table.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DiagnosticCodes {}

export type DiagnosticCode = Extract<keyof DiagnosticCodes, string>;

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
}

/** One entry of a code table: the code's fixed severity, one-line meaning and source. */
export interface CodeInfo {
  severity: Severity;
  summary: string;
  ref?: string;
}

export type CodeTable = Readonly<Record<string, CodeInfo>>;

/**
 * Collects diagnostics for one table. Severity and citation come from the code table, so a
 * code always has the same severity wherever it is raised. `C` is the table's code union, so
 * `add` takes only codes of that table (a parameter typed plain `DiagnosticList` takes any known code).
 */
export class DiagnosticList<C extends DiagnosticCode = DiagnosticCode> {
  readonly items: Diagnostic[] = [];
  // Typed by string, not C: only `add` carries the code type, so a list of one table's codes still
  // passes where a plain DiagnosticList is expected.
  readonly #codes: CodeTable;
  constructor(codes: Readonly<Record<C, CodeInfo>>) {
    this.#codes = codes;
  }

  add(code: C, offset: number, message: string, length?: number): void {
    const info = this.#codes[code];
    if (info === undefined) throw new Error(`unregistered diagnostic code ${code}`);
    const item: Diagnostic = { code, severity: info.severity, offset, message };
    if (length !== undefined) item.length = length;
    if (info.ref !== undefined) item.ref = info.ref;
    this.items.push(item);
  }

  get hasErrors(): boolean {
    return this.items.some((item) => item.severity === 'error');
  }
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Sort key used for stable presentation: by offset, then severity, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.offset - b.offset || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.code.localeCompare(b.code);
}
