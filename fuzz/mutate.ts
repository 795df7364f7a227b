/**
 * Structure-aware mutations (design.md "Fuzzing") over real and generated tables: length and
 * count fields that lie, offsets and references pointing anywhere (header, mid-node, self,
 * each other: cycles), truncation at structure boundaries, zero lengths, huge counts, retyped
 * items, duplicated and removed items, byte flips, and splices of two tables. Deterministic:
 * the same seed table and `Random` state give the same output.
 */
import { checksumOf } from '../src/bytes/sdt.js';
import { landmarksOf, type Landmark, type Landmarks } from './landmarks.js';
import type { Random } from './prng.js';

export interface Seed {
  name: string;
  bytes: Uint8Array;
  marks: Landmarks;
}

export function makeSeed(name: string, bytes: Uint8Array): Seed {
  return { name, bytes, marks: landmarksOf(bytes) };
}

/** Where a mutation gets new bytes: `length` bytes sharing no memory with `busy`. */
type Take = (length: number, busy?: Uint8Array) => Uint8Array;

const fresh: Take = (length) => new Uint8Array(length);

/**
 * Reusable output space for `mutate` in a campaign loop: two buffers taken in turn, so a splice
 * never writes over the bytes it reads. Each input otherwise costs a fresh ArrayBuffer (kept off
 * the V8 heap: several hundred ns to allocate and more to collect), a large share of the loop.
 * Bytes taken from it are valid until the next `mutate` call with the same space.
 */
export class MutationSpace {
  #buffers = [new Uint8Array(1 << 16), new Uint8Array(1 << 16)];

