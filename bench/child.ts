/**
 * The in-process jobs of `npm run bench`, run by bench/bench.ts in a child process on tsc
 * output under plain node (bench/tsconfig.bench.json → node_modules/.cache/acpi-iommu-bench),
 * so the figures are those of the code that ships, not of tsx's transform. Prints JSON.
 *   figures corpus|scaling|fuzz full|smoke
 *   profile corpus-regions|corpus-parse|dmar-scale|iort-scale <ms> [n]   (run with --no-turbo-inlining)
 *   young dmar-scale|dmar-object-floor|iort-scale <n,n,…>   parse + regions per structure at each n (run with
 *                                          and without a larger young generation, to show GC effects)
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCorpus, parseAll, parseAndDerive } from './corpus.js';
import { benchFuzz, FUZZ_SETTINGS } from './fuzz-rates.js';
import { FULL, measure, SMOKE } from './measure.js';
import { profileInProcess } from './profile.js';
import { benchScaling, FULL_SIZES, SMOKE_SIZES } from './scaling.js';
import { loadRealCorpus, type CorpusTable } from './shared.js';
import { syntheticArmMadt, syntheticDmar, syntheticIort } from './synthetic.js';
import { loadToolkit, type Toolkit } from './toolkit.js';

const started = performance.now();
const log = (line: string) => process.stderr.write(`[bench child ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line.trim()}\n`);

export function platformUnits(tables: readonly CorpusTable[]): Uint8Array[][] {
  const map = new Map<string, Uint8Array[]>();
  for (const table of tables) map.set(table.platform, [...(map.get(table.platform) ?? []), table.bytes]);
  return [...map.values()];
}

/** The workload a profile job repeats. */
export function profileWork(toolkit: Toolkit, what: string, size: number): () => number {
  if (what === 'corpus-regions') {
    const units = platformUnits(loadRealCorpus());
    return () => units.reduce((acc, unit) => acc + parseAndDerive(toolkit, unit), 0);
  }
  if (what === 'corpus-parse') {
    const tables = loadRealCorpus().map((table) => table.bytes);
    return () => parseAll(toolkit, tables);
  }
  if (what === 'dmar-scale') {
    const table = syntheticDmar(size);
    return () => parseAndDerive(toolkit, [table]);
  }
  if (what === 'dmar-object-floor') {
    const table = syntheticDmar(size);
    return () => parseWithObjectPerRmrr(toolkit, table).length;
  }
  if (what === 'iort-scale') {
    const tables = [syntheticIort(size), syntheticArmMadt()];
    return () => parseAndDerive(toolkit, tables);
  }
  throw new Error(`unknown profile target ${what}`);
}

/** RMRR's structure type (spec §2.5). */
const RMRR_TYPE = 1;

/**
 * Parse, then one plain four-field object per RMRR and nothing else: the cheapest result that
 * holds a JavaScript object per region (what any `RegionDescriptor[]` pays for keeping its
 * objects alive), next to which the real derivation's growth with n is read.
 */
export function parseWithObjectPerRmrr(toolkit: Toolkit, bytes: Uint8Array): object[] {
  const table = toolkit.parseTable(bytes);
  const objects: object[] = [];
  if (table?.signature !== 'DMAR') return objects;
  for (const offset of table.structureOffsets) {
    if (bytes[offset] === RMRR_TYPE && bytes[offset + 1] === 0) objects.push({ type: 'direct', prot: 3, reason: 'object floor', offset });
  }
  return objects;
}

async function main(): Promise<void> {
  const [job, a = '', b = '', c = '10000'] = process.argv.slice(2);
  const toolkit = await loadToolkit();
  let out: unknown;
  if (job === 'figures') {
    const smoke = b === 'smoke';
    if (a === 'corpus') out = { notes: toolkit.notes, corpus: benchCorpus(loadRealCorpus(smoke ? 2 : Infinity), toolkit, smoke ? SMOKE : FULL, log) };
    else if (a === 'fuzz') out = { fuzz: benchFuzz(FUZZ_SETTINGS[smoke ? 'smoke' : 'full'], log) };
    else out = { scaling: benchScaling(toolkit, smoke ? SMOKE_SIZES : FULL_SIZES, smoke ? SMOKE : FULL, log) };
  } else if (job === 'young') {
    const counts = a.split(',').map(Number);
    const tasks = counts.map((count) => ({ name: String(count), fn: profileWork(toolkit, b, count) }));
    const measured = measure(tasks, { rounds: 3, time: 400, warmupTime: 100, iterations: 10, warmup: true });
    out = counts.map((count) => ({ count, msPerStructure: measured.get(String(count))!.ms / count }));
  } else if (job === 'profile') {
    out = await profileInProcess(profileWork(toolkit, a, Number(c)), Number(b));
  } else {
    throw new Error(`unknown job ${job}`);
  }
  process.stdout.write(JSON.stringify(out));
}

// Run as a program only (the smoke test imports profileWork).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
