/**
 * The human text of src/regions/kernel-versions.ts: what `--kernel` prints about a release, and
 * the release ranges. Expected lines are worked out by hand from the KERNEL_CHANGES rows.
 */
import { describe, expect, it } from 'vitest';
import { changeInEffect, changeReleases, describeKernel, kernelBehaviour, kernelChange, kernelDifferences, parseKernelVersion } from '../src/regions/kernel-versions.js';

const REQUIRE_DIRECT = '  not yet: any direct region sets require_direct: VFIO/iommufd ownership fails with "Firmware has requested this device have a 1:1 IOMMU mapping" (-EINVAL) [from v6.6; iommu: Prevent RESV_DIRECT devices from blocking domains]';

describe('describeKernel', () => {
  it('Arm on 6.0: only the rows for Arm or all that differ from mainline; no relax_rmrr line', () => {
    expect(describeKernel(kernelBehaviour('6.0'), true, 'arm')).toEqual(['kernel: Linux 6.0 behaviour', REQUIRE_DIRECT]);
  });

  it('Intel on 6.5: "still" for a row gone later, "not yet" for one to come', () => {
    expect(describeKernel(kernelBehaviour('6.5'), false, 'intel')).toEqual([
      'kernel: Linux 6.5 behaviour',
      '  still: devices with a non-USB, non-graphics RMRR are "RMRR locked": VFIO attach fails with -EPERM [from v3.17, gone in v6.6]',
      REQUIRE_DIRECT,
    ]);
  });

  it('a release like mainline says so; the default kernel prints nothing', () => {
    expect(describeKernel(kernelBehaviour('6.6'), false, 'amd')).toEqual(['kernel: Linux 6.6 behaviour (same as current mainline for everything modelled)']);
    expect(describeKernel(kernelBehaviour(), false, 'intel')).toEqual([]);
    expect(describeKernel(kernelBehaviour())).toEqual([]);
  });

  it('an approximate release is marked with "~"', () => {
    expect(describeKernel(kernelBehaviour('5.5'), false, 'intel')).toContain('  still: an RMRR not covered by a reserved E820 entry (or misaligned, or end ≤ base) aborts DMAR parsing: no IOMMU [from ~v5.5, gone in v5.6; f036c7fa0ab6 "iommu/vt-d: Check VT-d RMRR region in BIOS is reported as reserved"]');
    expect(changeReleases('e820-check-fatal')).toBe('from ~v5.5, gone in v5.6');
    expect(changeReleases('rmrr-locked')).toBe('from v3.17, gone in v6.6');
    expect(changeReleases('require-direct')).toBe('from v6.6');
    expect(changeReleases('e820-check-taint')).toBe('from ~v5.6');
  });
});

describe('release bounds', () => {
  it('a change is in effect from its first release and up to, not including, the release that removed it', () => {
    const locked = kernelChange('rmrr-locked');
    const at = (text: string) => changeInEffect(locked, parseKernelVersion(text));
    expect([at('3.16'), at('3.17'), at('6.5'), at('6.6'), at('7.0')]).toEqual([false, true, true, false, false]);
  });

  it('differences are filtered by platform; rows for "all" always count', () => {
    expect(kernelDifferences(kernelBehaviour('5.2'), 'arm').map((change) => change.id)).toEqual(['direct-relaxable', 'adjacent-merge', 'rmr', 'require-direct']);
    expect(kernelDifferences(kernelBehaviour('5.0'), 'arm').map((change) => change.id)).toEqual(['host-bridge-windows', 'direct-relaxable', 'adjacent-merge', 'rmr', 'require-direct']);
    expect(kernelDifferences(kernelBehaviour('6.1')).map((change) => change.id)).toEqual(['rmrr-locked', 'require-direct']);
  });
});
