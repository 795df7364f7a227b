/** IORT (Arm IO Remapping Table): parser, node views, ID translation. */
export { parseIort, IortTable } from './table.js';
export { IORT_CODES, type IortCode } from './codes.js';
export type { IortNode, IortNodeOfKind } from './walk.js';
export { IortNodeBase, type IdMapping, type IdMappingCursor, type IortContext } from './node.js';
export type { IortMemoryAccess } from './memory-access.js';
export { ItsGroupNode } from './its-group.js';
export { NamedComponentNode } from './named-component.js';
export { RootComplexNode } from './root-complex.js';
export { SmmuV1V2Node, type IortInterrupt, type SmmuGlobalInterrupts } from './smmu-v1v2.js';
export { SmmuV3Node } from './smmu-v3.js';
export { PmcgNode } from './pmcg.js';
export { RmrNode, type RmrMemoryRange } from './rmr.js';
export { IwbNode } from './iwb.js';
export { UnknownNode } from './unknown.js';
export {
  IORT_IOMMU_TYPES, IORT_MSI_TYPES, IORT_NODE_ITS_GROUP, IORT_NODE_IWB, IORT_NODE_NAMED_COMPONENT, IORT_NODE_PMCG,
  IORT_NODE_RMR, IORT_NODE_ROOT_COMPLEX, IORT_NODE_SMMU_V1V2, IORT_NODE_SMMU_V3, IORT_RMR_TABLE_REVISION, typeInMask,
  type IortNodeKind,
} from './layout.js';
export { mapId, mapPlatformId, type IortStopReason, type IortWalk, type IortWalkFinal, type MapIdOptions } from './map-id.js';
export type { IortHop } from './map-step.js';
export { translate, findRootComplex, findNamedComponent, type IortStart, type IortTranslation, type TranslateOptions } from './translate.js';
export * from './regions/index.js';
