/**
 * Paths that were quadratic (issue 17 §3), each with a deterministic work counter: a Proxy
 * counts the element reads a function makes of its inputs, so the assertions hold on any
 * machine at any load (no timing).
 */
import { describe, expect, it } from 'vitest';
import type { AuditResult, AuditedRange } from '../src/audit/audit.js';
import type { AuditFinding } from '../src/audit/codes.js';
import { auditLines } from '../src/audit/render.js';
import { encodeIort } from '../src/encode/index.js';
import { closingEdges, cyclicComponents, type EdgeList } from '../src/iort/cycles.js';
import { findNamedComponent, findRootComplex, parseIort, translate, type IortTable } from '../src/iort/index.js';
import { classifyContent, diagnosticsByBlock } from '../src/node/content.js';
import { bdfOf, type PciDevice } from '../src/pci/model.js';
import { inferParents } from '../src/pci/topology.js';

/** `array` behind a Proxy that adds one to `counter.reads` per indexed element read. */
function counted<T>(array: T[], counter: { reads: number }): T[] {
  return new Proxy(array, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) counter.reads++;
      return Reflect.get(target, key, receiver);
    },
  });
}

describe('IORT cycle reporting', () => {
  /** `n` nodes that each map to themselves: `n` cyclic components (the 2 MiB table of issue 17). */
  function selfLoops(n: number, counter: { reads: number }): { components: number[][]; edges: EdgeList } {
    const from = Array.from({ length: n }, (_, index) => index);
    const edges = { from: counted([...from], counter), to: counted([...from], counter) };
    return { components: cyclicComponents(n, { from, to: [...from] }), edges };
  }

  it('finds each component its closing edge in one pass over the edges', () => {
    const reads = [1000, 4000].map((n) => {
      const counter = { reads: 0 };
      const { components, edges } = selfLoops(n, counter);
      expect(components).toHaveLength(n);
      expect(closingEdges(n, components, edges)).toEqual(components.map((component) => component[0]));
      return counter.reads;
    });
    // Two reads per edge; a findIndex per component read n²/2.
    expect(reads[0]).toBeLessThanOrEqual(2 * 1000 + 2);
    expect(reads[1]).toBeLessThanOrEqual(2 * 4000 + 2);
  });

  it('points a two-node cycle at its first edge inside the component', () => {
    const edges = { from: [0, 1, 2, 1], to: [1, 2, 2, 0] };
    const components = cyclicComponents(3, edges);
    expect(components).toEqual([[2], [0, 1]]);
    expect(closingEdges(3, components, edges)).toEqual([2, 0]);
  });
});

