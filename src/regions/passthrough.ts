/**
 * Would assigning the group to a VM (VFIO / iommufd) be refused because of its regions?
 * - v6.6+, any driver: a DIRECT region on any device of the group sets `require_direct`;
 *   claiming DMA ownership (blocking domain) fails with -EINVAL.
 * - v3.17–v6.5, Intel only: a device with a non-relaxable RMRR is "RMRR locked"; attaching it
 *   to an unmanaged domain fails with -EPERM.
 * (docs/kernel-semantics.md §3.4, §5.1; releases in kernel-versions.ts.)
 */
import type { KernelBehaviour } from './kernel-versions.js';
import type { RegionDescriptor } from './types.js';

export const V66_MESSAGE =
  'Firmware has requested this device have a 1:1 IOMMU mapping, rejecting configuring the device without a 1:1 mapping. Contact your platform vendor.';
export const RMRR_LOCKED_MESSAGE =
  'Device is ineligible for IOMMU domain attach due to platform RMRR requirement.  Contact your platform vendor.';

export interface PassthroughVerdict {
  /** v6.6+: refused with -EINVAL. */
  refusedSince66: boolean;
  /** Devices with a DIRECT region, and the regions. */
  directDevices: { device: string; regions: RegionDescriptor[] }[];
  /** v3.17–v6.5 on Intel: refused with -EPERM. */
  refusedIntelLegacy: boolean;
  /** Devices whose DIRECT region comes from an RMRR. */
  rmrrLockedDevices: string[];
  /** One line per refusal, with the kernel's message. */
  messages: string[];
  /** With a kernel version: that version's answer. */
  kernel?: { label: string; refused: boolean; rule?: 'require-direct' | 'rmrr-locked' };
}

/** `device_is_rmrr_locked`: an RMRR the relaxable rule does not cover (USB/GFX exempt since v3.17). */
function rmrrLocking(region: RegionDescriptor): boolean {
  return region.source.table === 'DMAR' && region.source.structure === 'RMRR' && region.relaxableAsDirect !== true;
}

export function evaluatePassthrough(devices: readonly { device: string; regions: readonly RegionDescriptor[] }[], kernel?: KernelBehaviour): PassthroughVerdict {
  const directDevices = devices
    .map(({ device, regions }) => ({ device, regions: regions.filter((region) => region.type === 'direct') }))
    .filter((entry) => entry.regions.length > 0);
  const rmrrLockedDevices = directDevices.filter((entry) => entry.regions.some(rmrrLocking)).map((entry) => entry.device);
  const messages = [
    ...directDevices.map((entry) => `v6.6+: ${entry.device}: "${V66_MESSAGE}" (-EINVAL)`),
    ...rmrrLockedDevices.map((device) => `v3.17–v6.5 (Intel): ${device}: "${RMRR_LOCKED_MESSAGE}" (-EPERM)`),
  ];
  const verdict: PassthroughVerdict = {
    refusedSince66: directDevices.length > 0,
    directDevices,
    refusedIntelLegacy: rmrrLockedDevices.length > 0,
    rmrrLockedDevices,
    messages,
  };
  if (kernel !== undefined) {
    const byRequireDirect = kernel.requireDirect && verdict.refusedSince66;
    const byRmrrLock = kernel.rmrrLocked && verdict.refusedIntelLegacy;
    verdict.kernel = { label: kernel.label, refused: byRequireDirect || byRmrrLock };
    if (byRequireDirect) verdict.kernel.rule = 'require-direct';
    else if (byRmrrLock) verdict.kernel.rule = 'rmrr-locked';
  }
  return verdict;
}
