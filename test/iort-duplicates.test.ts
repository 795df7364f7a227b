/**
 * Spec §5 #32 duplicates (`iort.id.duplicate`) with repeated keys interleaved: one finding per
 * repeated identifier or segment, at the second node of the group, listing every node of the
 * group in table order; groups in the order their key first appears.
 */
import { describe, expect, it } from 'vitest';
import { encodeIort } from '../src/encode/index.js';
import { parseIort } from '../src/iort/index.js';

describe('IORT duplicate identifiers and segments', () => {
  // Identifiers 7, 5, 7, 5, 7, 9 (named components) and segments 3, 1, 3 (root complexes, identifiers 20–22).
  const nodes = [
    ...[7, 5, 7, 5, 7, 9].map((identifier, index) => ({ kind: 'named-component', identifier, deviceName: `\\_SB.N${index}` })),
    ...[3, 1, 3].map((pciSegmentNumber, index) => ({ kind: 'root-complex', identifier: 20 + index, pciSegmentNumber })),
  ];
  const table = parseIort(encodeIort({ signature: 'IORT', header: { revision: 5 }, nodes }));
  const at = table.nodeOffsets;
  const duplicates = table.diagnostics.filter((diagnostic) => diagnostic.code === 'iort.id.duplicate');

  it('reports each repeated key once, at the second node of its group, naming every node of the group', () => {
    expect(at).toHaveLength(9);
    const hex = (offset: number) => `0x${offset.toString(16)}`;
    expect(duplicates.map(({ offset, message }) => ({ offset, message }))).toEqual(
      [
        // Identifier at node +4, PCI segment number of a root complex at +28.
        { offset: at[2]! + 4, message: `Identifier 0x7 is used by the nodes at ${hex(at[0]!)}, ${hex(at[2]!)}, ${hex(at[4]!)}` },
        { offset: at[3]! + 4, message: `Identifier 0x5 is used by the nodes at ${hex(at[1]!)}, ${hex(at[3]!)}` },
        { offset: at[8]! + 28, message: `PCI segment 0x0003 has root complexes at ${hex(at[6]!)}, ${hex(at[8]!)}; Linux uses the first` },
      ].sort((left, right) => left.offset - right.offset),
    );
  });

  it('a table of unique keys has none', () => {
    const unique = nodes.map((node, index) => ({ ...node, identifier: 100 + index, ...(node.kind === 'root-complex' ? { pciSegmentNumber: index } : {}) }));
    expect(parseIort(encodeIort({ signature: 'IORT', header: { revision: 5 }, nodes: unique })).diagnostics.filter((diagnostic) => diagnostic.code === 'iort.id.duplicate')).toEqual([]);
  });
});
