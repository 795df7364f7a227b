/**
 * Rules that span structures (spec §2.11, §5 #10, #13, #16, #17), fed by the validation walk as
 * it checks each structure (checks.ts): a rule that can be settled on the spot is, and a
 * structure that needs a later one (an RHSA or RMRR before its DRHD, a namespace scope before
 * its ANDD) is kept in a reused list and settled by `finish`. One parse at a time (parsing is
 * synchronous): `acrossStructures` is reused from parse to parse.
 */
import type { CheckContext } from './check-context.js';
import {
  ANDD, DMAR_TYPE_ANDD, DMAR_TYPE_DRHD, DRHD, DRHD_FLAG_INCLUDE_PCI_ALL, RHSA, SCOPE, SEGMENT_OFFSET, STRUCTURE_LAYOUTS, structureName,
} from './layout.js';
import { hex } from '../bytes/hex.js';
import { le16, le32 } from '../bytes/le.js';
import { ScratchIndex } from '../bytes/scratch-index.js';

/**
 * Offsets kept until the walk ends, in table order: a reused array and a count (truncating an
 * array with `length = 0` is a runtime call, measured at an eighth of a parse).
 */
class OffsetList {
  private readonly items: number[] = [];
  count = 0;

  push(offset: number): void {
    this.items[this.count++] = offset;
  }

  at(index: number): number {
    return this.items[index]!;
  }

  /** Empties the list; a long one (a hostile table) also gives its memory back. */
  clear(): void {
    this.count = 0;
    if (this.items.length > KEEP_AT_MOST) this.items.length = 0;
  }
}

const KEEP_AT_MOST = 4096;

/** ACPI device numbers are one byte. */
const ANDD_NUMBERS = 256;
const DRHD_SIZE = STRUCTURE_LAYOUTS[DMAR_TYPE_DRHD]!.fixedSize;
const ANDD_SIZE = STRUCTURE_LAYOUTS[DMAR_TYPE_ANDD]!.fixedSize;

/** The cross-structure state of the table being parsed (fields, not module `let`s: those pay a hole check per read). */
class AcrossStructures {
  // Each index is emptied when the parse first needs it (bytes/scratch-index.ts): register base →
  // first DRHD, segments with a DRHD, segment → its INCLUDE_PCI_ALL DRHD (negated once "not last"
  // was reported), ANDD number → ANDD.
  private readonly firstDrhdByBase = new ScratchIndex();
  private readonly drhdSegments = new ScratchIndex();
  private readonly includeAllBySegment = new ScratchIndex();
  private readonly anddNumbers = new ScratchIndex();
  // Settled after the walk: RHSAs and segment users seen before a DRHD matched them, namespace scopes.
  private readonly unsettledRhsas = new OffsetList();
  private readonly unsettledSegmentUsers = new OffsetList();
  private readonly namespaceScopes = new OffsetList();
  private drhdCount = 0;
  private includeAllCount = 0;
  private anddCount = 0;
  /** The last DRHD's segment: the segment users that follow it usually name it (no lookup then). */
  private lastDrhdSegment = -1;
  /** Bytes of the structure area: bounds how many DRHDs or ANDDs a table can hold. */
  private areaSize = 0;
  /** A (segment, base) key is built only when a base repeats: real tables never repeat one. */
  private drhdByKey: Map<string, number> | undefined = undefined;

  /** Starts a table whose structures lie in `[start, end)`. */
  start(start: number, end: number): void {
    this.areaSize = Math.max(0, end - start);
    this.drhdCount = 0;
    this.includeAllCount = 0;
    this.anddCount = 0;
    this.lastDrhdSegment = -1;
  }

  /** A DRHD: duplicate units (spec §5 #13) and INCLUDE_PCI_ALL placement (§5 #10). */
  drhd(context: CheckContext, offset: number): void {
    const bytes = context.reader.bytes;
    if (this.drhdCount++ === 0) {
      const drhds = Math.floor(this.areaSize / DRHD_SIZE);
      this.firstDrhdByBase.reset(drhds);
      this.drhdSegments.reset(drhds);
      this.drhdByKey = undefined;
    }
    const segment = le16(bytes, offset + SEGMENT_OFFSET);
    if (segment !== this.lastDrhdSegment) {
      this.drhdSegments.set(0, segment, 1);
      this.lastDrhdSegment = segment;
    }
    const baseAt = offset + DRHD.registerBaseAddress;
    const baseLow = le32(bytes, baseAt);
    const baseHigh = le32(bytes, baseAt + 4);
    const sameBase = this.firstDrhdByBase.get(baseHigh, baseLow);
    if (sameBase < 0) this.firstDrhdByBase.set(baseHigh, baseLow, offset);
    else this.repeatedBase(context, offset, segment, sameBase);
    const isIncludeAll = (bytes[offset + DRHD.flags]! & DRHD_FLAG_INCLUDE_PCI_ALL) !== 0;
    if (isIncludeAll || this.includeAllCount > 0) this.checkIncludeAll(context, offset, segment, isIncludeAll);
  }

  /** A DRHD whose register base an earlier one has: a repeat when the segment is the same too. */
  private repeatedBase(context: CheckContext, offset: number, segment: number, sameBase: number): void {
    const bytes = context.reader.bytes;
    const base = context.reader.u64(offset + DRHD.registerBaseAddress) ?? 0n;
    const byKey = (this.drhdByKey ??= new Map());
    const firstKey = `${le16(bytes, sameBase + SEGMENT_OFFSET)}:${base}`;
    if (!byKey.has(firstKey)) byKey.set(firstKey, sameBase);
    const key = `${segment}:${base}`;
    const first = byKey.get(key);
    if (first === undefined) byKey.set(key, offset);
    else context.diagnostics.add('dmar.drhd.duplicate', offset, `DRHD for segment ${hex(segment, 4)} at register base ${hex(base)} repeats the DRHD at ${hex(first)}; Linux ignores the repeat`);
  }

