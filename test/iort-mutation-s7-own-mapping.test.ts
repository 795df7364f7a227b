/**
 * Two gates of the IORT checks that no earlier test crossed (issue 12, session 7):
 *
 * - A PMCG whose overflow GSIV is 0 signals by MSI, and its one ID mapping is a single mapping
 *   giving that MSI DeviceID (spec §3.11); Linux skips a PMCG's own DeviceID mapping when mapping
 *   IDs (kernel-semantics §4.2). The single flag there is no misuse. With a wired GSIV the PMCG
 *   has no such mapping, and a single mapping on it is the misuse Linux skips.
 * - Root complex Flags (+36) came with node revision 4 (spec §3.8); real revision 1–3 tables
 *   still put their ID array at +40 (EDK2), so bytes 36–39 of such a node are padding, not Flags.
 *
 * Layout (test/support/iort-builder.ts): first node at 0x30.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, pmcg, rootComplex, smmuV3, type NodeSpec } from './support/iort-builder.js';

const offsetsOf = (nodes: NodeSpec[], code: string) =>
  parseIort(buildIort(nodes).bytes).diagnostics.filter((item) => item.code === code).map((item) => item.offset);

describe('a PMCG single mapping', () => {
  // The SMMUv3 (handle 0) is the monitored node; the PMCG (handle 1) maps to the ITS group (handle 2).
  const nodes = (gsiv: number) => [
    smmuV3({ mappings: [{ inputBase: 0, idCount: 0xff, target: 2 }] }),
    pmcg(0, { gsiv, mappings: [{ inputBase: 0, idCount: 0, outputBase: 0x40, target: 2, flags: 1 }] }),
    itsGroup([0]),
  ];

  it('overflow GSIV 0: the MSI DeviceID mapping of its own, no misuse', () => {
    expect(offsetsOf(nodes(0), 'iort.mapping.single-misuse')).toEqual([]);
  });

  it('a wired overflow GSIV: the single mapping is misused, reported at its Flags', () => {
    const [finding] = offsetsOf(nodes(77), 'iort.mapping.single-misuse');
    // SMMUv3 at 0x30: its 68-byte fixed part (header included) and one 20-byte mapping, so the
    // PMCG starts at 0x88; its mapping array follows its 16 + 24 fixed bytes (0xb0), Flags at +16.
    expect(finding).toBe(0xb0 + 16);
  });
});

describe('root complex bytes 36–39 before node revision 4', () => {
  it.each([1, 3])('revision %i with 40 fixed bytes: a non-zero word at +36 is padding, not reported', (revision) => {
    expect(offsetsOf([rootComplex(0, { size: 40, revision, flags: 0x2 })], 'iort.reserved.nonzero')).toEqual([]);
  });

  it('the same node at revision 4: its Flags word, reported (table offset 0x30 + 36)', () => {
    expect(offsetsOf([rootComplex(0, { size: 40, revision: 4, flags: 0x2 })], 'iort.reserved.nonzero')).toEqual([0x30 + 36]);
  });
});
