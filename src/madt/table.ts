/**
 * `parseMadt`: the MADT (signature `APIC`) as a lazy view. Parsing validates the header and
 * frames every subtable once, keeping only their offsets; entry views are created when the
 * caller iterates. Never throws on data; time and memory are linear in the table length.
 */
import { DiagnosticList, type Diagnostic } from '../bytes/diagnostics.js';
import { asBytes, type BytesInput } from '../bytes/input.js';
import type { TableReader } from '../bytes/reader.js';
import { SDT_CODES, readSdtHeader, type SdtHeader } from '../bytes/sdt.js';
import { plainHeader } from '../bytes/sdt-header.js';
import { MADT_CODES } from './codes.js';
import { forEachEntryAt } from './cursors.js';
import { createEntry } from './entries.js';
import type { GicItsEntry, GicMsiFrameEntry, IoApicEntry, MadtEntry, MadtEntryOf } from './entry-types.js';
import {
  MADT_FLAGS,
  MADT_FLAG_PCAT_COMPAT,
  MADT_HEADER_SIZE,
  MADT_LOCAL_INTERRUPT_CONTROLLER_ADDRESS,
  MADT_NEWEST_REVISION,
  MADT_SIGNATURE,
  kindOfType,
  lengthLimits,
} from './layout.js';
import { walkSubtables } from './walk.js';

/** An entry whose named fields are known to be present (its Length covers them). */
export type WithFields<T, K extends keyof T> = T & { readonly [P in K]-?: NonNullable<T[P]> };

/** GIC ITS entries as Linux accepts them (Length ≥ 20): ID, base and doorbell always present. */
export type CompleteGicItsEntry = WithFields<GicItsEntry, 'translationId' | 'baseAddress' | 'translaterAddress'>;
/** GIC MSI frames of Length ≥ 24: every field present. */
export type CompleteGicMsiFrameEntry = WithFields<
  GicMsiFrameEntry,
  'msiFrameId' | 'baseAddress' | 'flags' | 'spiCountBaseSelect' | 'spiCount' | 'spiBase' | 'setSpiNsAddress'
>;
/** I/O APICs of Length ≥ 12: every field present. */
export type CompleteIoApicEntry = WithFields<IoApicEntry, 'ioApicId' | 'ioApicAddress' | 'globalSystemInterruptBase'>;

export interface MadtJson {
  signature: 'APIC';
  header: SdtHeader | undefined;
  localInterruptControllerAddress: number | undefined;
  flags: number | undefined;
  pcatCompat: boolean | undefined;
  entries: Record<string, unknown>[];
  diagnostics: Diagnostic[];
}

/** Built once: every parse shares it (spreading it per call dominated parse time). */
const MADT_TABLE_CODES = { ...SDT_CODES, ...MADT_CODES };

export class MadtTable {
  readonly signature = MADT_SIGNATURE;
  /** The caller's bytes; never copied. */
  readonly bytes: Uint8Array;
  /** Undefined when fewer than 36 bytes were given. */
  readonly header: SdtHeader | undefined;
  /** MADT revision (0 without a header); it gates GICC/GICR/ITS fields. */
  readonly revision: number;
  /** Sorted by offset, then severity, then code. */
  readonly diagnostics: readonly Diagnostic[];
  readonly #reader: TableReader;
  readonly #offsets: readonly number[];

  constructor(bytes: Uint8Array) {
    const diagnostics = new DiagnosticList(MADT_TABLE_CODES);
    const { header, reader, usable } = readSdtHeader(bytes, diagnostics, MADT_HEADER);
    this.bytes = bytes;
    this.header = header;
    this.revision = header?.revision ?? 0;
    this.#reader = reader;
    this.#offsets = usable ? walkSubtables(reader, this.revision, diagnostics) : [];
    this.diagnostics = diagnostics.sorted();
  }

  /** 32-bit physical address of the local APIC (x86), read when asked; undefined if Length < 44. */
  get localInterruptControllerAddress(): number | undefined {
    return this.#reader.u32(MADT_LOCAL_INTERRUPT_CONTROLLER_ADDRESS);
  }

