/**
 * Device-level lookups on top of the ID walk: which root complex serves a PCI segment, which
 * named component has an ACPI path, and what a device's IDs become (docs/kernel-semantics.md §4.2,
 * `iort_iommu_configure_id()`).
 */
import { IORT_IOMMU_TYPES, IORT_NODE_NAMED_COMPONENT, IORT_NODE_ROOT_COMPLEX, NC_DEVICE_NAME, RC_SEGMENT, minimumNodeLength } from './layout.js';
import { mapId, mapPlatformId, type IortStopReason, type IortWalk, type IortWalkFinal, type MapIdOptions } from './map-id.js';
import type { NamedComponentNode } from './named-component.js';
import * as raw from './raw.js';
import type { RootComplexNode } from './root-complex.js';
import type { IortTable } from './table.js';

/** Where a translation starts. */
export type IortStart =
  /** A PCI function: its segment (domain) and requester ID (bus << 8 | devfn, or a DMA alias). */
  | { segment: number; requesterId: number }
  /** Any node by table offset; without `id`, the by-index single mappings (platform devices). */
  | { nodeOffset: number; id?: number }
  /** A named component by full ACPI path (`\_SB.ETH0`); without `id`, as `iort_nc_iommu_map()`. */
  | { deviceName: string; id?: number };

export interface TranslateOptions extends MapIdOptions {
  /** Bit n = node type n; default `IORT_IOMMU_TYPES` (SMMUv1/v2 and SMMUv3), Linux's IORT_IOMMU_TYPE. */
  typeMask?: number;
}

export interface IortTranslation {
  startNodeOffset: number | undefined;
  /** One walk for an ID; for a start without ID, one per mapping index tried (the last one failed). */
  walks: IortWalk[];
  /** The nodes reached, in order (e.g. the device's SMMU and stream IDs). */
  results: IortWalkFinal[];
  /** Why the last walk ended. */
  stop: IortStopReason;
}

/** Per table, the first node (in table order, as `iort_scan_node()`) of each segment and each name. */
interface NodeIndex {
  rootComplexBySegment: Map<number, number>;
  namedComponentByName: Map<string, number>;
}

const INDEXES = new WeakMap<IortTable, NodeIndex>();

/** Built once per table on the first lookup, so a lookup per device stays linear overall. */
function indexOf(table: IortTable): NodeIndex {
  let index = INDEXES.get(table);
  if (index !== undefined) return index;
  index = { rootComplexBySegment: new Map(), namedComponentByName: new Map() };
  const reader = table.reader;
  for (const node of table.nodeOffsets) {
    const type = raw.nodeType(reader, node);
    if (type === IORT_NODE_ROOT_COMPLEX && raw.nodeLength(reader, node) >= minimumNodeLength(type, 0)) {
      const segment = reader.u32(node + RC_SEGMENT);
      if (segment !== undefined && !index.rootComplexBySegment.has(segment)) index.rootComplexBySegment.set(segment, node);
    } else if (type === IORT_NODE_NAMED_COMPONENT && raw.nodeLength(reader, node) >= minimumNodeLength(type, 0)) {
      const name = raw.deviceNameAt(reader, node, NC_DEVICE_NAME).text;
      if (!index.namedComponentByName.has(name)) index.namedComponentByName.set(name, node);
    }
  }
  INDEXES.set(table, index);
  return index;
}

/** The root complex whose PCI segment matches (`iort_match_node_callback()`). */
export function findRootComplex(table: IortTable, segment: number): RootComplexNode | undefined {
  const offset = indexOf(table).rootComplexBySegment.get(segment);
  return offset === undefined ? undefined : (table.nodeAt(offset) as RootComplexNode);
}

/** The named component whose device name equals `name` (Linux: `strcmp` on the full ACPI path). */
export function findNamedComponent(table: IortTable, name: string): NamedComponentNode | undefined {
  const offset = indexOf(table).namedComponentByName.get(name);
  return offset === undefined ? undefined : (table.nodeAt(offset) as NamedComponentNode);
}

/**
 * Translates a device's ID (or, without one, its single mappings) towards the node types in
 * `options.typeMask`: with the default mask, a PCI requester ID becomes the SMMU node and stream
 * ID (`iort_pci_iommu_init()`); with `IORT_MSI_TYPES` an ITS group and device ID.
 */
export function translate(table: IortTable, start: IortStart, options: TranslateOptions = {}): IortTranslation {
  const typeMask = options.typeMask ?? IORT_IOMMU_TYPES;
  let nodeOffset: number | undefined;
  let id: number | undefined;
  if ('segment' in start) {
    nodeOffset = findRootComplex(table, start.segment)?.offset;
    id = start.requesterId;
  } else {
    nodeOffset = 'deviceName' in start ? findNamedComponent(table, start.deviceName)?.offset : start.nodeOffset;
    id = start.id;
  }
  if (nodeOffset === undefined || table.nodeIndexAt(nodeOffset) < 0) {
    return { startNodeOffset: nodeOffset, walks: [], results: [], stop: 'no-start-node' };
  }
  const walks: IortWalk[] = [];
  if (id !== undefined) {
    walks.push(mapId(table, nodeOffset, id, typeMask, options));
  } else {
    // iort_nc_iommu_map(): index 0, 1, 2… until the first index that fails.
    const limit = raw.readableMappingCount(table.reader, nodeOffset);
    for (let index = 0; index <= limit; index++) {
      const walk = mapPlatformId(table, nodeOffset, index, typeMask, options);
      walks.push(walk);
      if (walk.stop !== 'reached') break;
    }
  }
  const results = walks.flatMap((walk) => (walk.final === undefined ? [] : [walk.final]));
  return { startNodeOffset: nodeOffset, walks, results, stop: walks[walks.length - 1]!.stop };
}
