/**
 * checksumOf (src/bytes/sdt.ts, ACPI §5.2.6: the bytes of a table sum to 0 mod 256) after the
 * session 6 rewrite that sends tables of 256 bytes and more to a word-wise sum. Expected values are
 * a byte-by-byte sum written here; the views start at every byte alignment, since the word-wise
 * path first sums the bytes before the first 4-byte aligned one.
 */
import { describe, expect, it } from 'vitest';
import { checksumOf } from '../src/bytes/sdt.js';

function byteSum(bytes: Uint8Array, length: number): number {
  let sum = 0;
  for (let index = 0; index < Math.min(length, bytes.length); index++) sum = (sum + bytes[index]!) % 256;
  return sum;
}

describe('checksumOf at every alignment', () => {
  const backing = Uint8Array.from({ length: 700 }, (_, index) => (index * 151 + 29) & 0xff);

  it('short views (below the word-wise size) that start off a 4-byte boundary, with `length` shorter than the head bytes', () => {
    for (let start = 0; start < 4; start++) {
      for (let size = 0; size <= 24; size++) {
        const bytes = backing.subarray(start, start + size);
        expect(checksumOf(bytes), `start ${start}, size ${size}`).toBe(byteSum(bytes, size));
        for (const length of [0, 1, 2, 3, size + 4]) expect(checksumOf(bytes, length), `start ${start}, size ${size}, length ${length}`).toBe(byteSum(bytes, length));
      }
    }
  });

  it('views from 250 to 270 bytes (both sides of the word-wise threshold) and a `length` past the view', () => {
    for (let start = 0; start < 4; start++) {
      for (let size = 250; size <= 270; size++) {
        const bytes = backing.subarray(start, start + size);
        expect(checksumOf(bytes), `start ${start}, size ${size}`).toBe(byteSum(bytes, size));
        expect(checksumOf(bytes, size + 100)).toBe(byteSum(bytes, size));
      }
    }
  });
});
