/**
 * parseIort on a header it cannot use (src/iort/table.ts). Spec §1.2: a table whose Length is below
 * its fixed header (48 bytes for the IORT, §3.2: Number of nodes u32 @36, node array offset u32 @40,
 * reserved @44) is reported and not parsed further; what the header does hold is still shown. Found
 * by mutation testing: no test looked at the count, the array offset or the nodes of such a table.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, smmuV3 } from './support/iort-builder.js';

describe('an IORT whose Length is below its 48-byte header', () => {
  it('Length 44: the count and the array offset it covers are shown, no node is framed or checked', () => {
    // Two nodes follow in the bytes, but Length 44 ends the table inside the header: only
    // sdt.length.short is reported (no framing, no node check, no checksum).
    const table = parseIort(buildIort([itsGroup([0]), smmuV3({ mappings: [{ target: 0 }] })], { length: 44 }).bytes);
    expect(table.diagnostics.map((item) => item.code)).toEqual(['sdt.length.short']);
    expect([table.nodeCount, table.nodeArrayOffset]).toEqual([2, 48]);
    expect(table.nodeOffsets).toEqual([]);
    expect([...table.nodes()]).toEqual([]);
  });

  it('fewer than 36 bytes: no header, count and array offset 0', () => {
    const table = parseIort(buildIort([itsGroup([0])]).bytes.subarray(0, 30));
    expect(table.header).toBeUndefined();
    expect([table.nodeCount, table.nodeArrayOffset, table.nodeOffsets.length]).toEqual([0, 0, 0]);
  });
});
