/** Memory access properties (8 bytes) of named components and root complexes (spec §3.5). */
import type { TableReader } from '../bytes/reader.js';
import { MA_ALLOCATION_HINTS, MA_CACHE_COHERENCY, MA_FLAGS, MA_RESERVED } from './layout.js';

export interface IortMemoryAccess {
  /** 1 = fully coherent, 0 = not coherent. */
  cacheCoherency: number;
  allocationHints: number;
  hintTransient: boolean;
  hintWriteAllocate: boolean;
  hintReadAllocate: boolean;
  /** Bit 3: the hints apply. */
  hintOverride: boolean;
  /** The reserved u16 at +5. */
  reserved: number;
  memoryAccessFlags: number;
  /** CPM, bit 0: coherent path to memory. */
  coherentPathToMemory: boolean;
  /** DACS, bit 1: device attributes are cacheable and inner shareable. */
  deviceAttributesCacheable: boolean;
  /** CANWBS, bit 2 (E.f): coherency ensured even for non write-back/shareable attributes. */
  ensuredCoherency: boolean;
}

/** Reads the properties at table offset `at` (the caller checked they lie inside the node). */
export function readMemoryAccess(reader: TableReader, at: number): IortMemoryAccess {
  const hints = reader.u8(at + MA_ALLOCATION_HINTS) ?? 0;
  const flags = reader.u8(at + MA_FLAGS) ?? 0;
  return {
    cacheCoherency: reader.u32(at + MA_CACHE_COHERENCY) ?? 0,
    allocationHints: hints,
    hintTransient: (hints & 0x1) !== 0,
    hintWriteAllocate: (hints & 0x2) !== 0,
    hintReadAllocate: (hints & 0x4) !== 0,
    hintOverride: (hints & 0x8) !== 0,
    reserved: reader.u16(at + MA_RESERVED) ?? 0,
    memoryAccessFlags: flags,
    coherentPathToMemory: (flags & 0x1) !== 0,
    deviceAttributesCacheable: (flags & 0x2) !== 0,
    ensuredCoherency: (flags & 0x4) !== 0,
  };
}
