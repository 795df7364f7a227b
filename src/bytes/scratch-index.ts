/**
 * An open-addressing map from a 64-bit key (two u32 halves) to an int32, held in typed arrays
 * that are reused from one parse to the next: the cross-structure checks need no Map, Set,
 * BigInt key or entry object per parse. `reset` empties it in O(1) by moving to a new stamp.
 * Not reentrant: one check uses one index at a time (parsing is synchronous).
 */
const SMALLEST = 16;
/** Arrays larger than this are dropped at the next reset that needs far less (a hostile table must not pin memory). */
const KEEP_AT_MOST = 4096;

export class ScratchIndex {
  #high = new Uint32Array(SMALLEST);
  #low = new Uint32Array(SMALLEST);
  #values = new Int32Array(SMALLEST);
  #stamps = new Uint32Array(SMALLEST);
  #stamp = 1;
  #mask = SMALLEST - 1;

  /** Empties the index, sized for at most `keys` distinct keys. */
  reset(keys: number): void {
    const length = this.#stamps.length;
    // The usual reset (the arrays are large enough, and not oversized) computes nothing: every
    // slot of the arrays is used, however few keys come (a DMAR parse resets four indexes).
    if (keys * 2 > length || length > KEEP_AT_MOST) {
      let capacity = SMALLEST;
      while (capacity < keys * 2) capacity *= 2;
      if (capacity > length || length > capacity * 4) {
        this.#high = new Uint32Array(capacity);
        this.#low = new Uint32Array(capacity);
        this.#values = new Int32Array(capacity);
        this.#stamps = new Uint32Array(capacity);
        this.#stamp = 0;
        this.#mask = capacity - 1;
      }
    }
    if (++this.#stamp === 0xffffffff) {
      this.#stamps.fill(0);
      this.#stamp = 1;
    }
  }

  /** Test seam: move the stamp (the wrap in `reset` otherwise takes 2^32 − 2 resets to reach). */
  setStampForTest(stamp: number): void {
    this.#stamp = stamp;
  }

  /** The slot holding the key, or the empty slot where it would go. */
  #slot(high: number, low: number): number {
    let hash = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
    hash ^= hash >>> 15;
    let slot = hash & this.#mask;
    while (this.#stamps[slot] === this.#stamp && (this.#high[slot] !== high || this.#low[slot] !== low)) slot = (slot + 1) & this.#mask;
    return slot;
  }

  /** The value stored for the key, or `absent`. */
  get(high: number, low: number, absent = -1): number {
    const slot = this.#slot(high, low);
    return this.#stamps[slot] === this.#stamp ? this.#values[slot]! : absent;
  }

  has(high: number, low: number): boolean {
    return this.#stamps[this.#slot(high, low)] === this.#stamp;
  }

  /** Stores `value` (an int32) for the key; at most the `keys` given to `reset` may be stored. */
  set(high: number, low: number, value: number): void {
    const slot = this.#slot(high, low);
    this.#stamps[slot] = this.#stamp;
    this.#high[slot] = high;
    this.#low[slot] = low;
    this.#values[slot] = value;
  }
}
