/**
 * IORT framing bounds not pinned by iort-frame-messages (src/iort/walk.ts): a node of exactly
 * 16 bytes ending at the table end is a node; a capture of exactly 36 bytes holds no byte of
 * the header extension (Number of nodes at 0x24), so the finding points at Length (+4).
 * Offsets by hand: header 48 bytes, an ITS group with one ID 24 bytes (spec §3.2, §3.6).
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup } from './support/iort-builder.js';

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