  /** VT-d §8.3: one INCLUDE_PCI_ALL DRHD per segment, listed after the segment's other DRHDs. */
  private checkIncludeAll(context: CheckContext, offset: number, segment: number, isIncludeAll: boolean): void {
    // The unit's offset; negated (minus one) once "not last" was reported for it.
    const earlier = this.includeAllCount === 0 ? 0 : this.includeAllBySegment.get(0, segment, 0);
    if (isIncludeAll) {
      if (this.includeAllCount++ === 0) this.includeAllBySegment.reset(Math.floor(this.areaSize / DRHD_SIZE));
      if (earlier === 0) this.includeAllBySegment.set(0, segment, offset);
      else context.diagnostics.add('dmar.drhd.include-all-dup', offset, `second INCLUDE_PCI_ALL DRHD for segment ${hex(segment, 4)}; the first is at ${hex(earlier < 0 ? -earlier - 1 : earlier)}`);
    } else if (earlier > 0) {
      this.includeAllBySegment.set(0, segment, -earlier - 1);
      context.diagnostics.add('dmar.drhd.include-all-not-last', earlier, `INCLUDE_PCI_ALL DRHD for segment ${hex(segment, 4)} is followed by the DRHD at ${hex(offset)} of the same segment; the spec wants it last (Linux tolerates this)`);
    }
  }

  /** An ANDD: its ACPI device number is declared once (spec §5 #17). */
  andd(context: CheckContext, offset: number): void {
    const number = context.reader.bytes[offset + ANDD.acpiDeviceNumber]!;
    if (this.anddCount++ === 0) this.anddNumbers.reset(Math.min(ANDD_NUMBERS, Math.floor(this.areaSize / ANDD_SIZE)));
    const first = this.anddNumbers.get(0, number);
    if (first < 0) this.anddNumbers.set(0, number, offset);
    else context.diagnostics.add('dmar.andd.duplicate', offset + ANDD.acpiDeviceNumber, `ANDD declares ACPI device number ${hex(number)}, already declared by the ANDD at ${hex(first)}`, 1);
  }

  /** An RHSA names the register base of a DRHD (spec §5 #16), which may come later in the table. */
  rhsa(context: CheckContext, offset: number): void {
    if (!this.hasDrhdBase(context.reader.bytes, offset + RHSA.registerBaseAddress)) this.unsettledRhsas.push(offset);
  }

  /** An RMRR, ATSR, SATC or SIDP names a PCI segment that some DRHD must cover (spec §2.11 rule 3). */
  segmentUser(context: CheckContext, offset: number): void {
    if (!this.hasDrhdSegment(le16(context.reader.bytes, offset + SEGMENT_OFFSET))) this.unsettledSegmentUsers.push(offset);
  }

  /** A namespace device scope names an ANDD (spec §2.11 rule 4), which comes after the DRHDs. */
  namespaceScope(at: number): void {
    this.namespaceScopes.push(at);
  }

  private hasDrhdBase(bytes: Uint8Array, at: number): boolean {
    return this.drhdCount > 0 && this.firstDrhdByBase.has(le32(bytes, at + 4), le32(bytes, at));
  }

  private hasDrhdSegment(segment: number): boolean {
    return segment === this.lastDrhdSegment || (this.drhdCount > 0 && this.drhdSegments.has(0, segment));
  }

  /** Settles what needed every structure; called once after the walk. */
  finish(context: CheckContext): void {
    const { reader, diagnostics } = context;
    const bytes = reader.bytes;
    for (let index = 0; index < this.unsettledRhsas.count; index++) {
      const baseAt = this.unsettledRhsas.at(index) + RHSA.registerBaseAddress;
      if (!this.hasDrhdBase(bytes, baseAt)) {
        diagnostics.add('dmar.rhsa.orphan', baseAt, `RHSA names register base ${hex(reader.u64(baseAt) ?? 0n)}, which no DRHD has ("RHSA refers to non-existent DMAR unit")`, 8);
      }
    }
    if (this.drhdCount === 0) {
      diagnostics.add('dmar.drhd.none', 0, 'the table has no DRHD; Linux reports "No DRHD structure found" and finds no DMAR units, so the IOMMU stays off');
    } else {
      for (let index = 0; index < this.unsettledSegmentUsers.count; index++) {
        const offset = this.unsettledSegmentUsers.at(index);
        const segment = le16(bytes, offset + SEGMENT_OFFSET);
        if (!this.hasDrhdSegment(segment)) {
          diagnostics.add('dmar.segment.no-drhd', offset + SEGMENT_OFFSET, `${structureName(le16(bytes, offset))} names PCI segment ${hex(segment, 4)}, which no DRHD covers`, 2);
        }
      }
    }
    for (let index = 0; index < this.namespaceScopes.count; index++) {
      const at = this.namespaceScopes.at(index) + SCOPE.enumerationId;
      const number = bytes[at]!;
      if (this.anddCount === 0 || !this.anddNumbers.has(0, number)) {
        diagnostics.add('dmar.scope.namespace-orphan', at, `ACPI namespace device scope names ACPI device number ${hex(number)}, which no ANDD declares`, 1);
      }
    }
    this.unsettledRhsas.clear();
    this.unsettledSegmentUsers.clear();
    this.namespaceScopes.clear();
  }
}

export const acrossStructures = new AcrossStructures();
