/**
 * One built specimen per IORT diagnostic code (docs/spec.md §5 rules 18–35), each asserting the
 * code and its exact table offset; plus cyclic and very deep reference graphs.
 */
import { describe, expect, test } from 'vitest';
import { IORT_CODES, IORT_MSI_TYPES, mapId, parseIort, type IortCode } from '../src/iort/index.js';
import { jsonReplacer } from '../src/bytes/hex.js';
import {
  Bytes, TYPE, buildIort, fixChecksum, itsGroup, iwb, namedComponent, pmcg, rmr, rootComplex, smmuV1V2, smmuV3,
  writeU16, writeU32, type BuildOptions, type NodeSpec,
} from './support/iort-builder.js';

const FULL = { inputBase: 0, idCount: 0xffff, outputBase: 0 };

/** A well-formed table with one node of every type: handles 0 ITS … 7 IWB. */
function cleanNodes(): NodeSpec[] {
  return [
    itsGroup([0]),
    smmuV3({ mappings: [{ ...FULL, target: 0 }] }),
    rootComplex(0, { mappings: [{ ...FULL, target: 1 }] }),
    namedComponent('\\_SB.ETH0', { padTo: 44, mappings: [{ outputBase: 0x10000, target: 1, flags: 1 }] }),
    smmuV1V2({ context: [40, 41], pmu: [50], mappings: [{ inputBase: 0, idCount: 0xff, outputBase: 0x2000, target: 0 }] }),
    pmcg(1, { gsiv: 90 }),
    rmr([[0x8000_0000n, 0x1_0000n]], { flags: 1, mappings: [{ outputBase: 0x100, target: 1, flags: 1 }] }),
    iwb('\\_SB_.IWB0', { mappings: [{ inputBase: 0, idCount: 63, outputBase: 0x3000, target: 0 }] }),
  ];
}

function clean(options: BuildOptions = {}, edit?: (nodes: NodeSpec[]) => void) {
  const nodes = cleanNodes();
  edit?.(nodes);
  return buildIort(nodes, options);
}

/** Table offset of mapping `index` of node `handle` when the ID array follows the fixed part. */
function mappingAt(built: { bytes: Uint8Array; offsets: number[] }, handle: number, index = 0): number {
  const node = built.offsets[handle]!;
  const view = new DataView(built.bytes.buffer, built.bytes.byteOffset);
  return node + view.getUint32(node + 12, true) + 20 * index;
}

type Specimen = () => { bytes: Uint8Array; offset: number };

