/**
 * The 36-byte System Description Table header shared by DMAR, IORT and APIC (ACPI §5.2.6),
 * its checksum (§1.1 of docs/spec.md) and the length rules of §1.2.
 */
import { DiagnosticList, type CodeTable } from './diagnostics.js';
import { isDetachedInput } from './input.js';
import { le32 } from './le.js';
import { TableReader } from './reader.js';
import { SdtHeaderView, signatureBytesAre, type SdtHeader } from './sdt-header.js';

export type { SdtHeader };

export const SDT_HEADER_SIZE = 36;

export const SDT_CODES = {
  'sdt.input.detached': { severity: 'error', summary: 'the buffer was detached (transferred) before parsing: there are no bytes to read' },
  'sdt.header.truncated': { severity: 'error', summary: 'fewer than 36 bytes: the SDT header itself is cut off', ref: 'ACPI §5.2.6' },
  'sdt.signature': { severity: 'error', summary: 'the signature is not the one this parser reads', ref: 'ACPI §5.2.6' },
  'sdt.length.short': { severity: 'error', summary: "the header's Length is smaller than the table's fixed header", ref: 'ACPI §5.2.6' },
  'sdt.length.truncated': { severity: 'error', summary: 'Length is larger than the bytes available (truncated capture); only the available bytes are parsed', ref: 'ACPI §5.2.6' },
  'sdt.length.trailing': { severity: 'info', summary: 'bytes follow the table beyond its Length; they are ignored', ref: 'ACPI §5.2.6' },
  'sdt.checksum': { severity: 'warning', summary: 'the bytes do not sum to 0 mod 256 (stale or corrupt checksum); parsing continues as acpidump does', ref: 'ACPI §5.2.6' },
  'sdt.revision.newer': { severity: 'info', summary: 'table revision newer than the newest layout known; decoded with the newest known layout', ref: 'docs/spec.md §1.3' },
} as const satisfies CodeTable;
export type SdtCode = keyof typeof SDT_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module './diagnostics.js' {
  interface DiagnosticCodes extends Record<SdtCode, true> {}
}

export interface HeaderResult {
  /** Undefined when fewer than 36 bytes exist. */
  header: SdtHeaderView | undefined;
  /** Reader over `[0, min(Length, available))`, the bytes the table may use. */
  reader: TableReader;
  /** False when the fixed header is unusable and nothing more should be parsed. */
  usable: boolean;
}

/** Tables shorter than this are summed byte-wise: the word view's allocation costs more than it saves. */
const WORDWISE_FROM = 256;

/** Sum of `bytes[0 .. length-1]` mod 256; 0 for a valid table. */
export function checksumOf(bytes: Uint8Array, length = bytes.length): number {
  const stop = Math.min(length, bytes.length);
  // A long table four bytes per load, in a function of its own: this one stays as small as it was,
  // so the parsers still inline it (and what they inlined next to it).
  if (stop >= WORDWISE_FROM) return wordwiseSum(bytes, stop);
  // Eight bytes per step and one mask at the end (the low 8 bits of the sum survive ToInt32 even
  // past 2^31): about half the time of a masked byte-at-a-time loop, the parse's floor.
  const unrolled = stop - 7;
  let sum = 0;
  let index = 0;
  for (; index < unrolled; index += 8) {
    sum += bytes[index]! + bytes[index + 1]! + bytes[index + 2]! + bytes[index + 3]! + bytes[index + 4]! + bytes[index + 5]! + bytes[index + 6]! + bytes[index + 7]!;
  }
  for (; index < stop; index++) sum += bytes[index]!;
  return sum & 0xff;
}

/**
 * `checksumOf` of the first `stop` bytes (at least WORDWISE_FROM), summed from the first 4-byte
 * aligned byte as words, two bytes per lane: bytes 0 and 2 of each word add into the 16-bit lanes
 * of `even`, bytes 1 and 3 into those of `odd`. A lane takes at most 255 per word, so after 256
 * words it has not carried into the next one; the block's four lane sums are then folded. Byte
 * order does not matter to a sum. An IORT's checksum (its parse's largest single cost) ~1.7× faster
 * than the eight-byte loop.
 */
function wordwiseSum(bytes: Uint8Array, stop: number): number {
  let index = (4 - (bytes.byteOffset & 3)) & 3;
  let sum = 0;
  for (let head = 0; head < index; head++) sum += bytes[head]!;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + index, ((stop - index) >>> 4) << 2);
  for (let word = 0; word < words.length; ) {
    const blockEnd = Math.min(words.length, word + 256);
    let even = 0;
    let odd = 0;
    for (; word < blockEnd; word += 4) {
      const a = words[word]!;
      const b = words[word + 1]!;
      const c = words[word + 2]!;
      const d = words[word + 3]!;
      even = (even + (a & 0x00ff00ff) + (b & 0x00ff00ff) + (c & 0x00ff00ff) + (d & 0x00ff00ff)) | 0;
      odd = (odd + ((a >>> 8) & 0x00ff00ff) + ((b >>> 8) & 0x00ff00ff) + ((c >>> 8) & 0x00ff00ff) + ((d >>> 8) & 0x00ff00ff)) | 0;
    }
    sum = (sum + even + (even >>> 16) + odd + (odd >>> 16)) & 0xff;
  }
  for (index += words.length * 4; index < stop; index++) sum += bytes[index]!;
  return sum & 0xff;
}

