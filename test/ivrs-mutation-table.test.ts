/**
 * Survivors of the StrykerJS 10 run over src/ivrs/table.ts after the issue 14 speed rewrite
 * (docs/mutation.md, last section): the header fields read on demand, the JSON form and the
 * flyweight walk, on tables built with the project's encoder. Expected values from the IVRS
 * layout (AMD IOMMU specification, "IVRS header"): Revision at 8, IVinfo the u32 at 36 (PASize
 * bits 14:8, VASize bits 21:15, GVASize bits 7:5, EFRSup bit 0), 8 reserved bytes at 40, blocks
 * from 0x30; an IVHD 0x10 is 24 bytes + 4 per select entry, an IVMD 32 bytes.
 */
import { describe, expect, it } from 'vitest';
import { encodeIvrs } from '../src/encode/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { ivhd, ivmd, select } from './support/ivrs-model.js';

const BLOCKS = [ivhd(0x10, 0x02, [select(0x10)]), ivmd(0x21, 0x01, 0x10, 0, 0x1000n, 0x2000n)];
const ivrs = (extra: { revision?: number; ivinfo?: number; reserved?: bigint } = {}) =>
  encodeIvrs({ header: { oemId: 'BOCHS ', oemTableId: 'BXPC    ', oemRevision: 2, revision: extra.revision ?? 2 }, ivinfo: extra.ivinfo ?? 0x0000_2801, reserved: extra.reserved ?? 0n, blocks: BLOCKS });

describe('IvrsTable header fields', () => {
  it('revision is the header byte 8, and 0 when there is no header', () => {
    expect(parseIvrs(ivrs({ revision: 2 })).revision).toBe(2);
    expect(parseIvrs(new Uint8Array(20)).revision).toBe(0);
  });

  it('IVinfo decodes the u32 at 36; undefined when the bytes end before 40', () => {
    // 0x00122d21: EFRSup (bit 0), GVASize 1 (bits 7:5 = 0x20), PASize 0x2d = 45 (bits 14:8), VASize 0x24 = 36 (bits 21:15).
    const raw = 0x21 | (0x2d << 8) | (0x24 << 15);
    expect(parseIvrs(ivrs({ ivinfo: raw })).ivinfo).toEqual({ raw, efrSupported: true, dmaGuardOptIn: false, guestVirtualAddressSize: 1, physicalAddressSize: 45, virtualAddressSize: 36, htAtsReserved: false });
    expect(parseIvrs(ivrs().subarray(0, 39)).ivinfo).toBeUndefined();
  });

  it('reserved is the u64 at 40', () => {
    expect(parseIvrs(ivrs({ reserved: 0x0807_0605_0403_0201n })).reserved).toBe(0x0807_0605_0403_0201n);
  });

  it('an unusable header frames no block', () => {
    expect(parseIvrs(new Uint8Array(20)).blockOffsets).toEqual([]);
  });
});

describe('IvrsTable walks and JSON', () => {
  it('forEachBlock visits each block with its kind, offset and index', () => {
    const seen: [string, number, number][] = [];
    parseIvrs(ivrs()).forEachBlock((block, index) => seen.push([block.kind, block.offset, index]));
    // IVHD at 0x30 (24 + 4 bytes), IVMD at 0x4c.
    expect(seen).toEqual([['ivhd', 0x30, 0], ['ivmd', 0x4c, 1]]);
  });

  it('toJSON carries every block and the diagnostics with their severities', () => {
    const bytes = new Uint8Array([...ivrs(), 0]); // one byte past Length 0x6c
    const json = parseIvrs(bytes).toJSON();
    expect(json.signature).toBe('IVRS');
    expect(json.ivinfo?.raw).toBe(0x2801);
    expect(json.reserved).toBe(0n);
    expect(json.header?.length).toBe(0x6c);
    expect(json.blocks.map((block) => [block.type, block.offset, block.length])).toEqual([[0x10, 0x30, 28], [0x21, 0x4c, 32]]);
    expect(json.diagnostics.map(({ code, severity, offset, length }) => ({ code, severity, offset, length }))).toEqual([{ code: 'sdt.length.trailing', severity: 'info', offset: 0x6c, length: 1 }]);
  });
});
