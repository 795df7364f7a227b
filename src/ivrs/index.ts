/** IVRS (AMD I/O virtualization reporting structure): parser, block and device-entry views. */
export { parseIvrs, IvrsTable, type IvrsJson } from './table.js';
export { IVRS_CODES, type IvrsCode } from './codes.js';
export { decodeIvInfo, type IvInfo } from './ivinfo.js';
export { IvhdBlock, type IvhdFlagName } from './ivhd.js';
export { IvmdBlock } from './ivmd.js';
export { UnknownBlock } from './unknown-block.js';
export { DeviceEntry, SPECIAL_VARIETIES } from './device-entry.js';
export type { IvrsBlock } from './walk.js';
export {
  IVRS_SIGNATURE,
  IVRS_HEADER_SIZE,
  IVRS_NEWEST_REVISION,
  IVHD_TYPES,
  IVMD_TYPES,
  ENTRY_KINDS,
  entryKindOf,
  fixedEntryLength,
  ivhdHeaderSize,
  type DeviceEntryKind,
} from './layout.js';
export * from './regions/index.js';
