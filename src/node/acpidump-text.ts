/**
 * Reads the text that ACPICA's `acpidump` prints (docs/spec.md §1.4.1) back into table bytes.
 *
 * Pure ECMAScript, no Node API: it lives in src/node only because text dumps are an input
 * format of the platform layer.
 *
 * ```
 * DMAR @ 0x000000007A6E1000
 *     0000: 44 4D 41 52 A8 00 00 00 01 2F 49 4E 54 45 4C 20  DMAR...../INTEL
 *     00A0: 00 00 00 00 00 00 00 00                          ........
 * ```
 * The hex region is the text between `: ` and the next double space, never the whole line:
 * the ASCII column can hold characters that look like hex pairs. When a line has no ASCII
 * column (trailing text stripped by an editor or another dumper), the table's Length (bytes
 * 4..7 of the first line) bounds how many tokens are taken.
 */

export type DumpSeverity = 'error' | 'warning' | 'info';

export interface DumpDiagnostic {
  code: string;
  severity: DumpSeverity;
  /** 1-based line number in the text. */
  line: number;
  message: string;
}

export interface DumpedTable {
  /** The block header's signature, or the first 4 bytes for a block without a header. */
  signature: string;
  /** The physical address printed in the block header. */
  address?: bigint;
  bytes: Uint8Array;
  /** 1-based line of the block header (or of the first data line). */
  line: number;
}

export interface AcpidumpText {
  tables: DumpedTable[];
  diagnostics: DumpDiagnostic[];
}

export const DUMP_CODES = {
  'dump.offset-mismatch': { severity: 'warning', summary: "a data line's printed offset is not the number of bytes read so far in its block" },
  'dump.bad-hex': { severity: 'warning', summary: 'a token in the hex region of a data line is not a two-digit hex byte; the rest of the line is skipped' },
  'dump.length-mismatch': { severity: 'warning', summary: "a block holds a different number of bytes than its table's Length field says" },
  'dump.stray-line': { severity: 'info', summary: 'a line inside a block is neither a data line nor blank; it is ignored' },
  'dump.no-tables': { severity: 'info', summary: 'the text holds no acpidump block' },
} as const satisfies Record<string, { severity: DumpSeverity; summary: string }>;

export type DumpCode = keyof typeof DUMP_CODES;

const BLOCK_HEADER = /^(\S{4}) @ 0x([0-9A-Fa-f]{1,16})\s*$/;
const DATA_LINE = /^\s*([0-9A-Fa-f]{4,8}): ?(.*)$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const BYTES_PER_LINE = 16;

/** Parses every block of an acpidump text, in order; never throws on its input. */
export function parseAcpidumpText(text: string): AcpidumpText {
  const diagnostics: DumpDiagnostic[] = [];
  const report = (code: DumpCode, line: number, message: string) =>
    diagnostics.push({ code, severity: DUMP_CODES[code].severity, line, message });
  const tables: DumpedTable[] = [];
  let block: BlockBuilder | undefined;
  const finish = () => {
    if (block !== undefined && (block.size > 0 || block.hasHeader)) tables.push(block.finish(report));
    block = undefined;
  };

  const lines = text.split(/\r?\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = withoutComment(lines[index]!);
    if (line.trim() === '') {
      finish();
      continue;
    }
    const header = BLOCK_HEADER.exec(line);
    if (header !== null) {
      finish();
      block = new BlockBuilder(lineNumber, header[1]!, BigInt(`0x${header[2]!}`));
      continue;
    }
    const data = DATA_LINE.exec(line);
    if (data === null) {
      if (block !== undefined) report('dump.stray-line', lineNumber, `ignored: "${line.trim().slice(0, 60)}"`);
      continue;
    }
    // Data without a header: an older dumper or a .dsl "Raw Table Data" section.
    block ??= new BlockBuilder(lineNumber, undefined, undefined);
    block.addLine(lineNumber, Number.parseInt(data[1]!, 16), data[2]!, report);
  }
  finish();
  if (tables.length === 0) report('dump.no-tables', 1, 'no acpidump block ("SIG @ 0x…" followed by hex lines) found');
  return { tables, diagnostics };
}

/**
 * Tolerates the `// ` prefix (ACPICA `.dsl` raw data, commented dumps): a line that starts
 * with `//` loses the prefix; anything from a later `//` on (an ASCII comment) is dropped.
 * `//` never occurs before the hex region, so cutting there cannot lose bytes.
 */
function withoutComment(line: string): string {
  const prefixed = /^\s*\/\/ ?(.*)$/.exec(line);
  const body = prefixed === null ? line : prefixed[1]!;
  const comment = body.indexOf('//');
  return comment < 0 ? body : body.slice(0, comment);
}

type Report = (code: DumpCode, line: number, message: string) => void;

class BlockBuilder {
  private buffer: Uint8Array = new Uint8Array(256);
  size = 0;
  /** Table Length from bytes 4..7, once known. */
  private declaredLength: number | undefined;

  constructor(
    private readonly line: number,
    private readonly headerSignature: string | undefined,
    private readonly address: bigint | undefined,
  ) {}

  get hasHeader(): boolean {
    return this.headerSignature !== undefined;
  }

  addLine(lineNumber: number, printedOffset: number, rest: string, report: Report): void {
    if (printedOffset !== this.size) {
      report('dump.offset-mismatch', lineNumber, `line says offset 0x${printedOffset.toString(16)}, but ${this.size} (0x${this.size.toString(16)}) bytes precede it in this block`);
    }
    const doubleSpace = rest.indexOf('  ');
    const hexRegion = doubleSpace < 0 ? rest : rest.slice(0, doubleSpace);
    const tokens = hexRegion.trim().split(/\s+/).filter((token) => token !== '');
    const limit = doubleSpace < 0 ? this.tokensExpected() : tokens.length;
    for (let index = 0; index < Math.min(limit, tokens.length); index++) {
      const token = tokens[index]!;
      if (!HEX_PAIR.test(token)) {
        report('dump.bad-hex', lineNumber, `"${token.slice(0, 20)}" is not a hex byte; the rest of the line is skipped`);
        return;
      }
      this.push(Number.parseInt(token, 16));
    }
  }

  /** Without an ASCII separator: min(16, Length − offset) once Length is known (§1.4.1 (b)). */
  private tokensExpected(): number {
    if (this.declaredLength === undefined) return BYTES_PER_LINE;
    return Math.max(0, Math.min(BYTES_PER_LINE, this.declaredLength - this.size));
  }

  private push(byte: number): void {
    if (this.size === this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.size++] = byte;
    if (this.size === 8) {
      const view = new DataView(this.buffer.buffer, 0, 8);
      this.declaredLength = view.getUint32(4, true);
    }
  }

  finish(report: Report): DumpedTable {
    const bytes = this.buffer.slice(0, this.size);
    if (this.declaredLength !== undefined && this.declaredLength !== this.size && this.headerSignature !== 'RSDP') {
      report('dump.length-mismatch', this.line, `block holds ${this.size} bytes but the table's Length says ${this.declaredLength}`);
    }
    const table: DumpedTable = { signature: this.headerSignature ?? signatureOf(bytes), bytes, line: this.line };
    if (this.address !== undefined) table.address = this.address;
    return table;
  }
}

function signatureOf(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes.subarray(0, 4)) text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
  return text;
}