const specimens: Record<IortCode, Specimen> = {
  'iort.header.truncated': () => {
    // Length still says the whole table, but the capture ends inside the header extension.
    return { bytes: clean().bytes.slice(0, 40), offset: 36 };
  },
  'iort.node.array-offset': () => {
    const built = clean();
    writeU32(built.bytes, 40, 40);
    return { bytes: fixChecksum(built.bytes), offset: 40 };
  },
  'iort.node.overflow': () => ({ bytes: clean({ nodeCount: 9 }).bytes, offset: 36 }),
  'iort.node.count': () => {
    const built = clean({ trailing: 8 });
    return { bytes: built.bytes, offset: built.bytes.length - 8 };
  },
  'iort.length.zero': () => {
    const built = clean();
    writeU16(built.bytes, built.offsets[4]! + 1, 0);
    return { bytes: fixChecksum(built.bytes), offset: built.offsets[4]! };
  },
  'iort.length.short': () => {
    const built = buildIort([itsGroup([0]), smmuV3({ length: 64 })]);
    return { bytes: built.bytes, offset: built.offsets[1]! };
  },
  'iort.length.overrun': () => {
    const built = clean();
    const cut = built.bytes.slice(0, built.offsets[7]! + 20);
    writeU32(cut, 4, cut.length);
    return { bytes: fixChecksum(cut), offset: built.offsets[7]! };
  },
  'iort.node.unknown': () => {
    const built = clean({}, (nodes) => nodes.push({ type: 9, fixed: new Bytes().u32(7).done() }));
    return { bytes: built.bytes, offset: built.offsets[8]! };
  },
  'iort.node.revision-newer': () => {
    const built = clean({}, (nodes) => (nodes[0]!.revision = 2));
    return { bytes: built.bytes, offset: built.offsets[0]! + 3 };
  },
  'iort.revision.deprecated': () => ({ bytes: clean({ revision: 4 }).bytes, offset: 8 }),
  'iort.reserved.nonzero': () => {
    const built = clean();
    writeU32(built.bytes, 44, 1);
    return { bytes: fixChecksum(built.bytes), offset: 44 };
  },
  'iort.mapping.outside-node': () => {
    const built = clean({}, (nodes) => (nodes[3]!.mappingCount = 3));
    return { bytes: built.bytes, offset: built.offsets[3]! + 12 };
  },
  'iort.array.outside-node': () => {
    const built = clean({}, (nodes) => (nodes[0]!.patch32 = [[16, 5]]));
    return { bytes: built.bytes, offset: built.offsets[0]! + 16 };
  },
  'iort.array.overlap': () => {
    // SMMUv1/v2 context interrupt array pointing at offset 60, inside the fixed part.
    const built = clean({}, (nodes) => (nodes[4]!.patch32 = [[48, 60]]));
    return { bytes: built.bytes, offset: built.offsets[4]! + 48 };
  },
  'iort.mapping.null-ref': () => {
    const built = clean({}, (nodes) => (nodes[2]!.mappings![0]!.reference = 0));
    return { bytes: built.bytes, offset: mappingAt(built, 2) + 12 };
  },
  'iort.mapping.target-not-a-node': () => {
    const built = clean({}, (nodes) => (nodes[2]!.mappings![0]!.reference = 52));
    return { bytes: built.bytes, offset: mappingAt(built, 2) + 12 };
  },
  'iort.mapping.target-type': () => {
    const built = clean({}, (nodes) => (nodes[3]!.mappings![0]!.target = 2)); // NC → RC
    return { bytes: built.bytes, offset: mappingAt(built, 3) + 12 };
  },
  'iort.graph.cycle': () => {
    const built = buildIort([smmuV3({ mappings: [{ ...FULL, target: 1 }] }), smmuV3({ mappings: [{ ...FULL, target: 0 }] })]);
    return { bytes: built.bytes, offset: mappingAt(built, 0) + 12 };
  },
  'iort.mapping.id-overflow': () => {
    const built = clean({}, (nodes) => (nodes[2]!.mappings = [{ inputBase: 0xffff_ff00, idCount: 0x1000, target: 1 }]));
    return { bytes: built.bytes, offset: mappingAt(built, 2) };
  },
  'iort.mapping.overlap': () => {
    const built = clean({}, (nodes) => {
      nodes[2]!.mappings = [{ inputBase: 0, idCount: 0xff, target: 1 }, { inputBase: 0x80, idCount: 0xff, outputBase: 0x80, target: 1 }];
    });
    return { bytes: built.bytes, offset: mappingAt(built, 2, 1) };
  },
  'iort.mapping.single-misuse': () => {
    const built = clean({}, (nodes) => (nodes[4]!.mappings![0]!.flags = 1));
    return { bytes: built.bytes, offset: mappingAt(built, 4) + 16 };
  },
  'iort.its.has-mappings': () => {
    const built = clean({}, (nodes) => (nodes[0]!.mappings = [{ ...FULL, target: 1 }]));
    return { bytes: built.bytes, offset: built.offsets[0]! + 8 };
  },
  'iort.pmcg.mappings': () => {
    const built = clean({}, (nodes) => (nodes[5] = pmcg(1, { gsiv: 0 })));
    return { bytes: built.bytes, offset: built.offsets[5]! + 8 };
  },
  'iort.smmuv3.devid-index': () => {
    const built = clean({}, (nodes) => (nodes[1] = smmuV3({ gsivs: [0, 0, 0, 0], index: 5, mappings: [{ ...FULL, target: 0 }] })));
    return { bytes: built.bytes, offset: built.offsets[1]! + 64 };
  },
  'iort.rmr.table-revision': () => {
    const built = clean({ revision: 3 });
    return { bytes: built.bytes, offset: built.offsets[6]! };
  },
  'iort.rmr.no-ranges': () => {
    const built = clean({}, (nodes) => (nodes[6] = rmr([], { mappings: [{ target: 1 }] })));
    return { bytes: built.bytes, offset: built.offsets[6]! + 20 };
  },
  'iort.rmr.no-mappings': () => {
    const built = clean({}, (nodes) => (nodes[6] = rmr([[0x8000_0000n, 0x1_0000n]])));
    return { bytes: built.bytes, offset: built.offsets[6]! + 8 };
  },
  'iort.rmr.zero-length': () => {
    const built = clean({}, (nodes) => (nodes[6] = rmr([[0x8000_0000n, 0n]], { mappings: [{ target: 1 }] })));
    return { bytes: built.bytes, offset: built.offsets[6]! + 48 + 8 };
  },
  'iort.rmr.misaligned': () => {
    const built = clean({}, (nodes) => (nodes[6] = rmr([[0x8000_1000n, 0x3000n]], { mappings: [{ target: 1 }] })));
    return { bytes: built.bytes, offset: built.offsets[6]! + 48 };
  },
  'iort.rmr.overlap': () => {
    const ranges: [bigint, bigint][] = [[0x1_0000n, 0x2_0000n], [0x2_0000n, 0x1_0000n]];
    const built = clean({}, (nodes) => (nodes[6] = rmr(ranges, { mappings: [{ target: 1 }] })));
    return { bytes: built.bytes, offset: built.offsets[6]! + 48 + 20 };
  },
  'iort.nc.unterminated': () => {
    const fixed = new Bytes().u32(0).u32(1).u32(0).u8(48).ascii('\\_SB.NONUL', false).done();
    const built = clean({}, (nodes) => (nodes[3] = { type: TYPE.nc, revision: 4, fixed, mappings: [{ outputBase: 1, target: 1, flags: 1 }] }));
    return { bytes: built.bytes, offset: built.offsets[3]! + 29 };
  },
  'iort.id.duplicate': () => {
    const built = clean({}, (nodes) => nodes.push(rootComplex(0, { mappings: [{ ...FULL, target: 1 }] })));
    return { bytes: built.bytes, offset: built.offsets[8]! + 28 };
  },
};

