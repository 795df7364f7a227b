/**
 * The walk Linux 6.1 makes over one IVHD's device entries, in `find_last_devid_from_ivhd` and
 * `init_iommu_from_acpi` (drivers/iommu/amd/init.c): `while (p < end) { …; p += ivhd_entry_length(p); }`.
 * Unlike the parser's framing (../entry-walk.ts, whose `ivrs.entry.truncated` stops before such an
 * entry), the kernel takes an entry that starts inside the IVHD and runs past its end: it reads the
 * entry's fields from the bytes that follow (the next block, or memory after the table), applies the
 * entry, and steps past `end`, where `find_last_devid_from_ivhd` only `WARN_ON(p != end)`s. Checked
 * against 6.1 boots for a 4-byte select and an 8-byte alias entry (test/ivrs-entry-past-end.test.ts).
 * Bytes past the table end are not in the table: an entry whose fields lie there is marked unknown
 * and never applied with invented values. An entry type `ivhd_entry_length` does not size (0x80 and
 * above, but the ACPI HID entry) stops the walk for good: the kernel loops on it.
 */
import type { TableReader } from '../../bytes/reader.js';
import { BLOCK_LENGTH, ENTRY_TYPE_ACPI_HID, HID_UID, HID_UID_LENGTH, IVHD_TYPE_40, entryKindOf, fixedEntryLength, ivhdHeaderSize, type DeviceEntryKind } from '../layout.js';

/** How the kernel's walk over one IVHD ended. */
export interface KernelEntryWalk {
  /**
   * Offset of the entry that starts inside the IVHD and runs past its end: the walk steps past the
   * end (`p != end`), so `find_last_devid_from_ivhd` WARNs. Undefined when the walk ends exactly at it.
   */
  pastEnd?: number;
  /** That entry's fields (device ID, alias or special source, HID) lie past the table end: it was not visited. */
  unknown?: true;
  /**
   * Offset of an entry of type 0x80 or above other than an ACPI HID: `ivhd_entry_length` gives 0
   * for it, so the kernel's walk never advances and the boot hangs (a 6.1 boot stopped there).
   */
  stuck?: number;
}

/** `ivhd_entry_length` sizes only the types below this one, and the ACPI HID entry. */
const FIRST_UNSIZED_TYPE = 0x80;

/** Bytes of an entry the model reads: type, device ID (1–2), alias/special source ID (5–6), HID (4–11, IVHD 0x40 only). */
function fieldBytes(kind: DeviceEntryKind, ivhdType: number): number {
  switch (kind) {
    case 'select':
    case 'range-start':
    case 'range-end':
    case 'extended-select':
    case 'extended-range-start':
      return 3;
    case 'alias-select':
    case 'alias-range-start':
    case 'special':
      return 7;
    case 'acpi-hid':
      return ivhdType === IVHD_TYPE_40 ? 12 : 1;
    default:
      return 1;
  }
}

/**
 * Calls `visit` for every entry the kernel handles in the IVHD at `ivhd`, an entry past the IVHD end
 * included; not for one whose fields lie past the table end (the result says so). Never reads
 * outside the table.
 */
export function walkKernelEntries(reader: TableReader, ivhd: number, visit: (at: number, kind: DeviceEntryKind) => void): KernelEntryWalk {
  const type = reader.u8(ivhd)!;
  const end = ivhd + reader.u16(ivhd + BLOCK_LENGTH)!;
  let at = ivhd + ivhdHeaderSize(type);
  while (at < end) {
    const entryType = reader.u8(at)!;
    // ivhd_entry_length(): 4 << (type >> 6) below 0x80, 22 + the UID length byte for an ACPI HID
    // entry, else 0; a UID length byte past the table end lies past the IVHD end, so the step
    // overshoots whatever it holds.
    if (entryType >= FIRST_UNSIZED_TYPE && entryType !== ENTRY_TYPE_ACPI_HID) return { stuck: at };
    const length = fixedEntryLength(entryType) ?? HID_UID + (reader.u8(at + HID_UID_LENGTH) ?? 0);
    const kind = entryKindOf(entryType);
    if (at + length <= end) {
      visit(at, kind);
      at += length;
      continue;
    }
    // Past the table end means past the IVHD end too: blocks are framed inside the table.
    if (at + fieldBytes(kind, type) > reader.end) return { pastEnd: at, unknown: true };
    visit(at, kind);
    return { pastEnd: at };
  }
  return {};
}
