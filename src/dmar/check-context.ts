/** What the per-structure checks share during the validation walk (no view objects are built). */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { NO_BYTES_READER, type TableReader } from '../bytes/reader.js';

export interface CheckContext {
  readonly reader: TableReader;
  readonly diagnostics: DiagnosticList;
  /** Width in bits when the header's Host Address Width is usable (raw ≥ 11), else undefined. */
  readonly hostAddressWidth: number | undefined;
}

/**
 * The one context of the parse in progress, reused from parse to parse (parsing is synchronous):
 * no object per parse. `end` lets go of the table's bytes (the list holds findings only, no bytes).
 */
class ReusedContext implements CheckContext {
  reader: TableReader = NO_BYTES_READER;
  diagnostics!: DiagnosticList;
  hostAddressWidth: number | undefined = undefined;

  begin(reader: TableReader, diagnostics: DiagnosticList, hostAddressWidth: number | undefined): CheckContext {
    this.reader = reader;
    this.diagnostics = diagnostics;
    this.hostAddressWidth = hostAddressWidth;
    return this;
  }

  end(): void {
    this.reader = NO_BYTES_READER;
  }
}

export const checkContext = new ReusedContext();
