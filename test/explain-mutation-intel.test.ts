/**
 * `explain` on Intel without a topology (src/audit/explain-intel.ts): the scopes only a topology
 * could place, in full, and those that cannot name the device at all. DMAR from the region-test
 * builder: DRHDs first from 0x30 (16 bytes + scopes), then RMRRs (24 bytes + scopes); a scope is
 * 6 bytes + 2 per hop. Texts by hand from docs/kernel-semantics.md §3.3 (scope paths walk from the
 * start bus through bridges).
 */
import { describe, expect, it } from 'vitest';
import { explainDevice } from '../src/audit/explain.js';
import { parseExplainTarget, type Explanation } from '../src/audit/explain-model.js';
import { parseDmar } from '../src/dmar/index.js';
import { describePciDevice, rmrrScopeTargets } from '../src/audit/explain-intel.js';
import { encodeDmar } from '../src/encode/index.js';
import { topologyFromJson } from '../src/pci/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { buildDmar, type DmarSpec } from './support/region-tables.js';

const explain = (spec: DmarSpec, device: string) => {
  const result = explainDevice({ dmar: parseDmar(buildDmar(spec)) }, parseExplainTarget(device)!);
  expect(typeof result).toBe('object');
  return result as Explanation;
};
const pending = (result: Explanation) => result.structures.filter((item) => item.certainty === 'needs-topology').map((item) => [item.structure, item.offset, item.how]);

describe('scopes only a topology can place', () => {
  it('a multi-hop path ending in the device\'s function, and a bridge scope: both named, with their offsets', () => {
    // INCLUDE_PCI_ALL DRHD 0x30; RMRR 0x40 (scope of 2 hops at 0x58, 34 bytes); RMRR 0x62 (bridge scope at 0x7a).
    const result = explain({
      rmrrs: [
        { base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1c, 0], [0, 0]] }] },
        { base: 0x80001000n, end: 0x80001fffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 4]] }] },
      ],
    }, '02:00.0');
    expect(pending(result)).toEqual([
      ['RMRR [0x80000000-0x80000fff]', 0x40, 'its endpoint 00:1c.0/00.0 @0x58 names function 00.0 behind 1c.0 from bus 0x00: the device if that path leads to bus 0x02'],
      ['RMRR [0x80001000-0x80001fff]', 0x62, 'its bridge 00:1c.4 @0x7a names a bridge: it covers the device if the device lies below that bridge'],
    ]);
    expect(result.structures.filter((item) => item.certainty === 'needs-topology').every((item) => item.table === 'DMAR' && item.steps.length === 0)).toBe(true);
  });

  it('three hops: every bridge on the way is named', () => {
    const result = explain({ rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1c, 0], [0, 0], [3, 1]] }] }] }, '05:03.1');
    expect(pending(result)[0]![2]).toBe('its endpoint 00:1c.0/00.0/03.1 @0x58 names function 03.1 behind 1c.0 → 00.0 from bus 0x00: the device if that path leads to bus 0x05');
  });

  it('DRHD scopes too, unless INCLUDE_PCI_ALL; labelled DRHD', () => {
    // DRHD 0x30 with a bridge scope (22 bytes, scope at 0x40), then the INCLUDE_PCI_ALL DRHD.
    const result = explain({ drhds: [{ flags: 0, scopes: [{ kind: 'bridge', bus: 0, path: [[1, 0]] }] }, { flags: 1, base: 0xfed91000n }] }, '03:00.0');
    expect(pending(result)).toEqual([['DRHD', 0x30, 'its bridge 00:01.0 @0x40 names a bridge: it covers the device if the device lies below that bridge']]);
  });

  it('not placed: another function at the end of a path, the bridge itself, another segment, an IOAPIC scope', () => {
    const result = explain({
      drhds: [{ flags: 1 }, { flags: 1, segment: 1, base: 0xfed91000n }],
      rmrrs: [
        { base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1c, 0], [0, 1]] }] },
        { base: 0x80001000n, end: 0x80001fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1c, 0], [1, 0]] }] },
        { base: 0x80002000n, end: 0x80002fffn, segment: 1, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 4]] }] },
        { base: 0x80003000n, end: 0x80003fffn, scopes: [{ kind: 'ioapic', bus: 0, path: [[0x1e, 0]] }] },
      ],
    }, '02:00.0');
    expect(pending(result)).toEqual([]);
    // A one-hop bridge scope naming the device itself on its own bus is the device, not a bridge above it.
    const itself = explain({ rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 4]] }] }] }, '00:1c.4');
    expect(pending(itself)).toEqual([]);
    // The same bridge scope seen from bus 0x02 may be above the device.
    expect(pending(explain({ rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'bridge', bus: 2, path: [[0x1c, 4]] }] }] }, '00:1c.4'))).toHaveLength(1);
  });

  it('the serving DRHD: INCLUDE_PCI_ALL for the device\'s segment, in full', () => {
    const result = explain({ drhds: [{ flags: 1, segment: 1 }, { flags: 1, base: 0xfed91000n }] }, '00:14.0');
    // Segment 1's unit at 0x30 is skipped; segment 0's at 0x40 serves the device.
    expect(result.structures[0]).toEqual({ table: 'DMAR', structure: 'DRHD', offset: 0x40, how: 'INCLUDE_PCI_ALL for segment 0x0000: it serves every device no other DRHD names (listed last by the kernel)', steps: [], certainty: 'assumed' });
  });
});

