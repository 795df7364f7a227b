/**
 * Access to ../shared (real tables, iasl readings, kernel cases). The repository never copies
 * these files; when ../shared is absent the tests that need it are skipped with a clear message.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '..', '..');
export const SHARED_ROOT = process.env.ACPI_IOMMU_SHARED ?? resolve(REPO_ROOT, '..', 'shared');
export const CORPUS_ROOT = join(SHARED_ROOT, 'corpus');
export const HAVE_SHARED = existsSync(join(CORPUS_ROOT, 'real', 'MANIFEST.tsv'));
export const SKIP_REASON = `../shared is absent (looked in ${SHARED_ROOT}); real-corpus tests skipped`;

if (!HAVE_SHARED) console.warn(`[acpi-iommu tests] ${SKIP_REASON}`);

export interface ManifestRow {
  /** Path relative to corpus/real. */
  path: string;
  signature: string;
  length: number;
  revision: number;
  checksumOk: boolean;
}

/** Rows of corpus/real/MANIFEST.tsv, optionally only one signature. */
export function realTables(signature?: string): ManifestRow[] {
  if (!HAVE_SHARED) return [];
  const lines = readFileSync(join(CORPUS_ROOT, 'real', 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const columns = lines[0]!.split('\t');
  const at = (name: string) => columns.indexOf(name);
  return lines
    .slice(1)
    .map((line) => line.split('\t'))
    .map((cells) => ({
      path: cells[at('path')]!,
      signature: cells[at('signature')]!,
      length: Number(cells[at('length')]),
      revision: Number(cells[at('revision')]),
      checksumOk: cells[at('checksum_ok')] === 'yes',
    }))
    .filter((row) => signature === undefined || row.signature === signature);
}

/** Signatures the project parses; a corpus walk says what it does with the others. */
export const PARSED_SIGNATURES: readonly string[] = ['DMAR', 'IORT', 'APIC', 'IVRS'];

/**
 * The manifest rows a corpus-wide test walks: every parsed signature, with one line naming the rows
 * it leaves out (so the corpus can grow by a signature without silently changing what is tested).
 */
export function parsedRealTables(test: string): ManifestRow[] {
  const rows = realTables();
  const parsed = rows.filter((row) => PARSED_SIGNATURES.includes(row.signature));
  const others = new Map<string, number>();
  for (const row of rows) if (!PARSED_SIGNATURES.includes(row.signature)) others.set(row.signature, (others.get(row.signature) ?? 0) + 1);
  if (others.size > 0) {
    const list = [...others].map(([signature, count]) => `${count} ${signature}`).join(', ');
    console.warn(`[acpi-iommu tests] ${test}: leaves out ${list} (no parser for that signature)`);
  }
  return parsed;
}

export function readReal(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS_ROOT, 'real', path)));
}

/** The iasl reading of a real table (`real/a/b/DMAR.bin` → `expected-iasl/real/a/b/DMAR.json`). */
export function iaslReading(path: string): any {
  const json = join(CORPUS_ROOT, 'expected-iasl', 'real', path.replace(/\.bin$/, '.json'));
  return JSON.parse(readFileSync(json, 'utf8'));
}

export function templateTable(signature: 'DMAR' | 'IORT' | 'APIC' | 'IVRS'): { bytes: Uint8Array; iasl: any } | undefined {
  const dir = join(CORPUS_ROOT, 'templates');
  if (!existsSync(join(dir, `${signature}.bin`))) return undefined;
  return {
    bytes: new Uint8Array(readFileSync(join(dir, `${signature}.bin`))),
    iasl: JSON.parse(readFileSync(join(dir, `${signature}.iasl.json`), 'utf8')),
  };
}

/** Names of the kernel-truth cases under corpus/kernel. */
export function kernelCases(): string[] {
  const dir = join(CORPUS_ROOT, 'kernel');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
