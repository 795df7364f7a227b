/**
 * One DiagnosticList per table parser, reused from parse to parse while it stays empty: most real
 * tables raise no finding, and a list (an object and its array) made and dropped per parse was a
 * measurable part of a small table's parse. A parse that raises findings hands the list's items
 * to its table and the next parse starts a new list. Parsing is synchronous, so one list serves
 * one parse at a time.
 */
import { DiagnosticList, findingCapPerCodeInUse, type CodeInfo, type Diagnostic, type DiagnosticCode } from './diagnostics.js';

/** What a table with no finding holds: one shared, frozen empty list. */
export const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

export class ReusedDiagnostics<C extends DiagnosticCode> {
  #list: DiagnosticList<C> | undefined;
  readonly #codes: Readonly<Record<C, CodeInfo>>;

  constructor(codes: Readonly<Record<C, CodeInfo>>) {
    this.#codes = codes;
  }

  /** The list for the next parse: the last one when it is still empty and its cap is the one in use. */
  take(): DiagnosticList<C> {
    const list = this.#list;
    if (list !== undefined && list.cap === findingCapPerCodeInUse() && list.items.length === 0) return list;
    return (this.#list = new DiagnosticList(this.#codes));
  }

  /** The parse's findings sorted (compareDiagnostics), or NO_DIAGNOSTICS; a list with findings is not reused. */
  finish(list: DiagnosticList<C>): readonly Diagnostic[] {
    if (list.items.length === 0) return NO_DIAGNOSTICS;
    if (this.#list === list) this.#list = undefined;
    return list.sorted();
  }
}