describe('IORT diagnostics', () => {
  test('the clean specimen has no diagnostics', () => {
    const table = parseIort(clean().bytes);
    expect(table.diagnostics).toEqual([]);
    expect(table.nodeOffsets).toHaveLength(8);
    expect([...table.nodes()].map((node) => node.kind)).toEqual(['its-group', 'smmu-v3', 'root-complex', 'named-component', 'smmu-v1v2', 'pmcg', 'rmr', 'iwb']);
    expect(JSON.parse(JSON.stringify(table, jsonReplacer)).nodes).toHaveLength(8);
  });

  test('every code in IORT_CODES has a specimen', () => {
    expect(Object.keys(specimens).sort()).toEqual(Object.keys(IORT_CODES).sort());
  });

  test.each(Object.entries(specimens))('%s', (code, specimen) => {
    const { bytes, offset } = specimen();
    const table = parseIort(bytes);
    const found = table.diagnostics.filter((item) => item.code === code);
    expect(found.map((item) => item.offset), JSON.stringify(table.diagnostics, null, 1)).toContain(offset);
    expect(found.every((item) => item.severity === IORT_CODES[code as IortCode].severity)).toBe(true);
  });

  test('a capture that ends right after the SDT header blames its Length field', () => {
    const table = parseIort(clean().bytes.slice(0, 36));
    expect(table.diagnostics.map((item) => [item.code, item.offset])).toContainEqual(['iort.header.truncated', 4]);
  });

  test('RMR node revision 2 is deprecated at the node revision byte', () => {
    const built = clean({}, (nodes) => (nodes[6]!.revision = 2));
    const table = parseIort(built.bytes);
    expect(table.diagnostics.map((item) => [item.code, item.offset])).toContainEqual(['iort.revision.deprecated', built.offsets[6]! + 3]);
  });

  test('a truncated node is kept as unknown', () => {
    const built = buildIort([itsGroup([0]), smmuV3({ length: 64 })]);
    const node = parseIort(built.bytes).nodeAt(built.offsets[1]!);
    expect(node?.kind).toBe('unknown');
    expect(node?.kind === 'unknown' && node.truncated).toBe(true);
  });
});

