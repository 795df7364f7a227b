/**
 * Type 2 — PCI root complex (spec §3.8). Fields from offset 32 on exist only when the node
 * revision AND the space before the ID array allow (§3.1): real tables put the array at 32, 36
 * or 40 whatever the revision.
 */
import {
  RC_ADDRESS_SIZE_LIMIT, RC_ADDRESS_SIZE_LIMIT_REVISION, RC_ATS_ATTRIBUTE, RC_FLAGS, RC_MEMORY_ACCESS,
  RC_PASID_CAPABILITIES, RC_PASID_REVISION, RC_SEGMENT,
} from './layout.js';
import { readMemoryAccess, type IortMemoryAccess } from './memory-access.js';
import { IortNodeBase } from './node.js';

export class RootComplexNode extends IortNodeBase {
  readonly kind = 'root-complex' as const;

  get memoryAccess(): IortMemoryAccess {
    return readMemoryAccess(this.reader, this.offset + RC_MEMORY_ACCESS);
  }

  get atsAttribute(): number {
    return this.u32(RC_ATS_ATTRIBUTE);
  }

  get atsSupported(): boolean {
    return (this.atsAttribute & 0x1) !== 0;
  }

  /** Bit 1 (E.b). */
  get priSupported(): boolean {
    return (this.atsAttribute & 0x2) !== 0;
  }

  /** Bit 2 (E.b): PASID forwarding on translated transactions. */
  get pasidForwarding(): boolean {
    return (this.atsAttribute & 0x4) !== 0;
  }

  /** Linux matches it against the host bridge's PCI domain (`iort_match_node_callback()`). */
  get pciSegmentNumber(): number {
    return this.u32(RC_SEGMENT);
  }

  /** Node revision ≥ 1 and space (Linux reads it only for revision ≥ 1, `rc_dma_get_range()`). */
  get memoryAddressSizeLimit(): number | undefined {
    return this.gated(RC_ADDRESS_SIZE_LIMIT, 1, RC_ADDRESS_SIZE_LIMIT_REVISION, this.u8);
  }

  /** Node revision ≥ 4 (E.d) and space. */
  get pasidCapabilities(): number | undefined {
    return this.gated(RC_PASID_CAPABILITIES, 2, RC_PASID_REVISION, this.u16);
  }

  /** PASID capabilities bits 4:0. */
  get maxPasidWidth(): number | undefined {
    const capabilities = this.pasidCapabilities;
    return capabilities === undefined ? undefined : capabilities & 0x1f;
  }

  /** Node revision ≥ 4 (E.d) and space; EDK2's field at 36, absent from ACPICA (spec §3.8 Disagreement). */
  get flags(): number | undefined {
    return this.gated(RC_FLAGS, 4, RC_PASID_REVISION, this.u32);
  }

  /** Flags bit 0 (E.f placement; older EDK2 used bit 1, reported as reserved). */
  get pasidSupported(): boolean | undefined {
    const flags = this.flags;
    return flags === undefined ? undefined : (flags & 0x1) !== 0;
  }

  /**
   * Bytes between the decoded fixed part and the ID array that no field of this node revision
   * covers, when any is non-zero: e.g. revision-0 Qualcomm nodes fill the later Memory address
   * size limit at +32, which Linux ignores below revision 1. Kept (as `body`, the encoder's name
   * for such bytes) so that encoding the JSON gives the table back byte for byte.
   */
  get undecodedBytes(): Uint8Array | undefined {
    const decodedEnd = this.flags !== undefined ? RC_FLAGS + 4 : this.memoryAddressSizeLimit !== undefined || this.pasidCapabilities !== undefined ? RC_FLAGS : RC_ADDRESS_SIZE_LIMIT;
    const arrayStart = this.mappingCount > 0 && this.mappingArrayOffset >= decodedEnd ? this.mappingArrayOffset : this.length;
    const bytes = this.reader.slice(this.offset + decodedEnd, Math.min(arrayStart, this.length) - decodedEnd);
    return bytes.some((byte) => byte !== 0) ? bytes : undefined;
  }

  protected fields(): Record<string, unknown> {
    return {
      memoryAccess: this.memoryAccess,
      atsAttribute: this.atsAttribute,
      atsSupported: this.atsSupported,
      priSupported: this.priSupported,
      pasidForwarding: this.pasidForwarding,
      pciSegmentNumber: this.pciSegmentNumber,
      memoryAddressSizeLimit: this.memoryAddressSizeLimit,
      pasidCapabilities: this.pasidCapabilities,
      maxPasidWidth: this.maxPasidWidth,
      flags: this.flags,
      pasidSupported: this.pasidSupported,
      body: this.undecodedBytes,
    };
  }
}