describe('IORT lookups by name and segment', () => {
  function iortOf(n: number): IortTable {
    const nodes = [
      ...Array.from({ length: n }, (_, index) => ({ kind: 'named-component', identifier: index, deviceName: `\\_SB.D${index}` })),
      ...Array.from({ length: n }, (_, index) => ({ kind: 'root-complex', identifier: n + index, pciSegmentNumber: index })),
    ];
    return parseIort(encodeIort({ signature: 'IORT', nodes }));
  }

  it('index the table once: n lookups read the offsets n log n times (table.nodeAt binary-searches), not n²', () => {
    for (const n of [200, 800]) {
      const table = iortOf(n);
      const counter = { reads: 0 };
      const offsets = counted([...table.nodeOffsets], counter);
      const watched = new Proxy(table, { get: (target, key) => (key === 'nodeOffsets' ? offsets : Reflect.get(target, key, target)) });
      for (let index = 0; index < n; index++) {
        expect(findNamedComponent(watched, `\\_SB.D${index}`)?.identifier).toBe(index);
        expect(findRootComplex(watched, index)?.identifier).toBe(n + index);
      }
      expect(findNamedComponent(watched, '\\_SB.NONE')).toBeUndefined();
      const nodes = 2 * n;
      // One scan to index, then one binary search (nodeAt) per lookup found; a scan per lookup read ~n² / 2.
      expect(counter.reads).toBeLessThanOrEqual(nodes + nodes * (Math.ceil(Math.log2(nodes)) + 1));
    }
  });

  it('translating every device by name reads the offsets n log n times in all (index once, binary searches per hop), not n²', () => {
    for (const n of [200, 800]) {
      // ITS group @ index 0, SMMUv3 @ 1 mapping every stream ID to it, n named components each mapping ID 0 to stream `index`.
      const nodes = [
        { kind: 'its-group', identifier: 0, itsIdentifiers: [0] },
        { kind: 'smmu-v3', identifier: 1, baseAddress: 0x0900_0000n, idMappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0, outputReference: { node: 0 } }] },
        ...Array.from({ length: n }, (_, index) => ({
          kind: 'named-component', identifier: 2 + index, deviceName: `\\_SB.D${index}`,
          idMappings: [{ inputBase: 0, idCount: 0, outputBase: index, outputReference: { node: 1 }, singleMapping: true }],
        })),
      ];
      const table = parseIort(encodeIort({ signature: 'IORT', nodes }));
      const counter = { reads: 0 };
      const offsets = counted([...table.nodeOffsets], counter);
      const watched = new Proxy(table, { get: (target, key) => (key === 'nodeOffsets' ? offsets : Reflect.get(target, key, target)) });
      for (let index = 0; index < n; index++) {
        const result = translate(watched, { deviceName: `\\_SB.D${index}`, id: 0 });
        // Stream ID = the component's output base: each lookup found its own component.
        expect(result.results.map((final) => [final.nodeOffset, final.id])).toEqual([[table.nodeOffsets[1], index]]);
      }
      const total = n + 2;
      // Index: one scan. Per device: nodeAt + a start check + one check per hop (2 hops), each a binary search.
      expect(counter.reads).toBeLessThanOrEqual(total + n * 5 * (Math.ceil(Math.log2(total)) + 1));
    }
  });

  it('the first node of a name wins, as iort_scan_node() takes the first match', () => {
    const table = parseIort(encodeIort({ signature: 'IORT', nodes: [{ kind: 'named-component', identifier: 7, deviceName: '\\_SB.X' }, { kind: 'named-component', identifier: 8, deviceName: '\\_SB.X' }] }));
    expect(findNamedComponent(table, '\\_SB.X')?.identifier).toBe(7);
  });
});

describe('acpidump text', () => {
  it('gives each block its findings with a binary search per finding (reads ~ findings × log blocks)', () => {
    const blocks = 4096;
    const findings = Array.from({ length: 4 * blocks }, (_, index) => ({ line: 1 + index * 3, code: 'x' }));
    const counter = { reads: 0 };
    const lines = counted(Array.from({ length: blocks }, (_, index) => 1 + index * 12), counter);
    const owned = diagnosticsByBlock(lines, findings);
    expect(owned.map((list) => list.length)).toEqual(Array.from({ length: blocks }, () => 4));
    expect(owned[1]!.map((item) => item.line)).toEqual([13, 16, 19, 22]);
    // log2(4096) = 12 reads per finding; a filter per block would read findings × blocks.
    expect(counter.reads).toBeLessThanOrEqual(findings.length * 13);
  });

  it('findings before the first block belong to no block', () => {
    expect(diagnosticsByBlock([10, 20], [{ line: 3 }, { line: 10 }, { line: 25 }])).toEqual([[{ line: 10 }], [{ line: 25 }]]);
  });

  it('sniffing 64 KiB of blank lines finds no dump; a header after blank lines (CRLF too) is still found', () => {
    const blank = new TextEncoder().encode('\n'.repeat(64 * 1024));
    expect(classifyContent(blank, 'notes.txt')).toBeUndefined();
    const late = new TextEncoder().encode(`${'\r\n'.repeat(1000)}  DMAR @ 0x0000000000000000\r\n    0000: 44 4D 41 52\r\n`);
    expect(classifyContent(late, 'dump.txt')).toBe('acpidump-text');
    const data = new TextEncoder().encode(`${'\n \t\n'.repeat(500)}  0000: 44 4D 41 52 30 00\n`);
    expect(classifyContent(data, 'dump.txt')).toBe('acpidump-text');
  });
});

