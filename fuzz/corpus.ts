/**
 * The project's specimen corpus (corpus/): `<name>.bin` + `<name>.expected.json`, the expected
 * diagnostics as `{code, offset}` in the parser's order. Findings of campaigns go to
 * corpus/regressions/, hand-named and per-code specimens to corpus/malformed/.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../src/bytes/diagnostics.js';
import { toJsonText } from '../src/bytes/hex.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import type { TargetName } from './targets/index.js';

export const CORPUS_DIR = resolve(import.meta.dirname, '..', 'corpus');

export interface ExpectedDiagnostic {
  code: string;
  offset: number;
}

export interface Expected {
  table: TargetName;
  /** What the specimen shows. */
  description: string;
  diagnostics: ExpectedDiagnostic[];
  [extra: string]: unknown;
}

const PARSERS: Record<TargetName, (bytes: Uint8Array) => { diagnostics: readonly Diagnostic[] }> = { dmar: parseDmar, iort: parseIort, madt: parseMadt, ivrs: parseIvrs };

export function expectedDiagnostics(table: TargetName, bytes: Uint8Array): ExpectedDiagnostic[] {
  return PARSERS[table](bytes).diagnostics.map(({ code, offset }) => ({ code, offset }));
}

/** FNV-1a of the bytes, 8 hex digits: a stable short name for an anonymous specimen. */
export function shortHash(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** Writes `<dir>/<name>.bin` and `<name>.expected.json` (diagnostics taken from the parser now). */
export function writeSpecimen(dir: string, name: string, table: TargetName, bytes: Uint8Array, description: string, extra: Record<string, unknown> = {}): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.bin`);
  writeFileSync(path, bytes);
  const expected: Expected = { table, description, ...extra, diagnostics: expectedDiagnostics(table, bytes) };
  writeFileSync(join(dir, `${name}.expected.json`), `${toJsonText(expected)}\n`);
  return relative(resolve(CORPUS_DIR, '..'), path);
}

export interface CorpusEntry {
  path: string;
  name: string;
  table: TargetName;
  bytes: Uint8Array;
  expected: Expected | undefined;
}

const PREFIXES: Record<string, TargetName> = { dmar: 'dmar', iort: 'iort', madt: 'madt', apic: 'madt', ivrs: 'ivrs' };
const SIGNATURE_TABLES: Record<string, TargetName> = { DMAR: 'dmar', IORT: 'iort', APIC: 'madt', IVRS: 'ivrs' };

function tableOf(name: string, bytes: Uint8Array): TargetName | undefined {
  const prefix = PREFIXES[name.split(/[-.]/)[0]!.toLowerCase()];
  return prefix ?? SIGNATURE_TABLES[String.fromCharCode(...bytes.subarray(0, 4))];
}

/** Every `.bin` under corpus/ (recursively) with its expectation, if any. */
export function readCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  if (!existsSync(dir)) return [];
  const entries: CorpusEntry[] = [];
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) entries.push(...readCorpus(path));
    if (!item.isFile() || !item.name.endsWith('.bin')) continue;
    const bytes = new Uint8Array(readFileSync(path));
    const table = tableOf(item.name, bytes);
    if (table === undefined) continue;
    const sidecar = path.replace(/\.bin$/, '.expected.json');
    const expected = existsSync(sidecar) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as Expected) : undefined;
    entries.push({ path: relative(dir === CORPUS_DIR ? CORPUS_DIR : dir, path), name: basename(item.name, '.bin'), table, bytes, expected });
  }
  return entries;
}

/** Codes some corpus specimen already shows. */
export function codesWithSpecimens(): Set<string> {
  return new Set(readCorpus().flatMap((entry) => entry.expected?.diagnostics.map((item) => item.code) ?? []));
}
