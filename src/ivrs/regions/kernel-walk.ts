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
 * The walk over one IVHD's entries as a cursor, moved by `next()` over every entry the kernel
 * handles, an entry past the IVHD end included; not one whose fields lie past the table end
 * (`unknown` says so). One cursor serves every IVHD of a table (`start` each): no closure or result
 * object per IVHD, and the loop's calls stay monomorphic. Never reads outside the table.
 */
export class KernelEntryWalk {
  /** Offset and kind of the entry `next()` moved to. */
  at = 0;
  kind: DeviceEntryKind = 'unknown';
  /**
   * Once `next()` returned false: offset of the entry that starts inside the IVHD and runs past its
   * end, so the walk steps past the end (`p != end`) and `find_last_devid_from_ivhd` WARNs.
   * Undefined when the walk ends exactly at the end.
   */
  pastEnd: number | undefined = undefined;
  /** That entry's fields (device ID, alias or special source, HID) lie past the table end: it was not visited. */
  unknown = false;
  /**
   * Offset of an entry of type 0x80 or above other than an ACPI HID: `ivhd_entry_length` gives 0
   * for it, so the kernel's walk never advances and the boot hangs (a 6.1 boot stopped there).
   */
  stuck: number | undefined = undefined;
  readonly #reader: TableReader;
  /** The IVHD's type, its end, and where the next entry starts (past `#end` once the walk is over). */
  #type = 0;
  #end = 0;
  #next = 0;

  constructor(reader: TableReader) {
    this.#reader = reader;
  }

  /** Puts the cursor before the first entry of the IVHD at `ivhd`. */
  start(ivhd: number): this {
    const reader = this.#reader;
    this.#type = reader.u8(ivhd)!;
    this.#end = ivhd + reader.u16(ivhd + BLOCK_LENGTH)!;
    this.#next = ivhd + ivhdHeaderSize(this.#type);
    this.pastEnd = undefined;
    this.unknown = false;
    this.stuck = undefined;
    return this;
  }

  /** Moves to the next entry the kernel applies; false when the walk is over. */
  next(): boolean {
    const at = this.#next;
    const end = this.#end;
    if (at >= end) return false;
    const reader = this.#reader;
    const entryType = reader.u8(at)!;
    // ivhd_entry_length(): 4 << (type >> 6) below 0x80, 22 + the UID length byte for an ACPI HID
    // entry, else 0; a UID length byte past the table end lies past the IVHD end, so the step
    // overshoots whatever it holds.
    if (entryType >= FIRST_UNSIZED_TYPE && entryType !== ENTRY_TYPE_ACPI_HID) {
      this.stuck = at;
      return false;
    }
    const length = fixedEntryLength(entryType) ?? HID_UID + (reader.u8(at + HID_UID_LENGTH) ?? 0);
    const kind = entryKindOf(entryType);
    if (at + length > end) {
      // The walk ends past the IVHD end. Past the table end means past the IVHD end too: blocks
      // are framed inside the table.
      this.pastEnd = at;
      this.#next = Infinity;
      if (at + fieldBytes(kind, this.#type) > reader.end) {
        this.unknown = true;
        return false;
      }
    } else this.#next = at + length;
    this.at = at;
    this.kind = kind;
    return true;
  }
}
