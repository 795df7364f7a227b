/**
 * IVMD — I/O virtualization memory definition (types 0x20 all devices, 0x21 one device,
 * 0x22 a device-ID range): a memory range that needs unity mapping or exclusion from
 * translation (AMD IOMMU specification §5.2.2.2; Linux `struct ivmd_header`).
 */
import { BlockView } from './block.js';
import {
  BLOCK_DEVICE_ID,
  IVMD_AUXILIARY,
  IVMD_FLAG_EXCLUSION,
  IVMD_FLAG_READ,
  IVMD_FLAG_UNITY,
  IVMD_FLAG_WRITE,
  IVMD_LENGTH,
  IVMD_PCI_SEGMENT,
  IVMD_RESERVED,
  IVMD_RESERVED_SIZE,
  IVMD_START,
} from './layout.js';

export class IvmdBlock extends BlockView {
  readonly kind = 'ivmd' as const;

  get unity(): boolean {
    return (this.flags & IVMD_FLAG_UNITY) !== 0;
  }

  get readable(): boolean {
    return (this.flags & IVMD_FLAG_READ) !== 0;
  }

  get writeable(): boolean {
    return (this.flags & IVMD_FLAG_WRITE) !== 0;
  }

  get exclusionRange(): boolean {
    return (this.flags & IVMD_FLAG_EXCLUSION) !== 0;
  }

  /** Type 0x21: the device; type 0x22: the first device of the range; type 0x20: reserved. */
  get deviceId(): number {
    return this.u16(BLOCK_DEVICE_ID);
  }

  /** Type 0x22: the last device ID of the range; reserved otherwise. */
  get auxiliaryData(): number {
    return this.u16(IVMD_AUXILIARY);
  }

  /** PCI segment of the device IDs, as Linux 6.1 reads bytes 8–9 (ACPICA: part of Reserved). */
  get pciSegmentGroup(): number {
    return this.u16(IVMD_PCI_SEGMENT);
  }

  /** Bytes 10–15, reserved. */
  get reserved(): number {
    return this.reader.uint(this.offset + IVMD_RESERVED, IVMD_RESERVED_SIZE) ?? 0;
  }

  get startAddress(): bigint {
    return this.u64(IVMD_START);
  }

  get memoryLength(): bigint {
    return this.u64(IVMD_LENGTH);
  }

  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      kind: this.kind,
      offset: this.offset,
      length: this.length,
      flags: this.flags,
      unity: this.unity,
      readable: this.readable,
      writeable: this.writeable,
      exclusionRange: this.exclusionRange,
      deviceId: this.deviceId,
      auxiliaryData: this.auxiliaryData,
      pciSegmentGroup: this.pciSegmentGroup,
      reserved: this.reserved,
      startAddress: this.startAddress,
      memoryLength: this.memoryLength,
    };
  }
}
