/**
 * Size budget for the browser bundle: what a tool author ships after bundling (esbuild, minified,
 * gzip level 9 as servers send it). Budgets are the sizes measured when the budget was set
 * (2026-12, parsers: DMAR, IORT, MADT) plus about 25% headroom; a change that outgrows one must
 * raise it on purpose, in review. The measured sizes are printed on every run.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleScript } from './support/runtimes.js';

const BUNDLES = [
  // measured 7.9 KB gzipped; 10.1 KB with issue 14's lazy diagnostics (perf-core branch) and the one-pass DMAR validator (perf-dmar branch), both raised on purpose;
  // 11.9 KB (+828 B) with the DMAR validation loop, DRHD scan/index and reused findings list (dparse branch), raised by that need
  // +415 B with the one DMAR structure cursor for every kind and its own scope loop (dwalk branch), raised by that need; 12.36 KB measured with both
  // +63 B with readSdtHeader's test of the usual table before the rules (sdt branch): 12,437 B measured, raised by that need
  // +193 B with checksumOf reading tables of 256 bytes and more four bytes per load (iort branch): 12,630 B measured, raised by that need
  // +206 B with the DMAR loop's usual tests written out and its module-local copies of imported names (dparse branch, parse ~0.4x the floor faster): 12,831 B measured with both, raised by that need
  // +15 B with the table views' generators looping by index (no iterator result per step: DMAR structures() ≈ 10 % faster, no garbage per skipped item in the *OfKind queries): 12,852 B measured, raised by that need
  { name: 'parseDmar only', source: "import { parseDmar } from './src/index.ts'; (globalThis as any).entry = parseDmar;", budget: 12_862 },
  // measured 20.8 KB gzipped; 26.1 KB with issue 14's reused scratch structures for parse speed (raised on purpose, perfparse branch);
  // 27.5 KB with the one-pass MADT checks and the MADT cursors shared across tables (raised on purpose, perf-ivrs branch);
  // lazy diagnostics (perf-core branch), the one-pass DMAR validator (perf-dmar branch) and the one-pass IORT
  // validation (perf-iort branch) on top, raised on purpose; +770 B with the DMAR validation loop (dparse branch), raised by that need; 30.78 KB with the one DMAR cursor (dwalk) too;
  // +64 B with readSdtHeader's test of the usual table (sdt branch): 30,860 B measured, raised by that need
  // +524 B (iort branch): the word-wise checksum (+192), the IORT overlap run merge, reference and allocation work and the MADT reused offsets (+332): 31,384 B measured, raised by that need
  // +218 B with the DMAR loop's usual tests written out and its module-local copies of imported names (dparse branch): 31,574 B measured with both, raised by that need
  {
    name: 'every parser (parseTable, parseDmar, parseIort, parseMadt)',
    source: "import { parseTable, parseDmar, parseIort, parseMadt } from './src/index.ts'; (globalThis as any).entry = [parseTable, parseDmar, parseIort, parseMadt];",
    // +33 B with the table views' generators looping by index (DMAR, IORT, MADT, nodesOfType and nodesOfKind included): 31,607 B measured, raised by that need
    budget: 31_617,
  },
  // measured 64.4 KB gzipped; 79.4 KB when IVRS came, 80.5 KB with the IVMD audit (raised on purpose, amd2 branch);
  // 82.5 KB with issue 14's parse-speed structures (raised on purpose, perfparse branch); 84.0 KB with the
  // flyweight cursors (perfwalk), the lspci -tv reader and the AMD/Arm "unknown" verdicts (cli13), raised on purpose;
  // 86.1 KB with the lazy AMD boot model and the MADT one-pass checks and shared cursors (perf-ivrs), raised on purpose;
  // 88.3 KB with the lazy diagnostics (perf-core), the one-pass DMAR validator (perf-dmar) and IORT validation (perf-iort), raised on purpose;
  // 89.9 KB (from 88.3) with the AMD kernel walk of IVHD entries past their end, its findings and WARN lines, and the alias-target rule per release (amd branch), raised on purpose
  // +859 B with the DMAR validation loop (dparse branch), raised by that need; 91.75 KB measured with it, the one DMAR cursor (dwalk) and the lazy DMAR region descriptors (dregions)
  // +87 B with readSdtHeader's test of the usual table (sdt branch): 91,850 B measured, raised by that need
  // +27 B with explain passing --kernel to the AMD boot model: 91,877 B measured, raised by that need
  // +297 B with the AMD boot model's entry cursor, one-segment walk order and reads from the table (s6 ivrs branch), +454 B with the iort branch's word-wise checksum and IORT/MADT parse work, +194 B with the DMAR loop's usual tests written out and its module-local copies of imported names (dparse branch): 92,852 B measured with all three, raised by that need
  // +22 B with the table views' generators looping by index (all four tables): 92,874 B measured, raised by that need
  { name: 'everything in the root entry', source: "import * as all from './src/index.ts'; (globalThis as any).entry = all;", budget: 92_884 },
];

describe('browser bundle size budget (minified, gzipped)', () => {
  const sizes = new Map<string, number>();

  it.each(BUNDLES)('$name stays within $budget bytes', async ({ name, source, budget }) => {
    const text = await bundleScript(source, { minify: true });
    const gzipped = gzipSync(text, { level: 9 }).length;
    sizes.set(name, gzipped);
    console.log(`[acpi-iommu bundle size] ${name}: ${text.length} bytes minified, ${gzipped} bytes gzipped (budget ${budget})`);
    expect(gzipped).toBeLessThanOrEqual(budget);
  });

  it('tree-shakes: a parseDmar-only bundle is well under half of everything', () => {
    // Guards "sideEffects": false and side-effect-free modules: without them every bundle is the whole library.
    const only = sizes.get(BUNDLES[0]!.name);
    const all = sizes.get(BUNDLES[2]!.name);
    expect(only, 'size tests ran first').toBeDefined();
    expect(only!).toBeLessThan(all! / 2);
  });
});
