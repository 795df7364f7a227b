/**
 * The DMAR flyweight cursor of `forEachStructure` is one object for every structure kind
 * (src/dmar/structure-cursor.ts), and a structure's scopes come through one scope cursor: on each
 * structure it reads that structure's kind and fields (a field of another kind reads undefined),
 * structures without scopes visit none, a nested walk gets its own cursors, a callback that
 * throws leaves the next walk whole, and a cursor kept past its walk reads no bytes.
 * Offsets and values below follow the VT-d §8 layouts of test/support/dmar-builder.ts.
 */
import { describe, expect, it } from 'vitest';
import { DrhdStructure, parseDmar, type DmarStructure } from '../src/dmar/index.js';
import { andd, dmar, drhd, rhsa, rmrr, scope, segmentStructure, structure } from './support/dmar-builder.js';

// 48 DRHD (16 + 8) · 72 RMRR (24 + 8) · 104 ATSR (8 + 8) · 120 RHSA (20) · 140 ANDD (8 + 10)
// · 158 SATC (8 + 8) · 174 SIDP (8 + 8) · 190 type 9 (4) · 194 DRHD cut to Length 8 (unknown).
const built = dmar({
  structures: [
    drhd({ flags: 1, size: 2, segment: 3, base: 0xfed91000n, scopes: [scope({ type: 1, startBus: 0, path: [[2, 0]] })] }),
    rmrr({ segment: 0, base: 0x7c000000n, limit: 0x7c7fffffn, scopes: [scope({ type: 1, startBus: 0, path: [[0x14, 0]] })] }),
    segmentStructure(2, { flags: 1, segment: 0, scopes: [scope({ type: 2, startBus: 0, path: [[0x1c, 0]] })] }),
    rhsa({ base: 0xfed91000n, proximityDomain: 2 }),
    andd({ deviceNumber: 5, name: '\\_SB.I2C0' }),
    segmentStructure(5, { flags: 0, segment: 1, scopes: [scope({ type: 1, startBus: 0, path: [[3, 0]] })] }),
    segmentStructure(6, { reserved: 0, segment: 2, scopes: [scope({ type: 1, flags: 0x1f, startBus: 0, path: [[3, 1]] })] }),
    structure(9, []),
    structure(0, [1, 0, 0, 0], 8),
  ],
});
const table = parseDmar(built.bytes);

/** Every field name of every kind, read off the cursor whatever its kind. */
const FIELD_NAMES = [
  'flags', 'includePciAll', 'size', 'registerSetPages', 'segmentNumber', 'registerBaseAddress', 'reserved',
  'baseAddress', 'limitAddress', 'allPorts', 'proximityDomain', 'acpiDeviceNumber', 'objectName', 'objectNameTerminated', 'atcRequired',
] as const;

/** The defined fields of the cursor as it stands, by name. */
function definedFields(cursor: DmarStructure): Record<string, unknown> {
  const loose = cursor as unknown as Record<string, unknown>;
  return Object.fromEntries(FIELD_NAMES.filter((name) => loose[name] !== undefined).map((name) => [name, loose[name]]));
}

