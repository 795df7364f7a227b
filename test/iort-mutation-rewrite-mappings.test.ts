/**
 * Boundaries of the one-pass ID mapping checks after the issue 14 speed rewrite (src/iort/
 * validate-mappings.ts, overlap.ts, validate.ts) that mutation testing found untested
 * (docs/mutation.md, "IORT parser after the issue 14 speed rewrite"). The in-order fast path
 * decides whether the overlap sweep runs at all; each case below is one where deciding wrongly
 * loses a finding. Tables come from test/support/iort-builder.ts (first node at 48 = 0x30; a named
 * component's mappings follow its 13 fixed bytes and name, docs/spec.md §3.7; a mapping is 20
 * bytes, §3.4). Expected offsets and messages are worked out by hand from those layouts.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, rmr, smmuV3, type MappingSpec, type NodeSpec } from './support/iort-builder.js';

const found = (nodes: NodeSpec[], code: string, revision?: number) =>
  parseIort(buildIort(nodes, revision === undefined ? {} : { revision }).bytes).diagnostics
    .filter((item) => item.code === code).map(({ offset, message }) => ({ offset, message }));

// "\_SB.X" + NUL ends the named component's fixed part at 16 + 13 + 7 = 36: mappings at 0x30 + 0x24 = 0x54.
const component = (mappings: MappingSpec[]) => [namedComponent('\\_SB.X', { mappings }), smmuV3()];

describe('the in-order fast path of the overlap check (spec §5 rule 27)', () => {
  it('a range starting on the ID of a single-ID range listed before it overlaps it (no boundary tolerance for one ID)', () => {
    // [0x10, 0x10] then [0x10, 0x11]: in order (same base, larger last ID), the second starts on the
    // furthest ID seen. iort_id_map()'s off-by-one tolerance needs the earlier range to end past its own start.
    expect(found(component([{ inputBase: 0x10, idCount: 0, target: 1 }, { inputBase: 0x10, idCount: 1, target: 1 }]), 'iort.mapping.overlap')).toEqual([
      { offset: 0x68, message: 'mapping 1 at 0x68: input IDs [0x10, 0x11] overlap mapping 0 [0x10, 0x10]' },
    ]);
  });

  it('in-order ranges that only touch on the shared boundary ID are tolerated, disjoint ones raise nothing', () => {
    expect(found(component([{ inputBase: 0, idCount: 0x10, target: 1 }, { inputBase: 0x10, idCount: 0xf, target: 1 }]), 'iort.mapping.overlap')).toEqual([]);
    expect(found(component([{ inputBase: 0, idCount: 0xf, target: 1 }, { inputBase: 0x10, idCount: 0xf, target: 1 }]), 'iort.mapping.overlap')).toEqual([]);
  });

  it('a range inside the furthest-reaching earlier range is found even when the range just before it ends first', () => {
    // [0x0, 0xff], [0x20, 0x20], [0x30, 0x30]: mapping 2 starts past mapping 1's end but inside mapping 0.
    // Mapping 1 overlaps mapping 0 as well: both reported, each against mapping 0, in table order.
    expect(found(component([{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x20, idCount: 0, target: 1 }, { inputBase: 0x30, idCount: 0, target: 1 }]), 'iort.mapping.overlap')).toEqual([
      { offset: 0x68, message: 'mapping 1 at 0x68: input IDs [0x20, 0x20] overlap mapping 0 [0x0, 0xff]' },
      { offset: 0x7c, message: 'mapping 2 at 0x7c: input IDs [0x30, 0x30] overlap mapping 0 [0x0, 0xff]' },
    ]);
  });

  it('a single mapping of a named component translates no input range: it overlaps nothing', () => {
    // iort_id_map() returns output_base for a single mapping of a named component or root complex
    // without looking at the input ID, so its input range is not compared with the others.
    expect(found(component([{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x10, idCount: 0, target: 1, flags: 1 }]), 'iort.mapping.overlap')).toEqual([]);
  });

  it('RMR and ITS group mappings are never checked for overlap (Linux translates neither)', () => {
    const overlapping: MappingSpec[] = [{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x10, idCount: 0, target: 1 }];
    expect(found([rmr([[0x8000_0000n, 0x1_0000n]], { mappings: overlapping }), smmuV3()], 'iort.mapping.overlap')).toEqual([]);
    expect(found([itsGroup([0], { mappings: overlapping.map((mapping) => ({ ...mapping, target: 0 })) })], 'iort.mapping.overlap')).toEqual([]);
  });
});

describe('the duplicate check keeps every key of a table with more than 32 nodes (spec §5 rule 32)', () => {
  it('the 65th key repeats the 64th: found at node 64', () => {
    // 65 ITS groups of one identifier, 24 bytes each: node n at 0x30 + 24n; node 63 at 0x618, node 64 at 0x630.
    // 65 keys is one past the 64 the key array starts with: the last must not be lost.
    const nodes = Array.from({ length: 65 }, (_, index) => itsGroup([index], { identifier: index === 64 ? 63 : index }));
    expect(found(nodes, 'iort.id.duplicate', 3)).toEqual([
      { offset: 0x634, message: 'Identifier 0x3f is used by the nodes at 0x618, 0x630' },
    ]);
  });
});
