/**
 * Access to ../shared for the benchmarks (the bench equivalent of test/support/shared.ts; bench
 * must not import from test/). Every table is read into memory once, before anything is timed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository; ACPI_IOMMU_REPO is set for the tsc-compiled child, which runs from node_modules/.cache. */
export const REPO_ROOT = process.env.ACPI_IOMMU_REPO ?? resolve(here, '..');
export const SHARED_ROOT = process.env.ACPI_IOMMU_SHARED ?? resolve(REPO_ROOT, '..', 'shared');
export const REAL_ROOT = join(SHARED_ROOT, 'corpus', 'real');
export const HAVE_SHARED = existsSync(join(REAL_ROOT, 'MANIFEST.tsv'));

export type BenchSignature = 'DMAR' | 'IORT' | 'APIC' | 'IVRS';
export const BENCH_SIGNATURES: readonly BenchSignature[] = ['DMAR', 'IORT', 'APIC', 'IVRS'];

export interface CorpusTable {
  /** Path relative to corpus/real, e.g. `qemu-7.2/q35/DMAR.bin`. */
  path: string;
  /** The directory the table came from: tables of one platform share it. */
  platform: string;
  signature: BenchSignature;
  bytes: Uint8Array;
}

/** Every DMAR, IORT, APIC and IVRS listed in corpus/real/MANIFEST.tsv, bytes in memory (empty without ../shared). */
export function loadRealCorpus(limit = Infinity): CorpusTable[] {
  if (!HAVE_SHARED) return [];
  const lines = readFileSync(join(REAL_ROOT, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const columns = lines[0]!.split('\t');
  const pathColumn = columns.indexOf('path');
  const signatureColumn = columns.indexOf('signature');
  const tables: CorpusTable[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    const path = cells[pathColumn]!;
    const signature = cells[signatureColumn]!;
    if (!(BENCH_SIGNATURES as readonly string[]).includes(signature)) continue;
    tables.push({ path, platform: dirname(path), signature: signature as BenchSignature, bytes: new Uint8Array(readFileSync(join(REAL_ROOT, path))) });
  }
  return tables.length > limit ? pickSpread(tables, limit) : tables;
}

/** `count` tables with every signature represented (for the smoke run). */
function pickSpread(tables: CorpusTable[], count: number): CorpusTable[] {
  const picked: CorpusTable[] = [];
  for (const signature of BENCH_SIGNATURES) {
    const first = tables.find((table) => table.signature === signature);
    if (first !== undefined && picked.length < count) picked.push(first);
  }
  return picked;
}

export function totalBytes(tables: readonly { bytes: Uint8Array }[]): number {
  let sum = 0;
  for (const table of tables) sum += table.bytes.length;
  return sum;
}
