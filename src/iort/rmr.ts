/**
 * Type 6 — RMR, reserved memory range (spec §3.12; Linux `iort_node_get_rmr_info()`). The ID
 * array and the descriptor array are independent node-relative arrays in either order.
 */
import {
  RMR_DESCRIPTORS_OFFSET, RMR_DESCRIPTOR_COUNT, RMR_DESCRIPTOR_SIZE, RMR_DESC_BASE, RMR_DESC_LENGTH, RMR_DESC_RESERVED,
  RMR_FLAGS,
} from './layout.js';
import { IortNodeBase } from './node.js';
import { arrayInsideNode } from './raw.js';

/** One memory range descriptor; the range is `[baseAddress, baseAddress + length - 1]`. */
export interface RmrMemoryRange {
  index: number;
  /** Absolute table offset of the descriptor. */
  offset: number;
  baseAddress: bigint;
  length: bigint;
  reserved: number;
}

export class RmrNode extends IortNodeBase {
  readonly kind = 'rmr' as const;

  get flags(): number {
    return this.u32(RMR_FLAGS);
  }

  /** Bit 0: Linux reports the ranges as direct-relaxable, otherwise direct. */
  get remappingPermitted(): boolean {
    return (this.flags & 0x1) !== 0;
  }

  /** Bit 1 (node revision 3, E.d): privileged accesses (Linux adds IOMMU_PRIV). */
  get accessPrivileged(): boolean {
    return (this.flags & 0x2) !== 0;
  }

  /** Bits 9:2 (E.d): 0x00–0x03 device memory, 0x04 normal non-cacheable, 0x05 normal write-back. */
  get accessAttributes(): number {
    return (this.flags >>> 2) & 0xff;
  }

  get descriptorCount(): number {
    return this.u32(RMR_DESCRIPTOR_COUNT);
  }

  /** Node-relative reference to the descriptor array. */
  get descriptorArrayOffset(): number {
    return this.u32(RMR_DESCRIPTORS_OFFSET);
  }

  get descriptorsInsideNode(): boolean {
    return arrayInsideNode(this.descriptorArrayOffset, this.descriptorCount, RMR_DESCRIPTOR_SIZE, this.length);
  }

  /** The descriptors, only when the whole array lies inside the node (spec §5 #20). */
  *memoryRanges(): Generator<RmrMemoryRange> {
    if (!this.descriptorsInsideNode) return;
    const count = this.descriptorCount;
    for (let index = 0; index < count; index++) {
      const rel = this.descriptorArrayOffset + index * RMR_DESCRIPTOR_SIZE;
      yield {
        index,
        offset: this.offset + rel,
        baseAddress: this.u64(rel + RMR_DESC_BASE),
        length: this.u64(rel + RMR_DESC_LENGTH),
        reserved: this.u32(rel + RMR_DESC_RESERVED),
      };
    }
  }

  protected fields(): Record<string, unknown> {
    return {
      flags: this.flags,
      remappingPermitted: this.remappingPermitted,
      accessPrivileged: this.accessPrivileged,
      accessAttributes: this.accessAttributes,
      descriptorCount: this.descriptorCount,
      descriptorArrayOffset: this.descriptorArrayOffset,
      memoryRanges: [...this.memoryRanges()],
    };
  }
}
