/** The IORT's region provider and the Arm SMMU rules it applies (ID mapping, RMR, ITS doorbells, SW MSI). */
export { iortRegionProvider, analyzeArm } from './provider.js';
export { armDeviceLists, pciStreams, armDeviceRegions, hisiliconMsiRegions, SW_MSI_WINDOW, SMMU_V3_MODEL_HISILICON_HI161X, type ArmOptions, type StreamInfo } from './arm.js';
export { rmrRegions, rmrDescriptorRange, rmrTableFindings, type RmrOptions, type RmrDevice } from './arm-rmr.js';
export { armUnscopedRegions } from './arm-unscoped.js';
