/**
 * Lazy, zero-copy view of one IVHD device entry (AMD IOMMU spec "IVHD device entries";
 * ACPICA `ACPI_IVRS_DE_HEADER` and friends). Every entry starts with Type, Device ID and
 * Data Setting (the DTE bits the IOMMU sets for the device); the type adds an alias source,
 * extended data, a special IOAPIC/HPET handle or an ACPI HID/CID/UID.
 */
import { ItemView } from '../bytes/item-view.js';
import { assignDefined } from './block.js';
import {
  ENTRY_DATA_SETTING,
  ENTRY_DEVICE_ID,
  HID_CID,
  HID_HID,
  HID_UID,
  HID_UID_FORMAT,
  HID_UID_LENGTH,
  entryKindOf,
  fixedEntryLength,
  type DeviceEntryKind,
} from './layout.js';

/** Special-device variety (entry 0x48, byte 7). */
export const SPECIAL_VARIETIES: Readonly<Record<number, string>> = { 1: 'ioapic', 2: 'hpet' };

export class DeviceEntry extends ItemView {
  get type(): number {
    return this.u8(0);
  }

  get kind(): DeviceEntryKind {
    return entryKindOf(this.type);
  }

  /** Bytes the entry occupies: from its type, or 22 + UID length for an ACPI HID entry. */
  get length(): number {
    return fixedEntryLength(this.type) ?? HID_UID + this.u8(HID_UID_LENGTH);
  }

  /** Requester ID (bus << 8 | device << 3 | function); 0 and reserved for special entries. */
  get deviceId(): number {
    return this.u16(ENTRY_DEVICE_ID);
  }

  get dataSetting(): number {
    return this.u8(ENTRY_DATA_SETTING);
  }

  /** Data Setting bit 0: INIT interrupts pass through. */
  get initPass(): boolean {
    return (this.dataSetting & 0x01) !== 0;
  }

  /** Bit 1: ExtInt interrupts pass through. */
  get extIntPass(): boolean {
    return (this.dataSetting & 0x02) !== 0;
  }

  /** Bit 2: NMI passes through. */
  get nmiPass(): boolean {
    return (this.dataSetting & 0x04) !== 0;
  }

  /** Bits 5:4: SysMgt (system management message handling). */
  get systemManagement(): number {
    return (this.dataSetting >> 4) & 0x3;
  }

  /** Bit 6: LINT0 passes through. */
  get lint0Pass(): boolean {
    return (this.dataSetting & 0x40) !== 0;
  }

  /** Bit 7: LINT1 passes through. */
  get lint1Pass(): boolean {
    return (this.dataSetting & 0x80) !== 0;
  }

  /** Alias (0x42/0x43) and special (0x48) entries: the requester ID the device's DMA uses. */
  get sourceDeviceId(): number | undefined {
    return this.isAlias || this.kind === 'special' ? this.u16(5) : undefined;
  }

  /** Alias entries: the reserved bytes around the source ID (4 and 7), kept for a faithful round trip. */
  get reservedBytes(): { byte4: number; byte7: number } | undefined {
    return this.isAlias ? { byte4: this.u8(4), byte7: this.u8(7) } : undefined;
  }

  get isAlias(): boolean {
    return this.kind === 'alias-select' || this.kind === 'alias-range-start';
  }

  /** 8-byte entries 0x40, 0x46, 0x47: Extended Data (bit 31: ATS disabled). */
  get extendedData(): number | undefined {
    return this.kind === 'pad8' || this.kind === 'extended-select' || this.kind === 'extended-range-start' ? this.u32(4) : undefined;
  }

  /** Special entry: IOAPIC ID or HPET number. */
  get handle(): number | undefined {
    return this.kind === 'special' ? this.u8(4) : undefined;
  }

  /** Special entry: 1 IOAPIC, 2 HPET. */
  get variety(): number | undefined {
    return this.kind === 'special' ? this.u8(7) : undefined;
  }

  /** ACPI HID entry: the 8 HID bytes as ASCII when printable (`AMDI0020`), else undefined (see `hidValue`). */
  get hid(): string | undefined {
    return this.kind === 'acpi-hid' ? this.asciiId(HID_HID) : undefined;
  }

  /** The 8 HID bytes as a little-endian integer (an EISA ID or 0 when not text). */
  get hidValue(): bigint | undefined {
    return this.kind === 'acpi-hid' ? this.u64(HID_HID) : undefined;
  }

  get cid(): string | undefined {
    return this.kind === 'acpi-hid' ? this.asciiId(HID_CID) : undefined;
  }

  get cidValue(): bigint | undefined {
    return this.kind === 'acpi-hid' ? this.u64(HID_CID) : undefined;
  }

  /** 0 no UID, 1 integer, 2 character string. */
  get uidFormat(): number | undefined {
    return this.kind === 'acpi-hid' ? this.u8(HID_UID_FORMAT) : undefined;
  }

  get uidLength(): number | undefined {
    return this.kind === 'acpi-hid' ? this.u8(HID_UID_LENGTH) : undefined;
  }

  /** The UID bytes (zero-copy). */
  get uidBytes(): Uint8Array | undefined {
    return this.kind === 'acpi-hid' ? this.reader.slice(this.offset + HID_UID, this.u8(HID_UID_LENGTH)) : undefined;
  }

  /** The UID: a string for format 2, the little-endian integer of the UID bytes for format 1. */
  get uid(): string | bigint | undefined {
    const bytes = this.uidBytes;
    if (bytes === undefined || bytes.length === 0) return undefined;
    if (this.uidFormat === 2) return String.fromCharCode(...bytes).replace(/\0+$/, '');
    let value = 0n;
    for (let index = bytes.length - 1; index >= 0; index--) value = (value << 8n) | BigInt(bytes[index]!);
    return value;
  }

  /** Bytes after the common header of an entry of unknown type. */
  get payload(): Uint8Array | undefined {
    return this.kind === 'unknown' ? this.reader.slice(this.offset + 4, this.length - 4) : undefined;
  }

  private asciiId(at: number): string | undefined {
    const bytes = this.reader.slice(this.offset + at, 8);
    const text = String.fromCharCode(...bytes).replace(/\0+$/, '');
    return text.length > 0 && /^[\x20-\x7e]+$/.test(text) ? text : undefined;
  }

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      type: this.type,
      kind: this.kind,
      offset: this.offset,
      length: this.length,
      deviceId: this.deviceId,
      dataSetting: this.dataSetting,
    };
    assignDefined(json, {
      sourceDeviceId: this.sourceDeviceId,
      extendedData: this.extendedData,
      handle: this.handle,
      variety: this.variety,
      hid: this.hid,
      hidValue: this.hidValue,
      cid: this.cid,
      cidValue: this.cidValue,
      uidFormat: this.uidFormat,
      uidLength: this.uidLength,
      uid: this.uid,
      payload: this.payload,
    });
    if (this.isAlias) Object.assign(json, { reservedByte4: this.reservedBytes!.byte4, reservedByte7: this.reservedBytes!.byte7 });
    return json;
  }
}
