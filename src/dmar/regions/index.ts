/** The DMAR's region provider and the Intel VT-d rules it applies (scope binding, RMRR, fixed windows). */
export { dmarRegionProvider, analyzeIntel, type DmarRegionOptions } from './provider.js';
export { intelDeviceLists, intelDeviceRegions, rmrrRelaxableReason, INTERRUPT_WINDOW, ISA_WINDOW } from './intel.js';
export { collectUnits, bindScopes, matchPciPath, describeScope, type ScopeUnit, type RecordedDevice, type UnitKind, type BindOptions } from './intel-binding.js';
export { intelUnscopedRegions } from './unscoped.js';
