/**
 * IVRS (AMD I/O Virtualization Reporting Structure) on-wire layout as pure data: header
 * offsets, block and device-entry type codes, and the length rules (AMD IOMMU spec rev 3.x
 * §5.2; ACPICA actbl2.h `ACPI_IVRS_*`; Linux 6.1 drivers/iommu/amd/init.c).
 */

export const IVRS_SIGNATURE = 'IVRS';

/** SDT header (36) + IVinfo (u32) + reserved (u64): Linux `IVRS_HEADER_LENGTH`. */
export const IVRS_HEADER_SIZE = 48;
export const IVRS_IVINFO = 36;
export const IVRS_RESERVED = 40;
/** Revision 1: IVHD type 0x10 only; revision 2 adds types 0x11 and 0x40. */
export const IVRS_NEWEST_REVISION = 2;

/** IVinfo bits (AMD IOMMU spec "IVinfo field"). */
export const IVINFO_EFR_SUPPORTED = 1 << 0;
export const IVINFO_DMA_GUARD_OPT_IN = 1 << 1;
export const IVINFO_HT_ATS_RESERVED = 1 << 22;

/** Every block starts with Type (u8), Flags (u8), Length (u16). */
export const BLOCK_HEADER_SIZE = 4;
export const BLOCK_TYPE = 0;
export const BLOCK_FLAGS = 1;
export const BLOCK_LENGTH = 2;
/** Device ID (u16) of an IVHD (the IOMMU itself) or an IVMD (the device it names). */
export const BLOCK_DEVICE_ID = 4;

export const IVHD_TYPE_10 = 0x10;
export const IVHD_TYPE_11 = 0x11;
export const IVHD_TYPE_40 = 0x40;
export const IVMD_TYPE_ALL = 0x20;
export const IVMD_TYPE_SELECT = 0x21;
export const IVMD_TYPE_RANGE = 0x22;
/** Linux `ACPI_IVHD_TYPE_MAX_SUPPORTED`: the IVHD-type scan stops at the first block above it. */
export const IVHD_TYPE_MAX_SUPPORTED = 0x40;

export const IVHD_TYPES: readonly number[] = [IVHD_TYPE_10, IVHD_TYPE_11, IVHD_TYPE_40];
export const IVMD_TYPES: readonly number[] = [IVMD_TYPE_ALL, IVMD_TYPE_SELECT, IVMD_TYPE_RANGE];

/** IVHD fixed part: 24 bytes for type 0x10, 40 for 0x11 and 0x40 (Linux `get_ivhd_header_size`). */
export function ivhdHeaderSize(type: number): number {
  return type === IVHD_TYPE_10 ? 24 : 40;
}

/** IVHD fields (block-relative). */
export const IVHD_CAPABILITY_OFFSET = 6;
export const IVHD_BASE_ADDRESS = 8;
export const IVHD_PCI_SEGMENT = 16;
export const IVHD_INFO = 18;
/** Type 0x10: IOMMU Feature Reporting; types 0x11/0x40: IOMMU Attributes. */
export const IVHD_FEATURES = 20;
export const IVHD_EFR_IMAGE = 24;
/** ACPICA "Reserved"; Linux reads it as `efr_reg2`, a copy of MMIO offset 0x01A0. */
export const IVHD_EFR_IMAGE_2 = 32;

/** IVMD: 32 bytes (ACPICA `ACPI_IVRS_MEMORY`). */
export const IVMD_SIZE = 32;
export const IVMD_AUXILIARY = 6;
/** Bytes 8–9: PCI segment as Linux 6.1 reads it (`ivmd_header.pci_seg`); ACPICA folds 8–15 into Reserved. */
export const IVMD_PCI_SEGMENT = 8;
export const IVMD_RESERVED = 10;
export const IVMD_RESERVED_SIZE = 6;
export const IVMD_START = 16;
export const IVMD_LENGTH = 24;

/** IVMD flag bits (Linux `IVMD_FLAG_*`). */
export const IVMD_FLAG_UNITY = 0x01;
export const IVMD_FLAG_READ = 0x02;
export const IVMD_FLAG_WRITE = 0x04;
export const IVMD_FLAG_EXCLUSION = 0x08;

/** Device entries: Type (u8), Device ID (u16), Data Setting (u8), then type-specific bytes. */
export const ENTRY_DEVICE_ID = 1;
export const ENTRY_DATA_SETTING = 3;

export const ENTRY_KINDS = {
  0x00: 'pad4',
  0x01: 'all',
  0x02: 'select',
  0x03: 'range-start',
  0x04: 'range-end',
  0x40: 'pad8',
  0x42: 'alias-select',
  0x43: 'alias-range-start',
  0x46: 'extended-select',
  0x47: 'extended-range-start',
  0x48: 'special',
  0xf0: 'acpi-hid',
} as const satisfies Readonly<Record<number, string>>;

export type DeviceEntryKind = (typeof ENTRY_KINDS)[keyof typeof ENTRY_KINDS] | 'unknown';

/** Kinds indexed by type byte: a dense array, as the walks look a kind up per entry. */
const KIND_OF_TYPE: readonly DeviceEntryKind[] = Array.from({ length: 256 }, (_, type) => (ENTRY_KINDS as Readonly<Record<number, DeviceEntryKind>>)[type] ?? 'unknown');

export function entryKindOf(type: number): DeviceEntryKind {
  return KIND_OF_TYPE[type] ?? 'unknown';
}

export const ENTRY_TYPE_ACPI_HID = 0xf0;
/** ACPI HID entry: HID (8 bytes), CID (8 bytes), UID format, UID length, UID (variable). */
export const HID_HID = 4;
export const HID_CID = 12;
export const HID_UID_FORMAT = 20;
export const HID_UID_LENGTH = 21;
export const HID_UID = 22;

/**
 * Fixed length of a device entry from its type: bits 7:6 give 4, 8, 16 or 32 bytes (AMD IOMMU
 * spec; Linux `ivhd_entry_length()` for types below 0x80). The ACPI HID entry (0xF0) has no
 * fixed length: `undefined`.
 */
export function fixedEntryLength(type: number): number | undefined {
  return type === ENTRY_TYPE_ACPI_HID ? undefined : 4 << (type >> 6);
}
