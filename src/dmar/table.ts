/** `parseDmar` and the `DmarTable` view (docs/design.md "Parsing contract"). */
import { DiagnosticList, type Diagnostic } from '../bytes/diagnostics.js';
import { asBytes, type BytesInput } from '../bytes/input.js';
import type { TableReader } from '../bytes/reader.js';
import { readSdtHeader, SDT_CODES, type SdtHeader } from '../bytes/sdt.js';
import { plainHeader } from '../bytes/sdt-header.js';
import { checkContext } from './check-context.js';
import { DMAR_CODES } from './codes.js';
import { checkDmarHeader, hostAddressWidthRawOf, isUsualDmarHeader, usableHostAddressWidth } from './header.js';
import {
  DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN, DMAR_FLAG_INTR_REMAP, DMAR_FLAG_X2APIC_OPT_OUT, DMAR_FLAGS_OFFSET,
  DMAR_HEADER_SIZE, DMAR_NEWEST_REVISION, DMAR_RESERVED_OFFSET, DMAR_RESERVED_SIZE, type DmarStructureKind,
} from './layout.js';
import { validateStructures } from './validate.js';
import { forEachFramedStructure, framedOffsets, structureAt, structureKindAt, type DmarStructure, type StructureOfKind } from './walk.js';

/** Built once: every parse shares them (spreading the codes per call dominated parse time). */
const DMAR_TABLE_CODES = { ...SDT_CODES, ...DMAR_CODES };
const DMAR_HEADER_EXPECTED = { signature: 'DMAR', fixedSize: DMAR_HEADER_SIZE, newestRevision: DMAR_NEWEST_REVISION };

/**
 * A parsed DMAR. Only where framing ended is kept; `structures()` builds views on demand over the
 * caller's bytes, which are never copied.
 */
export class DmarTable {
  readonly signature = 'DMAR' as const;
  /** Undefined when fewer than 36 bytes were given. */
  readonly header: SdtHeader | undefined;
  /** Sorted with compareDiagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  /** False when the 48-byte DMAR header is unusable; then no header field is decoded. */
  readonly headerUsable: boolean;

  constructor(
    /** The caller's bytes. */
    readonly bytes: Uint8Array,
    /** Reader over `[0, min(Length, bytes.length))`. */
    readonly reader: TableReader,
    header: SdtHeader | undefined,
    headerUsable: boolean,
    /** End of the last structure the validation walk framed (48 when none was). */
    private readonly framedEnd: number,
    diagnostics: readonly Diagnostic[],
  ) {
    this.header = header;
    this.headerUsable = headerUsable;
    this.diagnostics = diagnostics;
  }

  private offsets: readonly number[] | undefined;

  /** Absolute offsets of the framed remapping structures, in table order (listed on first use). */
  get structureOffsets(): readonly number[] {
    return (this.offsets ??= framedOffsets(this.bytes, this.framedEnd));
  }

  /** The platform's DMA address width in bits (stored byte + 1). */
  get hostAddressWidth(): number | undefined {
    const raw = this.hostAddressWidthRaw;
    return raw === undefined ? undefined : raw + 1;
  }

  /** The Host Address Width byte as stored (width − 1). */
  get hostAddressWidthRaw(): number | undefined {
    return this.headerUsable ? hostAddressWidthRawOf(this.reader) : undefined;
  }

  /** Width Linux accepts (undefined when it would reject the table, `dmar.haw.invalid`). */
  get usableHostAddressWidth(): number | undefined {
    return this.headerUsable ? usableHostAddressWidth(this.reader) : undefined;
  }

  get flags(): number | undefined {
    return this.headerUsable ? this.reader.u8(DMAR_FLAGS_OFFSET) : undefined;
  }

  /** Bit 0 INTR_REMAP: the platform supports interrupt remapping. */
  get interruptRemapping(): boolean {
    return ((this.flags ?? 0) & DMAR_FLAG_INTR_REMAP) !== 0;
  }

