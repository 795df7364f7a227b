/**
 * Boot-time scope binding (src/dmar/regions/intel-binding.ts) through `analyzeIntel`: which
 * structures take part, `dmar_match_pci_path` and its one-element fallback, the header-type
 * check, and where `dmar_pci_bus_add_dev` / `dmar_iommu_notify_scope_dev` stop (kernel-semantics
 * §3.2, §3.3; drivers/iommu/intel/dmar.c). Tables are hand-built (test/support/dmar-builder.ts);
 * offsets are counted from the VT-d layout: 48-byte header, DRHD 16, RMRR 24, ATSR/SATC 8, scope 6 + 2 per hop.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { analyzeIntel, collectUnits, matchPciPath } from '../src/dmar/regions/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { dmar, drhd, rhsa, rmrr, scope, segmentStructure, type Bytes } from './support/dmar-builder.js';

const ALL = drhd({ flags: 1 });
const endpoint = (bus: number, path: [number, number][]): Bytes => scope({ type: 1, startBus: bus, path });
const bridge = (bus: number, path: [number, number][]): Bytes => scope({ type: 2, startBus: bus, path });
const atsr = (scopes: Bytes[], flags = 0) => segmentStructure(2, { flags, scopes });
const satc = (scopes: Bytes[]) => segmentStructure(5, { scopes });

function analyse(structures: Bytes[], devices: Record<string, unknown>[], kernel?: string) {
  return analyzeIntel(parseDmar(dmar({ structures }).bytes), topologyFromJson({ devices }), kernel === undefined ? undefined : kernelBehaviour(kernel));
}

const codes = (analysis: ReturnType<typeof analyse>, code: string) => analysis.findings.filter((item) => item.code === code);
const rmrrStarts = (analysis: ReturnType<typeof analyse>, bdf: string) =>
  analysis.devices.find((entry) => entry.device === bdf)?.regions.filter((region) => region.source.structure === 'RMRR').map((region) => region.start);

// Root port 00:1c.0 (buses 1–2) → switch port 01:00.0 (bus 2) → NIC 02:00.0; NIC 00:03.0 on bus 0.
const NIC = { bdf: '0000:00:03.0', class: '0x020000', headerType: 0 };
const PORT = { bdf: '0000:00:1c.0', class: '0x060400', headerType: 1, secondaryBus: 1, subordinateBus: 2 };
const SWITCH = { bdf: '0000:01:00.0', class: '0x060400', headerType: 1, parent: '0000:00:1c.0', secondaryBus: 2, subordinateBus: 2 };
const DEEP = { bdf: '0000:02:00.0', class: '0x020000', headerType: 0, parent: '0000:01:00.0' };
const TREE = [NIC, PORT, SWITCH, DEEP];
const R1 = { base: 0x10000n, limit: 0x1ffffn };

describe('dmar_match_pci_path', () => {
  it('a full path from the root bus matches the device, hop by hop', () => {
    const analysis = analyse([ALL, rmrr({ ...R1, scopes: [endpoint(0, [[0x1c, 0], [0, 0], [0, 0]])] })], TREE);
    expect(rmrrStarts(analysis, '0000:02:00.0')).toEqual([0x10000n]);
    expect(rmrrStarts(analysis, '0000:01:00.0')).toEqual([]);
    expect(codes(analysis, 'regions.intel.path-fallback')).toEqual([]);
  });

  it('a path that differs in one hop, in length, or in start bus names nothing', () => {
    for (const path of [
      [[0x1c, 1], [0, 0], [0, 0]],
      [[0x1c, 0], [1, 0], [0, 0]],
      [[0x1c, 0], [0, 0], [0, 1]],
      [[0x1c, 0], [0, 0]],
    ] as [number, number][][]) {
      const analysis = analyse([ALL, rmrr({ ...R1, scopes: [endpoint(0, path)] })], TREE);
      expect(rmrrStarts(analysis, '0000:02:00.0'), JSON.stringify(path)).toEqual([]);
    }
    // Start bus 1 with the full path from the root: the root bus is 0.
    expect(rmrrStarts(analyse([ALL, rmrr({ ...R1, scopes: [endpoint(1, [[0x1c, 0], [0, 0], [0, 0]])] })], TREE), '0000:02:00.0')).toEqual([]);
  });

  it('a one-element path on the device\'s own bus matches through the fallback; the wrong bus, device or function does not', () => {
    const fallback = analyse([ALL, rmrr({ ...R1, scopes: [endpoint(2, [[0, 0]])] })], TREE);
    expect(rmrrStarts(fallback, '0000:02:00.0')).toEqual([0x10000n]);
    expect(codes(fallback, 'regions.intel.path-fallback').map((item) => [item.message, item.offset, item.device, item.table])).toEqual([
      ['RMRR @0x40: "[Firmware Bug]: RMRR entry for device 02:00.0 is broken - applying workaround" (0000:02:00.0)', 0x58, '0000:02:00.0', 'DMAR'],
    ]);
    for (const [bus, path] of [[1, [[0, 0]]], [2, [[1, 0]]], [2, [[0, 1]]]] as [number, [number, number][]][]) {
      expect(rmrrStarts(analyse([ALL, rmrr({ ...R1, scopes: [endpoint(bus, path)] })], TREE), '0000:02:00.0'), `${bus} ${JSON.stringify(path)}`).toEqual([]);
    }
  });
});

describe('the header-type check of dmar_insert_dev_scope', () => {
  const mismatch = (analysis: ReturnType<typeof analyse>) => codes(analysis, 'regions.intel.scope-mismatch').map((item) => [item.message, item.offset, item.device]);

  it('an ENDPOINT scope on a type-1 bridge fails, naming header type and class; binding errors stop the IOMMU', () => {
    const analysis = analyse([ALL, rmrr({ ...R1, scopes: [endpoint(0, [[0x1c, 0]])] })], TREE);
    expect(mismatch(analysis)).toEqual([
      ['RMRR @0x40: endpoint 00:1c.0 names 0000:00:1c.0, header type 1, class 0x060400: "Device scope type does not match for 0000:00:1c.0"', 0x58, '0000:00:1c.0'],
    ]);
    expect(codes(analysis, 'regions.intel.scope-mismatch')[0]!.table).toBe('DMAR');
    expect(analysis.iommuEnabled).toBe(false);
  });

  it('says when the header type was derived from the class code', () => {
    const analysis = analyse([ALL, rmrr({ ...R1, scopes: [endpoint(0, [[0x1c, 0]])] })], [{ bdf: '0000:00:1c.0', class: '0x060400' }]);
    expect(mismatch(analysis)[0]![0]).toBe('RMRR @0x40: endpoint 00:1c.0 names 0000:00:1c.0, header type 1 (header type derived from the class code), class 0x060400: "Device scope type does not match for 0000:00:1c.0"');
  });

  it('a BRIDGE scope on a type-0 function: any base class 0x06 from ~v5.6, only 0x0680 before; never another base class', () => {
    const on = (cls: string, kernel?: string) => analyse([ALL, rmrr({ ...R1, scopes: [bridge(0, [[3, 0]])] })], [{ ...NIC, class: cls }], kernel);
    expect(on('0x060100').iommuEnabled).toBe(true);
    expect(on('0x068000').iommuEnabled).toBe(true);
    expect(on('0x058000').iommuEnabled).toBe(false);
    expect(on('0x020000').iommuEnabled).toBe(false);
    expect(on('0x068000', '5.5').iommuEnabled).toBe(true);
    expect(on('0x060100', '5.5').iommuEnabled).toBe(false);
    expect(mismatch(on('0x060100', '5.5'))[0]![0]).toBe('RMRR @0x40: bridge 00:03.0 names 0000:00:03.0, header type 0, class 0x060100: "Device scope type does not match for 0000:00:03.0"');
    // A BRIDGE scope on a real type-1 bridge is fine under every rule.
    expect(analyse([ALL, rmrr({ ...R1, scopes: [bridge(0, [[0x1c, 0]])] })], TREE, '5.5').iommuEnabled).toBe(true);
  });

  it('IOAPIC and HPET scopes are not bound to PCI functions even when their path names one', () => {
    const analysis = analyse([drhd({ scopes: [scope({ type: 3, startBus: 0, path: [[0x1c, 0]] }), scope({ type: 4, startBus: 0, path: [[3, 0]] })] })], TREE);
    expect(codes(analysis, 'regions.intel.scope-mismatch')).toEqual([]);
    expect(analysis.devices).toEqual([]);
  });
});

describe('collectUnits and matchPciPath, directly', () => {
  it('units in kernel list order: INCLUDE_PCI_ALL DRHDs at the tail, others and RMRRs/ATSRs/SATCs prepended; RMRRs alone carry a range', () => {
    const table = parseDmar(dmar({
      structures: [
        ALL,
        drhd({ base: 0xfed91000n, scopes: [endpoint(0, [[3, 0]])] }),
        drhd({ base: 0xfed92000n, scopes: [endpoint(0, [[4, 0]])] }),
        rmrr({ ...R1, scopes: [endpoint(0, [[3, 0]])] }),
        rmrr({ base: 0x20000n, limit: 0x2ffffn, scopes: [endpoint(0, [[3, 0]])] }),
        atsr([bridge(0, [[0x1c, 0]])], 1),
        atsr([bridge(0, [[0x1c, 0]])], 0),
        satc([endpoint(0, [[3, 0]])]),
        segmentStructure(5, { flags: 1, scopes: [endpoint(0, [[4, 0]])] }),
        rhsa({ base: 0xfed91000n }),
      ],
    }).bytes);
    const units = collectUnits(table);
    const plain = (kind: keyof typeof units) => units[kind].map((unit) => ({ ...unit, scopes: unit.scopes.map((item) => item.offset) }));
    // Offsets: 48 ALL (16), 64 and 88 DRHDs (24), 112 and 144 RMRRs (32), 176 and 192 ATSRs (16), 208 and 224 SATCs (16).
    expect(plain('DRHD')).toStrictEqual([
      { kind: 'DRHD', offset: 88, segment: 0, includeAll: false, scopes: [104], recorded: [] },
      { kind: 'DRHD', offset: 64, segment: 0, includeAll: false, scopes: [80], recorded: [] },
      { kind: 'DRHD', offset: 48, segment: 0, includeAll: true, scopes: [], recorded: [] },
    ]);
    expect(plain('RMRR')).toStrictEqual([
      { kind: 'RMRR', offset: 144, segment: 0, includeAll: false, scopes: [168], recorded: [], base: 0x20000n, end: 0x2ffffn },
      { kind: 'RMRR', offset: 112, segment: 0, includeAll: false, scopes: [136], recorded: [], base: 0x10000n, end: 0x1ffffn },
    ]);
    expect(plain('ATSR')).toStrictEqual([
      { kind: 'ATSR', offset: 192, segment: 0, includeAll: false, scopes: [200], recorded: [] },
      { kind: 'ATSR', offset: 176, segment: 0, includeAll: true, scopes: [184], recorded: [] },
    ]);
    // An INCLUDE_PCI_ALL DRHD listed before another (spec order broken) still goes to the tail.
    const late = collectUnits(parseDmar(dmar({ structures: [drhd({ base: 0xfed91000n, scopes: [endpoint(0, [[3, 0]])] }), ALL] }).bytes));
    expect(late.DRHD.map((unit) => [unit.offset, unit.includeAll])).toEqual([[48, false], [72, true]]);
    // SATC's ATC_REQUIRED flag is no "all" flag.
    expect(plain('SATC')).toStrictEqual([
      { kind: 'SATC', offset: 224, segment: 0, includeAll: false, scopes: [232], recorded: [] },
      { kind: 'SATC', offset: 208, segment: 0, includeAll: false, scopes: [216], recorded: [] },
    ]);
  });

  it('matchPciPath: normal, fallback or nothing', () => {
    const device = topologyFromJson({ devices: [DEEP] }).devices[0]!;
    const info = { device, rootBus: 0, path: [{ bus: 0, device: 0x1c, function: 0 }, { bus: 1, device: 0, function: 0 }, { bus: 2, device: 0, function: 0 }] };
    expect(matchPciPath(info, 0, [{ device: 0x1c, function: 0 }, { device: 0, function: 0 }, { device: 0, function: 0 }])).toBe('normal');
    expect(matchPciPath(info, 2, [{ device: 0, function: 0 }])).toBe('fallback');
    expect(matchPciPath(info, 1, [{ device: 0, function: 0 }])).toBeUndefined();
    expect(matchPciPath(info, 0, [{ device: 0x1c, function: 0 }, { device: 0, function: 0 }])).toBeUndefined();
  });
});

describe('which units bind, and where binding stops', () => {
  it('an INCLUDE_PCI_ALL DRHD binds none of its scopes: a mismatching scope there is harmless', () => {
    const analysis = analyse([drhd({ flags: 1, scopes: [endpoint(0, [[0x1c, 0]])] })], TREE);
    expect(analysis.iommuEnabled).toBe(true);
    expect(analysis.devices.map((entry) => entry.device)).toEqual(['0000:00:03.0', '0000:00:1c.0', '0000:01:00.0', '0000:02:00.0']);
  });

  it('DRHDs are tried in kernel order (last in the table first) and the first that records the device ends the search', () => {
    const good = drhd({ base: 0xfed91000n, scopes: [endpoint(0, [[3, 0]])] });
    const bad = drhd({ base: 0xfed92000n, scopes: [bridge(0, [[3, 0]])] });
    expect(analyse([bad, good], [NIC]).iommuEnabled).toBe(true);
    expect(analyse([good, bad], [NIC]).iommuEnabled).toBe(false);
  });

  it('a DRHD that repeats segment and register base is ignored; another base or segment is a unit of its own', () => {
    const first = drhd({ base: 0xfed91000n, scopes: [endpoint(0, [[3, 0]])] });
    const dup = drhd({ base: 0xfed91000n, scopes: [endpoint(0, [[4, 0]])] });
    const other = drhd({ base: 0xfed92000n, scopes: [endpoint(0, [[4, 0]])] });
    const otherSegment = drhd({ base: 0xfed91000n, segment: 1, scopes: [endpoint(0, [[4, 0]])] });
    const devices = [NIC, { bdf: '0000:00:04.0', class: '0x020000', headerType: 0 }, { bdf: '0001:00:04.0', class: '0x020000', headerType: 0 }];
    expect(analyse([first, dup], devices).devices.map((entry) => entry.device)).toEqual(['0000:00:03.0']);
    expect(analyse([first, other], devices).devices.map((entry) => entry.device)).toEqual(['0000:00:03.0', '0000:00:04.0']);
    expect(analyse([first, otherSegment], devices).devices.map((entry) => entry.device)).toEqual(['0000:00:03.0', '0001:00:04.0']);
  });

  it('a scope binds only devices of its structure\'s segment', () => {
    const devices = [{ bdf: '0001:00:03.0', class: '0x020000', headerType: 0 }];
    const analysis = analyse([drhd({ flags: 1, segment: 1 }), rmrr({ ...R1, segment: 0, scopes: [endpoint(0, [[3, 0]])] })], devices);
    expect(rmrrStarts(analysis, '0001:00:03.0')).toEqual([]);
    expect(codes(analysis, 'regions.intel.scope-unmatched')).toHaveLength(1);
    const same = analyse([drhd({ flags: 1, segment: 1 }), rmrr({ ...R1, segment: 1, scopes: [endpoint(0, [[3, 0]])] })], devices);
    expect(rmrrStarts(same, '0001:00:03.0')).toEqual([0x10000n]);
  });

  it('a DRHD binding error skips the RMRRs for that device: one error, not two', () => {
    const analysis = analyse([drhd({ scopes: [endpoint(0, [[0x1c, 0]])] }), ALL, rmrr({ ...R1, scopes: [endpoint(0, [[0x1c, 0]])] })], TREE);
    expect(codes(analysis, 'regions.intel.scope-mismatch').map((item) => item.offset)).toEqual([48 + 16]);
    expect(codes(analysis, 'regions.intel.iommu-off').map((item) => item.message)).toEqual(['device scope binding failed at boot (1 error(s)): intel_iommu_init gives up, no IOMMU groups']);
  });

  it('the first RMRR error ends the notify for that device: later RMRRs, ATSRs and SATCs are not tried', () => {
    const bad = (base: bigint) => rmrr({ base, limit: base + 0xfffn, scopes: [endpoint(0, [[0x1c, 0]])] });
    const analysis = analyse([ALL, bad(0x1000n), bad(0x2000n), atsr([endpoint(0, [[0x1c, 0]])])], TREE);
    // Kernel order: the second RMRR (at 64 + 32 = 96) is tried first.
    expect(codes(analysis, 'regions.intel.scope-mismatch').map((item) => item.offset)).toEqual([96 + 24]);
    // Every other device still binds: errors are per device.
    const two = analyse([ALL, bad(0x1000n), rmrr({ ...R1, scopes: [endpoint(0, [[3, 0]]), bridge(0, [[3, 0]])] })], TREE);
    expect(codes(two, 'regions.intel.scope-mismatch').map((item) => item.device)).toEqual(['0000:00:1c.0']);
  });

  it('ATSRs: an ALL_PORTS unit binds nothing; a bad scope is an error; the first unit that records the device ends the search', () => {
    const good = atsr([endpoint(0, [[3, 0]])]);
    const bad = atsr([bridge(0, [[3, 0]])]);
    expect(analyse([ALL, bad], [NIC]).iommuEnabled).toBe(false);
    expect(codes(analyse([ALL, bad], [NIC]), 'regions.intel.scope-mismatch')[0]!.message).toMatch(/^ATSR @0x40: bridge 00:03\.0 names 0000:00:03\.0/);
    expect(analyse([ALL, atsr([bridge(0, [[3, 0]])], 1)], [NIC]).iommuEnabled).toBe(true);
    // Kernel order is reverse table order: [bad, good] tries good first and stops.
    expect(analyse([ALL, bad, good], [NIC]).iommuEnabled).toBe(true);
    expect(analyse([ALL, good, bad], [NIC]).iommuEnabled).toBe(false);
    // A unit that does not name the device does not end the search: the next one is tried.
    const other = atsr([endpoint(0, [[9, 0]])]);
    expect(analyse([ALL, bad, other], [NIC]).iommuEnabled).toBe(false);
  });

  it('SATCs are notified after the ATSRs, and also when an ATSR recorded the device', () => {
    const bad = satc([bridge(0, [[3, 0]])]);
    expect(codes(analyse([ALL, bad], [NIC]), 'regions.intel.scope-mismatch')[0]!.message).toMatch(/^SATC @0x40: /);
    expect(analyse([ALL, atsr([endpoint(0, [[3, 0]])]), bad], [NIC]).iommuEnabled).toBe(false);
  });

  it('a VF is never bound: a mismatching scope naming one is no error', () => {
    const devices = [PORT, { bdf: '0000:01:00.0', class: '0x020000', headerType: 0, parent: '0000:00:1c.0' }, { bdf: '0000:01:00.1', class: '0x020000', headerType: 0, parent: '0000:00:1c.0', virtfn: true }];
    const analysis = analyse([ALL, rmrr({ ...R1, scopes: [bridge(0, [[0x1c, 0], [0, 1]])] })], devices);
    expect(analysis.iommuEnabled).toBe(true);
    expect(rmrrStarts(analysis, '0000:01:00.1')).toEqual([]);
  });

  it('RHSA and SIDP structures take no part; scope text shows every hop in hex', () => {
    const analysis = analyse([ALL, rmrr({ ...R1, scopes: [scope({ type: 1, startBus: 0x2a, path: [[0x1c, 7], [0x0a, 1]] })] }), rhsa(), segmentStructure(6, { scopes: [endpoint(0, [[3, 0]])] })], [NIC]);
    expect(codes(analysis, 'regions.intel.scope-unmatched').map((item) => item.message)).toEqual(['RMRR @0x40 [0x10000–0x1ffff]: endpoint 2a:1c.7/0a.1 names no device of the topology']);
    expect(analysis.iommuEnabled).toBe(true);
  });
});
