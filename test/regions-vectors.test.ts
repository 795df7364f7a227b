/** docs/kernel-semantics.md §7: every test vector, byte-identical sysfs text. */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseMadt } from '../src/madt/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { analyzeArm, type ArmOptions } from '../src/iort/regions/index.js';
import { analyzeIntel } from '../src/dmar/regions/index.js';
import { apertureFromBits, vfioUsableIova } from '../src/regions/iova.js';
import { evaluatePassthrough } from '../src/regions/passthrough.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { buildDmar, buildIort, buildMadtWithIts, T4_VECTOR, type DmarSpec, type IortSpec } from './support/region-tables.js';

type JsonDevice = Record<string, unknown>;

function intel(spec: DmarSpec, devices: JsonDevice[], groups?: Record<string, string[]>) {
  const topology = topologyFromJson(groups === undefined ? { devices } : { devices, groups });
  return analyzeIntel(parseDmar(buildDmar(spec)), topology);
}

function groupText(analysis: ReturnType<typeof intel>, member: string): string {
  const group = analysis.groups.find((entry) => entry.devices.includes(member));
  if (group === undefined) throw new Error(`no group holds ${member}`);
  return formatSysfs(group.regions);
}

const MSI = '0x00000000fee00000 0x00000000feefffff msi\n';
const usbRmrr = (bus: number, path: [number, number][], kind: 'endpoint' | 'bridge' = 'endpoint') => ({
  base: 0x3e2e0000n,
  end: 0x3e2fffffn,
  scopes: [{ kind, bus, path }],
});