  /** Bit 1 X2APIC_OPT_OUT: firmware asks the OS not to enable x2APIC mode. */
  get x2apicOptOut(): boolean {
    return ((this.flags ?? 0) & DMAR_FLAG_X2APIC_OPT_OUT) !== 0;
  }

  /** Bit 2 DMA_CTRL_PLATFORM_OPT_IN (ACPICA's "X2APIC_MODE"; spec §2.1 follows Linux/EDK2). */
  get dmaControlPlatformOptIn(): boolean {
    return ((this.flags ?? 0) & DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN) !== 0;
  }

  /** Header bytes 38..47 (a view; empty when the header is unusable). */
  get reserved(): Uint8Array {
    return this.headerUsable ? this.reader.slice(DMAR_RESERVED_OFFSET, DMAR_RESERVED_SIZE) : this.bytes.subarray(0, 0);
  }

  /** Lazily built views of every framed structure, in table order. */
  *structures(): Generator<DmarStructure> {
    const offsets = this.structureOffsets;
    // Indexed: a for…of over an array inside a generator makes an iterator result per step.
    for (let index = 0; index < offsets.length; index++) yield structureAt(this.reader, offsets[index]!);
  }

  /**
   * Every framed structure, in table order, without a view per structure: `visit` gets a
   * flyweight cursor (one object for every kind, moved from structure to structure: narrow it by
   * `kind`, not with `in` or `instanceof`) that is valid only during that call — keep its fields
   * or `toJSON()`, not the cursor. The fast path for walks; `structures()` gives views that may be kept.
   */
  forEachStructure(visit: (structure: DmarStructure, index: number) => void): void {
    forEachFramedStructure(this.reader, this.framedEnd, visit);
  }

  /** Views of one kind only; other structures are skipped without building a view. */
  *structuresOfKind<K extends DmarStructureKind>(kind: K): Generator<StructureOfKind<K>> {
    const offsets = this.structureOffsets;
    // Indexed: a for…of over an array inside a generator makes an iterator result per step.
    for (let index = 0; index < offsets.length; index++) {
      const offset = offsets[index]!;
      if (structureKindAt(this.reader, offset) === kind) yield structureAt(this.reader, offset) as StructureOfKind<K>;
    }
  }

  /** The whole table as plain data; bigint stays bigint (serialise with `jsonReplacer`). */
  toJSON() {
    return {
      signature: this.signature,
      header: plainHeader(this.header),
      hostAddressWidth: this.hostAddressWidth,
      hostAddressWidthRaw: this.hostAddressWidthRaw,
      flags: this.flags,
      interruptRemapping: this.interruptRemapping,
      x2apicOptOut: this.x2apicOptOut,
      dmaControlPlatformOptIn: this.dmaControlPlatformOptIn,
      reserved: Array.from(this.reserved),
      structures: Array.from(this.structures(), (structure) => structure.toJSON()),
      diagnostics: this.diagnostics,
    };
  }
}

export type DmarTableJson = ReturnType<DmarTable['toJSON']>;
export type DmarStructureJson = DmarTableJson['structures'][number];

/** Parses a DMAR. Never throws; work is linear in `bytes.length`. */
export function parseDmar(input: BytesInput): DmarTable {
  const bytes = asBytes(input);
  const diagnostics = new DiagnosticList(DMAR_TABLE_CODES);
  const { header, reader, usable } = readSdtHeader(bytes, diagnostics, DMAR_HEADER_EXPECTED);
  let framedEnd = DMAR_HEADER_SIZE;
  if (usable) {
    const context = checkContext.begin(reader, diagnostics, usableHostAddressWidth(reader));
    if (!isUsualDmarHeader(reader)) checkDmarHeader(context);
    framedEnd = validateStructures(context);
    checkContext.end();
  }
  return new DmarTable(bytes, reader, header, usable, framedEnd, diagnostics.sorted());
}
