/**
 * The DRHDs of the table being validated, as the rules across structures (table-checks.ts) look
 * them up: offset, segment, register base and INCLUDE_PCI_ALL state per unit, in arrays reused
 * from parse to parse (plain arrays: they grow by themselves and keep numbers unboxed). Up to SCAN_LIMIT units (every real DMAR has 1–6) a lookup scans
 * them, which costs less than hashing; the unit after that indexes every unit so far in two
 * ScratchIndexes, which serve every lookup from then on, so a hostile table of thousands of
 * DRHDs stays linear. One table at a time (parsing is synchronous).
 */
import { ScratchIndex } from '../bytes/scratch-index.js';

/** Units looked up by scanning; the next one builds the indexes. */
export const SCAN_LIMIT = 8;
/** High words of the `bySegment` keys that are not (segment, unit) pairs: segments are 16 bits, so these never collide. */
const SEGMENT_KEY = 0x1_0000;
const INCLUDE_ALL_KEY = 0x2_0000;
/** Arrays longer than this are emptied at the next table (a hostile table must not pin memory). */
const KEEP_AT_MOST = 4096;
/** `includeAll` per unit: not INCLUDE_PCI_ALL; INCLUDE_PCI_ALL; INCLUDE_PCI_ALL already reported as not last. */
const PLAIN = 0;
const INCLUDE_ALL = 1;
const REPORTED_NOT_LAST = 2;

export class DrhdUnits {
  count = 0;
  includeAllCount = 0;
  readonly #offsets: number[] = [];
  readonly #segments: number[] = [];
  readonly #baseLows: number[] = [];
  readonly #baseHighs: number[] = [];
  readonly #includeAll: number[] = [];
  /** Most units the table can hold: sizes the indexes. */
  #most = 0;
  // Past SCAN_LIMIT: base → first unit with it; (segment, that unit) → first unit with both,
  // (SEGMENT_KEY + segment, 0) → 1 when the segment has a unit, (INCLUDE_ALL_KEY + segment, 0) →
  // the segment's first INCLUDE_PCI_ALL unit.
  readonly #byBase = new ScratchIndex();
  readonly #bySegment = new ScratchIndex();

  /** Starts a table that can hold at most `most` units (kept small: the shrinking is apart). */
  clear(most: number): void {
    this.count = 0;
    this.includeAllCount = 0;
    this.#most = most;
    if (this.#offsets.length > KEEP_AT_MOST) this.#shrink();
  }

  /** After a hostile table: its long arrays are let go. */
  #shrink(): void {
    for (const array of [this.#offsets, this.#segments, this.#baseLows, this.#baseHighs, this.#includeAll]) array.length = 0;
  }

  offsetOf(unit: number): number {
    return this.#offsets[unit]!;
  }

  // Each lookup and `add` keeps the scanning case short and the indexed one apart: the validation
  // pass inlines them, and what it inlines counts against the compiler's budget for that loop.
  add(offset: number, segment: number, baseLow: number, baseHigh: number, includeAll: boolean): void {
    const unit = this.count;
    if (unit >= SCAN_LIMIT) {
      this.#addIndexed(offset, segment, baseLow, baseHigh, includeAll);
      return;
    }
    this.#store(unit, offset, segment, baseLow, baseHigh, includeAll);
  }

  /** The first unit with this segment and register base, or -1. */
  sameUnit(segment: number, baseLow: number, baseHigh: number): number {
    if (this.count > SCAN_LIMIT) return this.#sameUnitIndexed(segment, baseLow, baseHigh);
    for (let unit = 0; unit < this.count; unit++) {
      if (this.#segments[unit] === segment && this.#baseLows[unit] === baseLow && this.#baseHighs[unit] === baseHigh) return unit;
    }
    return -1;
  }

  hasBase(baseLow: number, baseHigh: number): boolean {
    if (this.count > SCAN_LIMIT) return this.#byBase.has(baseHigh, baseLow);
    for (let unit = 0; unit < this.count; unit++) {
      if (this.#baseLows[unit] === baseLow && this.#baseHighs[unit] === baseHigh) return true;
    }
    return false;
  }

  hasSegment(segment: number): boolean {
    if (this.count > SCAN_LIMIT) return this.#bySegment.has(SEGMENT_KEY + segment, 0);
    for (let unit = 0; unit < this.count; unit++) if (this.#segments[unit] === segment) return true;
    return false;
  }

  /** The segment's first INCLUDE_PCI_ALL unit, or -1. */
  firstIncludeAll(segment: number): number {
    if (this.count > SCAN_LIMIT) return this.#bySegment.get(INCLUDE_ALL_KEY + segment, 0);
    for (let unit = 0; unit < this.count; unit++) {
      if (this.#includeAll[unit] !== PLAIN && this.#segments[unit] === segment) return unit;
    }
    return -1;
  }

  /** True the first time it is asked of an INCLUDE_PCI_ALL unit: "not last" is reported once per unit. */
  reportNotLast(unit: number): boolean {
    if (this.#includeAll[unit] !== INCLUDE_ALL) return false;
    this.#includeAll[unit] = REPORTED_NOT_LAST;
    return true;
  }

  #store(unit: number, offset: number, segment: number, baseLow: number, baseHigh: number, includeAll: boolean): void {
    this.#offsets[unit] = offset;
    this.#segments[unit] = segment;
    this.#baseLows[unit] = baseLow;
    this.#baseHighs[unit] = baseHigh;
    this.#includeAll[unit] = includeAll ? INCLUDE_ALL : PLAIN;
    if (includeAll) this.includeAllCount++;
    this.count = unit + 1;
  }

  #addIndexed(offset: number, segment: number, baseLow: number, baseHigh: number, includeAll: boolean): void {
    const unit = this.count;
    this.#store(unit, offset, segment, baseLow, baseHigh, includeAll);
    if (unit > SCAN_LIMIT) {
      this.#index(unit);
      return;
    }
    this.#byBase.reset(this.#most);
    // Keys: one per unit, plus per segment (at most 2^16 of them) a segment key and an INCLUDE_PCI_ALL key.
    this.#bySegment.reset(this.#most + 2 * Math.min(this.#most, SEGMENT_KEY));
    for (let each = 0; each <= unit; each++) this.#index(each);
  }

  #sameUnitIndexed(segment: number, baseLow: number, baseHigh: number): number {
    const first = this.#byBase.get(baseHigh, baseLow);
    return first < 0 ? -1 : this.#bySegment.get(segment, first);
  }

  #index(unit: number): void {
    const segment = this.#segments[unit]!;
    const baseLow = this.#baseLows[unit]!;
    const baseHigh = this.#baseHighs[unit]!;
    let first = this.#byBase.get(baseHigh, baseLow);
    if (first < 0) this.#byBase.set(baseHigh, baseLow, (first = unit));
    if (!this.#bySegment.has(segment, first)) this.#bySegment.set(segment, first, unit);
    this.#bySegment.set(SEGMENT_KEY + segment, 0, 1);
    if (this.#includeAll[unit] !== PLAIN && !this.#bySegment.has(INCLUDE_ALL_KEY + segment, 0)) this.#bySegment.set(INCLUDE_ALL_KEY + segment, 0, unit);
  }
}
