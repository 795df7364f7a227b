/**
 * The shared region core (platform-free, table-free): descriptors, the provider interface, grouping,
 * the kernel merge, sysfs text, IOVA, conflicts, layouts, passthrough verdicts, kernel versions.
 */
export {
  REGION_TYPES, REGION_TYPE_ORDER, PROT, U64_MASK, sysfsTypeName, regionLength, isMalformed, wrap64,
  type RegionType, type SysfsTypeName, type RegionSource, type RegionDescriptor, type MergedRegion, type AddressRange,
} from './types.js';
export { plainRegion } from './lazy-region.js';
export { insertRegion, mergeGroupRegions, mergeRegions, normaliseRegions, compareRegions, type MergeOptions } from './merge.js';
export { formatSysfs, formatSysfsLine, parseSysfs, type SysfsFormatOptions, type SysfsRegion } from './sysfs.js';
export {
  apertureFromBits, parseAperture, parseRange, blocksIova, vfioUsableIova, iommufdUsableIova, subtractRange,
  type IovaRange, type VfioIovaResult, type IommufdIovaResult, type IommufdDeviceIova,
} from './iova.js';
export { findConflicts, parseRangeList, rangesFromJson, type Conflict, type RegionOwner } from './conflicts.js';
export {
  KERNEL_CHANGES, RELAX_RMRR_PATCH, CURRENT_KERNEL, parseKernelVersion, compareKernelVersions, changeInEffect, kernelChange, kernelBehaviour,
  kernelDifferences, describeKernel, changeReleases, type KernelVersion, type KernelChange, type KernelChangeId, type KernelBehaviour,
} from './kernel-versions.js';
export { evaluatePassthrough, V66_MESSAGE, RMRR_LOCKED_MESSAGE, type PassthroughVerdict } from './passthrough.js';
export { REGION_CODES, type RegionCode, type RegionFinding } from './codes.js';
export { analyzeWith, assembleGroups, deviceGroup, type DeviceRegions, type GroupRegions, type RegionAnalysis } from './analysis.js';
export { assumedAperture, PLATFORMS, type Platform, type RegionProvider, type ProvidedRegions, type ApertureHint } from './provider.js';
export { explainRegion, regionLine, groupsOrigin, renderGroup, renderDevice, renderFindings, passthroughLine, regionJson, groupJson, deviceJson } from './render.js';
export { buildLayout, planGuestRam, formatE820, formatDeviceTree, layoutJson, type ReservedSpan, type VmmLayout, type RamPlan } from './layouts.js';