describe('DMAR structure cursor', () => {
  it('is one object whose kind, type and fields follow each structure; fields of other kinds read undefined', () => {
    expect(built.at).toEqual([48, 72, 104, 120, 140, 158, 174, 190, 194]);
    const seen: unknown[] = [];
    const cursors = new Set<object>();
    table.forEachStructure((cursor, index) => {
      cursors.add(cursor);
      seen.push([index, cursor.kind, cursor.type, cursor.offset, cursor.length, definedFields(cursor)]);
    });
    expect(seen).toEqual([
      [0, 'drhd', 0, 48, 24, { flags: 1, includePciAll: true, size: 2, registerSetPages: 4, segmentNumber: 3, registerBaseAddress: 0xfed91000n }],
      [1, 'rmrr', 1, 72, 32, { reserved: 0, segmentNumber: 0, baseAddress: 0x7c000000n, limitAddress: 0x7c7fffffn }],
      [2, 'atsr', 2, 104, 16, { flags: 1, allPorts: true, reserved: 0, segmentNumber: 0 }],
      [3, 'rhsa', 3, 120, 20, { reserved: 0, registerBaseAddress: 0xfed91000n, proximityDomain: 2 }],
      [4, 'andd', 4, 140, 18, { reserved: 0, acpiDeviceNumber: 5, objectName: '\\_SB.I2C0', objectNameTerminated: true }],
      [5, 'satc', 5, 158, 16, { flags: 0, atcRequired: false, reserved: 0, segmentNumber: 1 }],
      [6, 'sidp', 6, 174, 16, { reserved: 0, segmentNumber: 2 }],
      [7, 'unknown', 9, 190, 4, {}],
      [8, 'unknown', 0, 194, 8, {}],
    ]);
    expect(cursors.size).toBe(1);
  });

  it('gives the toJSON of the structure it is on', () => {
    const json: unknown[] = [];
    table.forEachStructure((cursor) => {
      if (cursor.kind === 'rhsa' || cursor.kind === 'andd' || cursor.kind === 'sidp' || cursor.kind === 'unknown') json.push(cursor.toJSON());
    });
    expect(json).toEqual([
      { type: 3, kind: 'rhsa', offset: 120, length: 20, reserved: 0, registerBaseAddress: 0xfed91000n, proximityDomain: 2 },
      { type: 4, kind: 'andd', offset: 140, length: 18, reserved: 0, acpiDeviceNumber: 5, objectName: '\\_SB.I2C0', objectNameTerminated: true },
      {
        type: 6, kind: 'sidp', offset: 174, length: 16, reserved: 0, segmentNumber: 2,
        deviceScopes: [{ type: 1, kind: 'endpoint', offset: 182, length: 8, flags: 0x1f, reserved: 0, enumerationId: 0, startBusNumber: 0, path: [{ device: 3, function: 1 }] }],
      },
      { type: 9, kind: 'unknown', offset: 190, length: 4 },
      { type: 0, kind: 'unknown', offset: 194, length: 8 },
    ]);
  });

  it('walks the scopes of each structure with one scope cursor; RHSA, ANDD and unknown structures have none', () => {
    const seen: unknown[] = [];
    const scopeCursors = new Set<object>();
    table.forEachStructure((cursor) => {
      // On purpose for every kind: a structure without scopes visits none.
      const loose = cursor as unknown as { forEachDeviceScope(visit: (scope: { offset: number; kind: string; path: readonly unknown[] }, index: number) => void): void; deviceScopes(): Iterable<{ offset: number }> };
      loose.forEachDeviceScope((deviceScope, index) => {
        scopeCursors.add(deviceScope);
        seen.push([cursor.kind, index, deviceScope.offset, deviceScope.kind, deviceScope.path]);
      });
      seen.push([cursor.kind, 'views', Array.from(loose.deviceScopes(), (view) => view.offset)]);
    });
    expect(seen).toEqual([
      ['drhd', 0, 64, 'endpoint', [{ device: 2, function: 0 }]], ['drhd', 'views', [64]],
      ['rmrr', 0, 96, 'endpoint', [{ device: 0x14, function: 0 }]], ['rmrr', 'views', [96]],
      ['atsr', 0, 112, 'bridge', [{ device: 0x1c, function: 0 }]], ['atsr', 'views', [112]],
      ['rhsa', 'views', []],
      ['andd', 'views', []],
      ['satc', 0, 166, 'endpoint', [{ device: 3, function: 0 }]], ['satc', 'views', [166]],
      ['sidp', 0, 182, 'endpoint', [{ device: 3, function: 1 }]], ['sidp', 'views', [182]],
      ['unknown', 'views', []],
      ['unknown', 'views', []],
    ]);
    expect(scopeCursors.size).toBe(1);
  });

  it('is narrowed by kind: it is not an instance of the per-kind view classes, which structures() yields', () => {
    const instances: boolean[] = [];
    table.forEachStructure((cursor) => {
      if (cursor.kind === 'drhd') instances.push(cursor instanceof DrhdStructure);
    });
    expect(instances).toEqual([false]);
    expect([...table.structures()][0]).toBeInstanceOf(DrhdStructure);
  });

  it('a scope walk inside a scope walk of the same structure gets its own scope cursor; the outer keeps its place', () => {
    const two = parseDmar(dmar({ structures: [drhd({ scopes: [scope({ type: 1, path: [[2, 0]] }), scope({ type: 1, path: [[3, 0]] })] })] }).bytes);
    const seen: unknown[] = [];
    two.forEachStructure((cursor) => {
      if (cursor.kind !== 'drhd') return;
      cursor.forEachDeviceScope((outer) => {
        const inner: unknown[] = [];
        cursor.forEachDeviceScope((nested) => inner.push(nested === outer, nested.offset, nested.path[0]!.device));
        seen.push(outer.offset, outer.path[0]!.device, inner);
      });
    });
    // Scopes at 64 and 72 (a DRHD's fixed part is 16 bytes).
    expect(seen).toEqual([64, 2, [false, 64, 2, false, 72, 3], 72, 3, [false, 64, 2, false, 72, 3]]);
  });

  it('a walk of another table inside the callback gets its own cursor; the outer one keeps its structure', () => {
    const other = parseDmar(dmar({ structures: [rhsa({ proximityDomain: 7 })] }).bytes);
    const outer: unknown[] = [];
    table.forEachStructure((cursor) => {
      if (cursor.kind !== 'rmrr' && cursor.kind !== 'rhsa') return;
      const inner: unknown[] = [];
      other.forEachStructure((nested) => inner.push(nested === cursor, nested.kind === 'rhsa' ? nested.proximityDomain : undefined));
      expect(inner).toEqual([false, 7]);
      outer.push(cursor.kind, cursor.offset, cursor.kind === 'rmrr' ? cursor.limitAddress : cursor.proximityDomain);
    });
    expect(outer).toEqual(['rmrr', 72, 0x7c7fffffn, 'rhsa', 120, 2]);
  });

  it('a callback that throws leaves the next walks whole', () => {
    expect(() =>
      table.forEachStructure(() => {
        throw new Error('stop');
      }),
    ).toThrow('stop');
    const offsets: number[] = [];
    table.forEachStructure((cursor) => offsets.push(cursor.offset));
    expect(offsets).toEqual([48, 72, 104, 120, 140, 158, 174, 190, 194]);
  });

  it('kept past its walk, it and its scope cursor read no bytes', () => {
    const last = parseDmar(dmar({ structures: [rhsa({ proximityDomain: 2 }), drhd({ base: 0xfed91000n, scopes: [scope({ type: 1, startBus: 4, path: [[2, 0]] })] })] }).bytes);
    let kept: DmarStructure | undefined;
    let keptScope: { startBusNumber: number; raw: Uint8Array; path: readonly unknown[] } | undefined;
    last.forEachStructure((cursor) => {
      kept = cursor;
      if (cursor.kind === 'drhd') cursor.forEachDeviceScope((deviceScope) => (keptScope = deviceScope));
    });
    // Still on the DRHD at 68 (after the 20-byte RHSA), reading an empty table: fields read 0, no scope is framed.
    expect([kept!.kind, kept!.offset, kept!.raw.length]).toEqual(['drhd', 68, 0]);
    expect(kept!.kind === 'drhd' ? [kept!.registerBaseAddress, kept!.flags] : 'not a DRHD').toEqual([0n, 0]);
    const scopes: unknown[] = [];
    if (kept!.kind === 'drhd') kept!.forEachDeviceScope((deviceScope) => scopes.push(deviceScope.offset));
    expect(scopes).toEqual([]);
    expect([keptScope!.raw.length, keptScope!.startBusNumber, keptScope!.path]).toEqual([0, 0, [{ device: 0, function: 0 }]]);
  });

  it('a scope walk whose callback threw, caught by the structure callback, leaves later walks whole and with one scope cursor', () => {
    table.forEachStructure((cursor) => {
      if (cursor.kind !== 'drhd') return;
      expect(() =>
        cursor.forEachDeviceScope(() => {
          throw new Error('stop');
        }),
      ).toThrow('stop');
    });
    const offsets: number[] = [];
    const scopeCursors = new Set<object>();
    table.forEachStructure((cursor) => {
      if (cursor.kind === 'drhd' || cursor.kind === 'rmrr') cursor.forEachDeviceScope((deviceScope) => (offsets.push(deviceScope.offset), scopeCursors.add(deviceScope)));
    });
    expect(offsets).toEqual([64, 96]);
    expect(scopeCursors.size).toBe(1);
  });

  it('a nested scope cursor kept past its walk reads no bytes, and counts its scopes from 0', () => {
    const two = parseDmar(dmar({ structures: [drhd({ scopes: [scope({ type: 1, startBus: 3, path: [[2, 0]] }), scope({ type: 1, startBus: 4, path: [[3, 0]] })] })] }).bytes);
    let nestedKept: { raw: Uint8Array; startBusNumber: number } | undefined;
    const indices: number[] = [];
    two.forEachStructure((cursor) => {
      if (cursor.kind !== 'drhd') return;
      cursor.forEachDeviceScope((outer, outerIndex) => {
        if (outerIndex > 0) return;
        cursor.forEachDeviceScope((nested, index) => {
          indices.push(index, nested.startBusNumber);
          nestedKept = nested;
        });
      });
    });
    expect(indices).toEqual([0, 3, 1, 4]);
    expect([nestedKept!.raw.length, nestedKept!.startBusNumber]).toEqual([0, 0]);
  });

  it('a structure without scopes visits none however long it is: an ANDD of 409 bytes whose name bytes could frame one', () => {
    // At +255 of the ANDD stand two 'A' bytes: read as a scope header they would be a 65-byte scope inside it.
    const long = parseDmar(dmar({ structures: [andd({ deviceNumber: 1, name: 'A'.repeat(400) })] }).bytes);
    const visited: number[] = [];
    long.forEachStructure((cursor) => {
      expect([cursor.kind, cursor.length]).toEqual(['andd', 409]);
      (cursor as unknown as { forEachDeviceScope(visit: (scope: { offset: number }) => void): void }).forEachDeviceScope((deviceScope) => visited.push(deviceScope.offset));
    });
    expect(visited).toEqual([]);
  });

  it('stops at a Length zeroed after parsing instead of looping on it', () => {
    const bytes = dmar({ structures: [drhd({}), rhsa({}), rhsa({})] }).bytes;
    const changed = parseDmar(bytes);
    // The second structure (the RHSA at 64, after the 16-byte DRHD) gets Length 0, then 3.
    bytes[66] = 0;
    const offsets: number[] = [];
    changed.forEachStructure((cursor) => offsets.push(cursor.offset));
    bytes[66] = 3;
    changed.forEachStructure((cursor) => offsets.push(cursor.offset));
    expect(offsets).toEqual([48, 48]);
  });
});

