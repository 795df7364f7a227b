/**
 * Robustness properties (style §11): random bytes and mutated real IORTs never make the parser
 * throw or loop; every iterator and every translation ends; diagnostics stay inside the bytes;
 * toJSON serialises.
 */
import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { jsonReplacer } from '../src/bytes/hex.js';
import { IORT_MSI_TYPES, parseIort, translate } from '../src/iort/index.js';
import { Bytes, buildIort, fixChecksum, itsGroup, namedComponent, rmr, rootComplex, smmuV1V2, smmuV3 } from './support/iort-builder.js';
import { HAVE_SHARED, readReal, realTables, templateTable } from './support/shared.js';

/** Real tables, the template and a built specimen with every node kind as mutation seeds. */
function seeds(): Uint8Array[] {
  const list = HAVE_SHARED ? realTables('IORT').map((row) => readReal(row.path)) : [];
  const template = templateTable('IORT');
  if (template !== undefined) list.push(template.bytes);
  const full = { inputBase: 0, idCount: 0xffff, outputBase: 0 };
  list.push(
    buildIort([
      itsGroup([0, 1]),
      smmuV3({ gsivs: [0, 0, 0, 0], index: 1, mappings: [{ ...full, target: 0 }, { outputBase: 5, target: 0, flags: 1 }] }),
      rootComplex(0, { mappings: [{ ...full, idCount: 0x100, target: 1 }, { inputBase: 0x100, idCount: 0xfeff, outputBase: 0x100, target: 0 }] }),
      namedComponent('\\_SB.DEV0', { padTo: 48, mappings: [{ outputBase: 3, target: 1, flags: 1 }, { outputBase: 4, target: 4, flags: 1 }] }),
      smmuV1V2({ context: [1, 2], pmu: [3], mappings: [{ ...full, target: 0 }] }),
      rmr([[0x8000_0000n, 0x1_0000n], [0x9000_0000n, 0x2000n]], { mappings: [{ outputBase: 0x100, target: 1 }] }),
    ]).bytes,
  );
  return list;
}

const SEEDS = seeds();

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'u16'; pick: number; rel: number; value: number }
  | { kind: 'u32'; pick: number; rel: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  // Node Length.
  fc.record({ kind: fc.constant('u16' as const), pick: fc.nat(), rel: fc.constant(1), value: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 40 })) }),
  // Mapping count, mapping offset, a mapping's output reference, a type-specific word, the node count.
  fc.record({
    kind: fc.constant('u32' as const),
    pick: fc.nat(),
    rel: fc.constantFrom(8, 12, 16, 20, 24, 28, 40, 44, 48, 56, 64, -36),
    value: fc.oneof(fc.constantFrom(0, 1, 16, 36, 48, 0xffff_ffff), fc.nat({ max: 0x2000 }), fc.nat()),
  }),
);

/** Applies mutations to a copy; node-relative edits pick a node framed in the current bytes. */
function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = seed.slice();
  for (const item of mutations) {
    if (item.kind === 'truncate') {
      bytes = bytes.slice(0, item.at % (bytes.length + 1));
      continue;
    }
    if (bytes.length === 0) continue;
    if (item.kind === 'flip') {
      bytes[item.at % bytes.length] = item.value;
      continue;
    }
    const offsets = parseIort(bytes).nodeOffsets;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const at = item.rel < 0 ? -item.rel : offsets.length > 0 ? offsets[item.pick % offsets.length]! + item.rel : item.pick % bytes.length;
    if (item.kind === 'u16' && at + 2 <= bytes.length) view.setUint16(at, item.value, true);
    if (item.kind === 'u32' && at + 4 <= bytes.length) view.setUint32(at, item.value >>> 0, true);
    if (item.kind === 'u32' && item.rel === 12 && offsets.length > 0) {
      // Also aim one mapping's output reference at a random node or offset.
      const node = offsets[item.pick % offsets.length]!;
      const entry = node + (view.getUint32(node + 12, true) % 0x200);
      if (entry + 16 <= bytes.length) view.setUint32(entry + 12, offsets[item.value % offsets.length] ?? item.value, true);
    }
  }
  return fixChecksum(bytes);
}

