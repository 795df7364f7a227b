/**
 * IORT RMR nodes → DIRECT / DIRECT_RELAXABLE regions (docs/kernel-semantics.md §4.3; `iort_find_rmrs`,
 * `iort_node_get_rmr_info`, `iort_rmr_has_dev`, `iort_get_rmrs`).
 */
import type { IdMapping, IortTable, RmrMemoryRange, RmrNode } from '../index.js';
import { IORT_NODE_RMR, IORT_RMR_TABLE_REVISION } from '../layout.js';
import { finding, type RegionFinding } from '../../regions/codes.js';
import type { KernelBehaviour } from '../../regions/kernel-versions.js';
import { hex, PROT, wrap64, type RegionDescriptor } from '../../regions/types.js';

const SZ_64K = 0x10000n;

export interface RmrOptions {
  /** The host bridge's `preserve_config` (_DSM function 5); PCI devices need it. */
  preserveBootConfig: boolean;
  /** Kernel page size used to round descriptors that are not 64 KiB aligned. */
  pageSize: number;
  /** The kernel version's rules (kernel-versions.ts); RMRs need v6.0. Default: current. */
  kernel?: KernelBehaviour | undefined;
}

/** RMR nodes in table order (the kernel scans them only for table revision ≥ 5). */
export function rmrNodes(table: IortTable): RmrNode[] {
  const nodes: RmrNode[] = [];
  for (const node of table.nodesOfType(IORT_NODE_RMR)) if (node.kind === 'rmr') nodes.push(node);
  return nodes;
}

/** `iort_find_rmrs` runs: table revision ≥ 5 and a kernel with RMR support (v6.0+; default current). */
export function rmrsApply(table: IortTable, kernel: KernelBehaviour | undefined): boolean {
  return table.revision >= IORT_RMR_TABLE_REVISION && kernel?.rmr !== false;
}

/** `iort_node_get_rmr_info` skips a node whose ID mapping count or reference is 0. */
export function rmrHasMappings(node: RmrNode): boolean {
  return node.mappingCount !== 0 && node.mappingArrayOffset !== 0;
}

/** The last StreamID of an RMR mapping, `output_base + id_count` in u32 arithmetic (`iort_rmr_has_dev`). */
export function rmrLastStreamId(mapping: Pick<IdMapping, 'outputBase' | 'idCount'>): number {
  return (mapping.outputBase + mapping.idCount) >>> 0;
}

/** `[start, end]` the kernel uses for a descriptor: verbatim if 64 KiB aligned, else page-rounded. */
export function rmrDescriptorRange(range: Pick<RmrMemoryRange, 'baseAddress' | 'length'>, pageSize: number): { start: bigint; end: bigint; rounded: boolean } {
  const base = range.baseAddress;
  const length = range.length;
  if (base % SZ_64K === 0n && length % SZ_64K === 0n) return { start: base, end: wrap64(base + length - 1n), rounded: false };
  const page = BigInt(pageSize);
  const start = base & ~(page - 1n);
  const size = wrap64((length + (base & (page - 1n)) + page - 1n) & ~(page - 1n));
  return { start, end: wrap64(start + size - 1n), rounded: true };
}

/** Prot bits from the RMR flags (not visible in sysfs). */
export function rmrProt(node: RmrNode): number {
  let prot = PROT.read | PROT.write;
  if (node.accessPrivileged) prot |= PROT.priv;
  if (node.accessAttributes <= 0x03) prot |= PROT.mmio;
  else if (node.accessAttributes === 0x05) prot |= PROT.cache;
  return prot;
}

