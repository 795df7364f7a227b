/**
 * The fixed cost every parse pays (issue 14 target 1), on the smallest valid table of each
 * signature, side by side with the checksum loop over the same bytes in the same interleaved
 * CPU-time rounds (bench/measure.ts): a 64-byte DMAR (48-byte header, one 16-byte DRHD), a
 * 44-byte MADT, a 48-byte IVRS and a 48-byte IORT with no nodes. Run on the tsc output:
 * `npx tsc -p bench/tsconfig.bench.json && node node_modules/.cache/acpi-iommu-bench/bench/fixed-cost.js [rounds]`;
 * `profile <ms>` prints the top self-time functions of parsing all four.
 */
import { checksumAll, parseAll } from './corpus.js';
import { measure } from './measure.js';
import { profileInProcess } from './profile.js';
import { loadToolkit } from './toolkit.js';
import { asBytes } from '../src/bytes/input.js';
import { DiagnosticList } from '../src/bytes/diagnostics.js';
import { checksumOf, readSdtHeader, SDT_CODES } from '../src/bytes/sdt.js';

/** An SDT header (ACPI §5.2.6) of `length` bytes for `signature`, body zeroed, checksum left to `sealed`. */
function table(signature: string, length: number, revision: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < 4; index++) bytes[index] = signature.charCodeAt(index);
  new DataView(bytes.buffer).setUint32(4, length, true);
  bytes[8] = revision;
  bytes.set([...'BENCH '].map((char) => char.charCodeAt(0)), 10);
  return bytes;
}

/** Sets the checksum byte so the table sums to 0. */
function sealed(bytes: Uint8Array): Uint8Array {
  bytes[9] = 0;
  let sum = 0;
  for (const byte of bytes) sum += byte;
  bytes[9] = (256 - (sum & 0xff)) & 0xff;
  return bytes;
}

export function minimalTables(): Record<'DMAR' | 'APIC' | 'IVRS' | 'IORT', Uint8Array> {
  const dmar = table('DMAR', 64, 1);
  dmar[36] = 38; // host address width 39 bits
  dmar[48 + 2] = 16; // DRHD type 0, length 16
  dmar[48 + 4] = 1; // INCLUDE_PCI_ALL
  dmar[48 + 8 + 1] = 0xd0; // register base 0xfed0_0000 (page aligned)
  dmar[48 + 8 + 2] = 0xfe;
  dmar[48 + 8 + 3] = 0x00;
  dmar[48 + 10] = 0xfe;
  const madt = table('APIC', 44, 5);
  madt[38] = 0xe0; // local APIC at 0xfee0_0000
  madt[39] = 0xfe;
  const ivrs = table('IVRS', 48, 2);
  ivrs[36] = 0x40; // IVinfo: 48-bit physical / virtual address sizes (VASize 64, PASize 48)
  ivrs[37] = 0x30;
  const iort = table('IORT', 48, 5);
  iort[40] = 48; // node array offset 48, node count 0
  return { DMAR: sealed(dmar), APIC: sealed(madt), IVRS: sealed(ivrs), IORT: sealed(iort) };
}

const toolkit = await loadToolkit();
const tables = minimalTables();
const [mode = '5', arg = '3000'] = process.argv.slice(2);
const entries = Object.entries(tables);
const CALLS = 1000;

