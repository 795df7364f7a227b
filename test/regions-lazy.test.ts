/**
 * Descriptors whose strings are built on first read (src/regions/lazy-region.ts): built once,
 * kept, writable, and seen in full by JSON, the merge and the JSON/text renderers — key for key
 * what an eagerly built descriptor holds. A test subclass counts how often it builds.
 */
import { describe, expect, it } from 'vitest';
import { jsonReplacer } from '../src/bytes/hex.js';
import { LazyRegion, plainRegion, plainSource, type RegionText } from '../src/regions/lazy-region.js';
import { mergeGroupRegions, mergeRegions } from '../src/regions/merge.js';
import { explainRegion, regionJson } from '../src/regions/render.js';
import type { RegionDescriptor } from '../src/regions/types.js';

class CountingRegion extends LazyRegion {
  // Private: own fields would show in the plain form.
  readonly #bounds: [bigint, bigint];
  readonly #text: RegionText;
  #builds = 0;

  constructor(start: bigint, end: bigint, text: RegionText) {
    super('direct', 3, 0x40, 'a reason');
    this.#bounds = [start, end];
    this.#text = text;
  }

  /** Text builds and bound reads so far. */
  get builds(): number {
    return this.#builds;
  }

  protected get sourceTable(): 'DMAR' {
    return 'DMAR';
  }

  protected get sourceStructure(): string {
    return 'RMRR';
  }

  protected readStart(): bigint {
    this.#builds++;
    return this.#bounds[0];
  }

  protected readEnd(): bigint {
    this.#builds++;
    return this.#bounds[1];
  }

