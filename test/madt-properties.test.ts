/**
 * Property tests (fixed seeds): whatever the bytes, parseMadt does not throw, its walks end, every
 * diagnostic offset lies inside the buffer, and the table serialises with jsonReplacer.
 * Inputs: random bytes, random bytes behind a valid-looking header, and real APIC tables
 * mutated by truncation, bit flips and subtable/table Length overwrites.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { jsonReplacer } from '../src/bytes/hex.js';
import { parseMadt } from '../src/madt/index.js';
import { gicIts, gicMsiFrame, gicc, gicd, ioApic, localApic, madt, subtable, writeLittleEndian } from './support/madt-builder.js';
import { HAVE_SHARED, readReal, realTables, templateTable } from './support/shared.js';

function checkInvariants(bytes: Uint8Array): void {
  const table = parseMadt(bytes);
  const limit = Math.max(1, bytes.length);
  for (const diagnostic of table.diagnostics) {
    expect(Number.isInteger(diagnostic.offset)).toBe(true);
    expect(diagnostic.offset).toBeGreaterThanOrEqual(0);
    expect(diagnostic.offset).toBeLessThan(limit);
  }
  let count = 0;
  for (const entry of table.entries()) {
    count++;
    expect(entry.offset + entry.length).toBeLessThanOrEqual(bytes.length);
    expect(entry.length).toBeGreaterThanOrEqual(2);
    entry.toJSON(); // reads every field getter
  }
  expect(count).toBe(table.entryCount);
  expect(count).toBeLessThanOrEqual(bytes.length / 2);
  for (const its of table.gicIts()) expect(typeof its.translaterAddress).toBe('bigint');
  for (const frame of table.gicMsiFrames()) expect(typeof frame.setSpiNsAddress).toBe('bigint');
  for (const apic of table.ioApics()) expect(typeof apic.ioApicId).toBe('number');
  expect(typeof JSON.stringify(table, jsonReplacer)).toBe('string');
}

/** Real tables when ../shared is there, the template, and a built table that always is. */
function seedTables(): Uint8Array[] {
  const built = madt([localApic(0, 0), ioApic(1), gicc(), gicd({ length: 25 }), gicMsiFrame(0, 0x8020000n), gicIts(0, 0x20000000n), subtable(0x80, 6)]);
  if (!HAVE_SHARED) return [built];
  const template = templateTable('APIC');
  return [built, ...(template ? [template.bytes] : []), ...realTables('APIC').map((row) => readReal(row.path))];
}

const tables = seedTables();

type Mutation =
  | { kind: 'truncate'; fraction: number }
  | { kind: 'flip'; fraction: number; bit: number }
  | { kind: 'entry-length'; which: number; value: number }
  | { kind: 'table-length'; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('entry-length' as const), which: fc.nat(), value: fc.oneof(fc.constantFrom(0, 1, 2, 3, 40, 255), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ kind: fc.constant('table-length' as const), value: fc.oneof(fc.constantFrom(0, 35, 36, 43, 44, 0xffffffff), fc.nat()) }),
);

function mutate(original: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = original.slice();
  for (const change of mutations) {
    const at = (fraction: number) => Math.min(bytes.length - 1, Math.floor(fraction * bytes.length));
    if (change.kind === 'truncate') bytes = bytes.slice(0, Math.floor(change.fraction * bytes.length));
    else if (change.kind === 'flip' && bytes.length > 0) bytes[at(change.fraction)]! ^= 1 << change.bit;
    else if (change.kind === 'table-length' && bytes.length >= 8) writeLittleEndian(bytes, 4, 4, change.value);
    else if (change.kind === 'entry-length') {
      const offsets = parseMadt(bytes).entryOffsets;
      if (offsets.length > 0) bytes[offsets[change.which % offsets.length]! + 1] = change.value;
    }
  }
  return bytes;
}

test.prop([fc.uint8Array({ maxLength: 400 }), fc.nat({ max: 16 })], { seed: 0x5eed, numRuns: 300 })(
  'random bytes, at any offset into a larger buffer',
  (bytes, padding) => {
    const buffer = new Uint8Array(padding + bytes.length + padding);
    buffer.set(bytes, padding);
    checkInvariants(buffer.subarray(padding, padding + bytes.length));
  },
);

test.prop([fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 9 })], { seed: 0xa91c, numRuns: 300 })(
  'random subtables behind a valid-looking APIC header',
  (body, declaredLength, revision) => {
    const bytes = madt([], { revision });
    const whole = new Uint8Array(bytes.length + body.length);
    whole.set(bytes);
    whole.set(body, bytes.length);
    writeLittleEndian(whole, 4, 4, declaredLength % 3 === 0 ? whole.length : declaredLength);
    checkInvariants(whole);
  },
);

test.prop([fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 })], { seed: 0x3ead, numRuns: 400 })(
  'real APIC tables, mutated',
  (which, mutations) => {
    checkInvariants(mutate(tables[which % tables.length]!, mutations));
  },
);
