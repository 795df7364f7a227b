/** IVRS (AMD-Vi) on the page: field spans from src/ivrs/layout.ts. */
import { parseIvrs, type IvrsTable } from '../../ivrs/index.js';
import * as L from '../../ivrs/layout.js';
import type { JsonItem, Span, TableKind } from './kind.js';

/** `ivinfo` is decoded from the u32 at 36 (its bits are shown inside the one field). */
const TABLE: Record<string, Span> = { ivinfo: [L.IVRS_IVINFO, 4], reserved: [L.IVRS_RESERVED, 8] };

const BLOCK: Record<string, Span> = { type: [L.BLOCK_TYPE, 1], flags: [L.BLOCK_FLAGS, 1], length: [L.BLOCK_LENGTH, 2] };

const IVHD: Record<string, Span> = {
  ...BLOCK,
  deviceId: [L.BLOCK_DEVICE_ID, 2], capabilityOffset: [L.IVHD_CAPABILITY_OFFSET, 2], baseAddress: [L.IVHD_BASE_ADDRESS, 8],
  pciSegmentGroup: [L.IVHD_PCI_SEGMENT, 2], info: [L.IVHD_INFO, 2],
  // The u32 at 20 is Feature Reporting in type 0x10 and Attributes in 0x11/0x40; the JSON has one of them.
  featureReporting: [L.IVHD_FEATURES, 4], attributes: [L.IVHD_FEATURES, 4],
  efrRegisterImage: [L.IVHD_EFR_IMAGE, 8], efrRegisterImage2: [L.IVHD_EFR_IMAGE_2, 8],
};

const IVMD: Record<string, Span> = {
  ...BLOCK,
  deviceId: [L.BLOCK_DEVICE_ID, 2], auxiliaryData: [L.IVMD_AUXILIARY, 2], pciSegmentGroup: [L.IVMD_PCI_SEGMENT, 2],
  reserved: [L.IVMD_RESERVED, L.IVMD_RESERVED_SIZE], startAddress: [L.IVMD_START, 8], memoryLength: [L.IVMD_LENGTH, 8],
};

/** Common to every device entry: Type, Device ID, Data Setting. `length` is derived from the type (entries store none). */
const ENTRY: Record<string, Span> = { type: [0, 1], deviceId: [L.ENTRY_DEVICE_ID, 2], dataSetting: [L.ENTRY_DATA_SETTING, 1] };

/** Type-specific bytes after the common four, per entry kind (AMD IOMMU spec "IVHD device entries"). */
const ENTRY_KINDS: Readonly<Record<string, Record<string, Span>>> = {
  'alias-select': { reservedByte4: [4, 1], sourceDeviceId: [5, 2], reservedByte7: [7, 1] },
  'alias-range-start': { reservedByte4: [4, 1], sourceDeviceId: [5, 2], reservedByte7: [7, 1] },
  pad8: { extendedData: [4, 4] },
  'extended-select': { extendedData: [4, 4] },
  'extended-range-start': { extendedData: [4, 4] },
  special: { handle: [4, 1], sourceDeviceId: [5, 2], variety: [7, 1] },
  'acpi-hid': {
    hid: [L.HID_HID, 8], hidValue: [L.HID_HID, 8], cid: [L.HID_CID, 8], cidValue: [L.HID_CID, 8],
    uidFormat: [L.HID_UID_FORMAT, 1], uidLength: [L.HID_UID_LENGTH, 1],
  },
};

function entrySpans(item: JsonItem): Record<string, Span> {
  const length = typeof item.length === 'number' ? item.length : 4;
  const kind = String(item.kind);
  const tail: Record<string, Span> =
    kind === 'acpi-hid' ? { uid: [L.HID_UID, Math.max(0, length - L.HID_UID)] } : kind === 'unknown' ? { payload: [4, Math.max(0, length - 4)] } : {};
  return { ...ENTRY, ...ENTRY_KINDS[kind], ...tail };
}

/** The booleans of an IVHD or IVMD are its Flags bits by name (`flagBits`, `unity`, …): they light the Flags byte. */
function flagBitSpans(item: JsonItem): Record<string, Span> {
  return Object.fromEntries(Object.keys(item).filter((name) => typeof item[name] === 'boolean').map((name) => [name, [L.BLOCK_FLAGS, 1] as Span]));
}

function blockSpans(item: JsonItem): Record<string, Span> {
  if (item.kind === 'ivhd') return { ...flagBitSpans(item), ...IVHD };
  if (item.kind === 'ivmd') return { ...flagBitSpans(item), ...IVMD };
  // Unknown or truncated blocks: the header, then their bytes (`truncated` is derived from the type).
  const length = typeof item.length === 'number' ? item.length : L.BLOCK_HEADER_SIZE;
  return { ...BLOCK, payload: [L.BLOCK_HEADER_SIZE, Math.max(0, length - L.BLOCK_HEADER_SIZE)] };
}

export const IVRS_KIND: TableKind<IvrsTable> = {
  signature: 'IVRS',
  title: 'IVRS (AMD-Vi: IVHD units, IVMD ranges)',
  parse: parseIvrs,
  regionKey: 'ivrs',
  fieldSpans(item, arrayName) {
    if (arrayName === undefined) return TABLE;
    if (arrayName === 'entries') return entrySpans(item);
    return blockSpans(item);
  },
};