  get flags(): number | undefined {
    return this.#reader.u32(MADT_FLAGS);
  }

  /** Flags bit 0: a PC-AT dual 8259 is present as well. */
  get pcatCompat(): boolean | undefined {
    const flags = this.flags;
    return flags === undefined ? undefined : (flags & MADT_FLAG_PCAT_COMPAT) !== 0;
  }

  /** Number of subtables that lie wholly inside the table. */
  get entryCount(): number {
    return this.#offsets.length;
  }

  /** Absolute offsets of the subtables, in table order. */
  get entryOffsets(): readonly number[] {
    return this.#offsets;
  }

  /** Every subtable as a lazy view, in table order (short ones included, see `madt.length.short`). */
  *entries(): Generator<MadtEntry> {
    const offsets = this.#offsets;
    // Indexed: a for…of over an array inside a generator makes an iterator result per step.
    for (let index = 0; index < offsets.length; index++) yield createEntry(this.#reader, offsets[index]!, this.revision);
  }

  /**
   * Every subtable, in table order, without a view per subtable: `visit` gets a flyweight cursor
   * (one object for every kind, moved from subtable to subtable) that is valid only during that
   * call — keep its fields or `toJSON()`, not the cursor. Its `kind`, `toJSON()` and fields are those
   * of the subtable it is on; narrow it by `kind` (a field of another kind reads `undefined`, and
   * `in` finds every kind's field names on it). The fast path for walks; `entries()` gives views
   * that may be kept.
   */
  forEachEntry(visit: (entry: MadtEntry, index: number) => void): void {
    forEachEntryAt(this.#reader, this.#offsets, this.revision, visit);
  }

  /** Only the subtables of one kind; views are created for those alone. */
  *entriesOfKind<K extends MadtEntry['kind']>(kind: K): Generator<MadtEntryOf<K>> {
    const offsets = this.#offsets;
    // Indexed: a for…of over an array inside a generator makes an iterator result per step.
    for (let index = 0; index < offsets.length; index++) {
      const offset = offsets[index]!;
      if (kindOfType(this.#reader.u8(offset)!) === kind) yield createEntry(this.#reader, offset, this.revision) as unknown as MadtEntryOf<K>;
    }
  }

  /** GIC ITS entries Linux would use (Length ≥ 20). */
  gicIts(): Generator<CompleteGicItsEntry> {
    return this.#complete('gic-its') as Generator<CompleteGicItsEntry>;
  }

  /** GIC MSI frames (GICv2m) Linux would use (Length ≥ 24). */
  gicMsiFrames(): Generator<CompleteGicMsiFrameEntry> {
    return this.#complete('gic-msi-frame') as Generator<CompleteGicMsiFrameEntry>;
  }

  /** I/O APICs Linux would use (Length ≥ 12). */
  ioApics(): Generator<CompleteIoApicEntry> {
    return this.#complete('io-apic') as Generator<CompleteIoApicEntry>;
  }

  *#complete<K extends MadtEntry['kind']>(kind: K): Generator<MadtEntryOf<K>> {
    for (const entry of this.entriesOfKind(kind)) {
      if (entry.length >= lengthLimits(entry.type).minimum) yield entry;
    }
  }

  /** The whole table as plain data; bigint stays bigint (serialise with `jsonReplacer`). */
  toJSON(): MadtJson {
    return {
      signature: this.signature,
      header: plainHeader(this.header),
      localInterruptControllerAddress: this.localInterruptControllerAddress,
      flags: this.flags,
      pcatCompat: this.pcatCompat,
      entries: Array.from(this.entries(), (entry) => entry.toJSON()),
      diagnostics: [...this.diagnostics],
    };
  }
}

/** What readSdtHeader expects of an MADT, built once (not per parse). */
const MADT_HEADER = { signature: MADT_SIGNATURE, fixedSize: MADT_HEADER_SIZE, newestRevision: MADT_NEWEST_REVISION };

/** Parses an MADT (signature `APIC`) from any Uint8Array window; never throws on data. */
export function parseMadt(input: BytesInput): MadtTable {
  return new MadtTable(asBytes(input));
}
