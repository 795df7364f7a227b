/**
 * Survivors of the re-runs of files changed since their last mutation run (coverage audit of
 * December 5, docs/mutation.md "Coverage audit, December 5 (session 6)"). Expectations from the
 * table layouts and the kernel rules named beside each case, on tables built with the test encoders.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { TableReader } from '../src/bytes/reader.js';
import { ScratchIndex } from '../src/bytes/scratch-index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { dmar, drhd, rmrr, scope } from './support/dmar-builder.js';
import { ivhd, ivrsBytes, select } from './support/ivrs-model.js';

const ALL = drhd({ flags: 1 }); // 16 bytes at 48; the RMRR follows at 64
const EP = scope({ type: 1, path: [[2, 0]] });
const LIMIT_AT = 64 + 16; // RMRR Limit Address: +16 in the RMRR (VT-d "Reserved Memory Region Reporting")
const aboveWidth = (hawRaw: number, base: bigint, limit: bigint) =>
  parseDmar(dmar({ hawRaw, structures: [ALL, rmrr({ base, limit, scopes: [EP] })] }).bytes).diagnostics
    .filter((item) => item.code === 'dmar.rmrr.above-haw').map((item) => item.offset);

describe('RMRR above a host address width below 32 bits (rmrr.ts fitsInBits, low word)', () => {
  it('24 bits (stored 23): a Limit below 2^24 fits, one at 2^24 or with any high-word bit does not', () => {
    expect(aboveWidth(23, 0xfff000n, 0xffffffn)).toEqual([]);
    expect(aboveWidth(23, 0x1000000n, 0x1000fffn)).toEqual([LIMIT_AT]);
    // Limit 0x1_0000_0fff: the low word alone (0xfff) would fit in 24 bits.
    expect(aboveWidth(23, 0x1_0000_0000n, 0x1_0000_0fffn)).toEqual([LIMIT_AT]);
  });

  it('31 bits (stored 30): 2^31 − 1 fits, 2^31 does not', () => {
    expect(aboveWidth(30, 0x7fff_f000n, 0x7fff_ffffn)).toEqual([]);
    expect(aboveWidth(30, 0x8000_0000n, 0x8000_0fffn)).toEqual([LIMIT_AT]);
  });
});

describe('IVHD forEachEntry stops at an entry its Length cuts (ivhd.ts, the flyweight walk added after the last run)', () => {
  it('visits the complete entries only, as entries() does', () => {
    // IVHD 0x10 at 0x30: 24-byte header, select 0x08 at 0x48 (4 bytes), alias-select at 0x4c (8 bytes)
    // cut by Length 32 after its first 4 bytes.
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [select(0x08), { kind: 'alias-select', deviceId: 0x21, sourceDeviceId: 0x20 }], { length: 32 })]);
    const [block] = [...parseIvrs(bytes).ivhds()];
    const seen: [number, number][] = [];
    block!.forEachEntry((entry, index) => seen.push([entry.offset, index]));
    expect(seen).toEqual([[0x48, 0]]);
    expect(block!.entryOffsets).toEqual([0x48]);
  });
});

describe('src/bytes after its lazy-message and fast-path changes', () => {
  it('an empty range fits at the window end; past the bytes left after a detach it does not', () => {
    const buffer = new ArrayBuffer(8);
    const reader = new TableReader(new Uint8Array(buffer));
    expect([reader.fits(8, 0), reader.fits(4, 0), reader.fits(9, 0)]).toEqual([true, true, false]);
    structuredClone(buffer, { transfer: [buffer] });
    // The window still says [0, 8); the array now holds no byte, so only offset 0 is "at the end".
    expect([reader.fits(4, 0), reader.fits(0, 0), reader.fits(0, 1)]).toEqual([false, true, false]);
  });

  it('an empty (live) Uint8Array is a table too short for its header, not a detached buffer', () => {
    const [only] = parseDmar(new Uint8Array(0)).diagnostics;
    expect([only?.code, only?.offset, only?.message]).toEqual(['sdt.header.truncated', 0, 'only 0 bytes; the SDT header needs 36']);
  });

  it('a ScratchIndex grows for the keys reset announces and finds every one (no probe runs out of empty slots)', () => {
    const index = new ScratchIndex();
    for (const keys of [100, 3, 5000, 40]) {
      index.reset(keys);
      for (let key = 0; key < keys; key++) index.set(key >>> 3, key * 7, key);
      const found = Array.from({ length: keys }, (_, key) => index.get(key >>> 3, key * 7));
      expect(found).toEqual(Array.from({ length: keys }, (_, key) => key));
      expect(index.get(0xffffffff, 1)).toBe(-1);
    }
  });
});
