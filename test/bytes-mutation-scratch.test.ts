/**
 * ScratchIndex's stamp wrap (src/bytes/scratch-index.ts `reset`): stamps live in a Uint32Array,
 * so when the counter reaches 0xffffffff every stored stamp is cleared and counting restarts at 1.
 * Without the clear, a stamp of 2^32 would be stored as 0 and no key would be found again, and
 * keys stored in the first round under stamp 2 would come back in the second. Reaching the wrap
 * takes 2^32 − 2 resets, so the test moves the stamp with the class's test seam.
 */
import { describe, expect, it } from 'vitest';
import { ScratchIndex } from '../src/bytes/scratch-index.js';

describe('ScratchIndex stamp wrap', () => {
  it('keys stored after the wrap are found, and nothing of the rounds before comes back', () => {
    const index = new ScratchIndex();
    index.reset(4); // stamp 2
    index.set(0, 1, 10);
    index.setStampForTest(0xffff_fffd);
    index.reset(4); // 0xfffffffe
    index.set(0, 2, 20);
    expect(index.get(0, 2)).toBe(20);
    index.reset(4); // reaches 0xffffffff: every stamp cleared, counting restarts at 1
    expect(index.has(0, 2)).toBe(false);
    index.set(0, 3, 30);
    expect(index.get(0, 3)).toBe(30);
    index.reset(4); // stamp 2 again: the key stored under the first round's stamp 2 stays gone
    expect(index.has(0, 1)).toBe(false);
    expect(index.has(0, 3)).toBe(false);
    index.set(0, 4, 40);
    expect(index.get(0, 4)).toBe(40);
  });
});
