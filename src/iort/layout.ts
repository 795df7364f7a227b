/**
 * IORT on-disk layout (Arm DEN0049; docs/spec.md §3) as pure data: offsets, sizes, node types,
 * flag bits and the revision that introduced each optional field. No logic lives here.
 */

/** SDT header (36) + node count, node array offset, reserved (spec §3.2). */
export const IORT_HEADER_SIZE = 48;
export const IORT_NODE_COUNT = 36;
export const IORT_NODE_ARRAY_OFFSET = 40;
export const IORT_HEADER_RESERVED = 44;
/** Table revisions: 0 = D, 1 = E (withdrawn), 2 = E.a (withdrawn), 3 = E.b, 4 = E.c (deprecated), 5 = E.d, 6 = E.e. */
export const IORT_NEWEST_TABLE_REVISION = 6;
export const IORT_DEPRECATED_TABLE_REVISIONS: readonly number[] = [1, 2, 4];
/** The node header word at +4 is an Identifier from table revision 3 (E.b) on (spec §3.3, §6.1 Q5). */
export const IORT_IDENTIFIER_TABLE_REVISION = 3;
/** Linux ignores RMR nodes unless the table revision is ≥ 5 (E.d), `iort_find_rmrs()`. */
export const IORT_RMR_TABLE_REVISION = 5;

/** Node header (16 bytes, spec §3.3); offsets relative to the node start. */
export const NODE_TYPE = 0;
export const NODE_LENGTH = 1;
export const NODE_REVISION = 3;
export const NODE_IDENTIFIER = 4;
export const NODE_MAPPING_COUNT = 8;
export const NODE_MAPPING_OFFSET = 12;
export const NODE_HEADER_SIZE = 16;

export const IORT_NODE_ITS_GROUP = 0;
export const IORT_NODE_NAMED_COMPONENT = 1;
export const IORT_NODE_ROOT_COMPLEX = 2;
export const IORT_NODE_SMMU_V1V2 = 3;
export const IORT_NODE_SMMU_V3 = 4;
export const IORT_NODE_PMCG = 5;
export const IORT_NODE_RMR = 6;
export const IORT_NODE_IWB = 7;

export type IortNodeKind =
  | 'its-group'
  | 'named-component'
  | 'root-complex'
  | 'smmu-v1v2'
  | 'smmu-v3'
  | 'pmcg'
  | 'rmr'
  | 'iwb'
  | 'unknown';

export const NODE_KINDS: readonly IortNodeKind[] = ['its-group', 'named-component', 'root-complex', 'smmu-v1v2', 'smmu-v3', 'pmcg', 'rmr', 'iwb'];

/** Newest node revision known per type (EDK2 cross-walk, spec §3.1; IWB from ACPICA's template). */
export const NEWEST_NODE_REVISION: readonly number[] = [1, 4, 4, 3, 5, 2, 3, 1];

/**
 * Bytes every node of a type must have (fields without a revision/space gate), spec §5 #2.
 * Root complex: fields from 32 on are gated by revision and space (§3.8). SMMUv3: 68 from rev 1.
 */
export function minimumNodeLength(type: number, revision: number): number {
  switch (type) {
    case IORT_NODE_ITS_GROUP: return 20;
    case IORT_NODE_NAMED_COMPONENT: return NC_DEVICE_NAME;
    case IORT_NODE_ROOT_COMPLEX: return 32;
    case IORT_NODE_SMMU_V1V2: return 60;
    case IORT_NODE_SMMU_V3: return revision >= 1 ? 68 : 60;
    case IORT_NODE_PMCG: return 32;
    case IORT_NODE_RMR: return 28;
    case IORT_NODE_IWB: return IWB_DEVICE_NAME;
    default: return NODE_HEADER_SIZE;
  }
}

/** ID mapping entry (20 bytes, spec §3.4). */
export const ID_MAPPING_SIZE = 20;
export const MAP_INPUT_BASE = 0;
export const MAP_ID_COUNT = 4;
export const MAP_OUTPUT_BASE = 8;
export const MAP_OUTPUT_REFERENCE = 12;
export const MAP_FLAGS = 16;
export const MAP_FLAG_SINGLE = 0x1;
export const MAX_ID = 0xffff_ffff;

/** Memory access properties (8 bytes, spec §3.5), relative to their own start. */
export const MA_CACHE_COHERENCY = 0;
export const MA_ALLOCATION_HINTS = 4;
export const MA_RESERVED = 5;
export const MA_FLAGS = 7;
export const MEMORY_ACCESS_SIZE = 8;

/** Type 0, ITS group (§3.6). */
export const ITS_COUNT = 16;
export const ITS_IDENTIFIERS = 20;

/** Type 1, named component (§3.7). */
export const NC_NODE_FLAGS = 16;
export const NC_MEMORY_ACCESS = 20;
export const NC_ADDRESS_SIZE_LIMIT = 28;
export const NC_DEVICE_NAME = 29;

