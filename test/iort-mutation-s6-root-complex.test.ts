/**
 * Root complex reserved bytes after the session 6 rewrite (src/iort/validate-kinds.ts reads them
 * straight from the bytes, with the optional-field rule of raw.optionalFieldPresent written out:
 * node revision 1 or later, and the byte below the node's field limit — its Length, or the ID
 * array's start when it has mappings). docs/spec.md §3.8: the memory address size limit (byte 32)
 * and the reserved bytes after it came with node revision 1; bytes 33–35 are reserved before
 * revision 4. Root complex at 0x30 (test/support/iort-builder.ts), so byte 33 is table offset 81.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, rootComplex, smmuV3, type NodeSpec } from './support/iort-builder.js';

const reserved = (nodes: NodeSpec[]) =>
  parseIort(buildIort(nodes).bytes).diagnostics.filter((item) => item.code === 'iort.reserved.nonzero').map((item) => item.offset);

describe('root complex reserved bytes 33–35 (node revisions 1–3)', () => {
  it('a revision 0 node has no such field: a non-zero byte 33 inside its Length is not reported', () => {
    expect(reserved([rootComplex(0, { size: 32, length: 36, patch32: [[32, 0x0000_0500]] })])).toEqual([]);
  });

  it('a revision 1 node: a non-zero byte 33 is reported', () => {
    expect(reserved([rootComplex(0, { size: 36, revision: 1, pasid: 0x0005 })])).toEqual([81]);
  });

  it('an ID array starting at +34 ends the field: byte 33 is still checked, bytes 34–35 are not', () => {
    const mappings = [{ inputBase: 0, idCount: 0xf, target: 1 }];
    // PASID 0x0100: byte 33 is 0, byte 34 is 1 (inside the ID array by its offset).
    expect(reserved([rootComplex(0, { size: 36, revision: 1, pasid: 0x0100, mappings, mappingOffset: 34 }), smmuV3()])).toEqual([]);
    // PASID 0x0007: byte 33 is 7, below the limit of 34.
    expect(reserved([rootComplex(0, { size: 36, revision: 1, pasid: 0x0007, mappings, mappingOffset: 34 }), smmuV3()])).toEqual([81]);
  });
});

describe('root complex Flags (node revision 4, +36)', () => {
  it('an ID array starting at +36 ends the node before Flags: the mapping bytes there are not read as Flags', () => {
    // Revision 4 but the 36-byte layout: the mapping's Input base 0x16 lies where Flags would be.
    const node = rootComplex(0, { size: 36, revision: 4, mappings: [{ inputBase: 0x16, idCount: 0xf, target: 1 }] });
    expect(reserved([node, smmuV3()])).toEqual([]);
    // The same bytes as a 40-byte revision 4 node's Flags: reported at +36 (table offset 84).
    expect(reserved([rootComplex(0, { flags: 0x16 })])).toEqual([84]);
  });
});
