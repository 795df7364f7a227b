/**
 * The DMAR views (src/dmar/*.ts) field by field, against a table built by hand with
 * test/support/dmar-builder.ts: offsets and values follow the VT-d §8 layouts as written there.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd, rmrr, scope, segmentStructure, structure } from './support/dmar-builder.js';

const EP = scope({ type: 1, startBus: 0, path: [[2, 0]] });
const BRIDGE = scope({ type: 2, startBus: 0, path: [[0x1c, 0]] });

describe('DMAR views', () => {
  // 48 DRHD (16) · 64 RMRR (24 + 8) · 96 ATSR (8 + 8) · 112 SATC (8 + 8) · 128 SIDP (8 + 8) · 144 type 9 (4)
  const built = dmar({
    flags: 0b101,
    reserved: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    structures: [
      drhd({ flags: 1, size: 2, segment: 0 }),
      rmrr({ reserved: 0, segment: 0, base: 0x7c000000n, limit: 0x7c7fffffn, scopes: [EP] }),
      segmentStructure(2, { flags: 1, reserved: 0, scopes: [BRIDGE] }),
      segmentStructure(5, { flags: 1, reserved: 0, scopes: [EP] }),
      segmentStructure(6, { reserved: 0, scopes: [scope({ type: 1, flags: 0x1f, path: [[3, 1]] })] }),
      structure(9, []),
    ],
  });
  const table = parseDmar(built.bytes);
  const scopeJson = (offset: number, type: number, kind: string, device: number, fn: number, flags = 0) => ({
    type, kind, offset, length: 8, flags, reserved: 0, enumerationId: 0, startBusNumber: 0, path: [{ device, function: fn }],
  });

  it('every structure as JSON, in table order', () => {
    expect(built.at).toEqual([48, 64, 96, 112, 128, 144]);
    expect([...table.structures()].map((item) => item.toJSON())).toEqual([
      { type: 0, kind: 'drhd', offset: 48, length: 16, flags: 1, includePciAll: true, size: 2, registerSetPages: 4, segmentNumber: 0, registerBaseAddress: 0xfed90000n, deviceScopes: [] },
      { type: 1, kind: 'rmrr', offset: 64, length: 32, reserved: 0, segmentNumber: 0, baseAddress: 0x7c000000n, limitAddress: 0x7c7fffffn, deviceScopes: [scopeJson(88, 1, 'endpoint', 2, 0)] },
      { type: 2, kind: 'atsr', offset: 96, length: 16, flags: 1, allPorts: true, reserved: 0, segmentNumber: 0, deviceScopes: [scopeJson(104, 2, 'bridge', 0x1c, 0)] },
      { type: 5, kind: 'satc', offset: 112, length: 16, flags: 1, atcRequired: true, reserved: 0, segmentNumber: 0, deviceScopes: [scopeJson(120, 1, 'endpoint', 2, 0)] },
      { type: 6, kind: 'sidp', offset: 128, length: 16, reserved: 0, segmentNumber: 0, deviceScopes: [scopeJson(136, 1, 'endpoint', 3, 1, 0x1f)] },
      { type: 9, kind: 'unknown', offset: 144, length: 4 },
    ]);
  });

  it('flags clear: ATSR lists its ports, SATC does not require the ATC', () => {
    const plain = parseDmar(dmar({ structures: [drhd({ flags: 1 }), segmentStructure(2, { flags: 0, scopes: [BRIDGE] }), segmentStructure(5, { flags: 0, scopes: [EP] })] }).bytes);
    expect([...plain.structuresOfKind('atsr')].map((item) => item.allPorts)).toEqual([false]);
    expect([...plain.structuresOfKind('satc')].map((item) => item.atcRequired)).toEqual([false]);
  });

  it('structuresOfKind yields one kind only; an unknown structure is of kind unknown', () => {
    expect([...table.structuresOfKind('rmrr')].map((item) => item.offset)).toEqual([64]);
    expect([...table.structuresOfKind('unknown')].map((item) => item.offset)).toEqual([144]);
    expect([...table.structuresOfKind('andd')]).toEqual([]);
  });

  it('the header as JSON: width, raw width, flags by bit, reserved bytes', () => {
    const json = table.toJSON();
    expect(json).toMatchObject({ signature: 'DMAR', hostAddressWidth: 39, hostAddressWidthRaw: 38, flags: 0b101, interruptRemapping: true, x2apicOptOut: false, dmaControlPlatformOptIn: true, reserved: new Array(10).fill(0) });
    expect(json.diagnostics.map((item) => item.code)).toEqual(['dmar.type.unknown']);
    expect(json.structures).toHaveLength(6);
    const x2apic = parseDmar(dmar({ flags: 0b010, structures: [drhd({ flags: 1 })] }).bytes);
    expect([x2apic.interruptRemapping, x2apic.x2apicOptOut, x2apic.dmaControlPlatformOptIn]).toEqual([false, true, false]);
  });

  it('views are zero-copy: raw bytes are the caller\'s', () => {
    const [unit] = table.structuresOfKind('rmrr');
    expect(unit!.raw.buffer).toBe(built.bytes.buffer);
    expect([unit!.raw.byteOffset, unit!.raw.length]).toEqual([64, 32]);
    expect(table.reserved.buffer).toBe(built.bytes.buffer);
    expect([table.reserved.byteOffset, table.reserved.length]).toEqual([38, 10]);
  });

  it('an unusable header decodes no header field', () => {
    const short = parseDmar(built.bytes.slice(0, 40));
    expect(short.headerUsable).toBe(true);
    const unusable = parseDmar(built.bytes.slice(0, 30));
    expect([unusable.hostAddressWidth, unusable.hostAddressWidthRaw, unusable.usableHostAddressWidth, unusable.flags, unusable.interruptRemapping, unusable.reserved.length]).toEqual([undefined, undefined, undefined, undefined, false, 0]);
    expect([...unusable.structures()]).toEqual([]);
  });
});

describe('DMAR flyweight cursors across walks', () => {
  it('a second walk of one table moves the cursors of the first instead of making new ones', () => {
    const table = parseDmar(dmar({ structures: [drhd({ flags: 1, scopes: [scope({ type: 1, startBus: 0, path: [[2, 0]] })] }), rmrr({ base: 0x1000n, limit: 0x1fffn, scopes: [scope({ type: 1, startBus: 0, path: [[0x14, 0]] })] })] }).bytes);
    const walk = (): object[] => {
      const seen: object[] = [];
      table.forEachStructure((structure) => {
        seen.push(structure);
        if (structure.kind === 'drhd' || structure.kind === 'rmrr') structure.forEachDeviceScope((deviceScope) => seen.push(deviceScope));
      });
      return seen;
    };
    const first = walk();
    const second = walk();
    // DRHD, its scope, RMRR, its scope: the structure cursor and the scope cursor twice, the same two objects the second time.
    expect(first).toHaveLength(4);
    expect(new Set(first).size).toBe(2);
    expect(second).toHaveLength(4);
    second.forEach((cursor, index) => expect(cursor).toBe(first[index]));
  });

  it('cursors move from table to table and read the table being walked, nested walks included', () => {
    const first = parseDmar(dmar({ structures: [drhd({ flags: 1, scopes: [scope({ type: 1, startBus: 0, path: [[2, 0]] })] })] }).bytes);
    const second = parseDmar(dmar({ structures: [drhd({ flags: 0, scopes: [scope({ type: 2, startBus: 5, path: [[0x1c, 3], [0, 1]] })] })] }).bytes);
    const read = (table: typeof first): unknown[] => {
      const seen: unknown[] = [];
      table.forEachStructure((structure) => {
        if (structure.kind !== 'drhd') return;
        seen.push(structure, structure.includePciAll);
        structure.forEachDeviceScope((deviceScope) => seen.push(deviceScope, deviceScope.startBusNumber, deviceScope.path));
      });
      return seen;
    };
    const [drhdOne, allOne, scopeOne, busOne, pathOne] = read(first);
    const [drhdTwo, allTwo, scopeTwo, busTwo, pathTwo] = read(second);
    // The same two cursor objects, each time reading its own table (the path is not the first table's, cached).
    expect(drhdTwo).toBe(drhdOne);
    expect(scopeTwo).toBe(scopeOne);
    expect([allOne, busOne, pathOne]).toEqual([true, 0, [{ device: 2, function: 0 }]]);
    expect([allTwo, busTwo, pathTwo]).toEqual([false, 5, [{ device: 0x1c, function: 3 }, { device: 0, function: 1 }]]);

    // A walk of the second table inside a visit of the first gets its own cursors; the outer one keeps its place.
    const outer: unknown[] = [];
    first.forEachStructure((structure) => {
      const inner = read(second);
      expect(inner[0]).not.toBe(structure);
      expect(inner[1]).toBe(false);
      if (structure.kind === 'drhd') outer.push(structure.includePciAll, structure.offset);
    });
    expect(outer).toEqual([true, 48]);
  });
  it('a cursor kept past its walk reads no bytes: the shared cursors keep no table alive', () => {
    const table = parseDmar(dmar({ structures: [rmrr({ base: 0x1000n, limit: 0x1fffn, scopes: [scope({ type: 1, startBus: 0, path: [[0x14, 0]] })] })] }).bytes);
    const kept: unknown[] = [];
    table.forEachStructure((structure) => {
      if (structure.kind !== 'rmrr') return;
      kept.push(structure, structure.baseAddress);
      structure.forEachDeviceScope((deviceScope) => kept.push(deviceScope, deviceScope.path));
    });
    const [cursor, base, scopeCursor, path] = kept as [{ baseAddress: bigint; raw: Uint8Array }, bigint, { path: unknown; raw: Uint8Array }, unknown];
    // Read during the walk: the RMRR's fields. Read after it: no bytes at all (fields read as 0).
    expect(base).toBe(0x1000n);
    expect(path).toEqual([{ device: 0x14, function: 0 }]);
    expect(cursor.raw).toHaveLength(0);
    expect(cursor.baseAddress).toBe(0n);
    expect(scopeCursor.raw).toHaveLength(0);
    expect(scopeCursor.path).toEqual([{ device: 0, function: 0 }]);
  });
});
