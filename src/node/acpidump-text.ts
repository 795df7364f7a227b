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
  'dump.gap': { severity: 'error', summary: 'bytes are missing before a data line (a lost or damaged line): its printed offset, confirmed by the next line, is kept and the gap is left as zeros' },
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
  // A block's offset findings come when it ends: put every finding back in line order.
  return { tables, diagnostics: diagnostics.sort((left, right) => left.line - right.line) };
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

/** One data line as read: where it says it starts, and its bytes. */
interface DataLine {
  line: number;
  printed: number;
  bytes: Uint8Array;
}

/** A printed offset further ahead than this is taken as damaged, never as lost lines (256 lines of 16). */
const MAX_GAP = 0x1000;

class BlockBuilder {
  private readonly lines: DataLine[] = [];
  /** Bytes read so far, counted line by line. */
  size = 0;
  private readonly head: number[] = [];
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
    const doubleSpace = rest.indexOf('  ');
    const hexRegion = doubleSpace < 0 ? rest : rest.slice(0, doubleSpace);
    const tokens = hexRegion.trim().split(/\s+/).filter((token) => token !== '');
    const limit = Math.min(doubleSpace < 0 ? this.tokensExpected() : tokens.length, tokens.length);
    const bytes: number[] = [];
    for (let index = 0; index < limit; index++) {
      const token = tokens[index]!;
      if (!HEX_PAIR.test(token)) {
        report('dump.bad-hex', lineNumber, `"${token.slice(0, 20)}" is not a hex byte; the rest of the line is skipped`);
        break;
      }
      bytes.push(Number.parseInt(token, 16));
    }
    this.lines.push({ line: lineNumber, printed: printedOffset, bytes: Uint8Array.from(bytes) });
    this.size += bytes.length;
    for (const byte of bytes) if (this.head.length < 8) this.head.push(byte);
    if (this.declaredLength === undefined && this.head.length === 8) this.declaredLength = new DataView(Uint8Array.from(this.head).buffer).getUint32(4, true);
  }

  /** Without an ASCII separator: min(16, Length − offset) once Length is known (§1.4.1 (b)). */
  private tokensExpected(): number {
    if (this.declaredLength === undefined) return BYTES_PER_LINE;
    return Math.max(0, Math.min(BYTES_PER_LINE, this.declaredLength - this.size));
  }

  /**
   * Places every line's bytes. A printed offset that disagrees with the count is believed when
   * the next line (or, for the last, the table Length) confirms it: a line was lost or damaged,
   * so the gap is reported and left as zeros, or repeated bytes are replaced; later bytes keep
   * their offsets. An unconfirmed offset is the damaged part, and the bytes follow on.
   */
  private assemble(report: Report): Uint8Array {
    const placed: { at: number; bytes: Uint8Array }[] = [];
    let position = 0;
    for (const [index, entry] of this.lines.entries()) {
      if (entry.printed !== position) {
        const end = entry.printed + entry.bytes.length;
        const next = this.lines[index + 1];
        const confirmed = next !== undefined ? next.printed === end : this.declaredLength === end;
        const counted = `${position} (0x${position.toString(16)}) bytes precede it in this block`;
        if (confirmed && entry.printed - position <= MAX_GAP) {
          if (entry.printed > position) {
            report('dump.gap', entry.line, `bytes 0x${position.toString(16)}–0x${(entry.printed - 1).toString(16)} (${entry.printed - position}) are missing before this line, which says offset 0x${entry.printed.toString(16)}; they are left as 0 and the bytes after keep their printed offsets`);
          } else {
            report('dump.offset-mismatch', entry.line, `line says offset 0x${entry.printed.toString(16)}, but ${counted}: it repeats earlier bytes, which it replaces (the next line confirms the offset)`);
          }
          position = entry.printed;
        } else {
          report('dump.offset-mismatch', entry.line, `line says offset 0x${entry.printed.toString(16)}, but ${counted}; the next line does not confirm it, so its bytes follow on`);
        }
      }
      placed.push({ at: position, bytes: entry.bytes });
      position += entry.bytes.length;
    }
    const bytes = new Uint8Array(placed.reduce((size, item) => Math.max(size, item.at + item.bytes.length), 0));
    for (const item of placed) bytes.set(item.bytes, item.at);
    return bytes;
  }

  finish(report: Report): DumpedTable {
    const bytes = this.assemble(report);
    if (this.declaredLength !== undefined && this.declaredLength !== bytes.length && this.headerSignature !== 'RSDP') {
      report('dump.length-mismatch', this.line, `block holds ${bytes.length} bytes but the table's Length says ${this.declaredLength}`);
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
