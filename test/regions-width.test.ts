/**
 * RMRRs beyond the IOMMU's address width (kernel-semantics §10, src/dmar/regions/intel-width.ts):
 * only an RMRR identity-mapped for a device present at boot, whose page-rounded end E has
 * 2^width < E ≤ 2^57, makes Linux 6.1 fail the domain attach and crash. Boundaries both ways.
 * Kernel-oracle runs (Linux 6.1.0-56, QEMU 7.2, 39-bit intel-iommu, e1000e at 00:03.0) are quoted
 * next to the cases they settled.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { analyzeIntel } from '../src/dmar/regions/provider.js';
import { mappedEnd, widthVerdict } from '../src/dmar/regions/intel-width.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { buildDmar } from './support/region-tables.js';

const NIC = { bdf: '0000:00:03.0', class: '0x020000' };
const onNic = [{ kind: 'endpoint' as const, bus: 0, path: [[3, 0]] as [number, number][] }];
const onAbsent = [{ kind: 'endpoint' as const, bus: 0, path: [[9, 0]] as [number, number][] }];

function analyse(base: bigint, end: bigint, scopes = onNic) {
  return analyzeIntel(parseDmar(buildDmar({ width: 39, rmrrs: [{ base, end, scopes }] })), topologyFromJson({ devices: [NIC] }));
}
const codes = (analysis: ReturnType<typeof analyse>) => analysis.findings.map((item) => item.code);

describe('the arithmetic of intel_iommu_map and prepare_domain_attach_device', () => {
  it('maps up to the RMRR end rounded up to a page', () => {
    expect(mappedEnd(0x7fffff0000n, 0x7fffffffffn)).toBe(0x8000000000n);
    expect(mappedEnd(0x7ffffff000n, 0x8000000000n)).toBe(0x8000001000n);
    expect(mappedEnd(0x2000n, 0x1fffn)).toBeUndefined();
    // Aligned one-page RMRR, and a one-byte one (base == limit: length 1, one page mapped).
    expect(mappedEnd(0x1000n, 0x1fffn)).toBe(0x2000n);
    expect(mappedEnd(0x1000n, 0x1000n)).toBe(0x2000n);
    // A range inside one page rounds its start up past its end: nothing is mapped.
    expect(mappedEnd(0x1800n, 0x1fffn)).toBeUndefined();
  });

  it('fits at 2^width exactly, fatal one page above, refused at map above 2^57', () => {
    expect(widthVerdict(0x7fffff0000n, 0x7fffffffffn, 39)).toBe('fits');
    expect(widthVerdict(0x7ffffff000n, 0x8000000000n, 39)).toBe('fatal');
    expect(widthVerdict(0x8000000000n, 0x800000ffffn, 39)).toBe('fatal');
    expect(widthVerdict(0x1ffffffffff0000n, 0x1ffffffffffffffn, 39)).toBe('fatal');
    expect(widthVerdict(0x1ffffffffff0000n, 0x200000000000000n, 39)).toBe('refused-at-map');
    expect(widthVerdict(0x200000000000000n, 0x20000000000ffffn, 39)).toBe('refused-at-map');
  });
});

describe('what the CLI predicts for the machine', () => {
  it('an RMRR ending at 2^39 − 1 on a 39-bit IOMMU boots: groups and the region', () => {
    // Oracle, Linux 6.1.0-57 (QEMU 7.2, e1000e at 00:03.0, RMRR 0x7fffff0000-0x7fffffffff on it): booted, no width message;
    // group 1 (00:03.0) reserved_regions: 0x00000000fee00000 0x00000000feefffff msi, 0x0000007fffff0000 0x0000007fffffffff direct.
    const analysis = analyse(0x7fffff0000n, 0x7fffffffffn);
    expect(analysis.iommuEnabled).toBe(true);
    expect(codes(analysis)).not.toContain('regions.intel.boot-crash');
    expect(formatSysfs(analysis.groups[0]!.regions)).toContain('0x0000007fffff0000 0x0000007fffffffff direct\n');
  });

  it('an RMRR at 2^39 on a present device: boot crash, no groups (seen under QEMU, §10)', () => {
    // Linux 6.1 under QEMU (§10): "iommu width (39) is not sufficient for the mapped address", then a NULL pointer crash.
    const analysis = analyse(0x8000000000n, 0x800000ffffn);
    expect(analysis.iommuEnabled).toBe(false);
    expect(analysis.groups).toEqual([]);
    expect(analysis.findings.find((item) => item.code === 'regions.intel.boot-crash')).toMatchObject({ table: 'DMAR', offset: 0x30 + 16, device: '0000:00:03.0' });
    expect(analysis.findings.find((item) => item.code === 'regions.intel.boot-crash')?.message).toMatch(/0000:00:03\.0 up to 0x8000010000 > 2\^39: .*mapped address \(8000010000\)/);
  });

  it('an RMRR at 2^39 on a present device no DRHD covers: nothing maps it, boots', () => {
    const drhds = [{ flags: 0, scopes: [{ kind: 'endpoint' as const, bus: 0, path: [[2, 0]] as [number, number][] }] }];
    const analysis = analyzeIntel(parseDmar(buildDmar({ width: 39, drhds, rmrrs: [{ base: 0x8000000000n, end: 0x800000ffffn, scopes: onNic }] })), topologyFromJson({ devices: [NIC, { bdf: '0000:00:02.0', class: '0x030000' }] }));
    expect(codes(analysis)).not.toContain('regions.intel.boot-crash');
    expect(analysis.findings.find((item) => item.code === 'regions.intel.above-width')).toMatchObject({ table: 'DMAR', offset: 0x30 + 16 + 8 });
  });

  it('one byte over 2^39 − 1 is a page over once rounded: boot crash', () => {
    expect(analyse(0x7ffffff000n, 0x8000000000n).iommuEnabled).toBe(false);
  });

  it('an RMRR at 2^39 on no present device: boots, with a warning', () => {
    // Oracle, Linux 6.1.0-57 (QEMU 7.2, e1000e at 00:03.0, RMRR 0x8000000000-0x800000ffff on absent 00:09.0;
    // two boots without no_timer_check hit QEMU's TCG "timer doesn't work through Interrupt-remapped IO-APIC",
    // the third had it): booted, no width message; groups 00:00.0, 00:03.0 (msi only) and 00:1f.x (ISA + msi).
    const analysis = analyse(0x8000000000n, 0x800000ffffn, onAbsent);
    expect(analysis.iommuEnabled).toBe(true);
    expect(analysis.groups).toHaveLength(1);
    expect(analysis.findings.find((item) => item.code === 'regions.intel.above-width')?.message).toMatch(/no device present at boot/);
  });

  it('an RMRR beyond 2^57 is refused by intel_iommu_map: boots, the region still listed', () => {
    // Oracle, Linux 6.1.0-57 (QEMU 7.2, e1000e at 00:03.0, RMRR 0x200000000000000-0x20000000000ffff on it): booted;
    // dmesg "DMAR: intel_iommu_map: iommu width (57) is not sufficient for the mapped address (200000000010000)";
    // group 1 (00:03.0) reserved_regions: 0x00000000fee00000 0x00000000feefffff msi, 0x0200000000000000 0x020000000000ffff direct.
    const analysis = analyse(0x200000000000000n, 0x20000000000ffffn);
    expect(analysis.iommuEnabled).toBe(true);
    expect(analysis.findings.find((item) => item.code === 'regions.intel.above-width')).toMatchObject({ table: 'DMAR', offset: 0x30 + 16 });
    expect(analysis.findings.find((item) => item.code === 'regions.intel.above-width')?.message).toContain('"DMAR: intel_iommu_map: iommu width (57) is not sufficient for the mapped address (200000000010000)"');
    expect(formatSysfs(analysis.groups[0]!.regions)).toContain('0x0200000000000000 0x020000000000ffff direct\n');
  });
});
