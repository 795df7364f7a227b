/**
 * Survivors of the StrykerJS 10 re-run over the DMAR parse after the session 6 speed rewrite
 * (docs/mutation.md, "DMAR parse after the session 6 speed rewrite"). Expected values from the VT-d
 * layout (48-byte header, DRHD fixed part 16 bytes, RMRR 24) and docs/spec.md §2.11 (structures
 * in ascending type order: the same type again is in order), docs/kernel-semantics.md §10 (an RMRR
 * whose Limit needs more bits than the host address width).
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd, rmrr, scope, structure, type Bytes } from './support/dmar-builder.js';

type Row = [code: string, offset: number, length: number | undefined, message: string];
const list = (structures: Bytes[]): Row[] => parseDmar(dmar({ structures }).bytes).diagnostics.map((item) => [item.code, item.offset, item.length, item.message]);

describe('a structure too short for its type, after one of the same type', () => {
  it('a DRHD of Length 8 after a DRHD is short, not out of order', () => {
    // DRHD at 0x30 (16 bytes), the short DRHD at 0x40.
    expect(list([drhd({ flags: 1 }), structure(0, [0, 0, 0, 0])])).toEqual([
      ['dmar.length.short', 64, 8, 'DRHD Length 8 is shorter than its 16-byte fixed part; kept as an unknown structure'],
    ]);
  });

  it('a DRHD of Length 8 after an RMRR is both out of order and short (one offset: findings sorted by code)', () => {
    // The other side of the boundary: DRHD (0x30), RMRR (0x40, 24 bytes + an 8-byte scope), short DRHD at 0x60.
    const rmrr = structure(1, [0, 0, 0, 0, 0, 0, 0xc0, 0x7f, 0, 0, 0, 0, 0xff, 0xff, 0xc7, 0x7f, 0, 0, 0, 0, 1, 8, 0, 0, 0, 0, 2, 0]);
    expect(list([drhd({ flags: 1 }), rmrr, structure(0, [0, 0, 0, 0])])).toEqual([
      ['dmar.length.short', 96, 8, 'DRHD Length 8 is shorter than its 16-byte fixed part; kept as an unknown structure'],
      ['dmar.order', 96, undefined, 'DRHD follows a RMRR; the spec lists structures in ascending type order'],
    ]);
  });
});

describe('the validation pass\'s host address width masks, one Limit bit at a time', () => {
  // Reference (kernel-semantics §10): the Limit must fit in `width` bits; written here in BigInt.
  const aboveWidth = (limit: bigint, width: number): boolean => width < 64 && limit >> BigInt(width) !== 0n;
  // Each Limit ends in 0xfff and lies above its Base, so the width rule is the only one that can fire.
  const limits: Record<number, bigint[]> = {
    12: [0xfffn, 0x1fffn, 0x1_0000_0fffn],
    20: [0xf_ffffn, 0x10_0fffn, 0x20_0fffn, 0x8000_0fffn, 0x1_0000_0fffn, 0x2_0000_0fffn],
    31: [0x7fff_ffffn, 0x8000_0fffn, 0x1_0000_0fffn],
    40: [0xff_ffff_ffffn, 0x100_0000_0fffn, 0x200_0000_0fffn, 0x8000_0000_0000_0fffn],
  };
  it.each(Object.keys(limits).map(Number))('host address width %i', (width) => {
    for (const limit of limits[width]!) {
      const table = dmar({ hawRaw: width - 1, structures: [drhd({ flags: 1 }), rmrr({ base: limit & ~0xfffn, limit, scopes: [scope({ type: 1 })] })] });
      // RMRR at 0x40: its Limit field at 0x50.
      const found = parseDmar(table.bytes).diagnostics.filter((item) => item.code.startsWith('dmar.rmrr.')).map((item) => [item.code, item.offset]);
      expect(found, `Limit 0x${limit.toString(16)}`).toEqual(aboveWidth(limit, width) ? [['dmar.rmrr.above-haw', 0x50]] : []);
    }
  });
});

describe('a structure too short for its type still counts for the order rule (spec §2.11)', () => {
  const orderFindings = (structures: Bytes[]): [number, string][] =>
    parseDmar(dmar({ structures }).bytes).diagnostics.filter((item) => item.code === 'dmar.order').map((item) => [item.offset, item.message]);
  const ALL = drhd({ flags: 1 });

  it('a DRHD after a short RMRR is out of order', () => {
    // DRHD 0x30, RMRR of Length 8 at 0x40, DRHD at 0x48.
    expect(orderFindings([ALL, structure(1, [0, 0, 0, 0]), drhd({ base: 0xfed91000n })])).toEqual([[0x48, 'DRHD follows a RMRR; the spec lists structures in ascending type order']]);
  });

  it('a DRHD after a short SIDP (type 6, the highest) is out of order', () => {
    // DRHD 0x30, SIDP of Length 4 at 0x40, DRHD at 0x44.
    expect(orderFindings([ALL, structure(6, []), drhd({ base: 0xfed91000n })])).toEqual([[0x44, 'DRHD follows a SIDP; the spec lists structures in ascending type order']]);
  });

  it('a structure out of order does not lower the highest type seen', () => {
    // DRHD 0x30, ATSR 0x40 (8 bytes), DRHD 0x48 (out of order), RMRR of Length 8 at 0x58: still after the ATSR.
    expect(orderFindings([ALL, structure(2, [0, 0, 0, 0]), drhd({ base: 0xfed91000n }), structure(1, [0, 0, 0, 0])])).toEqual([
      [0x48, 'DRHD follows a ATSR; the spec lists structures in ascending type order'],
      [0x58, 'RMRR follows a ATSR; the spec lists structures in ascending type order'],
    ]);
  });
});

describe('the usual-case reads of the validation pass are of the structure itself', () => {
  const found = (prefix: string, structures: Bytes[]): [string, number][] =>
    parseDmar(dmar({ structures }).bytes).diagnostics.filter((item) => item.code.startsWith(prefix)).map((item) => [item.code, item.offset]);
  const ALL = drhd({ flags: 1 });

  it('an RMRR right after a DRHD: its own Base, not the DRHD\'s aligned one, is checked', () => {
    // DRHD 0x30 (base 0xfed90000 at 0x38), RMRR 0x40: Base 0xfee00800 (at 0x48) is not 4 KiB aligned (spec §2.5).
    expect(found('dmar.rmrr.', [ALL, rmrr({ base: 0xfee0_0800n, limit: 0xfeef_ffffn })])).toEqual([['dmar.rmrr.misaligned', 0x48]]);
    // Base 2^32 above Limit 2^32 − 1: the high halves decide, and the DRHD's high half (0) is not the RMRR's.
    expect(found('dmar.rmrr.', [ALL, rmrr({ base: 0x1_0000_0000n, limit: 0xffff_ffffn })])).toEqual([['dmar.rmrr.base-after-limit', 0x48]]);
  });

  it('an RMRR right after an RMRR: its own Limit, not the earlier aligned one, is checked', () => {
    // RMRRs at 0x40 (32 bytes) and 0x60; the second's Limit (at 0x70) + 1 is not 4 KiB aligned.
    expect(found('dmar.rmrr.', [ALL, rmrr(), rmrr({ base: 0x1000_0000n, limit: 0x1000_0ffen })])).toEqual([['dmar.rmrr.misaligned', 0x70]]);
  });

  it('a scope\'s Length is its own second byte, not the byte before it', () => {
    // DRHD 0x30 whose Register Base's top byte (0x3f) is 14; scopes at 0x40 (8 bytes) and 0x48 (6 bytes: no path entry, spec §2.4).
    const unit = drhd({ base: 0x0e00_0000_fed9_0000n, scopes: [scope({ type: 1 }), scope({ type: 1, path: [] })] });
    expect(found('dmar.scope.', [unit])).toEqual([['dmar.scope.no-path', 0x48]]);
  });
});
