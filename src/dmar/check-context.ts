/** What the per-structure checks share during the validation walk (no view objects are built). */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import type { TableReader } from '../bytes/reader.js';

export interface CheckContext {
  readonly reader: TableReader;
  readonly diagnostics: DiagnosticList;
  /** Width in bits when the header's Host Address Width is usable (raw ≥ 11), else undefined. */
  readonly hostAddressWidth: number | undefined;
}
