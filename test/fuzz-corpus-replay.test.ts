/**
 * Replays the whole of corpus/: every `.bin` with an `.expected.json` parses to exactly those
 * diagnostics (code and offset, in order), and every `.bin` — specimens, regressions, samples —
 * passes all fuzz invariants. The samples must also be clean and rebuild from their models.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, expectedDiagnostics, readCorpus } from '../fuzz/corpus.js';
import { malformedSpecimens } from '../fuzz/specimens/malformed.js';
import { SAMPLE_PLATFORMS } from '../fuzz/specimens/samples.js';
import { readStoredCases } from '../fuzz/run-command-campaign.js';
import { DOCUMENTED_EXITS, runCommandCase } from '../fuzz/targets/commands.js';
import { TARGETS } from '../fuzz/targets/index.js';
import { encodeTable, type TableModel } from '../src/encode/index.js';
import { parseTable } from '../src/table.js';

const corpus = readCorpus();

describe('corpus/ replay', () => {
  it('has specimens to replay', () => {
    expect(corpus.filter((entry) => entry.expected !== undefined).length).toBeGreaterThanOrEqual(malformedSpecimens().length);
  });

  it.each(corpus.filter((entry) => entry.expected !== undefined).map((entry) => [entry.path, entry] as const))('%s parses to exactly its expected diagnostics', (_path, entry) => {
    expect(expectedDiagnostics(entry.table, entry.bytes)).toEqual(entry.expected!.diagnostics);
  });

  it.each(corpus.map((entry) => [entry.path, entry] as const))('%s passes every fuzz invariant', (_path, entry) => {
    expect(TARGETS[entry.table].run(entry.bytes).violations).toEqual([]);
  });

  it('each hand-named specimen still shows the codes it exists for, and matches what build-specimens writes', () => {
    for (const specimen of malformedSpecimens()) {
      const stored = corpus.find((entry) => entry.name === specimen.name);
      expect(stored, `${specimen.name}: run npx tsx fuzz/build-specimens.ts`).toBeDefined();
      expect(Buffer.from(stored!.bytes).equals(Buffer.from(specimen.bytes)), `${specimen.name} is stale: rebuild`).toBe(true);
      const codes = expectedDiagnostics(specimen.table, specimen.bytes).map((item) => item.code);
      expect(codes).toEqual(expect.arrayContaining(specimen.expect));
    }
  });
});

describe('corpus/samples', () => {
  for (const platform of SAMPLE_PLATFORMS) {
    for (const signature of Object.keys(platform.tables)) {
      it(`${platform.folder}/${signature}.bin is clean and is encode(${signature}.model.json)`, () => {
        const dir = join(CORPUS_DIR, 'samples', platform.folder);
        const bytes = new Uint8Array(readFileSync(join(dir, `${signature}.bin`)));
        const model = JSON.parse(readFileSync(join(dir, `${signature}.model.json`), 'utf8')) as TableModel;
        expect(Buffer.from(encodeTable(model)).equals(Buffer.from(bytes))).toBe(true);
        expect(Buffer.from(encodeTable(platform.tables[signature]!)).equals(Buffer.from(bytes)), 'stale: rebuild with fuzz/build-specimens.ts').toBe(true);
        expect(parseTable(bytes)!.diagnostics.filter((item) => item.severity !== 'info')).toEqual([]);
      });
    }
    it(`${platform.folder}/pci.json exists`, () => expect(existsSync(join(CORPUS_DIR, 'samples', platform.folder, 'pci.json'))).toBe(true));
  }
});

describe('corpus/regressions command cases', () => {
  const cases = readStoredCases();

  it('holds the command findings (at least the DMAR Host Address Width one)', () => {
    expect(cases.map((entry) => entry.name)).toContain('commands-iova-exit-code-5b051483.case.json');
  });

  it.each(cases.map((entry) => [entry.name, entry.stored] as const))('%s now runs without a violation', async (_name, stored) => {
    const outcome = await runCommandCase(stored);
    expect(outcome.violations).toEqual([]);
    expect(DOCUMENTED_EXITS[stored.command]).toContain(outcome.exitCode);
  });
});