  readonly take: Take = (length, busy) => {
    const index = busy !== undefined && busy.buffer === this.#buffers[0]!.buffer ? 1 : 0;
    if (this.#buffers[index]!.length < length) this.#buffers[index] = new Uint8Array(Math.max(length, 2 * this.#buffers[index]!.length));
    return this.#buffers[index]!.subarray(0, length);
  };
}

interface Work {
  bytes: Uint8Array;
  take: Take;
  seed: Seed;
  random: Random;
  pool: readonly Seed[];
}

function write(bytes: Uint8Array, mark: Landmark, value: number): void {
  if (mark.at < 0 || mark.at + mark.width > bytes.length) return;
  for (let index = 0; index < mark.width; index++) bytes[mark.at + index] = Math.floor(value / 2 ** (8 * index)) & 0xff;
}

function read(bytes: Uint8Array, mark: Landmark): number {
  let value = 0;
  for (let index = mark.width - 1; index >= 0; index--) value = value * 256 + (bytes[mark.at + index] ?? 0);
  return value;
}

const maxOf = (mark: Landmark) => 2 ** (8 * mark.width) - 1;

const NOTHING = new Uint8Array(0);

/** `bytes` with `remove` bytes at `at` replaced by `insert`, in new space (`insert` may share `bytes`' memory). */
function splice(take: Take, bytes: Uint8Array, at: number, remove: number, insert: Uint8Array = NOTHING): Uint8Array {
  const start = Math.max(0, Math.min(at, bytes.length));
  const end = Math.min(bytes.length, start + remove);
  const out = take(bytes.length - (end - start) + insert.length, bytes);
  out.set(bytes.subarray(0, start));
  out.set(insert, start);
  out.set(bytes.subarray(end), start + insert.length);
  return out;
}

/** The item (structure, node, entry) containing table offset `at`. */
function itemAt(marks: Landmarks, at: number): { start: number; length: number } | undefined {
  return marks.items.find((item) => item.start <= at && at < item.start + Math.max(item.length, 1));
}

type Operator = (work: Work) => Uint8Array;

const OPERATORS: readonly [name: string, weight: number, apply: Operator][] = [
  ['length-lies', 6, ({ bytes, seed, random }) => {
    const mark = seed.marks.lengths.length > 0 ? random.pick(seed.marks.lengths) : { at: 4, width: 4 as const };
    const old = read(bytes, mark);
    write(bytes, mark, random.pick([0, 0, 1, random.between(2, 20), old + random.between(1, 8), Math.max(0, old - random.between(1, 8)), maxOf(mark), random.below(maxOf(mark) + 1)]));
    return bytes;
  }],
  ['count-lies', 4, ({ bytes, seed, random }) => {
    if (seed.marks.counts.length === 0) return bytes;
    const mark = random.pick(seed.marks.counts);
    const old = read(bytes, mark);
    write(bytes, mark, random.pick([0, old + 1, old + random.between(2, 64), 0xffffffff, 0x80000000, 0x0ccccccd, 0x10000, random.next()]));
    return bytes;
  }],
  ['offset-anywhere', 4, ({ bytes, seed, random }) => {
    if (seed.marks.offsets.length === 0) return bytes;
    const mark = random.pick(seed.marks.offsets);
    write(bytes, mark, random.pick([0, random.between(1, 15), 16, 36, 44, bytes.length, bytes.length - 1, random.below(bytes.length), 0xffffffff, read(bytes, mark) + random.between(1, 24)]));
    return bytes;
  }],
  ['reference-anywhere', 5, ({ bytes, seed, random }) => {
    const { references, items } = seed.marks;
    if (references.length === 0 || items.length === 0) return bytes;
    const mark = random.pick(references);
    const own = itemAt(seed.marks, mark.at);
    const other = random.pick(items);
    write(bytes, mark, random.pick([0, own?.start ?? 0, other.start, other.start + random.between(1, Math.max(1, other.length - 1)), 36, bytes.length, 0xffffffff, random.below(bytes.length)]));
    return bytes;
  }],
  ['reference-cycle', 3, ({ bytes, seed, random }) => {
    const { references } = seed.marks;
    if (references.length < 2) return bytes;
    const first = random.pick(references);
    const second = random.pick(references);
    const a = itemAt(seed.marks, first.at);
    const b = itemAt(seed.marks, second.at);
    if (a === undefined || b === undefined) return bytes;
    write(bytes, first, b.start);
    write(bytes, second, a.start);
    return bytes;
  }],
  ['truncate-at-boundary', 4, ({ bytes, seed, random }) => bytes.subarray(0, Math.max(0, random.pick(seed.marks.boundaries) + random.between(-2, 3)))],
  ['zero-length', 3, ({ bytes, seed, random }) => {
    if (seed.marks.lengths.length > 1) write(bytes, random.pick(seed.marks.lengths.slice(1)), 0);
    return bytes;
  }],
  ['retype', 3, ({ bytes, seed, random }) => {
    if (seed.marks.items.length === 0) return bytes;
    const { start } = random.pick(seed.marks.items);
    if (start < bytes.length) bytes[start] = random.pick([random.below(8), random.below(0x20), random.between(0x1f, 0xff)]);
    return bytes;
  }],
  ['bit-flips', 5, ({ bytes, random }) => {
    for (let flips = random.between(1, 8); flips > 0 && bytes.length > 0; flips--) bytes[random.below(bytes.length)]! ^= 1 << random.below(8);
    return bytes;
  }],
  ['interesting-byte', 3, ({ bytes, random }) => {
    if (bytes.length > 0) bytes[random.below(bytes.length)] = random.pick([0, 0xff, 0x7f, 0x80, 1, 0x10, 0x14]);
    return bytes;
  }],
  ['splice', 3, ({ bytes, take, seed, random, pool }) => {
    const other = random.pick(pool);
    const cut = random.pick(seed.marks.boundaries);
    const from = random.pick(other.marks.boundaries.filter((at) => at >= 36).concat([36]));
    return splice(take, bytes.subarray(0, cut), cut, 0, other.bytes.subarray(from));
  }],
  ['duplicate-item', 2, ({ bytes, take, seed, random }) => {
    if (seed.marks.items.length === 0) return bytes;
    const { start, length } = random.pick(seed.marks.items);
    return splice(take, bytes, start + length, 0, bytes.subarray(start, start + Math.min(length, 4096)));
  }],
  ['remove-item', 2, ({ bytes, take, seed, random }) => {
    if (seed.marks.items.length === 0) return bytes;
    const { start, length } = random.pick(seed.marks.items);
    return splice(take, bytes, start, length);
  }],
  ['insert-zeros', 2, ({ bytes, take, seed, random }) => splice(take, bytes, random.pick(seed.marks.boundaries), 0, new Uint8Array(random.between(1, 64)))],
  ['header-length', 2, ({ bytes, random }) => {
    write(bytes, { at: 4, width: 4 }, random.pick([0, 36, 44, 47, 48, bytes.length - random.between(1, 40), bytes.length + random.between(1, 40), 0xffffffff]));
    return bytes;
  }],
];

const TOTAL_WEIGHT = OPERATORS.reduce((sum, [, weight]) => sum + weight, 0);

function chooseOperator(random: Random): (typeof OPERATORS)[number] {
  let roll = random.below(TOTAL_WEIGHT);
  for (const operator of OPERATORS) {
    roll -= operator[1];
    if (roll < 0) return operator;
  }
  return OPERATORS[0]!;
}

/**
 * One to four stacked mutations of `seed`, then (usually) a Length that matches the bytes and
 * a valid checksum, so the mutation reaches the structure walk instead of stopping at §1.2.
 * The bytes are new unless `space` is given: then they live in it until the next call.
 */
export function mutate(seed: Seed, random: Random, pool: readonly Seed[], space?: MutationSpace): { bytes: Uint8Array; operators: string[] } {
  const take = space?.take ?? fresh;
  let bytes = take(seed.bytes.length);
  bytes.set(seed.bytes);
  const operators: string[] = [];
  for (let steps = random.between(1, 4); steps > 0; steps--) {
    const [name, , apply] = chooseOperator(random);
    bytes = apply({ bytes, take, seed, random, pool });
    operators.push(name);
  }
  if (bytes.length >= 8 && random.chance(0.6) && !operators.includes('header-length')) write(bytes, { at: 4, width: 4 }, bytes.length);
  if (bytes.length >= 10 && random.chance(0.7)) {
    bytes[9] = 0;
    bytes[9] = (0x100 - checksumOf(bytes, Math.min(bytes.length, read(bytes, { at: 4, width: 4 })))) & 0xff;
  }
  return { bytes, operators };
}
