/** Diagnostics: what parsing found wrong or notable, with the byte offset in the table. */

import { publicRef } from './public-ref.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable dotted code, e.g. `dmar.scope.overrun`; listed in docs/diagnostics.md. */
  code: string;
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
 * code always has the same severity wherever it is raised.
 */
export class DiagnosticList {
  readonly items: Diagnostic[] = [];
  constructor(private readonly codes: CodeTable) {}

  add(code: string, offset: number, message: string, length?: number): void {
    const info = this.codes[code];
    if (info === undefined) throw new Error(`unregistered diagnostic code ${code}`);
    const item: Diagnostic = { code, severity: info.severity, offset, message };
    if (length !== undefined) item.length = length;
    const ref = publicRef(info.ref);
    if (ref !== undefined) item.ref = ref;
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