/** Type 2, PCI root complex (§3.8) with the node revision that introduced each optional field. */
export const RC_MEMORY_ACCESS = 16;
export const RC_ATS_ATTRIBUTE = 24;
export const RC_SEGMENT = 28;
export const RC_ADDRESS_SIZE_LIMIT = 32; // node rev 1 (D)
export const RC_ADDRESS_SIZE_LIMIT_REVISION = 1;
export const RC_PASID_CAPABILITIES = 33; // node rev 4 (E.d)
export const RC_RESERVED = 35;
export const RC_FLAGS = 36; // node rev 4 (E.d), EDK2 only; ACPICA has no such field
export const RC_PASID_REVISION = 4;

/** Type 3, SMMUv1/v2 (§3.9). */
export const SMMU_BASE_ADDRESS = 16;
export const SMMU_SPAN = 24;
export const SMMU_MODEL = 32;
export const SMMU_FLAGS = 36;
export const SMMU_GLOBAL_INTERRUPTS_OFFSET = 40;
export const SMMU_CONTEXT_INTERRUPT_COUNT = 44;
export const SMMU_CONTEXT_INTERRUPTS_OFFSET = 48;
export const SMMU_PMU_INTERRUPT_COUNT = 52;
export const SMMU_PMU_INTERRUPTS_OFFSET = 56;
export const SMMU_GLOBAL_INTERRUPTS_SIZE = 16;
export const INTERRUPT_SIZE = 8;

/** Type 4, SMMUv3 (§3.10). */
export const SMMU3_BASE_ADDRESS = 16;
export const SMMU3_FLAGS = 24;
export const SMMU3_RESERVED = 28;
export const SMMU3_VATOS_ADDRESS = 32;
export const SMMU3_MODEL = 40;
export const SMMU3_EVENT_GSIV = 44;
export const SMMU3_PRI_GSIV = 48;
export const SMMU3_GERR_GSIV = 52;
export const SMMU3_SYNC_GSIV = 56;
export const SMMU3_PROXIMITY_DOMAIN = 60; // node rev 1
export const SMMU3_DEVICE_ID_INDEX = 64; // node rev 1
export const SMMU3_OPTIONAL_REVISION = 1;
/** From node revision 5 (E.e) the index is valid only with flag bit 4. */
export const SMMU3_DEVICE_ID_FLAG_REVISION = 5;
export const SMMU3_FLAG_COHACC = 0x1;
export const SMMU3_FLAG_PROXIMITY_VALID = 0x8;
export const SMMU3_FLAG_DEVICE_ID_VALID = 0x10;

/** Type 5, PMCG (§3.11). */
export const PMCG_PAGE0_BASE = 16;
export const PMCG_OVERFLOW_GSIV = 24;
export const PMCG_NODE_REFERENCE = 28;
export const PMCG_PAGE1_BASE = 32; // space rule only (Unverified per revision)

/** Type 6, RMR (§3.12) and its 20-byte memory range descriptor. */
export const RMR_FLAGS = 16;
export const RMR_DESCRIPTOR_COUNT = 20;
export const RMR_DESCRIPTORS_OFFSET = 24;
export const RMR_DESCRIPTOR_SIZE = 20;
export const RMR_DESC_BASE = 0;
export const RMR_DESC_LENGTH = 8;
export const RMR_DESC_RESERVED = 16;
export const RMR_DEPRECATED_NODE_REVISION = 2;
export const RMR_ALIGNMENT = 0x1_0000n;

/** Type 7, IWB (§3.13, layout from ACPICA). */
export const IWB_CONFIG_FRAME_BASE = 16;
export const IWB_INDEX = 24;
export const IWB_DEVICE_NAME = 26;

/** `iort_node_map_id()` type masks: bit n = node type n (Linux IORT_MSI_TYPE / IORT_IOMMU_TYPE). */
export const IORT_MSI_TYPES = 1 << IORT_NODE_ITS_GROUP;
export const IORT_IOMMU_TYPES = (1 << IORT_NODE_SMMU_V1V2) | (1 << IORT_NODE_SMMU_V3);
/** Node types a mapping may point at (spec §5 #24): SMMUs, ITS groups and IWBs. */
export const MAPPING_TARGET_TYPES = IORT_MSI_TYPES | IORT_IOMMU_TYPES | (1 << IORT_NODE_IWB);
/** RMR mappings name the SMMU whose stream IDs need the ranges (spec §3.12). */
export const RMR_TARGET_TYPES = IORT_IOMMU_TYPES;
/** PMCG node reference: the SMMUv3 (or named component / root complex) it monitors (§3.11). */
export const PMCG_TARGET_TYPES = (1 << IORT_NODE_SMMU_V3) | (1 << IORT_NODE_NAMED_COMPONENT) | (1 << IORT_NODE_ROOT_COMPLEX);

/** Linux's `IORT_TYPE_MASK(type) & type_mask` with an 8-bit mask: types ≥ 8 never match. */
export function typeInMask(type: number, mask: number): boolean {
  return type < 8 && (mask & (1 << type)) !== 0;
}
