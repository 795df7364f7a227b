/**
 * The Intel per-device rules and findings of src/dmar/regions/intel.ts, field by field (issue 12:
 * tests that kill every wrong rule). Tables are built by hand with test/support/dmar-builder.ts,
 * so every offset below is counted from the layout: 48-byte DMAR header, DRHD fixed part 16
 * bytes, RMRR fixed part 24 bytes, a one-hop scope 8 bytes (VT-d §8.3, §8.4, §8.3.1).
 * Expected texts are the kernel's rules as kernel-semantics §3.3 states them.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { analyzeIntel } from '../src/dmar/regions/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { andd, dmar, drhd, rmrr, scope, type Bytes } from './support/dmar-builder.js';

const ALL = drhd({ flags: 1 });
const BASE = 0x40000000n;
const LIMIT = 0x400fffffn;
// The first structure sits at 48; an INCLUDE_PCI_ALL DRHD without scopes is 16 bytes long.
const RMRR_AT = 0x40;
const RMRR_SCOPE_AT = RMRR_AT + 24;

const endpoint = (bus: number, device: number, fn = 0, extra: Partial<Parameters<typeof scope>[0]> = {}): Bytes => scope({ type: 1, startBus: bus, path: [[device, fn]], ...extra });
const bridge = (bus: number, device: number, fn = 0): Bytes => scope({ type: 2, startBus: bus, path: [[device, fn]] });

function analyse(structures: Bytes[], devices: Record<string, unknown>[], options: { hawRaw?: number; kernel?: string; relaxRmrr?: boolean } = {}) {
  const table = parseDmar(dmar({ structures, hawRaw: options.hawRaw }).bytes);
  const kernel = options.kernel === undefined && options.relaxRmrr === undefined ? undefined : kernelBehaviour(options.kernel, { relaxRmrr: options.relaxRmrr });
  return analyzeIntel(table, topologyFromJson({ devices }), kernel);
}

const regionsOf = (analysis: ReturnType<typeof analyse>, bdf: string) => analysis.devices.find((entry) => entry.device === bdf)?.regions;
const findingsOf = (analysis: ReturnType<typeof analyse>, code: string) => analysis.findings.filter((item) => item.code === code);

const msi = (device: string) => ({
  start: 0xfee00000n,
  end: 0xfeefffffn,
  type: 'msi',
  prot: 0,
  source: { table: 'kernel', structure: 'interrupt window', detail: 'IOAPIC_RANGE_START–IOAPIC_RANGE_END' },
  reason: 'x86 interrupt address range, reported for every device',
  device,
});

const NIC = { bdf: '0000:00:03.0', class: '0x020000', headerType: 0 };
const PORT = { bdf: '0000:00:1c.0', class: '0x060400', headerType: 1, secondaryBus: 1, subordinateBus: 3 };
const BEHIND = { bdf: '0000:01:00.0', class: '0x020000', headerType: 0, parent: '0000:00:1c.0' };

describe('Intel per-device lists, every field', () => {
  it('an ENDPOINT RMRR on a NIC: direct, read+write, the scope and device named; then the interrupt window', () => {
    const analysis = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3)] })], [NIC]);
    expect(regionsOf(analysis, '0000:00:03.0')).toStrictEqual([
      {
        start: BASE,
        end: LIMIT,
        type: 'direct',
        prot: 3,
        source: { table: 'DMAR', offset: RMRR_AT, structure: 'RMRR', detail: `endpoint 00:03.0 @0x${RMRR_SCOPE_AT.toString(16)} → 0000:00:03.0` },
        reason: 'neither USB (0x0c03xx) nor display (0x03xxxx): not relaxable',
        device: '0000:00:03.0',
      },
      msi('0000:00:03.0'),
    ]);
    expect(analysis.findings).toEqual([]);
    expect(analysis.assumptions).toEqual([]);
    expect(analysis.iommuEnabled).toBe(true);
  });

  it('a BRIDGE scope reaches the device below and names the bridge with its bus range', () => {
    const analysis = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [bridge(0, 0x1c)] })], [PORT, BEHIND]);
    expect(regionsOf(analysis, '0000:01:00.0')![0]!.source.detail).toBe('bridge 00:1c.0 @0x58 → 0000:00:1c.0 and buses 0x01–0x03 below it');
    expect(regionsOf(analysis, '0000:01:00.0')![0]!.device).toBe('0000:01:00.0');
    // The bridge itself is the recorded device: it gets the region as well.
    expect(regionsOf(analysis, '0000:00:1c.0')!.map((region) => region.type)).toEqual(['direct', 'msi']);
  });

  it('before v5.3 a BRIDGE scope reaches the bridge only, not the devices below it', () => {
    const analysis = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [bridge(0, 0x1c)] })], [PORT, BEHIND], { kernel: '5.2' });
    expect(regionsOf(analysis, '0000:01:00.0')).toStrictEqual([msi('0000:01:00.0')]);
    expect(regionsOf(analysis, '0000:00:1c.0')!.map((region) => region.type)).toEqual(['direct', 'msi']);
  });

  it('a one-element path on the device\'s own bus matches through the fallback, and says so in the detail and a finding', () => {
    const analysis = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(1, 0)] })], [PORT, BEHIND]);
    expect(regionsOf(analysis, '0000:01:00.0')![0]!.source.detail).toBe('endpoint 01:00.0 @0x58 → 0000:01:00.0 (one-element path fallback)');
    expect(findingsOf(analysis, 'regions.intel.path-fallback')).toEqual([
      expect.objectContaining({ offset: 0x58, device: '0000:01:00.0', message: 'RMRR @0x40: "[Firmware Bug]: RMRR entry for device 01:00.0 is broken - applying workaround" (0000:01:00.0)' }),
    ]);
  });

  it('RMRRs come in reverse table order, one copy per recorded scope device', () => {
    const analysis = analyse(
      [ALL, rmrr({ base: 0x1000n, limit: 0x1fffn, scopes: [endpoint(0, 3)] }), rmrr({ base: 0x5000n, limit: 0x5fffn, scopes: [endpoint(0, 3)] })],
      [NIC],
    );
    expect(regionsOf(analysis, '0000:00:03.0')!.map((region) => [region.start, region.source.offset])).toEqual([[0x5000n, 0x60], [0x1000n, 0x40], [0xfee00000n, undefined]]);
  });

  it('display and USB functions get direct-relaxable with the reason; other serial-bus and base-class-3-like codes do not', () => {
    const typeOn = (cls: string) => {
      const analysis = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3)] })], [{ ...NIC, class: cls }]);
      return [regionsOf(analysis, '0000:00:03.0')![0]!.type, regionsOf(analysis, '0000:00:03.0')![0]!.reason];
    };
    expect(typeOn('0x0c0320')).toEqual(['direct-relaxable', 'USB controller (class 0x0c03xx): relaxable']);
    expect(typeOn('0x0c0300')).toEqual(['direct-relaxable', 'USB controller (class 0x0c03xx): relaxable']);
    expect(typeOn('0x030200')).toEqual(['direct-relaxable', 'display controller (class 0x03xxxx): relaxable']);
    for (const cls of ['0x0c0500', '0x0c0330'.replace('0c03', '0c04'), '0x0d0300', '0x040300', '0x000300', '0x0c0000', '0x020300']) {
      expect(typeOn(cls), cls).toEqual(['direct', 'neither USB (0x0c03xx) nor display (0x03xxxx): not relaxable']);
    }
  });

  it('before v5.3 a relaxable RMRR is reported as direct and says why; from v5.3 it carries no such mark', () => {
    const usb = { ...NIC, class: '0x0c0330' };
    const old = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3)] })], [usb], { kernel: '5.2' });
    expect(regionsOf(old, '0000:00:03.0')![0]).toMatchObject({
      type: 'direct',
      relaxableAsDirect: true,
      reason: 'USB controller (class 0x0c03xx): relaxable, but Linux 5.2 has no DIRECT_RELAXABLE type (v5.3+): reported as direct',
    });
    const current = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3)] })], [usb]);
    expect(regionsOf(current, '0000:00:03.0')![0]).not.toHaveProperty('relaxableAsDirect');
    // A non-relaxable device on an old kernel is plain direct, unmarked.
    const nic = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3)] })], [NIC], { kernel: '5.2' });
    expect(regionsOf(nic, '0000:00:03.0')![0]).not.toHaveProperty('relaxableAsDirect');
    expect(regionsOf(nic, '0000:00:03.0')![0]!.reason).toBe('neither USB (0x0c03xx) nor display (0x03xxxx): not relaxable');
  });

  it('relax_rmrr makes a NIC RMRR relaxable with the patch named; the USB reason wins over it', () => {
    const nic = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3)] })], [NIC], { kernel: '6.1', relaxRmrr: true });
    expect(regionsOf(nic, '0000:00:03.0')![0]).toMatchObject({
      type: 'direct-relaxable',
      reason: 'intel_iommu=relax_rmrr (out-of-tree, not in mainline: github.com/kiler129/relax-intel-rmrr (patches/add-relaxable-rmrr-*.patch, for 5.x kernels; built into some Proxmox community kernels)): relaxable',
    });
    const usb = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3)] })], [{ ...NIC, class: '0x0c0330' }], { kernel: '6.1', relaxRmrr: true });
    expect(regionsOf(usb, '0000:00:03.0')![0]!.reason).toBe('USB controller (class 0x0c03xx): relaxable');
  });

  it('the ISA region goes to class 0x0601xx functions only, typed and explained by release', () => {
    const isa = (type: string, reason: string) => ({
      start: 0n,
      end: 0xffffffn,
      type,
      prot: 3,
      source: { table: 'kernel', structure: 'ISA bridge (floppy workaround)', detail: 'CONFIG_INTEL_IOMMU_FLOPPY_WA' },
      reason,
      device: '0000:00:1f.0',
    });
    const lpc = (cls: string, kernel?: string) => regionsOf(analyse([ALL], [{ bdf: '0000:00:1f.0', class: cls, headerType: 0 }], { kernel }), '0000:00:1f.0');
    expect(lpc('0x060100')).toStrictEqual([isa('direct-relaxable', 'ISA bridge (class 0x0601xx): 0–16 MiB identity map for legacy DMA, relaxable'), msi('0000:00:1f.0')]);
    expect(lpc('0x060180', '5.3')).toStrictEqual([isa('direct', 'ISA bridge (class 0x0601xx): 0–16 MiB identity map for legacy DMA, direct on Linux 5.3 (relaxable from ~v5.5)'), msi('0000:00:1f.0')]);
    expect(lpc('0x060100', '5.2')).toStrictEqual([msi('0000:00:1f.0')]);
    // Other bridge classes (host 0x0600, other 0x0680) and a non-bridge 0x01 subclass get no ISA region.
    for (const cls of ['0x060000', '0x068000', '0x070100', '0x010100']) expect(lpc(cls), cls).toStrictEqual([msi('0000:00:1f.0')]);
  });
});

describe('Intel findings: why the IOMMU stays off, and scopes that reach nothing', () => {
  const off = (analysis: ReturnType<typeof analyse>) => findingsOf(analysis, 'regions.intel.iommu-off').map((item) => {
    expect(item.table).toBe('DMAR');
    return [item.message, item.offset];
  });

  it('each parser code the kernel rejects turns the IOMMU off, named with its code and offset', () => {
    // HAW byte 10 (< 11, 11 bits) at header offset 36: "Invalid DMAR haw".
    const haw = analyse([ALL], [NIC], { hawRaw: 10 });
    expect(off(haw)).toEqual([['Invalid DMAR haw (dmar.haw.invalid): no Intel IOMMU, no groups', 36]]);
    expect(haw.iommuEnabled).toBe(false);
    expect(haw.groups).toEqual([]);
    // No DRHD at all: the parser reports it at offset 0.
    expect(off(analyse([rmrr({ scopes: [endpoint(0, 3)] })], [NIC]))).toEqual([['No DMAR devices found (dmar.drhd.none): no Intel IOMMU, no groups', 0]]);
    // A DRHD whose register base is 0: the unit at 48.
    const zero = off(analyse([drhd({ flags: 1, base: 0n })], [NIC]));
    expect(zero).toHaveLength(1);
    expect(zero[0]![0]).toBe('a DRHD at address 0 fails detect_intel_iommu() (dmar.drhd.base-zero): no Intel IOMMU, no groups');
    // An ANDD without a NUL, the last structure (at 64).
    const name = off(analyse([ALL, andd({ terminated: false })], [NIC]));
    expect(name.map(([message]) => message)).toEqual(['an ANDD name is not NUL-terminated: DMAR parse fails (dmar.andd.unterminated): no Intel IOMMU, no groups']);
    expect(name[0]![1]).toBeGreaterThanOrEqual(0x40);
    // A structure whose Length passes the table end (the RMRR at 64 claims 200 bytes).
    expect(off(analyse([ALL, rmrr({ length: 200, scopes: [endpoint(0, 3)] })], [NIC]))).toEqual([['Record passes table end: DMAR rejected (dmar.length.overrun): no Intel IOMMU, no groups', 0x40]]);
  });

  it('a header too short to read says so and gives no groups', () => {
    const table = parseDmar(dmar({ structures: [ALL] }).bytes.subarray(0, 30));
    const analysis = analyzeIntel(table, topologyFromJson({ devices: [NIC] }));
    expect(analysis.iommuEnabled).toBe(false);
    // Nothing else: no parser code, no width finding (no width), and no DRHD covers the NIC.
    expect(analysis.findings).toEqual([
      expect.objectContaining({ code: 'regions.intel.iommu-off', message: 'the DMAR header is unusable: no Intel IOMMU', offset: 0, table: 'DMAR' }),
      expect.objectContaining({ code: 'regions.intel.no-drhd', device: '0000:00:03.0' }),
    ]);
  });

  it('a parser warning that Linux tolerates leaves the IOMMU on', () => {
    // dmar.drhd.misaligned, dmar.rmrr.misaligned: warnings only.
    const analysis = analyse([drhd({ flags: 1, base: 0xfed90800n }), rmrr({ base: 0x40000800n, limit: LIMIT, scopes: [endpoint(0, 3)] })], [NIC]);
    expect(off(analysis)).toEqual([]);
    expect(analysis.iommuEnabled).toBe(true);
  });

  it('a namespace scope and an unmatched PCI scope are named, in table order; IOAPIC scopes are not PCI scopes', () => {
    const analysis = analyse(
      [
        ALL,
        andd({ deviceNumber: 7 }),
        rmrr({ base: 0x1000n, limit: 0x1fffn, scopes: [scope({ type: 5, enumerationId: 7, path: [[0, 0]] }), endpoint(0, 5)] }),
        rmrr({ base: 0x5000n, limit: 0x5fffn, scopes: [bridge(0, 6), scope({ type: 3, enumerationId: 2, path: [[0x1f, 0]] })] }),
      ],
      [NIC],
    );
    // ALL at 48 (16 bytes), the ANDD at 64 (8 + 15 name bytes = 23), the first RMRR at 87 (24 + 8 + 8), the second at 127.
    expect(analysis.findings.filter((item) => item.code === 'regions.intel.namespace-scope' || item.code === 'regions.intel.scope-unmatched').map((item) => [item.code, item.message, item.offset, item.table])).toEqual([
      ['regions.intel.namespace-scope', 'RMRR @0x57: ACPI namespace scope (device 7) never receives the region', 87 + 24, 'DMAR'],
      ['regions.intel.scope-unmatched', 'RMRR @0x57 [0x1000–0x1fff]: endpoint 00:05.0 names no device of the topology', 87 + 32, 'DMAR'],
      ['regions.intel.scope-unmatched', 'RMRR @0x7f [0x5000–0x5fff]: bridge 00:06.0 names no device of the topology', 127 + 24, 'DMAR'],
    ]);
    expect(analysis.iommuEnabled).toBe(true);
  });

  it('a scope that names no device is reported even when another scope of the same RMRR matched', () => {
    const analysis = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3), endpoint(0, 9)] })], [NIC]);
    expect(findingsOf(analysis, 'regions.intel.scope-unmatched').map((item) => [item.message, item.offset])).toEqual([
      ['RMRR @0x40 [0x40000000–0x400fffff]: endpoint 00:09.0 names no device of the topology', RMRR_SCOPE_AT + 8],
    ]);
  });

  it('a scope binding error turns the IOMMU off, counting the errors and pointing at the first', () => {
    // An ENDPOINT scope naming a type-1 bridge fails dmar_insert_dev_scope (-EINVAL).
    const analysis = analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 0x1c)] })], [PORT, BEHIND]);
    expect(off(analysis)).toEqual([['device scope binding failed at boot (1 error(s)): intel_iommu_init gives up, no IOMMU groups', RMRR_SCOPE_AT]]);
    expect(analysis.groups).toEqual([]);
  });

  it('a device no DRHD covers gets no list and a finding naming its segment', () => {
    const analysis = analyse([drhd({ scopes: [endpoint(0, 3)] })], [NIC, { bdf: '0000:00:04.0', class: '0x020000', headerType: 0 }]);
    expect(analysis.devices.map((entry) => entry.device)).toEqual(['0000:00:03.0']);
    expect(findingsOf(analysis, 'regions.intel.no-drhd')).toEqual([
      expect.objectContaining({ message: '0000:00:04.0: no DRHD covers segment 0x0000 for this device', device: '0000:00:04.0', table: 'DMAR' }),
    ]);
  });

  it('a DRHD BRIDGE scope covers the devices below the bridge; an INCLUDE_PCI_ALL of another segment covers nothing here', () => {
    const below = analyse([drhd({ scopes: [bridge(0, 0x1c)] })], [PORT, BEHIND, NIC]);
    expect(below.devices.map((entry) => entry.device)).toEqual(['0000:00:1c.0', '0000:01:00.0']);
    const other = analyse([drhd({ flags: 1, segment: 1 })], [NIC]);
    expect(other.devices).toEqual([]);
    expect(findingsOf(other, 'regions.intel.no-drhd').map((item) => item.device)).toEqual(['0000:00:03.0']);
  });

  it('an RMRR above the width on a covered device is a boot crash: IOMMU counted off; on an uncovered device it is not', () => {
    // hawRaw 38: 39 bits. The RMRR ends at 2^40 - 1, above 2^39 and below 2^57.
    const above = rmrr({ base: 0xff00000000n, limit: 0xffffffffffn, scopes: [endpoint(0, 3)] });
    const covered = analyse([ALL, above], [NIC]);
    expect(findingsOf(covered, 'regions.intel.boot-crash').map((item) => item.device)).toEqual(['0000:00:03.0']);
    expect(covered.iommuEnabled).toBe(false);
    expect(covered.groups).toEqual([]);
    const uncovered = analyse([drhd({ scopes: [endpoint(0, 4)] }), above], [NIC, { bdf: '0000:00:04.0', class: '0x020000', headerType: 0 }]);
    expect(findingsOf(uncovered, 'regions.intel.boot-crash')).toEqual([]);
    expect(findingsOf(uncovered, 'regions.intel.above-width')).toHaveLength(1);
    expect(uncovered.iommuEnabled).toBe(true);
  });

  it('states the header-type assumption only when a header type was derived from the class code', () => {
    expect(analyse([ALL], [NIC]).assumptions).toEqual([]);
    expect(analyse([ALL], [{ bdf: '0000:00:03.0', class: '0x020000' }]).assumptions).toEqual(['header types derived from class codes (0x0604/0x0609 → 1, 0x0607 → 2, else 0)']);
    // One derived header type among given ones is enough.
    expect(analyse([ALL], [NIC, { bdf: '0000:00:04.0', class: '0x020000' }]).assumptions).toHaveLength(1);
  });

  it('the Intel lists carry no per-device notes', () => {
    expect(analyse([ALL, rmrr({ base: BASE, limit: LIMIT, scopes: [endpoint(0, 3)] })], [NIC]).devices).toEqual([expect.objectContaining({ device: '0000:00:03.0', notes: [] })]);
  });
});