describe('DMAR view scope walk (forEachDeviceScope on a view of structures())', () => {
  it('counts scopes from 0, reuses one scope cursor per view, and a kept scope cursor reads no bytes', () => {
    const [unit] = parseDmar(dmar({ structures: [drhd({ scopes: [scope({ type: 1, startBus: 1, path: [[2, 0]] }), scope({ type: 2, startBus: 2, path: [[0x1c, 0]] })] })] }).bytes).structures();
    if (unit?.kind !== 'drhd') throw new Error('expected a DRHD');
    const seen: unknown[] = [];
    const cursors = new Set<object>();
    let kept: { raw: Uint8Array; startBusNumber: number } | undefined;
    for (let walk = 0; walk < 2; walk++) {
      unit.forEachDeviceScope((deviceScope, index) => {
        seen.push([index, deviceScope.offset, deviceScope.startBusNumber]);
        cursors.add(deviceScope);
        kept = deviceScope;
      });
    }
    expect(seen).toEqual([[0, 64, 1], [1, 72, 2], [0, 64, 1], [1, 72, 2]]);
    expect(cursors.size).toBe(1);
    expect([kept!.raw.length, kept!.startBusNumber]).toEqual([0, 0]);
  });

  it('a scope path is decoded once per position: the same array while the cursor stays, a new one when it moves', () => {
    const [unit] = parseDmar(dmar({ structures: [drhd({ scopes: [scope({ type: 1, path: [[2, 0]] }), scope({ type: 1, path: [[3, 0]] })] })] }).bytes).structures();
    if (unit?.kind !== 'drhd') throw new Error('expected a DRHD');
    const paths: (readonly unknown[])[] = [];
    unit.forEachDeviceScope((deviceScope) => {
      const first = deviceScope.path;
      expect(deviceScope.path).toBe(first);
      paths.push(first);
    });
    expect(paths).toEqual([[{ device: 2, function: 0 }], [{ device: 3, function: 0 }]]);
    expect(paths[0]).not.toBe(paths[1]);
  });
});
