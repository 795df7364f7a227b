/**
 * Every IVRS diagnostic code has a specimen in corpus/malformed, and each parses to exactly the
 * findings worked out by hand here from the specimen's layout (fuzz/specimens/malformed.ts:
 * IVHD 0x10 at 48 with entries at 72, 76, 80, 84 and a special entry at 88, IVMD at 96).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../fuzz/corpus.js';
import { IVRS_CODES, parseIvrs } from '../src/ivrs/index.js';

const EXPECTED: Record<string, [code: string, offset: number][]> = {
  'ivrs-block-zero-length': [['ivrs.block.zero-length', 96]],
  'ivrs-block-overrun': [['ivrs.block.overrun', 96]],
  // Length patched to 98: two bytes after the IVHD, which ends at 96.
  'ivrs-block-truncated': [['ivrs.block.truncated', 96]],
  'ivrs-block-short': [['ivrs.block.short', 96]],
  'ivrs-block-unknown': [['ivrs.block.unknown', 128]],
  // Retyped to 0xF0 at 88: its UID length byte (88 + 21) is past the IVHD end at 96.
  'ivrs-entry-truncated': [['ivrs.entry.truncated', 88]],
  'ivrs-entry-reserved': [['ivrs.entry.reserved', 76]],
};

const read = (name: string) => new Uint8Array(readFileSync(join(CORPUS_DIR, 'malformed', `${name}.bin`)));

describe('IVRS diagnostics, one specimen per code', () => {
  it.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    expect(parseIvrs(read(name)).diagnostics.map((item) => [item.code, item.offset])).toEqual(expected);
  });

  it('covers every code of IVRS_CODES', () => {
    const shown = new Set(Object.values(EXPECTED).flatMap((list) => list.map(([code]) => code)));
    expect([...shown].sort()).toEqual(Object.keys(IVRS_CODES).sort());
  });

  it('frames the entries after a reserved one: the walk skips it by its length bits, not by guessing', () => {
    const table = parseIvrs(read('ivrs-entry-reserved'));
    const [ivhd] = [...table.ivhds()];
    expect(ivhd!.entryOffsets).toEqual([72, 76, 80, 84, 88]);
    expect([...ivhd!.entries()].map((entry) => entry.kind)).toEqual(['select', 'unknown', 'range-start', 'range-end', 'special']);
  });

  it('keeps the blocks before a zero-length one and stops there', () => {
    const table = parseIvrs(read('ivrs-block-zero-length'));
    expect(table.blockOffsets).toEqual([48]);
  });
});

describe('length rules of reserved device-entry types', () => {
  /** An IVHD 0x10 holding one entry of `type` (given `size` bytes) then a select entry. */
  function withEntry(type: number, size: number): number[] {
    const bytes = new Uint8Array(48 + 24 + size + 4);
    const view = new DataView(bytes.buffer);
    bytes.set([0x49, 0x56, 0x52, 0x53]);
    view.setUint32(4, bytes.length, true);
    bytes[8] = 2;
    bytes[48] = 0x10;
    view.setUint16(50, 24 + size + 4, true);
    bytes[72] = type;
    bytes[72 + size] = 0x02;
    bytes[9] = (0x100 - bytes.reduce((sum, byte) => (sum + byte) & 0xff, 0)) & 0xff;
    return [...parseIvrs(bytes).ivhds()][0]!.entryOffsets;
  }

  it('0x05 is 4 bytes, 0x41 8, 0x80 16, 0xC0 32 (type bits 7:6)', () => {
    expect(withEntry(0x05, 4)).toEqual([72, 76]);
    expect(withEntry(0x41, 8)).toEqual([72, 80]);
    expect(withEntry(0x80, 16)).toEqual([72, 88]);
    expect(withEntry(0xc0, 32)).toEqual([72, 104]);
  });
});
