/**
 * Allocation-free reads on a node given its table offset. Views, validation and the
 * translation walk all use these, so each rule (space rule, array bounds, DeviceID index) is
 * written once. Every node offset handed here was framed by walk.ts: its 16-byte header and
 * `Length` bytes lie inside the table.
 */
import type { TableReader } from '../bytes/reader.js';
import {
  ID_MAPPING_SIZE, IORT_NODE_PMCG, IORT_NODE_SMMU_V3, MAP_FLAGS, MAP_FLAG_SINGLE, MAP_ID_COUNT, MAP_INPUT_BASE,
  MAP_OUTPUT_BASE, MAP_OUTPUT_REFERENCE, NODE_HEADER_SIZE, NODE_IDENTIFIER, NODE_LENGTH, NODE_MAPPING_COUNT,
  NODE_MAPPING_OFFSET, NODE_REVISION, NODE_TYPE, PMCG_OVERFLOW_GSIV, SMMU3_DEVICE_ID_FLAG_REVISION, SMMU3_DEVICE_ID_INDEX,
  SMMU3_EVENT_GSIV, SMMU3_FLAGS, SMMU3_FLAG_DEVICE_ID_VALID, SMMU3_GERR_GSIV, SMMU3_OPTIONAL_REVISION, SMMU3_PRI_GSIV,
  SMMU3_SYNC_GSIV,
} from './layout.js';

export const nodeType = (reader: TableReader, node: number): number => reader.u8(node + NODE_TYPE) ?? 0xff;
export const nodeLength = (reader: TableReader, node: number): number => reader.u16(node + NODE_LENGTH) ?? 0;
export const nodeRevision = (reader: TableReader, node: number): number => reader.u8(node + NODE_REVISION) ?? 0;
export const nodeIdentifier = (reader: TableReader, node: number): number => reader.u32(node + NODE_IDENTIFIER) ?? 0;
export const mappingCount = (reader: TableReader, node: number): number => reader.u32(node + NODE_MAPPING_COUNT) ?? 0;
export const mappingArrayOffset = (reader: TableReader, node: number): number => reader.u32(node + NODE_MAPPING_OFFSET) ?? 0;

/** Linux's test before using a node's mappings: neither the count nor the array reference is 0. */
export function hasMappings(reader: TableReader, node: number): boolean {
  return mappingCount(reader, node) !== 0 && mappingArrayOffset(reader, node) !== 0;
}

/** True when `count` items of `size` bytes at node-relative `ref` lie inside the node, after its header. */
export function arrayInsideNode(ref: number, count: number, size: number, length: number): boolean {
  return count === 0 || (ref >= NODE_HEADER_SIZE && ref + count * size <= length);
}

/** The ID mapping array may be read (spec §5 #19): every entry lies inside the node. */
export function mappingsInsideNode(reader: TableReader, node: number): boolean {
  return arrayInsideNode(mappingArrayOffset(reader, node), mappingCount(reader, node), ID_MAPPING_SIZE, nodeLength(reader, node));
}

/** Readable mappings: the count when the array is inside the node, else 0 (never read outside). */
export function readableMappingCount(reader: TableReader, node: number): number {
  return mappingsInsideNode(reader, node) ? mappingCount(reader, node) : 0;
}

/** Table offset of mapping `index` (no bounds check; pair with readableMappingCount). */
export function mappingEntry(reader: TableReader, node: number, index: number): number {
  return node + mappingArrayOffset(reader, node) + index * ID_MAPPING_SIZE;
}

export const mapInputBase = (reader: TableReader, entry: number): number => reader.u32(entry + MAP_INPUT_BASE) ?? 0;
export const mapIdCount = (reader: TableReader, entry: number): number => reader.u32(entry + MAP_ID_COUNT) ?? 0;
export const mapOutputBase = (reader: TableReader, entry: number): number => reader.u32(entry + MAP_OUTPUT_BASE) ?? 0;
export const mapOutputReference = (reader: TableReader, entry: number): number => reader.u32(entry + MAP_OUTPUT_REFERENCE) ?? 0;
export const mapFlags = (reader: TableReader, entry: number): number => reader.u32(entry + MAP_FLAGS) ?? 0;
export const mapIsSingle = (reader: TableReader, entry: number): boolean => (mapFlags(reader, entry) & MAP_FLAG_SINGLE) !== 0;