/** Table-level RMR findings (once per node, not per device). */
export function rmrTableFindings(table: IortTable, pageSize: number, kernel?: KernelBehaviour): RegionFinding[] {
  const findings: RegionFinding[] = [];
  const nodes = rmrNodes(table);
  if (nodes.length === 0) return findings;
  if (kernel !== undefined && !kernel.rmr) {
    findings.push(finding('regions.arm.rmr-kernel', `${kernel.label} predates IORT RMR support (v6.0): the ${nodes.length} RMR node(s) are ignored`, { table: 'IORT', offset: nodes[0]!.offset }));
    return findings;
  }
  if (table.revision < IORT_RMR_TABLE_REVISION) {
    findings.push(finding('regions.arm.rmr-revision', `IORT revision ${table.revision} < 5: the ${nodes.length} RMR node(s) are ignored by Linux`, { table: 'IORT', offset: nodes[0]!.offset }));
    return findings;
  }
  for (const node of nodes) {
    if (!rmrHasMappings(node)) {
      findings.push(finding('regions.arm.rmr-no-mapping', `RMR @${hex(node.offset)}: "Invalid ID mapping, skipping RMR node"`, { table: 'IORT', offset: node.offset }));
    }
    const ranges = [...node.memoryRanges()];
    for (const [index, range] of ranges.entries()) {
      if (range.length === 0n) {
        findings.push(finding('regions.arm.rmr-zero-length', `RMR @${hex(node.offset)}: descriptor[${hex(range.baseAddress)}] with zero length, continue anyway`, { table: 'IORT', offset: range.offset }));
        continue;
      }
      const end = wrap64(range.baseAddress + range.length - 1n);
      const used = rmrDescriptorRange(range, pageSize);
      if (used.rounded) {
        findings.push(finding('regions.arm.rmr-unaligned', `RMR @${hex(node.offset)}: descriptor [${hex(range.baseAddress)} - ${hex(end)}] not aligned to 64K, continue with [${hex(used.start)} - ${hex(used.end)}] (page size ${pageSize})`, { table: 'IORT', offset: range.offset }));
      }
      for (const other of ranges.slice(index + 1)) {
        const otherEnd = wrap64(other.baseAddress + other.length - 1n);
        if (range.baseAddress <= otherEnd && end >= other.baseAddress) {
          findings.push(finding('regions.arm.rmr-overlap', `RMR @${hex(node.offset)}: descriptor [${hex(range.baseAddress)} - ${hex(end)}] overlaps, continue anyway`, { table: 'IORT', offset: range.offset }));
        }
      }
    }
  }
  return findings;
}

export interface RmrDevice {
  /** PCI function (preserve_config applies) or named component. */
  isPci: boolean;
  smmuOffset: number;
  streamIds: readonly number[];
  device?: string;
}

/** The RMR regions for one device, in node and descriptor order. */
export function rmrRegions(table: IortTable, device: RmrDevice, options: RmrOptions): RegionDescriptor[] {
  if (!rmrsApply(table, options.kernel)) return [];
  const regions: RegionDescriptor[] = [];
  for (const node of rmrNodes(table)) {
    if (!rmrHasMappings(node)) continue;
    if (node.descriptorCount === 0 || node.descriptorArrayOffset === 0) continue;
    const matched: string[] = [];
    for (const mapping of node.idMappings()) {
      if (mapping.outputReference !== device.smmuOffset) continue;
      if (device.isPci && !options.preserveBootConfig) continue;
      const last = rmrLastStreamId(mapping);
      const hit = device.streamIds.find((sid) => sid >= mapping.outputBase && sid <= last);
      if (hit !== undefined) matched.push(`StreamID ${hex(hit)} in ${hex(mapping.outputBase)}–${hex(last)} (mapping @${hex(mapping.offset)})`);
    }
    if (matched.length === 0) continue;
    const type = node.remappingPermitted ? 'direct-relaxable' : 'direct';
    const reason = node.remappingPermitted ? 'RMR flags bit 0 (remapping permitted): relaxable' : 'RMR flags bit 0 clear: must stay identity-mapped';
    for (const range of node.memoryRanges()) {
      const used = rmrDescriptorRange(range, options.pageSize);
      const region: RegionDescriptor = {
        start: used.start,
        end: used.end,
        type,
        prot: rmrProt(node),
        source: { table: 'IORT', offset: node.offset, structure: 'RMR', detail: `descriptor @${hex(range.offset)}${used.rounded ? ` rounded to ${options.pageSize}-byte pages` : ''}; ${matched.join(', ')}` },
        reason,
      };
      if (device.device !== undefined) region.device = device.device;
      regions.push(region);
    }
  }
  return regions;
}
