/** Type 1 — named component (spec §3.7): a platform device named by its ACPI path. */
import { NC_ADDRESS_SIZE_LIMIT, NC_DEVICE_NAME, NC_MEMORY_ACCESS, NC_NODE_FLAGS } from './layout.js';
import { readMemoryAccess, type IortMemoryAccess } from './memory-access.js';
import { IortNodeBase } from './node.js';
import { deviceNameAt } from './raw.js';

export class NamedComponentNode extends IortNodeBase {
  readonly kind = 'named-component' as const;

  get nodeFlags(): number {
    return this.u32(NC_NODE_FLAGS);
  }

  /** Bit 0; Linux adds "dma-can-stall" (`iort_named_component_init()`). */
  get stallSupported(): boolean {
    return (this.nodeFlags & 0x1) !== 0;
  }

  /** Bits 5:1, substream-ID bits (Linux "pasid-num-bits"). */
  get pasidWidth(): number {
    return (this.nodeFlags >>> 1) & 0x1f;
  }

  get memoryAccess(): IortMemoryAccess {
    return readMemoryAccess(this.reader, this.offset + NC_MEMORY_ACCESS);
  }

  /** Address width in bits; Linux: ≥ 64 means no limit (`nc_dma_get_range()`). */
  get deviceMemoryAddressSizeLimit(): number {
    return this.u8(NC_ADDRESS_SIZE_LIMIT);
  }

  /** The ACPI path up to its NUL, searched only before the ID array / node end. */
  get deviceName(): string {
    return deviceNameAt(this.reader, this.offset, NC_DEVICE_NAME).text;
  }

  get deviceNameTerminated(): boolean {
    return deviceNameAt(this.reader, this.offset, NC_DEVICE_NAME).terminated;
  }

  protected fields(): Record<string, unknown> {
    return {
      nodeFlags: this.nodeFlags,
      stallSupported: this.stallSupported,
      pasidWidth: this.pasidWidth,
      memoryAccess: this.memoryAccess,
      deviceMemoryAddressSizeLimit: this.deviceMemoryAddressSizeLimit,
      deviceName: this.deviceName,
      deviceNameTerminated: this.deviceNameTerminated,
    };
  }
}