describe('Intel vectors (kernel-semantics §7 T1–T10)', () => {
  it('T1: USB controller with RMRR is relaxable', () => {
    const analysis = intel({ rmrrs: [usbRmrr(0, [[0x14, 0]])] }, [{ bdf: '0000:00:14.0', class: '0x0c0330' }]);
    expect(groupText(analysis, '0000:00:14.0')).toBe('0x000000003e2e0000 0x000000003e2fffff direct-relaxable\n' + MSI);
  });

  it('T2: the same RMRR on a NIC is direct; usable IOVA and refusal', () => {
    const analysis = intel({ rmrrs: [usbRmrr(0, [[0x1f, 6]])] }, [{ bdf: '0000:00:1f.6', class: '0x020000' }]);
    const group = analysis.groups[0]!;
    expect(formatSysfs(group.regions)).toBe('0x000000003e2e0000 0x000000003e2fffff direct\n' + MSI);
    const iova = vfioUsableIova(apertureFromBits(39), group.regions);
    expect(iova.ranges).toEqual([
      { start: 0n, end: 0x3e2dffffn },
      { start: 0x3e300000n, end: 0xfedfffffn },
      { start: 0xfef00000n, end: 0x7fffffffffn },
    ]);
    const verdict = evaluatePassthrough(group.members);
    expect(verdict.refusedSince66).toBe(true);
    expect(verdict.refusedIntelLegacy).toBe(true);
    expect(verdict.rmrrLockedDevices).toEqual(['0000:00:1f.6']);
  });

  it('T3: a bridge scope covers the bridge and the buses behind it, nothing else', () => {
    const analysis = intel(
      { rmrrs: [{ base: 0x7a000000n, end: 0x7a0fffffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] }] },
      [
        { bdf: '0000:00:1c.0', class: '0x060400', secondaryBus: 2, subordinateBus: 3 },
        { bdf: '0000:00:1d.0', class: '0x060400', secondaryBus: 4, subordinateBus: 4 },
        { bdf: '0000:02:00.0', class: '0x010802', parent: '0000:00:1c.0' },
        { bdf: '0000:04:00.0', class: '0x010802', parent: '0000:00:1d.0' },
      ],
    );
    const rmrr = '0x000000007a000000 0x000000007a0fffff direct\n';
    expect(groupText(analysis, '0000:02:00.0')).toBe(rmrr + MSI);
    expect(groupText(analysis, '0000:04:00.0')).toBe(MSI);
    expect(groupText(analysis, '0000:00:1c.0')).toBe(rmrr + MSI);
  });

  it('T4: multi-function group with mixed relaxability: adjacent regions of different types stay apart', () => {
    const analysis = intel(
      T4_VECTOR.dmar,
      T4_VECTOR.devices,
      { '0': ['0000:00:01.0'], '1': ['0000:03:00.0', '0000:03:00.1'] },
    );
    expect(groupText(analysis, '0000:03:00.0')).toBe(
      '0x000000009d000000 0x000000009d7fffff direct-relaxable\n0x000000009d800000 0x000000009dffffff direct\n' + MSI,
    );
    const group = analysis.groups.find((entry) => entry.group === 1)!;
    expect(evaluatePassthrough(group.members).directDevices.map((entry) => entry.device)).toEqual(['0000:03:00.1']);
  });

  it('T5: adjacent RMRRs of one type merge', () => {
    const scope = { kind: 'endpoint' as const, bus: 0, path: [[2, 0]] as [number, number][] };
    const analysis = intel(
      { rmrrs: [{ base: 0x7b800000n, end: 0x7bffffffn, scopes: [scope] }, { base: 0x7c000000n, end: 0x7fffffffn, scopes: [scope] }] },
      [{ bdf: '0000:00:02.0', class: '0x030000' }],
    );
    expect(groupText(analysis, '0000:00:02.0')).toBe('0x000000007b800000 0x000000007fffffff direct-relaxable\n' + MSI);
  });

  it('T6: equal start, different types: direct sorts before msi', () => {
    const analysis = intel(
      { rmrrs: [{ base: 0xfee00000n, end: 0xfeefffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x19, 0]] }] }] },
      [{ bdf: '0000:00:19.0', class: '0x020000' }],
    );
    expect(groupText(analysis, '0000:00:19.0')).toBe('0x00000000fee00000 0x00000000feefffff direct\n' + MSI);
  });

  it('T7: a broken one-element path matches through the fallback', () => {
    const analysis = intel(
      { rmrrs: [{ base: 0x80000000n, end: 0x800fffffn, scopes: [{ kind: 'endpoint', bus: 3, path: [[0, 0]] }] }] },
      [
        { bdf: '0000:00:1c.0', class: '0x060400' },
        { bdf: '0000:03:00.0', class: '0x028000', parent: '0000:00:1c.0' },
      ],
    );
    expect(groupText(analysis, '0000:03:00.0')).toBe('0x0000000080000000 0x00000000800fffff direct\n' + MSI);
    expect(analysis.findings.map((item) => item.code)).toContain('regions.intel.path-fallback');
  });

  it('T8: ISA bridge floppy workaround for the whole group', () => {
    const analysis = intel({}, [
      { bdf: '0000:00:1f.0', class: '0x060100', group: 7 },
      { bdf: '0000:00:1f.3', class: '0x040300', group: 7 },
      { bdf: '0000:00:1f.4', class: '0x0c0500', group: 7 },
    ]);
    expect(groupText(analysis, '0000:00:1f.4')).toBe('0x0000000000000000 0x0000000000ffffff direct-relaxable\n' + MSI);
  });

  it('T9: an RMRR of another segment is ignored', () => {
    const analysis = intel({ rmrrs: [{ ...usbRmrr(0, [[0x14, 0]]), segment: 1 }] }, [{ bdf: '0000:00:14.0', class: '0x0c0330' }]);
    expect(groupText(analysis, '0000:00:14.0')).toBe(MSI);
  });

  it('T10: a bad RMRR is still used', () => {
    const analysis = intel(
      { rmrrs: [{ base: 0xe0000n, end: 0xe0fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }] },
      [{ bdf: '0000:00:14.0', class: '0x0c0330' }],
    );
    expect(groupText(analysis, '0000:00:14.0')).toBe('0x00000000000e0000 0x00000000000e0fff direct-relaxable\n' + MSI);
  });
});

// ── Arm ─────────────────────────────────────────────────────────────────────────────────────

const SW_MSI = '0x0000000008000000 0x00000000080fffff msi\n';
const ARM_DEVICES = [
  { bdf: '0000:00:01.0', class: '0x060400', vendor: '0x1b36', device: '0x000c', pcieType: 'root-port' },
  { bdf: '0000:01:00.0', class: '0x020000', parent: '0000:00:01.0' },
  { bdf: '0000:02:00.0', class: '0x020000' },
];

