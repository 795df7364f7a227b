/**
 * Property tests (style.md §11): on random and mutated DMARs the parser never throws,
 * terminates, serialises, and keeps every diagnostic offset inside the bytes.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { jsonReplacer } from '../src/bytes/hex.js';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd, rmrr, scope } from './support/dmar-builder.js';
import { HAVE_SHARED, readReal, realTables } from './support/shared.js';

const SEED = 1234;

/** Parses and exercises every lazy path; returns the number of items visited. */
function exercise(bytes: Uint8Array): number {
  const table = parseDmar(bytes);
  JSON.stringify(table.toJSON(), jsonReplacer);
  const limit = Math.max(1, bytes.length);
  for (const item of table.diagnostics) {
    expect(Number.isInteger(item.offset)).toBe(true);
    expect(item.offset).toBeGreaterThanOrEqual(0);
    expect(item.offset).toBeLessThan(limit);
  }
  let visited = 0;
  for (const structure of table.structures()) {
    visited++;
    expect(structure.offset + structure.length).toBeLessThanOrEqual(bytes.length);
    if ('deviceScopes' in structure) {
      for (const deviceScope of structure.deviceScopes()) {
        visited++;
        expect(deviceScope.offset + deviceScope.length).toBeLessThanOrEqual(structure.offset + structure.length);
        expect(deviceScope.path.length).toBe(deviceScope.pathLength);
      }
    }
  }
  // Every item is at least 4 bytes long, so the count is bounded by the input size.
  expect(visited).toBeLessThanOrEqual(bytes.length / 4);
  return visited;
}

/** A small valid table used when ../shared is absent, so the mutation properties still run. */
const BUILT = dmar({ structures: [drhd({ scopes: [scope({ type: 1 }), scope({ type: 2, path: [[0x1c, 0], [0, 0]] })] }), drhd({ flags: 1, base: 0xfed91000n, scopes: [scope({ type: 3 })] }), rmrr()] }).bytes;
const SEEDS: Uint8Array[] = HAVE_SHARED ? realTables('DMAR').map((row) => readReal(row.path)) : [BUILT];

/** Offsets of every structure Length (u16) and scope Length (u8) field in a clean parse. */
function lengthFields(bytes: Uint8Array): { at: number; size: 1 | 2 }[] {
  const fields: { at: number; size: 1 | 2 }[] = [];
  for (const structure of parseDmar(bytes).structures()) {
    fields.push({ at: structure.offset + 2, size: 2 });
    if ('deviceScopes' in structure) for (const deviceScope of structure.deviceScopes()) fields.push({ at: deviceScope.offset + 1, size: 1 });
  }
  return fields;
}
const LENGTH_FIELDS = SEEDS.map(lengthFields);

const seedIndex = fc.nat({ max: SEEDS.length - 1 });

describe('DMAR parser properties', () => {
  test.prop([fc.uint8Array({ maxLength: 600 })], { numRuns: 500, seed: SEED })('random bytes', (bytes) => {
    exercise(bytes);
  });

  test.prop([fc.uint8Array({ minLength: 0, maxLength: 400 }), fc.nat({ max: 255 })], { numRuns: 500, seed: SEED })(
    'a valid DMAR header followed by random structures',
    (body, hawRaw) => {
      const header = dmar({ hawRaw, structures: [] }).bytes;
      const bytes = new Uint8Array(header.length + body.length);
      bytes.set(header);
      bytes.set(body, header.length);
      new DataView(bytes.buffer).setUint32(4, bytes.length, true);
      exercise(bytes);
    },
  );

  test.prop([seedIndex, fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: 400, seed: SEED })('truncated real tables', (index, fraction) => {
    const source = SEEDS[index]!;
    exercise(source.slice(0, Math.floor(source.length * fraction)));
  });

  test.prop([seedIndex, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 })], { numRuns: 600, seed: SEED })(
    'real tables with random bytes overwritten',
    (index, edits) => {
      const bytes = SEEDS[index]!.slice();
      for (const [where, value] of edits) bytes[Math.floor(where * (bytes.length - 1))] = value;
      exercise(bytes);
    },
  );

  test.prop([seedIndex, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 0xffff })], { numRuns: 800, seed: SEED })(
    'real tables with a structure or scope Length overwritten',
    (index, which, value) => {
      const bytes = SEEDS[index]!.slice();
      const fields = LENGTH_FIELDS[index]!;
      if (fields.length === 0) return;
      const field = fields[Math.floor(which * (fields.length - 1))]!;
      bytes[field.at] = value & 0xff;
      if (field.size === 2) bytes[field.at + 1] = value >> 8;
      exercise(bytes);
    },
  );

  test.prop([seedIndex, fc.nat({ max: 64 }), fc.nat({ max: 64 })], { numRuns: 200, seed: SEED })(
    'a window into a bigger buffer parses like a copy',
    (index, before, after) => {
      const source = SEEDS[index]!;
      const buffer = new Uint8Array(before + source.length + after).fill(0xa5);
      buffer.set(source, before);
      const window = buffer.subarray(before, before + source.length);
      const asText = (bytes: Uint8Array) => JSON.stringify(parseDmar(bytes).toJSON(), jsonReplacer);
      expect(asText(window)).toBe(asText(source.slice()));
      expect(parseDmar(window).bytes).toBe(window);
    },
  );
});
