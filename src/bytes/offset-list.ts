/**
 * Offsets noted during one parse, in an array reused from parse to parse: a count instead of a
 * new array (pushing onto a fresh one reallocated it several times per table) and instead of
 * `length = 0` (a runtime call, measured at an eighth of a DMAR parse). A list a hostile table
 * grew past KEEP_AT_MOST gives its memory back at a later `clear` (see `clear`).
 */
export class OffsetList {
  /** Read through `at` and `copyOffsets`; written only by `push` and `clear`. */
  readonly items: number[] = [];
  count = 0;

  push(offset: number): void {
    this.items[this.count++] = offset;
  }

  at(index: number): number {
    return this.items[index]!;
  }

  /**
   * Empties the list. A long one (a hostile table) gives its memory back once the use before this
   * one needed less than a quarter of it, so a run of large tables reuses it: a 100,000-node IORT
   * regrew it at every parse (7 % of its parse and regions, profiled).
   */
  clear(): void {
    if (this.items.length > KEEP_AT_MOST && this.count < this.items.length >>> 2) this.items.length = 0;
    this.count = 0;
  }
}

/**
 * The offsets `list` noted since its last `clear`, as an array of their own (the caller keeps it).
 * A function, not a method, so a bundle whose parser never copies a list (DMAR) leaves it out.
 */
export function copyOffsets(list: OffsetList): number[] {
  return list.items.slice(0, list.count);
}

const KEEP_AT_MOST = 4096;