describe('PCI topology parent inference', () => {
  /** `n` bridges on bus 0 (device k, secondary bus k + 1) and an endpoint behind each; property reads counted. */
  function devices(n: number, counter: { reads: number }): PciDevice[] {
    const watch = (device: PciDevice): PciDevice =>
      new Proxy(device, {
        get(target, key, receiver) {
          if (key === 'secondaryBus' || key === 'bus') counter.reads++;
          return Reflect.get(target, key, receiver);
        },
      });
    const bridges = Array.from({ length: n }, (_, k) => ({ segment: 0, bus: 0, device: k % 32, function: Math.floor(k / 32) % 8, classCode: 0x060400, vendor: 0x8086, deviceId: 1, secondaryBus: k + 1 }));
    const endpoints = Array.from({ length: n }, (_, k) => ({ segment: 0, bus: k + 1, device: 0, function: 0, classCode: 0x020000, vendor: 0x8086, deviceId: 2 }));
    return [...bridges, ...endpoints].map(watch);
  }

  it('index bridges by secondary bus once: reads grow linearly with the device count', () => {
    for (const n of [250, 1000]) {
      const counter = { reads: 0 };
      const list = devices(n, counter);
      const notes: string[] = [];
      inferParents(list, notes);
      expect(list.slice(n).map((device) => device.parent)).toEqual(list.slice(0, n).map((bridge) => bdfOf(bridge)));
      expect(notes).toEqual([]);
      // A scan per device read ~2n × 2n secondaryBus fields.
      expect(counter.reads).toBeLessThanOrEqual(8 * 2 * n);
    }
  });

  it('a device on a bus no bridge leads to, below a bridge, gets a note and no parent', () => {
    const notes: string[] = [];
    const list: PciDevice[] = [
      { segment: 0, bus: 0, device: 1, function: 0, classCode: 0x060400, vendor: 1, deviceId: 1, secondaryBus: 1 },
      { segment: 0, bus: 5, device: 0, function: 0, classCode: 0x020000, vendor: 1, deviceId: 2 },
    ];
    inferParents(list, notes);
    expect(list[1]!.parent).toBeUndefined();
    expect(notes).toEqual(['0000:05:00.0: upstream bridge unknown; treated as sitting on a root bus']);
  });
});

describe('audit text rendering', () => {
  /** An audit of `n` RMRRs with one finding each, plus one finding of its own; `range.findings` reads counted. */
  function result(n: number, counter: { reads: number }): AuditResult {
    const ranges: AuditedRange[] = Array.from({ length: n }, (_, index) => ({
      table: 'DMAR', structure: 'RMRR', offset: 0x30 + index * 0x20, start: 0x1000n * BigInt(index), end: 0x1000n * BigInt(index) + 0xfffn, claims: ['endpoint 00:14.0'], kernelLog: [], kernelLogNotes: [],
      findings: counted([{ code: 'audit.rmrr.not-reserved', severity: 'warning', message: `range ${index}` } as unknown as AuditFinding], counter),
    }));
    const own = { code: 'audit.memmap.none', severity: 'info', message: 'no memory map' } as unknown as AuditFinding;
    return { kernel: { label: 'Linux 6.1' }, memoryMap: undefined, acceptedKinds: [], ranges, findings: [own, ...ranges.flatMap((range) => range.findings)] } as unknown as AuditResult;
  }

  it('separates the audit’s own findings from the ranges’ with one pass (reads linear in the ranges)', () => {
    for (const n of [500, 2000]) {
      const counter = { reads: 0 };
      const lines = auditLines(result(n, counter));
      expect(lines.filter((line) => line.startsWith('info: no memory map'))).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith('  warning: range '))).toHaveLength(n);
      expect(lines.filter((line) => line.startsWith('warning: range '))).toHaveLength(0);
      // A some/includes over every range per finding read ~n² / 2.
      expect(counter.reads).toBeLessThanOrEqual(4 * n);
    }
  });
});
