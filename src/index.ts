/**
 * acpi-iommu — platform-free entry point (browser, Deno, Bun, Node). Files, sysfs and
 * acpidump text live in `acpi-iommu/node`.
 *
 * This list is the public surface, chosen name by name (api/acpi-iommu.api.md records it; a test
 * fails when it changes without `npm run api-report`). Table and view classes are exported as
 * types only: their constructors take internal readers, and tables come from the parse functions.
 * Building blocks of the derivations (scope binding, region insertion, per-platform steps) stay
 * internal so they can change without breaking users.
 *
 * ## Example: Intel: parse a DMAR, list its RMRRs, print what Linux shows in reserved_regions per group
 * (examples/library.ts, run by the tests)
 *
 * {@includeCode ../examples/library.ts}
 *
 * ## Example: Arm: IORT and MADT queries, a stream ID translation, the devices an RMR reaches
 * (examples/arm-library.ts, run by the tests)
 *
 * {@includeCode ../examples/arm-library.ts}
 *
 * @packageDocumentation
 */

// Any table: dispatch on the signature.
export { parseTable, signatureOf, isSupportedSignature, SUPPORTED_SIGNATURES, type AnyTable, type SupportedSignature } from './table.js';

// Diagnostics and the SDT header every table starts with.
export { compareDiagnostics, type Diagnostic, type DiagnosticCode, type Severity, type CodeInfo, type CodeTable } from './bytes/diagnostics.js';
export { SDT_CODES, SDT_HEADER_SIZE, checksumOf, type SdtHeader, type SdtCode } from './bytes/sdt.js';
export { CODE_GROUPS } from './codes.js';

// Formatting: 64-bit values are bigint; JSON prints them as "0x…".
export { hex, padHex, jsonReplacer, toJsonText } from './bytes/hex.js';

// DMAR (Intel VT-d).
export {
  parseDmar, DMAR_CODES,
  DMAR_TYPE_DRHD, DMAR_TYPE_RMRR, DMAR_TYPE_ATSR, DMAR_TYPE_RHSA, DMAR_TYPE_ANDD, DMAR_TYPE_SATC, DMAR_TYPE_SIDP,
  SCOPE_TYPE_ENDPOINT, SCOPE_TYPE_BRIDGE, SCOPE_TYPE_IOAPIC, SCOPE_TYPE_HPET, SCOPE_TYPE_NAMESPACE,
  type DmarTable, type DmarTableJson, type DmarStructureJson, type DmarCode, type DmarStructure, type StructureOfKind,
  type StructureView, type ScopedStructureView, type FlaggedScopedStructureView, type UnknownStructure,
  type DrhdStructure, type RmrrStructure, type AtsrStructure, type RhsaStructure, type AnddStructure, type SatcStructure,
  type SidpStructure, type DeviceScope, type DeviceScopeJson, type PciPathEntry, type DeviceScopeKind, type DmarStructureKind,
} from './dmar/index.js';

// IORT (Arm IO remapping): nodes, ID translation.
export {
  parseIort, IORT_CODES,
  IORT_NODE_ITS_GROUP, IORT_NODE_IWB, IORT_NODE_NAMED_COMPONENT, IORT_NODE_PMCG, IORT_NODE_RMR, IORT_NODE_ROOT_COMPLEX,
  IORT_NODE_SMMU_V1V2, IORT_NODE_SMMU_V3, IORT_RMR_TABLE_REVISION, IORT_IOMMU_TYPES, IORT_MSI_TYPES,
  mapId, mapPlatformId, translate, findRootComplex, findNamedComponent,
  type IortTable, type IortCode, type IortNode, type IortNodeOfKind, type IortNodeBase, type IdMapping, type IdMappingCursor, type IortContext,
  type IortMemoryAccess, type ItsGroupNode, type NamedComponentNode, type RootComplexNode, type SmmuV1V2Node, type SmmuV3Node,
  type PmcgNode, type RmrNode, type IwbNode, type UnknownNode, type IortInterrupt, type SmmuGlobalInterrupts,
  type RmrMemoryRange, type IortNodeKind, type IortStopReason, type IortWalk, type IortWalkFinal, type MapIdOptions,
  type IortHop, type IortStart, type IortTranslation, type TranslateOptions,
} from './iort/index.js';

