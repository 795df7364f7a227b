/**
 * Fixed-seed campaigns (wasmparser's `test_n_times`): each table kind runs a bounded number of
 * mutated inputs through its targets with every invariant checked on every input (`fullEvery: 1`),
 * and must find nothing. Also: the fast target's cheap invariants and the sampled full suite.
 * Budgeted by execution count so the run is deterministic, and short (≈ 5 s in all on a busy
 * 2-core machine) so `npm test` stays a developer's loop. The long campaigns are `npm run fuzz`
 * (e.g. `npm run fuzz -- --seed 2024 --executions 30000`, the budget this test used to run).
 */
import { describe, expect, it } from 'vitest';
import { ddmin } from '../fuzz/minimize.js';
import { mutate, makeSeed, MutationSpace } from '../fuzz/mutate.js';
import { Random } from '../fuzz/prng.js';
import { runCampaign } from '../fuzz/run-campaign.js';
import { fastTarget } from '../fuzz/targets/fast.js';
import { TARGETS, type TargetName } from '../fuzz/targets/index.js';
import { encodeDmar } from '../src/encode/index.js';

const BUDGET: Record<TargetName, number> = { dmar: 1_000, iort: 300, madt: 1_000, ivrs: 300 };

describe('fixed-seed fuzz campaigns', () => {
  for (const table of Object.keys(TARGETS) as TargetName[]) {
    it(`${table}: ${BUDGET[table]} executions, seed 2024, no findings`, () => {
      const stats = runCampaign({ table, seed: 2024, executions: BUDGET[table], generated: 32, slowFactor: 0, fullEvery: 1 });
      expect(stats.executions).toBe(BUDGET[table]);
      expect(stats.fullExecutions).toBe(BUDGET[table]);
      expect(stats.findings.map((finding) => `${finding.signature}\n${finding.violation.detail}`)).toEqual([]);
      expect(stats.codes.size).toBeGreaterThan(10);
    });
  }
});

describe('fast target and sampled full suite', () => {
  it('reports the item types of a DMAR from its type fields (DRHD 0, RMRR 1, ATSR 2)', () => {
    const bytes = encodeDmar({
      hostAddressWidth: 48,
      structures: [
        { kind: 'drhd', includePciAll: true, segmentNumber: 0, registerBaseAddress: 0xfed90000n },
        { kind: 'rmrr', segmentNumber: 0, baseAddress: 0x7c000000n, limitAddress: 0x7c7fffffn },
        { kind: 'atsr', allPorts: true, segmentNumber: 0 },
      ],
    });
    const result = TARGETS.dmar.fast(bytes);
    expect(result.violations).toEqual([]);
    expect(result.kinds.sort()).toEqual(['type:0', 'type:1', 'type:2']);
  });

  it('flags an item framed outside the input and a parser that throws', () => {
    const outside = fastTarget('parseFake', () => ({ diagnostics: [], offsets: [4, 10] }), (table) => table.offsets, 1)(new Uint8Array(10));
    expect(outside.violations.map((violation) => violation.invariant)).toEqual(['item-offset']);
    expect(outside.kinds).toEqual(['type:0']);
    const throwing = fastTarget('parseFake', (): { diagnostics: []; offsets: number[] } => { throw new RangeError('boom'); }, (table) => table.offsets, 1)(new Uint8Array(10));
    expect(throwing.violations.map((violation) => violation.detail.split(':')[0])).toEqual(['parseFake']);
  });

  it('runs the full suite on about one input in fullEvery, the same ones for a seed', () => {
    const run = () => runCampaign({ table: 'madt', seed: 7, executions: 2000, generated: 8, real: false, slowFactor: 0, fullEvery: 10 });
    const first = run();
    expect(first.fullExecutions).toBeGreaterThan(120);
    expect(first.fullExecutions).toBeLessThan(280);
    expect(run().fullExecutions).toBe(first.fullExecutions);
  });
});

describe('fuzz machinery', () => {
  it('mutations are deterministic for a seed', () => {
    const seed = makeSeed('s', new Uint8Array(readSample()));
    const run = () => Array.from({ length: 50 }, (_, index) => mutate(seed, new Random(index), [seed]).bytes);
    expect(run()).toEqual(run());
  });

  it('mutating in a reused space gives the same inputs as fresh bytes (splices read the bytes they replace)', () => {
    const seed = makeSeed('s', new Uint8Array(readSample()));
    const pool = [seed, makeSeed('t', encodeDmar({ hostAddressWidth: 39, flags: 1, structures: [] }))];
    const fresh = new Random(7);
    const reused = new Random(7);
    const space = new MutationSpace();
    const used = new Set<string>();
    for (let index = 0; index < 400; index++) {
      const expected = mutate(seed, fresh, pool);
      const got = mutate(seed, reused, pool, space);
      expect(got.operators).toEqual(expected.operators);
      expect(Array.from(got.bytes)).toEqual(Array.from(expected.bytes));
      for (const name of got.operators) used.add(name);
    }
    for (const name of ['splice', 'duplicate-item', 'remove-item', 'insert-zeros', 'truncate-at-boundary']) expect(used).toContain(name);
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
