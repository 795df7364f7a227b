/**
 * `parseIvrs`: the IVRS as a lazy view. Parsing validates the header and frames every block
 * (and every IVHD device entry) once, keeping only block offsets; views are created when the
 * caller iterates. Never throws on data; time and memory are linear in the table length.
 */
import { asBytes, type BytesInput } from '../bytes/input.js';
import { DiagnosticList, type Diagnostic } from '../bytes/diagnostics.js';
import type { TableReader } from '../bytes/reader.js';
import { SDT_CODES, readSdtHeader, type SdtHeader } from '../bytes/sdt.js';
import { plainHeader } from '../bytes/sdt-header.js';
import { IVRS_CODES } from './codes.js';
import { decodeIvInfo, type IvInfo } from './ivinfo.js';
import type { IvhdBlock } from './ivhd.js';
import type { IvmdBlock } from './ivmd.js';
import { IVRS_HEADER_SIZE, IVRS_IVINFO, IVRS_NEWEST_REVISION, IVRS_RESERVED, IVRS_SIGNATURE } from './layout.js';
import { forEachBlockAt, makeBlock, walkBlocks, type IvrsBlock } from './walk.js';

export interface IvrsJson {
  signature: 'IVRS';
  header: SdtHeader | undefined;
  ivinfo: IvInfo | undefined;
  reserved: bigint | undefined;
  blocks: Record<string, unknown>[];
  diagnostics: Diagnostic[];
}

/** Built once: every parse shares it. */
const IVRS_TABLE_CODES = { ...SDT_CODES, ...IVRS_CODES };

export class IvrsTable {
  readonly signature = IVRS_SIGNATURE;
  /** The caller's bytes; never copied. */
  readonly bytes: Uint8Array;
  /** Undefined when fewer than 36 bytes were given. */
  readonly header: SdtHeader | undefined;
  readonly revision: number;
  /** Sorted by offset, then severity, then code. */
  readonly diagnostics: readonly Diagnostic[];
  /** Table offsets of the framed blocks, in table order. */
  readonly blockOffsets: readonly number[];
  readonly #reader: TableReader;

  constructor(bytes: Uint8Array) {
    const diagnostics = new DiagnosticList(IVRS_TABLE_CODES);
    const { header, reader, usable } = readSdtHeader(bytes, diagnostics, {
      signature: IVRS_SIGNATURE,
      fixedSize: IVRS_HEADER_SIZE,
      newestRevision: IVRS_NEWEST_REVISION,
    });
    this.bytes = bytes;
    this.header = header;
    this.revision = header?.revision ?? 0;
    this.#reader = reader;
    this.blockOffsets = usable ? walkBlocks(reader, diagnostics) : [];
    this.diagnostics = diagnostics.sorted();
  }

  /** IVinfo (u32 at 36), decoded when read; undefined when the bytes end before offset 40. */
  get ivinfo(): IvInfo | undefined {
    const raw = this.#reader.u32(IVRS_IVINFO);
    return raw === undefined ? undefined : decodeIvInfo(raw);
  }

  /** The 8 reserved header bytes at 40, read when asked. */
  get reserved(): bigint | undefined {
    return this.#reader.u64(IVRS_RESERVED);
  }

  /** Bounded reader over `[0, min(Length, bytes available))`. */
  get reader(): TableReader {
    return this.#reader;
  }

  /** Every block as a lazy view, in table order. */
  *blocks(): Generator<IvrsBlock> {
    const offsets = this.blockOffsets;
    // Indexed: a for…of over an array inside a generator makes an iterator result per step.
    for (let index = 0; index < offsets.length; index++) yield makeBlock(this.#reader, offsets[index]!);
  }

  /**
   * Every block, in table order, without a view per block: `visit` gets a flyweight cursor (one
   * per kind, moved from block to block) that is valid only during that call — keep its fields or
   * `toJSON()`, not the cursor. The fast path for walks; `blocks()` gives views that may be kept.
   */
  forEachBlock(visit: (block: IvrsBlock, index: number) => void): void {
    forEachBlockAt(this.#reader, this.blockOffsets, visit);
  }

  /** The IVHD blocks (complete ones: at least their fixed part long). */
  *ivhds(): Generator<IvhdBlock> {
    for (const block of this.blocks()) if (block.kind === 'ivhd') yield block;
  }

  /** The IVMD blocks (complete ones: 32 bytes or more). */
  *ivmds(): Generator<IvmdBlock> {
    for (const block of this.blocks()) if (block.kind === 'ivmd') yield block;
  }

  /** The whole table as plain data; bigint stays bigint (serialise with `jsonReplacer`). */
  toJSON(): IvrsJson {
    return {
      signature: this.signature,
      header: plainHeader(this.header),
      ivinfo: this.ivinfo,
      reserved: this.reserved,
      blocks: Array.from(this.blocks(), (block) => block.toJSON()),
      diagnostics: [...this.diagnostics],
    };
  }
}

/** Parses an IVRS from any Uint8Array window; never throws on data. */
export function parseIvrs(input: BytesInput): IvrsTable {
  return new IvrsTable(asBytes(input));
}
