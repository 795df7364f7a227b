/** Derivation edge cases beyond the §7 vectors: scope binding quirks (Intel) and aliases/RMR corner cases (Arm). */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { analyzeArm } from '../src/iort/regions/index.js';
import { analyzeIntel } from '../src/dmar/regions/index.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { buildDmar, buildIort, type DmarSpec, type IortSpec } from './support/region-tables.js';

const MSI = '0x00000000fee00000 0x00000000feefffff msi\n';
const SW_MSI = '0x0000000008000000 0x00000000080fffff msi\n';
const RMRR = { base: 0x40000000n, end: 0x400fffffn };

function intel(spec: DmarSpec, devices: Record<string, unknown>[]) {
  return analyzeIntel(parseDmar(buildDmar(spec)), topologyFromJson({ devices }));
}

const text = (analysis: ReturnType<typeof intel>, bdf: string) => formatSysfs(analysis.groups.find((group) => group.devices.includes(bdf))?.regions ?? []);

describe('Intel scope binding', () => {
  const PORT = { bdf: '0000:00:1c.0', class: '0x060400' };
  const NIC = { bdf: '0000:01:00.0', class: '0x020000', parent: '0000:00:1c.0' };
  const LPC = { bdf: '0000:00:1f.0', class: '0x060100' };

  it('an ENDPOINT scope naming a bridge turns the IOMMU off at boot: no groups', () => {
    const analysis = intel({ rmrrs: [{ ...RMRR, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1c, 0]] }] }] }, [PORT, NIC]);
    expect(analysis.iommuEnabled).toBe(false);
    expect(analysis.groups).toEqual([]);
    expect(analysis.findings.map((item) => item.code)).toEqual(expect.arrayContaining(['regions.intel.scope-mismatch', 'regions.intel.iommu-off']));
    expect(analysis.findings.find((item) => item.code === 'regions.intel.scope-mismatch')!.message).toContain('header type derived');
  });

  it('relaxable means USB (0x0c03xx) only among serial-bus functions: SMBus and other 0x0c devices get direct', () => {
    const on = (bdf: string, cls: string) => text(intel({ rmrrs: [{ ...RMRR, scopes: [{ kind: 'endpoint', bus: 0, path: [[Number.parseInt(bdf.slice(8, 10), 16), 0]] }] }] }, [{ bdf, class: cls }]), bdf);
    expect(on('0000:00:1f.0', '0x0c0500')).toBe(`0x0000000040000000 0x00000000400fffff direct\n${MSI}`);
    expect(on('0000:00:15.0', '0x0c8000')).toBe(`0x0000000040000000 0x00000000400fffff direct\n${MSI}`);
    expect(on('0000:00:14.0', '0x0c0330')).toBe(`0x0000000040000000 0x00000000400fffff direct-relaxable\n${MSI}`);
    expect(on('0000:00:02.0', '0x038000')).toBe(`0x0000000040000000 0x00000000400fffff direct-relaxable\n${MSI}`);
    const reason = (bdf: string, cls: string) => intel({ rmrrs: [{ ...RMRR, scopes: [{ kind: 'endpoint', bus: 0, path: [[Number.parseInt(bdf.slice(8, 10), 16), 0]] }] }] }, [{ bdf, class: cls }]).devices[0]!.regions[0]!.reason;
    expect(reason('0000:00:14.0', '0x0c0330')).toBe('USB controller (class 0x0c03xx): relaxable');
    expect(reason('0000:00:02.0', '0x030000')).toBe('display controller (class 0x03xxxx): relaxable');
    expect(reason('0000:00:1f.0', '0x0c0500')).toBe('neither USB (0x0c03xx) nor display (0x03xxxx): not relaxable');
  });

  it('a BRIDGE scope on a type-0 function is a mismatch unless its base class is 0x06', () => {
    expect(intel({ rmrrs: [{ ...RMRR, scopes: [{ kind: 'bridge', bus: 1, path: [[0, 0]] }] }] }, [PORT, NIC]).iommuEnabled).toBe(false);
    const lpc = intel({ rmrrs: [{ ...RMRR, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1f, 0]] }] }] }, [PORT, NIC, LPC]);
    expect(lpc.iommuEnabled).toBe(true);
    expect(text(lpc, '0000:00:1f.0')).toBe('0x0000000000000000 0x0000000000ffffff direct-relaxable\n0x0000000040000000 0x00000000400fffff direct\n' + MSI);
  });

  it('records a device once per RMRR, but emits a copy per matching scope device', () => {
    const analysis = intel(
      { rmrrs: [{ ...RMRR, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }, { kind: 'endpoint', bus: 0, path: [[0x1c, 0], [0, 0]] }] }] },
      [PORT, NIC],
    );
    const nic = analysis.devices.find((entry) => entry.device === '0000:01:00.0')!;
    expect(nic.regions.filter((region) => region.source.structure === 'RMRR')).toHaveLength(2);
    expect(text(analysis, '0000:01:00.0')).toBe('0x0000000040000000 0x00000000400fffff direct\n' + MSI);
  });

  it('never gives an RMRR to an ACPI namespace scope', () => {
    const analysis = intel({ rmrrs: [{ ...RMRR, scopes: [{ kind: 'namespace', bus: 0, path: [[0, 0]], id: 1 }] }] }, [PORT, NIC]);
    expect(analysis.devices.every((entry) => entry.regions.every((region) => region.source.structure !== 'RMRR'))).toBe(true);
    expect(analysis.findings.some((item) => item.code === 'regions.intel.namespace-scope')).toBe(true);
  });

  it('ignores SR-IOV VFs in scope binding but covers them through a bridge scope', () => {
    const analysis = intel(
      { rmrrs: [{ ...RMRR, scopes: [{ kind: 'endpoint', bus: 1, path: [[0, 2]] }] }, { base: 0x50000000n, end: 0x5000ffffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] }] },
      [PORT, NIC, { bdf: '0000:01:00.2', class: '0x020000', parent: '0000:00:1c.0', virtfn: true }],
    );
    expect(text(analysis, '0000:01:00.2')).toBe('0x0000000050000000 0x000000005000ffff direct\n' + MSI);
  });

  it('gives no IOMMU to a device that no DRHD covers', () => {
    const analysis = intel({ drhds: [{ flags: 0, scopes: [{ kind: 'endpoint', bus: 0, path: [[2, 0]] }] }] }, [
      { bdf: '0000:00:02.0', class: '0x030000' },
      { bdf: '0000:00:03.0', class: '0x020000' },
    ]);
    expect(analysis.devices.map((entry) => entry.device)).toEqual(['0000:00:02.0']);
    expect(analysis.findings.some((item) => item.code === 'regions.intel.no-drhd' && item.device === '0000:00:03.0')).toBe(true);
  });

  it('prints a malformed RMRR (end < base) verbatim', () => {
    const analysis = intel({ rmrrs: [{ base: 0x9000000n, end: 0x8ffffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[3, 0]] }] }] }, [{ bdf: '0000:00:03.0', class: '0x020000' }]);
    expect(text(analysis, '0000:00:03.0')).toBe('0x0000000009000000 0x0000000008ffffff direct\n' + MSI);
  });

  it('a DMAR the kernel rejects gives no groups', () => {
    const analysis = intel({ width: 8 }, [{ bdf: '0000:00:03.0', class: '0x020000' }]);
    expect(analysis.iommuEnabled).toBe(false);
    expect(analysis.findings.some((item) => item.code === 'regions.intel.iommu-off' && /haw/.test(item.message))).toBe(true);
  });
});

