/**
 * IORT framing bounds not pinned by iort-frame-messages (src/iort/walk.ts): a node of exactly
 * 16 bytes ending at the table end is a node; a capture of exactly 36 bytes holds no byte of
 * the header extension (Number of nodes at 0x24), so the finding points at Length (+4).
 * An array of 0 items has no bytes (src/iort/validate-kinds.ts), so a stale reference beside
 * a count of 0 is neither outside the node nor overlapping its fixed part.
 * Offsets by hand: header 48 bytes, an ITS group with one ID 24 bytes (spec §3.2, §3.6).
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, smmuV1V2 } from './support/iort-builder.js';

describe('IORT framing at the table end', () => {
  it('a 16-byte node that ends exactly at the table end is framed, with no finding', () => {
    const table = parseIort(buildIort([itsGroup([0]), { type: 9, length: 16 }]).bytes);
    expect(table.nodeOffsets).toEqual([48, 72]);
    expect(table.diagnostics.filter((item) => item.code.startsWith('iort.length') || item.code === 'iort.node.count')).toEqual([]);
  });

  it('a capture cut at 36 bytes points at the Length field; one of 37 at Number of nodes', () => {
    const at = (size: number) =>
      parseIort(buildIort([itsGroup([0])]).bytes.slice(0, size))
        .diagnostics.filter((item) => item.code === 'iort.header.truncated')
        .map(({ offset, message }) => ({ offset, message }));
    expect(at(36)).toEqual([{ offset: 4, message: 'only 36 bytes: the IORT header extension at 0x24..0x2f is cut off; no node is read' }]);
    expect(at(37)).toEqual([{ offset: 36, message: 'only 37 bytes: the IORT header extension at 0x24..0x2f is cut off; no node is read' }]);
  });
});

describe('IORT arrays of zero items', () => {
  it('an SMMUv1/v2 PMU interrupt count of 0 with a reference into the 76-byte fixed part is no finding', () => {
    // PMU interrupt count at +52 stays 0; its reference at +56 is patched to 20 (inside the fixed part).
    const table = parseIort(buildIort([smmuV1V2({ patch32: [[56, 20]] })]).bytes);
    expect(table.diagnostics.filter((item) => item.code.startsWith('iort.array'))).toEqual([]);
  });
});