export function readSdtHeaderFields(reader: TableReader): SdtHeaderView | undefined {
  return reader.fits(0, SDT_HEADER_SIZE) ? new SdtHeaderView(reader) : undefined;
}

/**
 * Reads and checks the SDT header of a table whose fixed header (SDT + table extension) is
 * `fixedSize` bytes, applying every rule of spec §1.2. `newestRevision` drives the
 * `sdt.revision.newer` note.
 */
export function readSdtHeader(
  bytes: Uint8Array,
  diagnostics: DiagnosticList,
  expect: { signature: string; fixedSize: number; newestRevision: number },
): HeaderResult {
  // The usual table first, in a few reads: the whole input, of its own Length, signed as expected,
  // of a known revision and summing to 0 raises nothing. (A detached input is empty and never
  // passes; the last header byte is asked as `fits` asks it.) Kept in this one function with the
  // rules: moved to a function of its own, it was inlined into each parser and a DMAR parse measured
  // ~10 % slower side by side; here it saves ~8 ns of a 64-byte DMAR's fixed cost (bench/fixed-cost.ts parts).
  const available = bytes.length;
  if (
    available >= expect.fixedSize && bytes[SDT_HEADER_SIZE - 1] !== undefined && le32(bytes, 4) === available &&
    bytes[8]! <= expect.newestRevision && signatureBytesAre(bytes, expect.signature) && checksumOf(bytes, available) === 0
  ) {
    const reader = new TableReader(bytes);
    return { header: new SdtHeaderView(reader), reader, usable: true };
  }
  const whole = new TableReader(bytes);
  const header = readSdtHeaderFields(whole);
  if (isDetachedInput(bytes)) {
    diagnostics.add('sdt.input.detached', 0, 'the buffer was detached (transferred, e.g. to a worker) before parsing; nothing could be read');
    return { header, reader: whole, usable: false };
  }
  if (header === undefined) {
    diagnostics.addFormatted('sdt.header.truncated', 0, bytes.length, truncatedHeader, bytes.length);
    return { header, reader: whole, usable: false };
  }
  if (!signatureBytesAre(bytes, expect.signature)) {
    diagnostics.addFormatted('sdt.signature', 0, 4, otherSignature, le32(bytes, 0), expect.signature);
  }
  if (header.length < expect.fixedSize) {
    diagnostics.addFormatted('sdt.length.short', 4, 4, shortLength, header.length, expect.fixedSize, expect.signature);
    return { header, reader: whole.window(0, Math.min(bytes.length, Math.max(header.length, 0))), usable: false };
  }
  if (header.length > bytes.length) {
    diagnostics.addFormatted('sdt.length.truncated', 4, 4, truncatedLength, header.length, bytes.length);
  } else if (header.length < bytes.length) {
    diagnostics.addFormatted('sdt.length.trailing', header.length, bytes.length - header.length, trailingBytes, header.length, bytes.length);
  }
  const end = Math.min(header.length, bytes.length);
  if (header.length <= bytes.length) {
    const sum = checksumOf(bytes, end);
    if (sum !== 0) diagnostics.addFormatted('sdt.checksum', 9, 1, wrongChecksum, header.checksum, sum);
  }
  if (header.revision > expect.newestRevision) {
    diagnostics.addFormatted('sdt.revision.newer', 8, 1, newerRevision, header.revision, expect.newestRevision);
  }
  // The whole input is the usual window: no second reader then.
  return { header, reader: end === whole.end ? whole : whole.window(0, end), usable: true };
}

// The messages, formatted only when the diagnostics are read (DiagnosticList.addFormatted).
const truncatedHeader = (available: number) => `only ${available} bytes; the SDT header needs ${SDT_HEADER_SIZE}`;
const shortLength = (length: number, fixedSize: number, signature: string) => `Length ${length} is smaller than the ${fixedSize}-byte ${signature} header`;
const truncatedLength = (length: number, available: number) => `Length ${length} but only ${available} bytes are available; parsing those`;
const trailingBytes = (length: number, available: number) => `${available - length} bytes follow the table's Length ${length}; ignored`;
const newerRevision = (revision: number, newest: number) => `revision ${revision} is newer than ${newest}, the newest layout known; decoding with that layout`;

function wrongChecksum(checksum: number, sum: number): string {
  return `checksum byte is 0x${hex2(checksum)}, the table sums to 0x${hex2(sum)}; 0x${hex2((checksum - sum) & 0xff)} would be correct`;
}

/** `tag` is the four signature bytes (little-endian), decoded as the header's `signature` is: Latin-1, trailing NULs dropped. */
function otherSignature(tag: number, expected: string): string {
  let text = String.fromCharCode(tag & 0xff, (tag >>> 8) & 0xff, (tag >>> 16) & 0xff, tag >>> 24);
  while (text.endsWith('\0')) text = text.slice(0, -1);
  return `signature "${text.replace(/[^\x20-\x7e]/g, '.')}" is not ${expected}`;
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}
