/**
 * checksumOf's word-wise sum (src/bytes/sdt.ts) on tables long enough for more than one block of
 * 256 words, with bytes near 0xff: each 16-bit lane then takes up to 256 × 255 = 65,280 per block,
 * just below a carry, so a block of even one more word carries into the next lane and the sum is
 * off (issue 12, session 7: `word < blockEnd` → `<=` survived every shorter or lower-valued test).
 * The expected value is the ACPI rule itself (ACPI §5.2.6: the bytes sum to 0 mod 256), summed here
 * one byte at a time.
 */
import { describe, expect, it } from 'vitest';
import { checksumOf } from '../src/bytes/sdt.js';

const plainSum = (bytes: Uint8Array): number => bytes.reduce((sum, byte) => sum + byte, 0) % 256;

describe('checksumOf over several 1 KiB word blocks of high bytes', () => {
  it('all 0xff, at every byte alignment, from one block to four', () => {
    const backing = new Uint8Array(4200).fill(0xff);
    for (let start = 0; start < 4; start++) {
      for (const size of [1023, 1024, 1025, 1040, 1041, 1100, 2048, 2063, 3000, 4096]) {
        const bytes = backing.subarray(start, start + size);
        expect(checksumOf(bytes), `start ${start}, size ${size}`).toBe(plainSum(bytes));
      }
    }
  });

  it('bytes from 0xf0 to 0xff in a fixed pseudo-random order', () => {
    let seed = 12;
    const bytes = Uint8Array.from({ length: 5000 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return 0xf0 | (seed >>> 28);
    });
    for (const size of [1030, 2500, 5000]) expect(checksumOf(bytes, size), `size ${size}`).toBe(plainSum(bytes.subarray(0, size)));
  });
});