if (mode === 'findings') {
  // What the lazy form saves (src/bytes/diagnostics.ts addFormatted): a hostile table's 100,000
  // findings of one code (all but the cap only counted), and a list of 500 that is or is not read.
  const entryText = (offset: number, bus: number) => `path entry at 0x${offset.toString(16)} names bus 0x${bus.toString(16).padStart(2, '0')}, beyond the bridge's range`;
  const fill = (count: number, lazy: boolean, read: boolean) => () => {
    const list = new DiagnosticList(SDT_CODES);
    for (let index = 0; index < count; index++) {
      if (lazy) list.addFormatted('sdt.checksum', index, 2, entryText, index, index & 0xff);
      else list.add('sdt.checksum', index, entryText(index, index & 0xff), 2);
    }
    return read ? list.items.length : count;
  };
  const measured = measure(
    [
      { name: '100,000 findings, add', fn: fill(100_000, false, true) },
      { name: '100,000 findings, addFormatted', fn: fill(100_000, true, true) },
      { name: '500 findings, add, read', fn: fill(500, false, true) },
      { name: '500 findings, addFormatted, read', fn: fill(500, true, true) },
      { name: '500 findings, addFormatted, unread', fn: fill(500, true, false) },
    ],
    { rounds: Number(arg), time: 100, warmupTime: 40, iterations: 10, warmup: true },
  );
  for (const [name, figure] of measured) console.log(`${name.padEnd(36)} ${(figure.ms * 1000).toFixed(0).padStart(7)} µs`);
} else if (mode === 'parts') {
  // The core's share, part by part, on the 64-byte DMAR: what every parser pays before its own rules.
  const bytes = tables.DMAR;
  const expect = { signature: 'DMAR', fixedSize: 48, newestRevision: 1 };
  const repeat = (fn: () => number) => () => {
    let acc = 0;
    for (let call = 0; call < CALLS; call++) acc += fn();
    return acc;
  };
  const list = Array.from({ length: CALLS }, () => bytes);
  const measured = measure(
    [
      { name: 'floor', fn: () => checksumAll(list) },
      { name: 'asBytes', fn: repeat(() => asBytes(bytes).length) },
      { name: 'checksumOf', fn: repeat(() => checksumOf(bytes)) },
      { name: 'DiagnosticList + sorted', fn: repeat(() => new DiagnosticList(SDT_CODES).sorted().length) },
      { name: 'readSdtHeader', fn: repeat(() => readSdtHeader(bytes, new DiagnosticList(SDT_CODES), expect).reader.end) },
      { name: 'parseTable', fn: () => parseAll(toolkit, list) },
    ],
    { rounds: Number(arg), time: 100, warmupTime: 40, iterations: 10, warmup: true },
  );
  const floor = measured.get('floor')!.ms;
  for (const [name, figure] of measured) console.log(`${name.padEnd(24)} ${((figure.ms / CALLS) * 1e6).toFixed(0).padStart(5)} ns  ${(figure.ms / floor).toFixed(2)}× floor`);
} else if (mode === 'profile') {
  const all = entries.map(([, bytes]) => bytes);
  // Many parses per call so the profile is of parsing, not of the loop.
  const work = () => {
    let acc = 0;
    for (let round = 0; round < 200; round++) acc += parseAll(toolkit, all);
    return acc;
  };
  const summary = await profileInProcess(work, Number(arg), 25);
  for (const row of summary.functions) console.log(`${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}  ${row.where}`);
} else {
  for (const [signature, bytes] of entries) {
    const diagnostics = toolkit.parseTable(bytes)!.diagnostics;
    if (diagnostics.length > 0) console.log(`${signature}: ${diagnostics.map((diagnostic) => diagnostic.code).join(', ')}`);
  }
  // Each operation is CALLS parses (or sums), well above the clock's ≈ 1 µs cost, so bench/measure.ts's
  // repeat estimate (made on a cold function) cannot leave the clock inside a figure.
  const tasks = entries.flatMap(([signature, bytes]) => {
    const list = Array.from({ length: CALLS }, () => bytes);
    return [
      { name: `${signature} floor`, fn: () => checksumAll(list) },
      { name: `${signature} parse`, fn: () => parseAll(toolkit, list) },
    ];
  });
  const measured = measure(tasks, { rounds: Number(mode), time: 100, warmupTime: 40, iterations: 10, warmup: true });
  for (const [signature, bytes] of entries) {
    const floor = measured.get(`${signature} floor`)!.ms / CALLS;
    const parse = measured.get(`${signature} parse`)!.ms / CALLS;
    console.log(`${signature} ${String(bytes.length).padStart(3)} B  floor ${(floor * 1e6).toFixed(0).padStart(4)} ns  parse ${(parse * 1e6).toFixed(0).padStart(5)} ns  ${(parse / floor).toFixed(2)}× floor`);
  }
}
