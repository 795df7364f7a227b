/**
 * Bridge bus ranges inferred from explicit parents (issue 17 follow-up): the same ranges as
 * walking every device's ancestors, in work linear in the devices even for one chain
 * thousands of bridges deep (counted property reads, no timing).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { inferBusRanges } from '../src/pci/bus-ranges.js';
import { bdfOf, type PciDevice } from '../src/pci/model.js';

const bridge = (bus: number, device: number, parent?: PciDevice, extra: Partial<PciDevice> = {}): PciDevice => ({
  segment: 0, bus, device, function: 0, classCode: 0x060400, vendor: 0x8086, deviceId: 1, ...(parent === undefined ? {} : { parent: bdfOf(parent) }), ...extra,
});

/** The definition, walked the slow way: every device raises each of its ancestors (a loop stops the walk). */
function reference(devices: PciDevice[]): void {
  const byBdf = new Map(devices.map((device) => [bdfOf(device), device]));
  const explicit = new Set(devices.filter((device) => device.subordinateBus !== undefined));
  for (const device of devices) {
    const visited = new Set([device]);
    let current = device.parent === undefined ? undefined : byBdf.get(device.parent);
    for (let depth = 0; current !== undefined && !visited.has(current); depth++) {
      visited.add(current);
      if (depth === 0) current.secondaryBus ??= device.bus;
      if (!explicit.has(current)) current.subordinateBus = Math.max(current.subordinateBus ?? -1, device.bus);
      current = current.parent === undefined ? undefined : byBdf.get(current.parent);
    }
  }
  for (const device of devices) if (device.secondaryBus !== undefined) device.subordinateBus ??= device.secondaryBus;
}

describe('inferBusRanges', () => {
  it('a chain root → 1 → 2 → endpoint on bus 3: each bridge covers its child bus up to 3', () => {
    const root = bridge(0, 1);
    const one = bridge(1, 0, root);
    const two = bridge(2, 0, one);
    const end = { ...bridge(3, 0, two), classCode: 0x020000 };
    inferBusRanges([root, one, two, end]);
    expect([root, one, two].map((device) => [device.secondaryBus, device.subordinateBus])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(end.secondaryBus).toBeUndefined();
  });

  it('keeps a subordinate bus given explicitly; a loop of parents makes each member cover the others', () => {
    const root = bridge(0, 1, undefined, { subordinateBus: 9 });
    const a = bridge(5, 0);
    const b = bridge(7, 0, a);
    a.parent = bdfOf(b);
    const child = bridge(2, 0, root);
    const hanging = bridge(6, 1, a);
    inferBusRanges([root, a, b, child, hanging]);
    expect(root.subordinateBus).toBe(9);
    // b is below a (bus 7), a below b (bus 5), and the device on bus 6 hangs below both.
    expect([a.subordinateBus, b.subordinateBus]).toEqual([7, 6]);
    expect([a.secondaryBus, b.secondaryBus]).toEqual([7, 5]);
  });

  const graphs = fc.array(fc.record({ bus: fc.nat(12), parent: fc.option(fc.nat(15), { nil: undefined }), subordinate: fc.option(fc.nat(12), { nil: undefined }), secondary: fc.option(fc.nat(12), { nil: undefined }) }), { maxLength: 14 });
  test.prop([graphs], { seed: 17, numRuns: 400 })('gives the ancestor walk’s ranges on any parent graph (loops, self-parents, missing parents)', (specs) => {
    const make = () => {
      const devices = specs.map((spec, index) => bridge(spec.bus, index, undefined, { ...(spec.subordinate === undefined ? {} : { subordinateBus: spec.subordinate }), ...(spec.secondary === undefined ? {} : { secondaryBus: spec.secondary }) }));
      specs.forEach((spec, index) => {
        if (spec.parent !== undefined) devices[index]!.parent = spec.parent < devices.length ? bdfOf(devices[spec.parent]!) : '0000:ff:1f.7';
      });
      return devices;
    };
    const fast = make();
    const slow = make();
    inferBusRanges(fast);
    reference(slow);
    expect(fast).toEqual(slow);
  });

  it('reads each device’s parent a bounded number of times, however deep the chain', () => {
    const reads = [1000, 4000].map((n) => {
      const counter = { parentReads: 0 };
      const chain: PciDevice[] = [];
      for (let index = 0; index < n; index++) chain.push(bridge(index % 256, index >> 8, chain[index - 1]));
      const counted = chain.map((device) => new Proxy(device, {
        get(target, key, receiver) {
          if (key === 'parent') counter.parentReads++;
          return Reflect.get(target, key, receiver);
        },
      }));
      inferBusRanges(counted);
      expect(chain[0]!.secondaryBus).toBe(1);
      expect(chain[0]!.subordinateBus).toBe(255);
      return counter.parentReads;
    });
    // Walking each device's ancestors reads n²/2 parents (500,000 for 1000).
    expect(reads[0]).toBeLessThanOrEqual(2 * 1000);
    expect(reads[1]).toBeLessThanOrEqual(2 * 4000);
  });
});