describe('with a topology: the serving DRHD, its steps, and every structure in full', () => {
  const topology = (...devices: object[]) => topologyFromJson({ devices: devices as never });
  const withTopology = (spec: DmarSpec | Uint8Array, device: string, topo: ReturnType<typeof topology>, kernel?: string) => {
    const result = explainDevice({ dmar: parseDmar(spec instanceof Uint8Array ? spec : buildDmar(spec)) }, parseExplainTarget(device)!, { topology: topo, ...(kernel === undefined ? {} : { kernel: kernelBehaviour(kernel) }) });
    expect(typeof result).toBe('object');
    return result as Explanation;
  };

  it('the DRHD whose scope names the device: its own scope resolved, not another DRHD\'s or another scope\'s', () => {
    // DRHD 0x30 (scopes 00:02.0 @0x40, 00:14.0 @0x48), DRHD 0x50 (scope 00:1f.0 @0x60). The kernel's list holds 0x50
    // first (units are prepended), and 0x30 records 00:02.0 before 00:14.0 (devices are added in bus order).
    const spec: DmarSpec = { drhds: [{ flags: 0, scopes: [{ kind: 'endpoint', bus: 0, path: [[2, 0]] }, { kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }, { flags: 0, base: 0xfed91000n, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1f, 0]] }] }] };
    const result = withTopology(spec, '00:14.0', topology({ bdf: '0000:00:02.0', class: '0x030000' }, { bdf: '0000:00:1f.0', class: '0x060100' }, { bdf: '0000:00:14.0', class: '0x0c0330' }));
    expect(result.structures).toEqual([
      { table: 'DMAR', structure: 'DRHD', offset: 0x30, how: 'its endpoint 00:14.0 @0x48 names the device itself', steps: ['bus 0x00, 14.0 → 0000:00:14.0 [0c0330]'], certainty: 'certain' },
    ]);
  });

  it('a DRHD bridge scope above the device: no RMRR caveat for a DRHD, even before v5.3; an RMRR\'s structure in full', () => {
    // DRHD 0x30 with bridge 00:1c.0 @0x40; RMRR 0x48 with the same bridge scope @0x60.
    const bridgeScope = { kind: 'bridge' as const, bus: 0, path: [[0x1c, 0]] as [number, number][] };
    const spec: DmarSpec = { drhds: [{ flags: 0, scopes: [bridgeScope] }], rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: [bridgeScope] }] };
    const topo = topology({ bdf: '0000:00:1c.0', class: '0x060400', secondaryBus: 1, subordinateBus: 1 }, { bdf: '0000:01:00.0', class: '0x020000', parent: '0000:00:1c.0' });
    const result = withTopology(spec, '01:00.0', topo, '5.2');
    const steps = ['bus 0x00, 1c.0 → 0000:00:1c.0 [060400] bridge to buses 0x01–0x01'];
    expect(result.structures).toEqual([
      { table: 'DMAR', structure: 'DRHD', offset: 0x30, how: 'its bridge 00:1c.0 @0x40 names 0000:00:1c.0, a bridge above the device (bus 0x01 is within its secondary–subordinate range)', steps, certainty: 'certain' },
      { table: 'DMAR', structure: 'RMRR [0x80000000-0x80000fff]', offset: 0x48, how: 'its bridge 00:1c.0 @0x60 names 0000:00:1c.0, a bridge above the device (bus 0x01 is within its secondary–subordinate range); Linux 5.2 applies bridge-scope RMRRs to the bridge only (below it from v5.3)', steps, certainty: 'certain' },
    ]);
  });

  it('a BRIDGE scope naming a type-0 function of class 0x0601: bound from v5.6, a scope mismatch (not bound) before', () => {
    const spec: DmarSpec = { rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1f, 0]] }] }] };
    const isa = () => topology({ bdf: '0000:00:1f.0', class: '0x060100' });
    const rmrrs = (kernel: string) => withTopology(spec, '00:1f.0', isa(), kernel).structures.filter((item) => item.structure.startsWith('RMRR')).map((item) => item.offset);
    expect(rmrrs('6.1')).toEqual([0x40]);
    expect(rmrrs('5.5')).toEqual([]);
  });

  it('an ATSR with ALL_PORTS names every device of its segment; another segment\'s does not', () => {
    const base = parseDmar(buildDmar({})).toJSON() as unknown as { structures: object[]; header: Record<string, unknown> };
    const { length: _length, checksum: _checksum, ...header } = base.header;
    // DRHD 0x30 (16 bytes), ATSR 0x40 (segment 0), ATSR 0x48 (segment 1): 8 bytes each without scopes.
    const bytes = encodeDmar({ ...base, header, structures: [...base.structures, { kind: 'atsr', allPorts: true, segmentNumber: 0 }, { kind: 'atsr', allPorts: true, segmentNumber: 1 }] } as never);
    const result = withTopology(bytes, '00:14.0', topology({ bdf: '0000:00:14.0', class: '0x0c0330' }));
    expect(result.structures.filter((item) => item.structure === 'ATSR')).toEqual([
      { table: 'DMAR', structure: 'ATSR', offset: 0x40, how: 'ALL_PORTS for segment 0x0000: ATS is allowed for every root port', steps: [], certainty: 'certain' },
    ]);
  });

  it('a device whose class the topology does not give is described as such', () => {
    expect(describePciDevice({ segment: 0, bus: 0, device: 0x14, function: 0, classCode: 0, vendor: 0xffff, deviceId: 0xffff, classUnknown: true })).toBe('0000:00:14.0 [class unknown]');
    expect(describePciDevice({ segment: 0, bus: 0, device: 0x14, function: 0, classCode: 0, vendor: 0xffff, deviceId: 0xffff, classUnknown: false })).toBe('0000:00:14.0 [000000]');
  });

  it('the "another slot" advice lists only PCI scopes (endpoint, bridge) of the RMRRs', () => {
    const table = parseDmar(buildDmar({ rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }, { kind: 'ioapic', bus: 0xf0, path: [[0x1f, 0]] }, { kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] }] }));
    expect(rmrrScopeTargets(table)).toEqual(['endpoint 00:14.0 (RMRR @0x40)', 'bridge 00:1c.0 (RMRR @0x40)']);
  });
});

describe('without a topology: scopes that cannot name the device', () => {
  it('an INCLUDE_PCI_ALL DRHD\'s bridge scope, a two-hop IOAPIC scope ending in the device\'s function, an empty path', () => {
    const result = explain({
      drhds: [{ flags: 1, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] }, { flags: 0, base: 0xfed91000n, scopes: [{ kind: 'ioapic', bus: 0, path: [[0x1c, 0], [0, 0]] }] }],
      rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [] }] }],
    }, '02:00.0');
    expect(pending(result)).toEqual([]);
  });

  it('a bridge scope naming another function on the device\'s own bus may still be a bridge above it', () => {
    // RMRR 0x40, bridge 00:1c.4 @0x58; the device is 00:1c.0.
    const result = explain({ rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 4]] }] }] }, '00:1c.0');
    expect(pending(result)).toEqual([['RMRR [0x80000000-0x80000fff]', 0x40, 'its bridge 00:1c.4 @0x58 names a bridge: it covers the device if the device lies below that bridge']]);
  });
});
