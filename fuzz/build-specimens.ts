/**
 * `npx tsx fuzz/build-specimens.ts`: writes the project's corpus from the project's encoder —
 * the hand-named malformed specimens (corpus/malformed/<name>.bin + .expected.json) and the
 * bundled sample platforms (corpus/samples/<platform>/<TABLE>.model.json, <TABLE>.bin and
 * pci.json). Fails when a specimen no longer raises the codes it exists to show, or a sample
 * table is not clean.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonText } from '../src/bytes/hex.js';
import { encodeTable } from '../src/encode/index.js';
import { parseTable } from '../src/table.js';
import { CORPUS_DIR, expectedDiagnostics, writeSpecimen } from './corpus.js';
import { malformedSpecimens } from './specimens/malformed.js';
import { SAMPLE_PLATFORMS } from './specimens/samples.js';

const problems: string[] = [];

for (const specimen of malformedSpecimens()) {
  const codes = new Set(expectedDiagnostics(specimen.table, specimen.bytes).map((item) => item.code));
  const missing = specimen.expect.filter((code) => !codes.has(code));
  if (missing.length > 0) problems.push(`${specimen.name}: does not raise ${missing.join(', ')} (raises ${[...codes].join(', ') || 'nothing'})`);
  const path = writeSpecimen(join(CORPUS_DIR, 'malformed'), specimen.name, specimen.table, specimen.bytes, specimen.description, { shows: specimen.expect });
  console.log(`${path}  ${specimen.bytes.length} bytes  ${[...codes].join(' ')}`);
}

for (const platform of SAMPLE_PLATFORMS) {
  const dir = join(CORPUS_DIR, 'samples', platform.folder);
  mkdirSync(dir, { recursive: true });
  for (const [signature, model] of Object.entries(platform.tables)) {
    const bytes = encodeTable(model);
    const noisy = parseTable(bytes)?.diagnostics.filter((item) => item.severity !== 'info') ?? [];
    if (noisy.length > 0) problems.push(`samples/${platform.folder}/${signature}: ${noisy.map((item) => item.code).join(', ')}`);
    writeFileSync(join(dir, `${signature}.model.json`), `${toJsonText(model)}\n`);
    writeFileSync(join(dir, `${signature}.bin`), bytes);
    console.log(`corpus/samples/${platform.folder}/${signature}.bin  ${bytes.length} bytes (from ${signature}.model.json)`);
  }
  writeFileSync(join(dir, 'pci.json'), `${toJsonText(platform.pci)}\n`);
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
}