function a1(extra: Partial<IortSpec> = {}): IortSpec {
  return {
    rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }],
    smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
    ...extra,
  };
}

const rmr = (flags: number, output: number, descriptors = [{ base: 0x80000000n, length: 0x10000n }], count = 0) => ({
  flags,
  mappings: [{ input: 0, count, output, target: 'smmu' as const }],
  descriptors,
});

function arm(spec: IortSpec, options: ArmOptions = {}, member = '0000:01:00.0', madt?: Uint8Array): string {
  const analysis = analyzeArm(parseIort(buildIort(spec)), madt === undefined ? undefined : parseMadt(madt), topologyFromJson({ devices: ARM_DEVICES }), options);
  const group = analysis.groups.find((entry) => entry.devices.includes(member));
  if (group === undefined) throw new Error(`no group holds ${member}`);
  return formatSysfs(group.regions);
}

describe('Arm vectors (kernel-semantics §7 A1–A6)', () => {
  it('A1: SMMUv3 without RMR: only the SW MSI window', () => {
    expect(arm(a1())).toBe(SW_MSI);
  });

  it('A2: RMR without remapping permitted is direct; flags, preserve_config, revision and SID gates', () => {
    const direct = '0x0000000080000000 0x000000008000ffff direct\n';
    expect(arm(a1({ rmrs: [rmr(0, 0x100)] }), { preserveBootConfig: true })).toBe(SW_MSI + direct);
    expect(arm(a1({ rmrs: [rmr(1, 0x100)] }))).toBe(SW_MSI + '0x0000000080000000 0x000000008000ffff direct-relaxable\n');
    expect(arm(a1({ rmrs: [rmr(0, 0x100)] }), { preserveBootConfig: false })).toBe(SW_MSI);
    expect(arm(a1({ rmrs: [rmr(0, 0x100)], revision: 4 }))).toBe(SW_MSI);
    expect(arm(a1({ rmrs: [rmr(0, 0x100)] }), {}, '0000:02:00.0')).toBe(SW_MSI);
  });

  it('A3: an unaligned descriptor is rounded to the kernel page size', () => {
    const spec = a1({ rmrs: [rmr(0, 0x100, [{ base: 0x80001000n, length: 0x3000n }])] });
    expect(arm(spec, { pageSize: 4096 })).toBe(SW_MSI + '0x0000000080001000 0x0000000080003fff direct\n');
    expect(arm(spec, { pageSize: 65536 })).toBe(SW_MSI + '0x0000000080000000 0x000000008000ffff direct\n');
  });

  it('A4: HiSilicon SMMUv3 adds the ITS doorbell page as msi', () => {
    const madt = buildMadtWithIts([{ id: 0, base: 0x202100000n }]);
    expect(arm(a1({ smmuModel: 1 }), {}, '0000:01:00.0', madt)).toBe(SW_MSI + '0x0000000202110000 0x000000020211ffff msi\n');
    expect(arm(a1({ smmuModel: 0 }), {}, '0000:01:00.0', madt)).toBe(SW_MSI);
  });

  it('A5: the id_count off-by-one resolution picks the mapping that starts at the ID', () => {
    const rc = [
      { input: 0, count: 0x100, output: 0, target: 'smmu' as const },
      { input: 0x100, count: 0xff, output: 0x10000, target: 'smmu' as const },
    ];
    const smmu = [{ input: 0, count: 0xfffff, output: 0, target: 'its' as const }];
    const direct = '0x0000000080000000 0x000000008000ffff direct\n';
    expect(arm({ rc, smmu, rmrs: [rmr(0, 0x10000)] })).toBe(SW_MSI + direct);
    expect(arm({ rc, smmu, rmrs: [rmr(0, 0x100)] })).toBe(SW_MSI);
  });

  it('A6: adjacent descriptors of one node merge', () => {
    const spec = a1({ rmrs: [rmr(0, 0x100, [{ base: 0x80000000n, length: 0x10000n }, { base: 0x80010000n, length: 0x10000n }])] });
    expect(arm(spec)).toBe(SW_MSI + '0x0000000080000000 0x000000008001ffff direct\n');
  });
});