describe('Arm aliases and RMR corner cases', () => {
  // Root port 00:01.0 → QEMU pcie-pci-bridge 01:00.0 (secondary bus 2) → 02:01.0 and 02:02.0.
  const DEVICES = [
    { bdf: '0000:00:00.0', class: '0x060000' },
    { bdf: '0000:00:01.0', class: '0x060400', vendor: '0x1b36', device: '0x000c' },
    { bdf: '0000:01:00.0', class: '0x060400', vendor: '0x1b36', device: '0x000e', parent: '0000:00:01.0' },
    { bdf: '0000:02:01.0', class: '0x020000', parent: '0000:01:00.0' },
    { bdf: '0000:02:02.0', class: '0x020000', parent: '0000:01:00.0' },
  ];
  const BASE: IortSpec = { rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }], smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }] };
  const rmrOn = (output: number, length = 0x10000n) => ({ flags: 0, mappings: [{ input: 0, count: 0, output, target: 'smmu' as const }], descriptors: [{ base: 0x60000000n, length }] });
  const run = (spec: IortSpec, groups?: Record<string, string[]>) =>
    analyzeArm(parseIort(buildIort(spec)), undefined, topologyFromJson(groups === undefined ? { devices: DEVICES } : { devices: DEVICES, groups }), {});

  it('the second function behind a PCIe-to-PCI bridge loses its group; the alias RMR reaches the first', () => {
    const analysis = run({ ...BASE, rmrs: [rmrOn(0x200)] });
    expect(analysis.findings.some((item) => item.code === 'regions.arm.duplicate-stream' && item.device === '0000:02:02.0')).toBe(true);
    expect(analysis.groups.flatMap((group) => group.devices)).not.toContain('0000:02:02.0');
    const first = analysis.groups.find((group) => group.devices.includes('0000:02:01.0'))!;
    expect(formatSysfs(first.regions)).toBe(SW_MSI + '0x0000000060000000 0x000000006000ffff direct\n');
    expect(analysis.devices.find((entry) => entry.device === '0000:02:01.0')!.notes.join('\n')).toContain('PCIe-to-PCI bridge');
    // An RMR on the second function's own ID reaches nothing.
    const own = run({ ...BASE, rmrs: [rmrOn(0x210)] });
    expect(own.groups.every((group) => !formatSysfs(group.regions).includes('direct'))).toBe(true);
  });

  it('an RMR on StreamID 0 lands on the host bridge; a zero-length descriptor prints start start-1', () => {
    const analysis = run({ ...BASE, rmrs: [rmrOn(0, 0n)] });
    const host = analysis.groups.find((group) => group.devices.includes('0000:00:00.0'))!;
    expect(formatSysfs(host.regions)).toBe(SW_MSI + '0x0000000060000000 0x000000005fffffff direct\n');
    expect(analysis.findings.some((item) => item.code === 'regions.arm.rmr-zero-length')).toBe(true);
  });

  it('reports preserve_config and the page size as assumed when they mattered', () => {
    const analysis = run({ ...BASE, rmrs: [rmrOn(0x8)] });
    expect(analysis.assumptions.join('\n')).toMatch(/preserve_config.*assumed/);
    expect(analysis.assumptions.join('\n')).toMatch(/page size 4096 \(assumed\)/);
  });
});
