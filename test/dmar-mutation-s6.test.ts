/**
 * Survivors of the StrykerJS 10 re-run over the DMAR parse after the session 6 speed rewrite
 * (docs/mutation.md, "DMAR parse after the session 6 speed rewrite"). Expected values from the VT-d
 * layout (48-byte header, DRHD fixed part 16 bytes, RMRR 24) and docs/spec.md §2.11 (structures
 * in ascending type order: the same type again is in order).
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd, structure, type Bytes } from './support/dmar-builder.js';

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
