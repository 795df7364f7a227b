/** IORT on the page: field spans from src/iort/layout.ts. */
import { parseIort, type IortTable } from '../../iort/index.js';
import * as L from '../../iort/layout.js';
import type { JsonItem, Span, TableKind } from './kind.js';

const TABLE: Record<string, Span> = { nodeCount: [L.IORT_NODE_COUNT, 4], nodeArrayOffset: [L.IORT_NODE_ARRAY_OFFSET, 4] };

const HEADER: Record<string, Span> = {
  type: [L.NODE_TYPE, 1], length: [L.NODE_LENGTH, 2], revision: [L.NODE_REVISION, 1], identifier: [L.NODE_IDENTIFIER, 4],
  mappingCount: [L.NODE_MAPPING_COUNT, 4], mappingArrayOffset: [L.NODE_MAPPING_OFFSET, 4],
};

const MAPPING: Record<string, Span> = {
  inputBase: [L.MAP_INPUT_BASE, 4], idCount: [L.MAP_ID_COUNT, 4], outputBase: [L.MAP_OUTPUT_BASE, 4],
  outputReference: [L.MAP_OUTPUT_REFERENCE, 4], flags: [L.MAP_FLAGS, 4], singleMapping: [L.MAP_FLAGS, 4],
};

const RMR_RANGE: Record<string, Span> = { baseAddress: [L.RMR_DESC_BASE, 8], length: [L.RMR_DESC_LENGTH, 8], reserved: [L.RMR_DESC_RESERVED, 4] };

const NODES: Readonly<Record<string, Record<string, Span>>> = {
  'its-group': { ...HEADER, itsCount: [L.ITS_COUNT, 4] },
  'named-component': {
    ...HEADER, nodeFlags: [L.NC_NODE_FLAGS, 4], stallSupported: [L.NC_NODE_FLAGS, 4], pasidWidth: [L.NC_NODE_FLAGS, 4],
    memoryAccess: [L.NC_MEMORY_ACCESS, L.MEMORY_ACCESS_SIZE], deviceMemoryAddressSizeLimit: [L.NC_ADDRESS_SIZE_LIMIT, 1],
  },
  'root-complex': {
    ...HEADER, memoryAccess: [L.RC_MEMORY_ACCESS, L.MEMORY_ACCESS_SIZE], atsAttribute: [L.RC_ATS_ATTRIBUTE, 4],
    atsSupported: [L.RC_ATS_ATTRIBUTE, 4], priSupported: [L.RC_ATS_ATTRIBUTE, 4], pasidForwarding: [L.RC_ATS_ATTRIBUTE, 4],
    pciSegmentNumber: [L.RC_SEGMENT, 4], memoryAddressSizeLimit: [L.RC_ADDRESS_SIZE_LIMIT, 1],
    pasidCapabilities: [L.RC_PASID_CAPABILITIES, 2], maxPasidWidth: [L.RC_PASID_CAPABILITIES, 2], flags: [L.RC_FLAGS, 4], pasidSupported: [L.RC_FLAGS, 4],
  },
  'smmu-v1v2': {
    ...HEADER, baseAddress: [L.SMMU_BASE_ADDRESS, 8], span: [L.SMMU_SPAN, 8], model: [L.SMMU_MODEL, 4], flags: [L.SMMU_FLAGS, 4],
    globalInterruptArrayOffset: [L.SMMU_GLOBAL_INTERRUPTS_OFFSET, 4], contextInterruptCount: [L.SMMU_CONTEXT_INTERRUPT_COUNT, 4],
    contextInterruptArrayOffset: [L.SMMU_CONTEXT_INTERRUPTS_OFFSET, 4], pmuInterruptCount: [L.SMMU_PMU_INTERRUPT_COUNT, 4],
    pmuInterruptArrayOffset: [L.SMMU_PMU_INTERRUPTS_OFFSET, 4],
  },
  'smmu-v3': {
    ...HEADER, baseAddress: [L.SMMU3_BASE_ADDRESS, 8], flags: [L.SMMU3_FLAGS, 4], cohaccOverride: [L.SMMU3_FLAGS, 4],
    httuOverride: [L.SMMU3_FLAGS, 4], proximityDomainValid: [L.SMMU3_FLAGS, 4], deviceIdMappingIndexValid: [L.SMMU3_FLAGS, 4],
    vatosAddress: [L.SMMU3_VATOS_ADDRESS, 8], model: [L.SMMU3_MODEL, 4], eventGsiv: [L.SMMU3_EVENT_GSIV, 4], priGsiv: [L.SMMU3_PRI_GSIV, 4],
    gerrGsiv: [L.SMMU3_GERR_GSIV, 4], syncGsiv: [L.SMMU3_SYNC_GSIV, 4], proximityDomain: [L.SMMU3_PROXIMITY_DOMAIN, 4],
    deviceIdMappingIndex: [L.SMMU3_DEVICE_ID_INDEX, 4],
  },
  pmcg: {
    ...HEADER, page0BaseAddress: [L.PMCG_PAGE0_BASE, 8], overflowGsiv: [L.PMCG_OVERFLOW_GSIV, 4], nodeReference: [L.PMCG_NODE_REFERENCE, 4],
    page1BaseAddress: [L.PMCG_PAGE1_BASE, 8],
  },
  rmr: {
    ...HEADER, flags: [L.RMR_FLAGS, 4], remappingPermitted: [L.RMR_FLAGS, 4], accessPrivileged: [L.RMR_FLAGS, 4], accessAttributes: [L.RMR_FLAGS, 4],
    descriptorCount: [L.RMR_DESCRIPTOR_COUNT, 4], descriptorArrayOffset: [L.RMR_DESCRIPTORS_OFFSET, 4],
  },
  iwb: { ...HEADER, configFrameBase: [L.IWB_CONFIG_FRAME_BASE, 8], iwbIndex: [L.IWB_INDEX, 2] },
};

/** Variable-length tails: the ITS identifier array and the device names run to the node's end. */
function tailSpans(item: JsonItem): Record<string, Span> {
  const length = typeof item.length === 'number' ? item.length : 0;
  const tail = (from: number): Span => [from, Math.max(0, length - from)];
  switch (item.kind) {
    case 'its-group':
      return { itsIdentifiers: [L.ITS_IDENTIFIERS, 4 * (typeof item.itsCount === 'number' ? item.itsCount : 0)] };
    case 'named-component':
      return { deviceName: tail(L.NC_DEVICE_NAME), deviceNameTerminated: tail(L.NC_DEVICE_NAME) };
    case 'iwb':
      return { deviceName: tail(L.IWB_DEVICE_NAME), deviceNameTerminated: tail(L.IWB_DEVICE_NAME) };
    default:
      return {};
  }
}

export const IORT_KIND: TableKind<IortTable> = {
  signature: 'IORT',
  title: 'IORT (Arm SMMU / ITS)',
  parse: parseIort,
  regionKey: 'iort',
  fieldSpans(item, arrayName) {
    if (arrayName === undefined) return TABLE;
    if (arrayName === 'idMappings') return MAPPING;
    if (arrayName === 'memoryRanges') return RMR_RANGE;
    return { ...(NODES[String(item.kind)] ?? HEADER), ...tailSpans(item) };
  },
};
