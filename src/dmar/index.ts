/** Public surface of the DMAR (Intel VT-d) parser. */
export { parseDmar, DmarTable, type DmarTableJson, type DmarStructureJson } from './table.js';
export { DMAR_CODES, type DmarCode } from './codes.js';
export type { DmarStructure, StructureOfKind } from './walk.js';
export { StructureView, ScopedStructureView, FlaggedScopedStructureView, UnknownStructure } from './structure.js';
export { DrhdStructure } from './drhd.js';
export { RmrrStructure } from './rmrr.js';
export { AtsrStructure } from './atsr.js';
export { RhsaStructure } from './rhsa.js';
export { AnddStructure } from './andd.js';
export { SatcStructure } from './satc.js';
export { SidpStructure } from './sidp.js';
export { DeviceScope, type DeviceScopeJson, type PciPathEntry } from './device-scope.js';
export {
  type DeviceScopeKind, type DmarStructureKind,
  DMAR_TYPE_DRHD, DMAR_TYPE_RMRR, DMAR_TYPE_ATSR, DMAR_TYPE_RHSA, DMAR_TYPE_ANDD, DMAR_TYPE_SATC, DMAR_TYPE_SIDP,
  SCOPE_TYPE_ENDPOINT, SCOPE_TYPE_BRIDGE, SCOPE_TYPE_IOAPIC, SCOPE_TYPE_HPET, SCOPE_TYPE_NAMESPACE,
} from './layout.js';
export * from './regions/index.js';
