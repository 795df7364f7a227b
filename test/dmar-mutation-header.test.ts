/**
 * The DMAR header check (src/dmar/header.ts) on a buffer shorter than its Length says, and the
 * parse's shared check context (src/dmar/table.ts): the edges the open mutants of those files move.
 * Offsets by hand from the header layout (spec §2.1): Host Address Width byte 36, Flags byte 37
 * (bits 7:3 reserved), Reserved bytes 38..47. Only the first `n` bytes of a whole table are given
 * (`subarray`: the rest of its buffer is there, but not in the caller's view).
 */
import { describe, expect, it } from 'vitest';
import { NO_BYTES_READER } from '../src/bytes/reader.js';
import { checkContext } from '../src/dmar/check-context.js';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd } from './support/dmar-builder.js';

const ALL = drhd({ flags: 1 }); // 16 bytes: the table says Length 64
type Row = [code: string, offset: number, length: number | undefined];
const rows = (bytes: Uint8Array): Row[] => parseDmar(bytes).diagnostics.map((item) => [item.code, item.offset, item.length]);
// Every cut here also loses the DRHD (no remapping unit: `dmar.drhd.none`) and Length says 64.
const TRUNCATED: Row[] = [['dmar.drhd.none', 0, undefined], ['sdt.length.truncated', 4, 4]];

describe('a buffer ending inside the 48-byte header (Length 64)', () => {
  it('ending after the Flags byte: its reserved bits 7:3 are reported, the missing Reserved bytes count as zero', () => {
    const table = dmar({ flags: 0xf9, structures: [ALL] }).bytes;
    expect(rows(table.subarray(0, 38))).toEqual([...TRUNCATED, ['dmar.reserved.nonzero', 37, 1]]);
  });

  it('ending before the Flags byte: no Flags finding, though the next byte of the buffer has reserved bits set', () => {
    const table = dmar({ flags: 0xf9, structures: [ALL] }).bytes;
    expect(table[37]).toBe(0xf9);
    expect(rows(table.subarray(0, 37))).toEqual(TRUNCATED);
  });

  it('ending after a non-zero Reserved byte: reported from there, its length to the end of the field', () => {
    const table = dmar({ reserved: [0, 0, 5, 0, 0, 0, 0, 0, 0, 0], structures: [ALL] }).bytes;
    expect(rows(table.subarray(0, 41))).toEqual([...TRUNCATED, ['dmar.reserved.nonzero', 40, 8]]);
    expect(rows(table.subarray(0, 40))).toEqual(TRUNCATED);
  });
});

describe('the check context shared by every parse', () => {
  it('holds no table bytes once a parse is over (a module-level object must not keep the caller\'s buffer alive)', () => {
    const table = parseDmar(dmar({ structures: [ALL] }).bytes);
    expect(table.headerUsable).toBe(true);
    expect(checkContext.reader).toBe(NO_BYTES_READER);
    expect(checkContext.reader.bytes).toHaveLength(0);
  });
});
