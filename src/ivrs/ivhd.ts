/**
 * IVHD — I/O virtualization hardware definition, one per IOMMU: types 0x10 (24-byte header),
 * 0x11 and 0x40 (40-byte header with the EFR image; 0x40 adds ACPI HID entries). The device
 * entries after the header say which requester IDs the IOMMU translates (AMD IOMMU specification §5.2.2.1).
 */
import { BlockView, assignDefined } from './block.js';
import { DeviceEntry } from './device-entry.js';
import { entryLengthAt, frameEntries } from './entry-walk.js';
import type { MovableView } from '../bytes/item-view.js';
import {
  BLOCK_DEVICE_ID,
  IVHD_BASE_ADDRESS,
  IVHD_CAPABILITY_OFFSET,
  IVHD_EFR_IMAGE,
  IVHD_EFR_IMAGE_2,
  IVHD_FEATURES,
  IVHD_INFO,
  IVHD_PCI_SEGMENT,
  IVHD_TYPE_10,
  ivhdHeaderSize,
} from './layout.js';

/** IVHD Flags bits, low to high (AMD IOMMU spec; iasl names them the same way). */
const IVHD_FLAG_NAMES = ['htTunnel', 'passPw', 'resPassPw', 'isoc', 'iotlbSupport', 'coherent', 'prefetchSupport', 'pprSupport'] as const;
export type IvhdFlagName = (typeof IVHD_FLAG_NAMES)[number];

export class IvhdBlock extends BlockView {
  readonly kind = 'ivhd' as const;

  /** The Flags bits by name. */
  get flagBits(): Record<IvhdFlagName, boolean> {
    const flags = this.flags;
    return Object.fromEntries(IVHD_FLAG_NAMES.map((name, bit) => [name, ((flags >> bit) & 1) === 1])) as Record<IvhdFlagName, boolean>;
  }

  /** Requester ID of the IOMMU itself (Linux never lets the IOMMU translate its own ID). */
  get deviceId(): number {
    return this.u16(BLOCK_DEVICE_ID);
  }

  get capabilityOffset(): number {
    return this.u16(IVHD_CAPABILITY_OFFSET);
  }

  get baseAddress(): bigint {
    return this.u64(IVHD_BASE_ADDRESS);
  }

  get pciSegmentGroup(): number {
    return this.u16(IVHD_PCI_SEGMENT);
  }

  /** IOMMU Info: bits 4:0 MSI number, bits 12:8 HyperTransport unit ID. */
  get info(): number {
    return this.u16(IVHD_INFO);
  }

  /** Fixed part: 24 bytes for type 0x10, 40 for 0x11/0x40. */
  get headerSize(): number {
    return ivhdHeaderSize(this.type);
  }

  /** Type 0x10 only: IOMMU Feature Reporting (u32 at 20). */
  get featureReporting(): number | undefined {
    return this.type === IVHD_TYPE_10 ? this.u32(IVHD_FEATURES) : undefined;
  }

  /** Types 0x11/0x40: IOMMU Attributes (u32 at 20). */
  get attributes(): number | undefined {
    return this.type !== IVHD_TYPE_10 ? this.u32(IVHD_FEATURES) : undefined;
  }

  /** Types 0x11/0x40: copy of the Extended Feature Register (valid when IVinfo bit 0 is set). */
  get efrRegisterImage(): bigint | undefined {
    return this.type !== IVHD_TYPE_10 ? this.u64(IVHD_EFR_IMAGE) : undefined;
  }

  /** Types 0x11/0x40: ACPICA's "Reserved", Linux's `efr_reg2` (EFR2 register copy). */
  get efrRegisterImage2(): bigint | undefined {
    return this.type !== IVHD_TYPE_10 ? this.u64(IVHD_EFR_IMAGE_2) : undefined;
  }

  /** Absolute offsets of the device entries. */
  get entryOffsets(): number[] {
    const offsets: number[] = [];
    frameEntries(this.reader, this.offset + this.headerSize, this.offset + this.length, undefined, offsets);
    return offsets;
  }

  /** The device entries as lazy views, in table order. */
  *entries(): Generator<DeviceEntry> {
    const offsets = this.entryOffsets;
    // Indexed: a for…of over an array inside a generator makes an iterator result per step.
    for (let index = 0; index < offsets.length; index++) yield new DeviceEntry(this.reader, offsets[index]!);
  }

  /** Reused by `forEachEntry`; taken while a walk runs, so a nested walk makes its own. */
  private entryCursor: DeviceEntry | undefined;

  /**
   * The entries of `entries()` without a view (or an offset array) per entry: `visit` gets one
   * flyweight cursor moved from entry to entry, valid only during that call (copy what you keep).
   */
  forEachEntry(visit: (entry: DeviceEntry, index: number) => void): void {
    let cursor = this.entryCursor;
    this.entryCursor = undefined;
    const end = this.offset + this.length;
    let index = 0;
    for (let at = this.offset + this.headerSize; at < end; ) {
      const length = entryLengthAt(this.reader, at, end);
      if (length === undefined || at + length > end) break;
      if (cursor === undefined) cursor = new DeviceEntry(this.reader, at);
      else (cursor as MovableView).offset = at;
      visit(cursor, index++);
      at += length;
    }
    this.entryCursor = cursor;
  }

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      type: this.type,
      kind: this.kind,
      offset: this.offset,
      length: this.length,
      flags: this.flags,
      ...this.flagBits,
      deviceId: this.deviceId,
      capabilityOffset: this.capabilityOffset,
      baseAddress: this.baseAddress,
      pciSegmentGroup: this.pciSegmentGroup,
      info: this.info,
    };
    assignDefined(json, {
      featureReporting: this.featureReporting,
      attributes: this.attributes,
      efrRegisterImage: this.efrRegisterImage,
      efrRegisterImage2: this.efrRegisterImage2,
    });
    json.entries = Array.from(this.entries(), (entry) => entry.toJSON());
    return json;
  }
}