  protected buildText(): RegionText {
    this.#builds++;
    return { detail: this.#text.detail, device: this.#text.device };
  }
}

const named = () => new CountingRegion(0x1000n, 0x1fffn, { detail: 'endpoint 00:14.0 @0x58: 0000:00:14.0', device: '0000:00:14.0' });
const unnamed = () => new CountingRegion(0x1000n, 0x1fffn, { detail: 'endpoint 00: @0x58: no path: names no device', device: undefined });

/** The same regions built eagerly, as the derivations built them before (by hand). */
const NAMED_PLAIN = {
  start: 0x1000n,
  end: 0x1fffn,
  type: 'direct',
  prot: 3,
  source: { table: 'DMAR', offset: 0x40, structure: 'RMRR', detail: 'endpoint 00:14.0 @0x58: 0000:00:14.0' },
  reason: 'a reason',
  device: '0000:00:14.0',
};

describe('lazy region descriptors', () => {
  it('reads nothing until a field is read, then each bound and both strings once', () => {
    const region = named();
    expect([region.type, region.prot, region.reason, region.source.table, region.source.offset, region.source.structure]).toEqual(['direct', 3, 'a reason', 'DMAR', 0x40, 'RMRR']);
    expect(region.builds).toBe(0);
    expect([region.start, region.end, region.start, region.end]).toEqual([0x1000n, 0x1fffn, 0x1000n, 0x1fffn]);
    expect(region.builds).toBe(2);
    const first = region.source.detail;
    expect(first).toBe('endpoint 00:14.0 @0x58: 0000:00:14.0');
    expect(region.source.detail).toBe(first);
    expect(region.device).toBe('0000:00:14.0');
    expect(region.device).toBe(region.device);
    expect(region.builds).toBe(3);
    expect(region.source).toBe(region.source);
  });

  it('shows only type, prot and reason to a spread: the rest is read through the accessors', () => {
    expect({ ...named() }).toStrictEqual({ type: 'direct', prot: 3, reason: 'a reason' });
  });

  it('keeps what is written to the bounds, device and detail', () => {
    const region = named();
    region.device = '0000:00:1a.0';
    region.source.detail = 'changed';
    region.start = 0x800n;
    region.end = 0x2fffn;
    expect([region.device, region.source.detail, region.start, region.end, region.builds]).toEqual(['0000:00:1a.0', 'changed', 0x800n, 0x2fffn, 1]);
    expect(plainRegion(region)).toMatchObject({ start: 0x800n, end: 0x2fffn, device: '0000:00:1a.0', source: { detail: 'changed' } });
    const replaced = named();
    replaced.source = { table: 'kernel', structure: 'test' };
    expect(plainRegion(replaced).source).toStrictEqual({ table: 'kernel', structure: 'test' });
  });

  it('has the eager form as plain data and JSON, keys in the eager order, no device key when none is named', () => {
    expect(plainRegion(named())).toStrictEqual(NAMED_PLAIN);
    expect(JSON.stringify(named(), jsonReplacer)).toBe(
      '{"start":"0x1000","end":"0x1fff","type":"direct","prot":3,"source":{"table":"DMAR","offset":64,"structure":"RMRR","detail":"endpoint 00:14.0 @0x58: 0000:00:14.0"},"reason":"a reason","device":"0000:00:14.0"}',
    );
    const plain = plainRegion(unnamed());
    expect(plain).not.toHaveProperty('device');
    expect(JSON.stringify(plain, jsonReplacer)).toBe(
      '{"start":"0x1000","end":"0x1fff","type":"direct","prot":3,"source":{"table":"DMAR","offset":64,"structure":"RMRR","detail":"endpoint 00: @0x58: no path: names no device"},"reason":"a reason"}',
    );
    expect(plainSource(named().source)).toStrictEqual(NAMED_PLAIN.source);
  });

  it('leaves plain descriptors and sources as they are', () => {
    const plain: RegionDescriptor = { start: 0n, end: 1n, type: 'msi', prot: 0, source: { table: 'kernel', structure: 'interrupt window' } };
    expect(plainRegion(plain)).toBe(plain);
    expect(plainSource(plain.source)).toBe(plain.source);
  });

  it('reads undefined, instead of throwing, through the accessors of another object', () => {
    for (const key of ['start', 'end', 'source', 'device']) expect(Reflect.get(CountingRegion.prototype, key)).toBeUndefined();
    expect(Reflect.get(Object.getPrototypeOf(named().source) as object, 'detail')).toBeUndefined();
  });

  it('ignores, instead of throwing, a write through the accessors of another object', () => {
    const region = named();
    const source = region.source;
    expect(Reflect.set(CountingRegion.prototype, 'device', '0000:00:1a.0')).toBe(true);
    expect(Reflect.set(Object.getPrototypeOf(source) as object, 'detail', 'changed')).toBe(true);
    // An object whose prototype is the region or its source: its own writes reach neither.
    Reflect.set(Object.create(region) as object, 'device', '0000:00:1a.0');
    Reflect.set(Object.create(source) as object, 'detail', 'changed');
    expect([region.device, region.source.detail]).toEqual(['0000:00:14.0', 'endpoint 00:14.0 @0x58: 0000:00:14.0']);
  });

  it('merges and renders like the eager descriptors', () => {
    const lazy = [named(), new CountingRegion(0x2000n, 0x2fffn, { detail: 'bridge 00:1c.0 @0x60: 0000:00:1c.0 and every device below it', device: '0000:00:1c.0' })];
    const eager = [
      NAMED_PLAIN,
      { ...NAMED_PLAIN, start: 0x2000n, end: 0x2fffn, source: { ...NAMED_PLAIN.source, detail: 'bridge 00:1c.0 @0x60: 0000:00:1c.0 and every device below it' }, device: '0000:00:1c.0' },
    ] as RegionDescriptor[];
    const merged = mergeRegions(lazy);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ start: 0x1000n, end: 0x2fffn, device: '0000:00:14.0', source: { detail: 'endpoint 00:14.0 @0x58: 0000:00:14.0' } });
    expect(JSON.stringify(merged.map(regionJson), jsonReplacer)).toBe(JSON.stringify(mergeRegions(eager).map(regionJson), jsonReplacer));
    expect(explainRegion(merged[0]!)).toBe(
      'DMAR RMRR @0x40 [endpoint 00:14.0 @0x58: 0000:00:14.0] for 0000:00:14.0 — a reason | DMAR RMRR @0x40 [bridge 00:1c.0 @0x60: 0000:00:1c.0 and every device below it] for 0000:00:1c.0 — a reason',
    );
    // A group member's list: a region without a device is tagged with the member, its detail kept.
    const tagged = mergeGroupRegions([{ device: '0000:00:02.0', regions: [unnamed()] }]);
    expect(tagged[0]).toMatchObject({ device: '0000:00:02.0', source: { detail: 'endpoint 00: @0x58: no path: names no device' } });
    expect(tagged[0]!.parts[0]).toMatchObject({ device: '0000:00:02.0', source: { detail: 'endpoint 00: @0x58: no path: names no device' } });
  });
});
