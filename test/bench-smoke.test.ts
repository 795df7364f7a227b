/**
 * Smoke test of the benchmark modules (bench/): they run end to end on 1–2 real tables and tiny
 * synthetic ones with a minimal iteration count. No timing is asserted anywhere.
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../bench/bench.js';
import { parseWithObjectPerRmrr, profileWork } from '../bench/child.js';
import { profileInProcess } from '../bench/profile.js';
import { syntheticArmMadt, syntheticDmar, syntheticIort } from '../bench/synthetic.js';
import { loadToolkit } from '../bench/toolkit.js';
import { parseTable } from '../src/table.js';

describe('bench smoke', () => {
  it('builds synthetic tables the parsers accept without errors', () => {
    for (const bytes of [syntheticDmar(0), syntheticDmar(12), syntheticIort(2), syntheticIort(12), syntheticArmMadt()]) {
      const table = parseTable(bytes);
      expect(table).toBeDefined();
      expect(table!.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    }
    expect(parseTable(syntheticIort(12))!.toJSON()).toMatchObject({ nodeCount: 12 });
  });

  it('runs every in-process section on 1–2 tables and renders RESULTS.md text', async () => {
    const { results, markdown } = await runBench('smoke');
    expect(results.mode).toBe('smoke');
    expect(results.scaling.map((series) => series.points.length)).toEqual([2, 2]);
    for (const series of results.scaling) expect(series.points.every((point) => point.parse.ms >= 0)).toBe(true);
    for (const heading of ['## Targets', '## 1. Real corpus', '## 2. Real corpus', '## 3. Ratio', '## 4. `iasl -d`', '## 5. CLI', '## 6. Scaling', '## 7. Fuzzer', '## Analysis']) {
      expect(markdown).toContain(heading);
    }
    expect(results.fuzz.map((rate) => rate.table)).toEqual(['dmar', 'iort', 'madt', 'ivrs']);
    for (const rate of results.fuzz) expect(rate.fastPerSecond > 0 && rate.fullPerSecond > 0 && rate.loopExecutions > 0).toBe(true);
    for (const group of results.corpus) expect(group.walk.samples).toBeGreaterThan(0);
    expect(markdown).toMatch(/walk every item ≤ 3× checksum floor/);
  });

  it('keeps one object per RMRR for the object floor, at each RMRR of the table', async () => {
    const toolkit = await loadToolkit();
    const bytes = syntheticDmar(7);
    // Header 48 B, one DRHD of 16 B, then RMRRs of 24 + one 8-byte endpoint scope = 32 B each (spec §2.1, §2.5).
    const offsets = parseWithObjectPerRmrr(toolkit, bytes).map((object) => (object as { offset: number }).offset);
    expect(offsets).toEqual([64, 96, 128, 160, 192, 224, 256]);
    expect(parseWithObjectPerRmrr(toolkit, syntheticIort(4))).toEqual([]);
  });

  it('summarises a CPU profile of a bench workload', async () => {
    const toolkit = await loadToolkit();
    const summary = await profileInProcess(profileWork(toolkit, 'dmar-scale', 10), 20, 5);
    expect(summary.totalMs).toBeGreaterThan(0);
    expect(summary.functions.length).toBeGreaterThan(0);
  });
});