// MADT (signature APIC): interrupt controllers.
export {
  parseMadt, MADT_CODES, MADT_SIGNATURE, MADT_HEADER_SIZE, MADT_NEWEST_REVISION, SUBTABLE_KINDS,
  GITS_TRANSLATER_OFFSET, MSI_SETSPI_NS_OFFSET, kindOfType,
  type MadtTable, type MadtJson, type WithFields, type CompleteGicItsEntry, type CompleteGicMsiFrameEntry,
  type CompleteIoApicEntry, type MadtCode, type EntryBase, type MadtEntryKind,
} from './madt/index.js';
export type * from './madt/entry-types.js';

// IVRS (AMD-Vi): IVHD blocks with their device entries, IVMD blocks.
export {
  parseIvrs, IVRS_CODES, decodeIvInfo, SPECIAL_VARIETIES,
  type IvrsTable, type IvrsJson, type IvrsCode, type IvInfo, type IvhdBlock, type IvhdFlagName, type IvmdBlock, type UnknownBlock,
  type DeviceEntry, type IvrsBlock,
} from './ivrs/index.js';

// Checks across tables and the strict lint.
export { crossCheck, CROSS_CODES, type CrossTables, type CrossFindings, type CrossCode } from './cross/index.js';
export {
  lintDmarTable, lintIortTable, lintMadtTable, lintIvrsTable, lintTables, LINT_CODES, IORT_REVISION_COLUMNS, revisionColumn,
  type LintCode, type LintTables, type LintFindings, type RevisionColumn,
} from './lint/index.js';

// PCI topology model.
export * from './pci/index.js';

// Reserved regions: the derivation, the kernel's merge, sysfs text, IOVA, conflicts, kernel versions.
export {
  REGION_TYPES, REGION_TYPE_ORDER, PROT, U64_MASK, sysfsTypeName, regionLength, isMalformed, wrap64,
  type RegionType, type SysfsTypeName, type RegionSource, type RegionDescriptor, type MergedRegion, type AddressRange,
  mergeGroupRegions, mergeRegions, compareRegions, type MergeOptions,
  formatSysfs, formatSysfsLine, parseSysfs, type SysfsFormatOptions, type SysfsRegion,
  apertureFromBits, parseAperture, parseRange, blocksIova, vfioUsableIova, iommufdUsableIova, subtractRange,
  type IovaRange, type VfioIovaResult, type IommufdIovaResult, type IommufdDeviceIova,
  findConflicts, parseRangeList, rangesFromJson, type Conflict, type RegionOwner,
  KERNEL_CHANGES, RELAX_RMRR_PATCH, CURRENT_KERNEL, parseKernelVersion, compareKernelVersions, changeInEffect, kernelChange,
  kernelBehaviour, kernelDifferences, describeKernel, changeReleases,
  type KernelVersion, type KernelChange, type KernelChangeId, type KernelBehaviour,
  evaluatePassthrough, V66_MESSAGE, RMRR_LOCKED_MESSAGE, type PassthroughVerdict,
  REGION_CODES, type RegionCode, type RegionFinding,
  type DeviceRegions, type GroupRegions, type RegionAnalysis,
  analyzeWith, assumedAperture, PLATFORMS, type Platform, type RegionProvider, type ProvidedRegions, type ApertureHint,
  explainRegion, regionLine, groupsOrigin, renderGroup, renderDevice, renderFindings, passthroughLine, regionJson, groupJson, deviceJson,
  buildLayout, planGuestRam, formatE820, formatDeviceTree, layoutJson, type ReservedSpan, type VmmLayout, type RamPlan,
} from './regions/index.js';
// A descriptor's strings may be built on first read (accessors): its plain form for spreads and deep equality.
export { plainRegion } from './regions/index.js';
export { devicesReachedBy, rmrrDevices, rmrDevices, ivmdDevices } from './reached.js';
// Each table's region provider (its `get_resv_regions`), and the entry that picks one from the tables given.
export { analyzeRegions, unscopedRegions, platformOf, regionProvider, type RegionTables, type AnalyzeOptions } from './analyze.js';
export { dmarRegionProvider, INTERRUPT_WINDOW, ISA_WINDOW, type DmarRegionOptions } from './dmar/regions/index.js';
export { iortRegionProvider, SW_MSI_WINDOW, type ArmOptions, type RmrOptions } from './iort/regions/index.js';
export { ivrsRegionProvider, AMD_HT_RANGE, AMD_MSI_RANGE, AMD_REGION_CODES, type AmdRegionCode, type IvrsRegionOptions } from './ivrs/regions/index.js';

// Encoding: models back to table bytes.
export * from './encode/index.js';

// Audits: RMRR/RMR ranges against the memory map; `explain` for one device.
export * from './audit/index.js';
