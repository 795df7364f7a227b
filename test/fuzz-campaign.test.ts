/**
 * Fixed-seed campaigns (wasmparser's `test_n_times`): each table kind runs a bounded number of
 * mutated inputs through its target with every invariant checked, and must find nothing.
 * Budgeted by execution count so the run is deterministic, and short (≈ 5 s in all on a busy
 * 2-core machine) so `npm test` stays a developer's loop. The long campaigns are `npm run fuzz`
 * (e.g. `npm run fuzz -- --seed 2024 --executions 30000`, the budget this test used to run).
 */
import { describe, expect, it } from 'vitest';
import { ddmin } from '../fuzz/minimize.js';
import { mutate, makeSeed } from '../fuzz/mutate.js';
import { Random } from '../fuzz/prng.js';
import { runCampaign } from '../fuzz/run-campaign.js';
import { TARGETS, type TargetName } from '../fuzz/targets/index.js';

const BUDGET: Record<TargetName, number> = { dmar: 1_000, iort: 300, madt: 1_000, ivrs: 300 };

describe('fixed-seed fuzz campaigns', () => {
  for (const table of Object.keys(TARGETS) as TargetName[]) {
    it(`${table}: ${BUDGET[table]} executions, seed 2024, no findings`, () => {
      const stats = runCampaign({ table, seed: 2024, executions: BUDGET[table], generated: 32, slowFactor: 0 });
      expect(stats.executions).toBe(BUDGET[table]);
      expect(stats.findings.map((finding) => `${finding.signature}\n${finding.violation.detail}`)).toEqual([]);
      expect(stats.codes.size).toBeGreaterThan(10);
    });
  }
});

describe('fuzz machinery', () => {
  it('mutations are deterministic for a seed', () => {
    const seed = makeSeed('s', new Uint8Array(readSample()));
    const run = () => Array.from({ length: 50 }, (_, index) => mutate(seed, new Random(index), [seed]).bytes);
    expect(run()).toEqual(run());
  });

  it('ddmin keeps the property and shrinks', () => {
    const input = Uint8Array.from({ length: 200 }, (_, index) => index);
    const small = ddmin(input, (bytes) => bytes.includes(77) && bytes.includes(150));
    expect(Array.from(small)).toEqual([77, 150]);
  });
});

function readSample(): Uint8Array {
  return new Uint8Array(Buffer.from('444d415230000000010000000000000000000000000000000000000000000000000000002600000000000000000000000000', 'hex'));
}