/**
 * The space rule of spec §3.1: optional trailing fields must end at or before this node-relative
 * offset — the node Length, or the ID array reference when mappings exist and it is past the header.
 */
export function optionalFieldLimit(reader: TableReader, node: number): number {
  return fieldLimit(nodeLength(reader, node), mappingCount(reader, node), mappingArrayOffset(reader, node));
}

/** `optionalFieldLimit` of a node whose Length, mapping count and ID array reference are already read. */
export function fieldLimit(length: number, count: number, ref: number): number {
  return count > 0 && ref >= NODE_HEADER_SIZE ? Math.min(length, ref) : length;
}

/** True when a field `[rel, rel + size)` added in node revision `minRevision` is present (revision AND space). */
export function optionalFieldPresent(reader: TableReader, node: number, rel: number, size: number, minRevision: number): boolean {
  return nodeRevision(reader, node) >= minRevision && rel + size <= optionalFieldLimit(reader, node);
}

/**
 * Whether the SMMUv3 DeviceID mapping index field is in effect, before the range check
 * (`iort_get_id_mapping_index()`): node rev 0 never; rev 1–4 unless all four GSIVs are wired;
 * rev ≥ 5 only with flag bit 4. Returns the stored index, or -1.
 */
export function smmuV3StoredDeviceIdIndex(reader: TableReader, node: number): number {
  const revision = nodeRevision(reader, node);
  if (!optionalFieldPresent(reader, node, SMMU3_DEVICE_ID_INDEX, 4, SMMU3_OPTIONAL_REVISION)) return -1;
  if (revision < SMMU3_DEVICE_ID_FLAG_REVISION) {
    if (wired(reader, node, SMMU3_EVENT_GSIV) && wired(reader, node, SMMU3_PRI_GSIV) && wired(reader, node, SMMU3_GERR_GSIV) && wired(reader, node, SMMU3_SYNC_GSIV)) return -1;
  } else if (((reader.u32(node + SMMU3_FLAGS) ?? 0) & SMMU3_FLAG_DEVICE_ID_VALID) === 0) {
    return -1;
  }
  return reader.u32(node + SMMU3_DEVICE_ID_INDEX) ?? -1;
}

/** An SMMUv3 GSIV field is non-zero (a module function: a closure per call allocated on every parse). */
const wired = (reader: TableReader, node: number, rel: number): boolean => (reader.u32(node + rel) ?? 0) !== 0;

/**
 * The mapping Linux skips while translating other IDs through this node (its own MSI DeviceID),
 * or -1: SMMUv3 per `smmuV3StoredDeviceIdIndex` when `< mapping count`; PMCG mapping 0 when its
 * overflow GSIV is 0 (`iort_get_id_mapping_index()`). A PMCG is asked only once its ID mappings
 * are readable (the walk, the mapping check): it has a mapping (Linux's `mapping_count == 0`
 * test) and at least 16 + 20 bytes, so the GSIV at +24 lies inside the node.
 */
export function deviceIdMappingIndex(reader: TableReader, node: number): number {
  const type = nodeType(reader, node);
  if (type === IORT_NODE_SMMU_V3) {
    const index = smmuV3StoredDeviceIdIndex(reader, node); // -1 is below any count: it stays -1
    return index < mappingCount(reader, node) ? index : -1;
  }
  if (type === IORT_NODE_PMCG) return reader.u32(node + PMCG_OVERFLOW_GSIV) === 0 ? 0 : -1;
  return -1;
}

/** A NUL-terminated device name at node-relative `rel`, bounded by the space rule (spec §3.7, §5 #35). */
export function deviceNameAt(reader: TableReader, node: number, rel: number): { text: string; terminated: boolean; byteLength: number } {
  return reader.cString(node + rel, node + optionalFieldLimit(reader, node));
}

