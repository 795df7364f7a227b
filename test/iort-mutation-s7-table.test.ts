/**
 * IortTable's filtered generators (src/iort/table.ts nodesOfType / nodesOfKind), looping by index
 * since session 7: exactly the nodes asked for, in table order, and nothing made from past the
 * last node — in particular no node for type 0xff, the type the raw reads give a missing node.
 */
import { describe, expect, it } from 'vitest';
import { parseIort } from '../src/iort/index.js';
import { buildIort, itsGroup, namedComponent, smmuV3 } from './support/iort-builder.js';

describe('nodesOfType and nodesOfKind', () => {
  const built = buildIort([itsGroup([0]), smmuV3(), namedComponent('\\_SB.DEV0'), itsGroup([1])]);
  const table = parseIort(built.bytes);

  it('yield the nodes of the type or kind asked for, in table order', () => {
    // Type bytes (spec §3.3): 0 ITS group, 1 named component, 4 SMMUv3.
    expect([...table.nodesOfType(0)].map((node) => node.offset)).toEqual([built.offsets[0], built.offsets[3]]);
    expect([...table.nodesOfType(4)].map((node) => node.offset)).toEqual([built.offsets[1]]);
    expect([...table.nodesOfKind('named-component')].map((node) => node.offset)).toEqual([built.offsets[2]]);
  });

  it('yield nothing for a type or kind no node has, 0xff included', () => {
    expect([...table.nodesOfType(0xff)]).toEqual([]);
    expect([...table.nodesOfType(5)]).toEqual([]);
    expect([...table.nodesOfKind('rmr')]).toEqual([]);
  });
});