/** Exercises every lazy path; throws if anything misbehaves. */
function exercise(bytes: Uint8Array): void {
  const table = parseIort(bytes);
  expect(table.bytes).toBe(bytes);
  for (const item of table.diagnostics) {
    expect(item.offset).toBeGreaterThanOrEqual(0);
    expect(item.offset).toBeLessThan(Math.max(1, bytes.length));
  }
  const nodes = [...table.nodes()];
  expect(nodes.length).toBe(table.nodeOffsets.length);
  expect(nodes.length).toBeLessThanOrEqual(bytes.length / 16);
  for (const node of nodes) {
    expect(table.nodeAt(node.offset)?.offset).toBe(node.offset);
    expect(node.raw.buffer).toBe(bytes.buffer);
    expect([...node.idMappings()].length).toBeLessThanOrEqual(node.length / 20);
    if (node.kind === 'rmr') [...node.memoryRanges()];
    if (node.kind === 'smmu-v1v2') [...node.contextInterrupts(), ...node.pmuInterrupts()];
    if (node.kind === 'its-group') void node.itsIdentifiers;
    if (node.kind === 'root-complex' || node.kind === 'named-component') {
      for (const options of [{}, { typeMask: IORT_MSI_TYPES }]) {
        for (const id of [undefined, 0, 0x100, 0xffff_ffff]) {
          const result = translate(table, id === undefined ? { nodeOffset: node.offset } : { nodeOffset: node.offset, id }, options);
          for (const walk of result.walks) expect(walk.hops.length).toBeLessThanOrEqual(nodes.length + 1);
          expect(result.walks.length).toBeLessThanOrEqual(node.length / 20 + 1);
        }
      }
    }
  }
  expect(typeof JSON.stringify(table, jsonReplacer)).toBe('string');
}

const iortHeaderThenNoise = fc.uint8Array({ minLength: 0, maxLength: 400 }).map((noise) => {
  const head = new Bytes().ascii('IORT', false).u32(48 + noise.length).u8(noise[0] ?? 0).zeros(27).u32(noise[1] ?? 3).u32(48).u32(0).done();
  const bytes = new Uint8Array(head.length + noise.length);
  bytes.set(head);
  bytes.set(noise, head.length);
  return bytes;
});

describe('IORT robustness', () => {
  propTest.prop([fc.uint8Array({ maxLength: 300 })], { seed: 0x1047, numRuns: 300 })('random bytes', (bytes) => {
    exercise(bytes);
  });

  propTest.prop([iortHeaderThenNoise], { seed: 0x1048, numRuns: 500 })('an IORT header followed by noise', (bytes) => {
    exercise(bytes);
  });

  propTest.prop([fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 })], { seed: 0x1049, numRuns: 1000 })(
    'mutated real and built IORTs',
    (pick, mutations) => {
      exercise(mutate(SEEDS[pick % SEEDS.length]!, mutations));
    },
  );

  test('hostile counts cost no more than the bytes', () => {
    const built = buildIort([itsGroup([0]), smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, target: 0 }] })], { nodeCount: 0xffff_ffff });
    const view = new DataView(built.bytes.buffer);
    view.setUint32(built.offsets[1]! + 8, 0xffff_ffff, true); // mapping count
    view.setUint32(built.offsets[0]! + 16, 0xffff_ffff, true); // ITS count
    const started = performance.now();
    const table = parseIort(fixChecksum(built.bytes));
    exercise(built.bytes);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(table.diagnostics.map((item) => item.code)).toEqual(expect.arrayContaining(['iort.node.overflow', 'iort.mapping.outside-node', 'iort.array.outside-node']));
  });
});
