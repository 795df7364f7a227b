/** AMD-Vi region rules (Linux 6.1): the boot model of an IVRS, per-device lists, the unscoped list, DMA aliases. */
export { AMD_REGION_CODES, type AmdRegionCode } from './codes.js';
export { amdBootModel, coveringEntry, ivhdAliasOf, ivmdAligned, ivmdApplied, unityWindow, type AmdBootModel, type AmdSegment, type CoveredIds, type IvhdAlias, type UnityMap } from './boot.js';
export { AMD_HT_RANGE, AMD_MSI_RANGE, amdDeviceList, amdDeviceRegions, amdFixedRegions, unityRegion, type AmdDeviceList } from './device.js';
export { amdUnscopedRegions } from './unscoped.js';
export { amdDmaAlias, type AmdDmaAlias } from './aliases.js';
export { ivrsRegionProvider, analyzeAmd, type IvrsRegionOptions } from './provider.js';