describe('reference graphs terminate', () => {
  const ring = (size: number) =>
    buildIort(Array.from({ length: size }, (_, index) => smmuV3({ mappings: [{ ...FULL, target: (index + 1) % size }] })));

  test.each([1, 2, 3, 50])('a ring of %i SMMUv3 nodes is reported once and every walk stops', (size) => {
    const built = ring(size);
    const table = parseIort(built.bytes);
    const cycles = table.diagnostics.filter((item) => item.code === 'iort.graph.cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.offset).toBe(built.offsets[0]! + 68 + 12);
    // Node offsets print in hex, like every offset the tool prints (issue 13).
    if (size === 3) expect(cycles[0]!.message).toContain(`nodes at ${built.offsets.map((offset) => `0x${offset.toString(16)}`).join(' → ')}`);
    if (size === 1) expect(table.diagnostics.map((item) => item.code)).toContain('iort.mapping.target-type');
    for (const offset of built.offsets) {
      const walk = mapId(table, offset, 5, IORT_MSI_TYPES);
      expect(walk.stop).toBe('cycle');
      expect(walk.hops).toHaveLength(size);
      expect(walk.final).toBeUndefined();
      expect(walk.outputId).toBe(5);
      expect(walk.diagnostics.map((item) => item.code)).toEqual(['iort.graph.cycle']);
    }
  });

  const chain = (length: number) =>
    buildIort([
      itsGroup([0]),
      ...Array.from({ length }, (_, index) =>
        smmuV3({ mappings: [{ inputBase: 0, idCount: 0xff_ffff, outputBase: 1, target: index + 2 > length ? 0 : index + 2 }] }),
      ),
    ]);

  test('a chain of 1,200 SMMUv3 hops reaches the ITS group with the right ID', () => {
    const built = chain(1200);
    const table = parseIort(built.bytes);
    expect(table.diagnostics).toEqual([]);
    const walk = mapId(table, built.offsets[1]!, 7, IORT_MSI_TYPES);
    expect(walk.stop).toBe('reached');
    expect(walk.hops).toHaveLength(1200);
    expect(walk.final?.nodeOffset).toBe(built.offsets[0]);
    expect(walk.deviceId).toBe(7 + 1200);
  });

  test('a step cap below the chain length stops with iort.graph.cycle', () => {
    const built = chain(300);
    const walk = mapId(parseIort(built.bytes), built.offsets[1]!, 7, IORT_MSI_TYPES, { maxSteps: 100 });
    expect(walk.stop).toBe('step-limit');
    expect(walk.hops).toHaveLength(100);
    expect(walk.diagnostics.map((item) => item.code)).toEqual(['iort.graph.cycle']);
  });

  test('a self-reference that changes the ID terminates as in Linux', () => {
    // SMMUv3 (handle 1) maps ID 5 to its own ID 6, and ID 6 to the ITS group: Linux leaves after two hops.
    const built = buildIort([
      itsGroup([0]),
      smmuV3({ mappings: [{ inputBase: 5, outputBase: 6, target: 1 }, { inputBase: 6, outputBase: 0x60, target: 0 }] }),
    ]);
    const table = parseIort(built.bytes);
    expect(table.diagnostics.map((item) => item.code).sort()).toEqual(['iort.graph.cycle', 'iort.mapping.target-type']);
    const walk = mapId(table, built.offsets[1]!, 5, IORT_MSI_TYPES);
    expect(walk.hops.map((hop) => [hop.inputId, hop.outputId])).toEqual([[5, 6], [6, 0x60]]);
    expect(walk.deviceId).toBe(0x60);
  });
});
