/**
 * Survivors of the StrykerJS 10 run over the one-pass DMAR validation (src/dmar/validate.ts,
 * drhd-units.ts, header.ts; docs/mutation.md, last section). Expectations from the VT-d layout (48-byte
 * header; DRHD 16 bytes, ANDD 8 + name; scope 6 + 2 per hop) and docs/spec.md §2.4, §2.8, §5.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/bytes/diagnostics.js';
import { parseDmar } from '../src/dmar/index.js';
import { andd, dmar, drhd, rhsa, rmrr, scope, type Bytes } from './support/dmar-builder.js';

type Row = [code: string, offset: number, length: number | undefined, message: string];
const list = (structures: Bytes[]): Row[] => parseDmar(dmar({ structures }).bytes).diagnostics.map((item) => [item.code, item.offset, item.length, item.message]);

describe('the usual-scope test of the validation pass', () => {
  it('scope type 33 is reserved although a shift by 33 wraps to the endpoint bit a DRHD allows', () => {
    // DRHD at 0x30, its 8-byte scope at 0x40; spec §2.4: types 0 and ≥ 6 are reserved.
    expect(list([drhd({ scopes: [scope({ type: 33 })] })])).toEqual([['dmar.scope.type', 64, 8, 'device scope type 33 is reserved; Linux skips it ("Unsupported device scope")']]);
  });
});

describe('structures without scopes', () => {
  it('an ANDD of 409 bytes has no scopes, even where its name bytes at +255 could frame one', () => {
    // ANDD at 0x40: 8 bytes, 400 × 'A', a NUL (spec §2.8). Read as a scope, the bytes at +255 would be type 65, Length 65.
    expect(list([drhd({ flags: 1 }), andd({ deviceNumber: 1, name: 'A'.repeat(400) })])).toEqual([]);
  });
});

describe('DRHD lookups past the scan limit (drhd-units.ts)', () => {
  it('31 INCLUDE_PCI_ALL units, each alone on its own segment, break no rule', () => {
    // Each segment has one DRHD, which is its INCLUDE_PCI_ALL unit and so also its last (spec §2.11 rules 2, 3):
    // the index then holds a unit key, a segment key and an INCLUDE_PCI_ALL key per unit, three times the unit count.
    const units = Array.from({ length: 31 }, (_, index) => drhd({ flags: 1, segment: index, base: BigInt(0x10000 + 0x1000 * index) }));
    expect(list(units)).toEqual([]);
    // The last segment's INCLUDE_PCI_ALL unit is still found through the index: a second one is named against it (0x30 + 16 · 30 = 0x210).
    expect(list([...units, drhd({ flags: 1, segment: 30, base: 0x90000n })])).toEqual([
      ['dmar.drhd.include-all-dup', 48 + 16 * 31, undefined, 'second INCLUDE_PCI_ALL DRHD for segment 0x001e; the first is at 0x210'],
    ]);
  });
});

describe('each table its own findings list (src/bytes/reused-diagnostics.ts, which shared one while parses found nothing, is gone: it measured no gain)', () => {
  const CLEAN = dmar({ structures: [drhd({ flags: 1 })] }).bytes;
  // A path entry (32, 0): device 32 is out of range (spec §5 #6); DRHD at 0x30, its scope at 0x40, the entry at 0x46.
  const ONE_FINDING = dmar({ structures: [drhd({ flags: 1, scopes: [scope({ type: 1, path: [[32, 0]] })] })] }).bytes;

  it('a clean table holds an empty list of its own, which a caller may change without touching the next parse', () => {
    const first = parseDmar(CLEAN).diagnostics as Diagnostic[];
    expect(first).toEqual([]);
    expect(Object.isFrozen(first)).toBe(false);
    first.push({ code: 'sdt.checksum', severity: 'warning', offset: 9, message: 'added by the caller' });
    const second = parseDmar(CLEAN).diagnostics;
    expect(second).not.toBe(first);
    expect(second).toEqual([]);
  });

  it('a table with findings keeps them through later parses, clean or not', () => {
    const found = parseDmar(ONE_FINDING).diagnostics;
    parseDmar(CLEAN);
    const again = parseDmar(ONE_FINDING).diagnostics;
    expect(found.map((item) => [item.code, item.offset])).toEqual([['dmar.scope.path-range', 0x46]]);
    expect(again).not.toBe(found);
    expect(again).toEqual(found);
  });
});

describe('the DMAR header past its quick check (header.ts)', () => {
  const header = (bytes: Uint8Array) => parseDmar(bytes).diagnostics.map((item) => [item.code, item.offset, item.length, item.message]);
  const flagsReserved = ['dmar.reserved.nonzero', 37, 1, 'DMAR Flags bits 7:3 is 0x9; reserved bits should be 0'];

  it('a reserved Flags bit sends the header to the full check, which takes 63 bits and 12 bits as they are (spec §2.1, §5 #11)', () => {
    // Stored width 62 is 63 bits, the largest plausible one; stored 11 is 12 bits, the smallest Linux takes. Flags 0x09: INTR_REMAP and reserved bit 3.
    for (const hawRaw of [62, 11]) expect(header(dmar({ hawRaw, flags: 0x09, structures: [drhd({ flags: 1 })] }).bytes)).toEqual([flagsReserved]);
  });

  it('the last two reserved bytes are checked when the Creator ID before the header extension ends in zero bytes', () => {
    const bytes = dmar({ reserved: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1], structures: [drhd({ flags: 1 })] }).bytes;
    // Creator ID (bytes 28–31) set to zero; the checksum (byte 9) restored by hand.
    for (const at of [28, 29, 30, 31]) {
      bytes[9] = (bytes[9]! + bytes[at]!) & 0xff;
      bytes[at] = 0;
    }
    expect(header(bytes)).toEqual([['dmar.reserved.nonzero', 47, 1, 'DMAR header Reserved bytes 0x26..0x2f are not all zero (first non-zero byte at 0x2f)']]);
  });
});

describe('what is left to settle after the walk (table-checks.ts)', () => {
  it('an orphan RHSA and an RMRR on a segment no DRHD covers, one of each, are both settled', () => {
    // DRHD at 0x30 (segment 0), RMRR at 0x40 (segment 1 at 0x46), RHSA at 0x60 (base at 0x68) naming a base no DRHD has.
    expect(list([drhd({ flags: 1 }), rmrr({ segment: 1 }), rhsa({ base: 0x99000n })])).toEqual([
      ['dmar.segment.no-drhd', 70, 2, 'RMRR names PCI segment 0x0001, which no DRHD covers'],
      ['dmar.rhsa.orphan', 104, 8, 'RHSA names register base 0x99000, which no DRHD has ("RHSA refers to non-existent DMAR unit")'],
    ]);
  });
});
