/**
 * The validation walk over the blocks after the 48-byte header: frames each block by its
 * Length (u16 at +2) and records its offset, without creating views. A Length of 0, below the
 * 4-byte header or past the table end stops the walk, so it always advances. IVHD device
 * entries are framed here once too, for their diagnostics.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { MovableView } from '../bytes/item-view.js';
import type { TableReader } from '../bytes/reader.js';
import { frameEntries } from './entry-walk.js';
import { IvhdBlock } from './ivhd.js';
import { IvmdBlock } from './ivmd.js';
import {
  BLOCK_HEADER_SIZE,
  BLOCK_LENGTH,
  IVHD_TYPES,
  IVHD_TYPE_10,
  IVHD_TYPE_11,
  IVHD_TYPE_40,
  IVMD_SIZE,
  IVMD_TYPES,
  IVMD_TYPE_ALL,
  IVMD_TYPE_RANGE,
  IVMD_TYPE_SELECT,
  IVRS_HEADER_SIZE,
  ivhdHeaderSize,
} from './layout.js';
import { UnknownBlock } from './unknown-block.js';

export type IvrsBlock = IvhdBlock | IvmdBlock | UnknownBlock;

/** The fixed size of a known block type, or undefined for an unknown type. */
export function fixedBlockSize(type: number): number | undefined {
  // A switch, not IVHD_TYPES.includes: it runs once per block of every parse and walk.
  switch (type) {
    case IVHD_TYPE_10:
    case IVHD_TYPE_11:
    case IVHD_TYPE_40:
      return ivhdHeaderSize(type);
    case IVMD_TYPE_ALL:
    case IVMD_TYPE_SELECT:
    case IVMD_TYPE_RANGE:
      return IVMD_SIZE;
    default:
      return undefined;
  }
}

export function describeBlock(type: number): string {
  const name = IVHD_TYPES.includes(type) ? 'IVHD' : IVMD_TYPES.includes(type) ? 'IVMD' : 'block';
  return `${name} type ${hex(type)}`;
}

/** Offsets of the blocks that lie wholly inside the table, in table order. */
export function walkBlocks(reader: TableReader, diagnostics: DiagnosticList): number[] {
  const offsets: number[] = [];
  const end = reader.end;
  let offset = IVRS_HEADER_SIZE;
  while (offset < end) {
    if (offset + BLOCK_HEADER_SIZE > end) {
      diagnostics.add('ivrs.block.truncated', offset, `only ${end - offset} bytes are left at ${hex(offset)}, less than a 4-byte block header`, end - offset);
      break;
    }
    const type = reader.u8(offset)!;
    const length = reader.u16(offset + BLOCK_LENGTH)!;
    if (length === 0) {
      diagnostics.add('ivrs.block.zero-length', offset, `${describeBlock(type)} at ${hex(offset)} has Length 0; the remaining ${end - offset} bytes cannot be framed`, BLOCK_HEADER_SIZE);
      break;
    }
    if (length < BLOCK_HEADER_SIZE || offset + length > end) {
      const why = length < BLOCK_HEADER_SIZE ? 'less than its 4-byte header' : `but the table ends ${end - offset} bytes later`;
      diagnostics.add('ivrs.block.overrun', offset, `${describeBlock(type)} at ${hex(offset)} has Length ${length}, ${why}; the walk stops`, Math.min(length, end - offset));
      break;
    }
    offsets.push(offset);
    checkBlock(reader, type, offset, length, diagnostics);
    offset += length;
  }
  return offsets;
}

function checkBlock(reader: TableReader, type: number, offset: number, length: number, diagnostics: DiagnosticList): void {
  const fixed = fixedBlockSize(type);
  if (fixed === undefined) {
    diagnostics.add('ivrs.block.unknown', offset, `block type ${hex(type)} at ${hex(offset)} (Length ${length}) is not an IVHD or IVMD type; skipped`, length);
  } else if (length < fixed) {
    diagnostics.add('ivrs.block.short', offset, `${describeBlock(type)} at ${hex(offset)} has Length ${length}, less than its ${fixed}-byte fixed part; kept undecoded`, length);
  } else if (IVHD_TYPES.includes(type)) {
    frameEntries(reader, offset + fixed, offset + length, diagnostics);
  }
}

/** View classes by slot (see `blockSlot`). */
const BLOCK_CLASSES = [UnknownBlock, IvhdBlock, IvmdBlock] as const;
const BLOCK_KINDS = ['unknown', 'ivhd', 'ivmd'] as const;

/** The BLOCK_CLASSES slot of a framed block: 0 when unknown or shorter than its fixed part, 1 IVHD, 2 IVMD. */
function blockSlot(reader: TableReader, offset: number): number {
  const type = reader.u8(offset)!;
  const fixed = fixedBlockSize(type);
  if (fixed === undefined || reader.u16(offset + BLOCK_LENGTH)! < fixed) return 0;
  return IVHD_TYPES.includes(type) ? 1 : 2;
}

/** What `blocks()` makes of the framed block at `offset`: an IVHD or IVMD view only when its fixed part fits. */
export function blockKindAt(reader: TableReader, offset: number): IvrsBlock['kind'] {
  return BLOCK_KINDS[blockSlot(reader, offset)]!;
}

/** The view for the block at `offset`; the caller has framed it. */
export function makeBlock(reader: TableReader, offset: number): IvrsBlock {
  return new BLOCK_CLASSES[blockSlot(reader, offset)]!(reader, offset);
}

/**
 * Calls `visit` for every framed block with a flyweight cursor: one view per kind, created on
 * first use and moved from block to block. A cursor is valid only during the call that receives it.
 */
export function forEachBlockAt(reader: TableReader, offsets: readonly number[], visit: (block: IvrsBlock, index: number) => void): void {
  const cursors: (IvrsBlock | undefined)[] = [];
  for (let index = 0; index < offsets.length; index++) {
    const offset = offsets[index]!;
    const slot = blockSlot(reader, offset);
    let cursor = cursors[slot];
    if (cursor === undefined) cursors[slot] = cursor = makeBlock(reader, offset);
    else (cursor as MovableView).offset = offset;
    visit(cursor, index);
  }
}
