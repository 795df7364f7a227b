/**
 * acpi-iommu — platform-free entry point (browser, Deno, Bun, Node). Files, sysfs and
 * acpidump text live in `acpi-iommu/node`.
 */
export * from './bytes/index.js';
export * from './dmar/index.js';
export * from './iort/index.js';
export * from './madt/index.js';
export * from './ivrs/index.js';
export * from './cross/index.js';
export * from './pci/index.js';
export * from './regions/index.js';
export * from './encode/index.js';
export { analyzeRegions, unscopedRegions, platformOf, regionProvider, type RegionTables, type AnalyzeOptions } from './analyze.js';
export { parseTable, signatureOf, isSupportedSignature, SUPPORTED_SIGNATURES, type AnyTable, type SupportedSignature } from './table.js';
export { CODE_GROUPS } from './codes.js';
export * from './lint/index.js';
export * from './audit/index.js';
