/**
 * Rules that span structures (spec §2.11, §5 #10, #13, #16, #17), fed by the validation pass as
 * it checks each structure (validate.ts): a rule that can be settled on the spot is, and a
 * structure that needs a later one (an RHSA or RMRR before its DRHD, a namespace scope before
 * its ANDD) is kept in a reused list and settled by `finish`. One parse at a time (parsing is
 * synchronous): `acrossStructures` is reused from parse to parse.
 */
import type { CheckContext } from './check-context.js';
import {
  ANDD, DMAR_TYPE_ANDD, DMAR_TYPE_DRHD, DRHD, RHSA, SCOPE, SEGMENT_OFFSET, STRUCTURE_LAYOUTS, structureName,
} from './layout.js';
import { hex } from '../bytes/hex.js';
import { le16, le32 } from '../bytes/le.js';
import { OffsetList } from '../bytes/offset-list.js';
import { ScratchIndex } from '../bytes/scratch-index.js';
import { DrhdUnits } from './drhd-units.js';

/** ACPI device numbers are one byte. */
const ANDD_NUMBERS = 256;
const DRHD_SIZE = STRUCTURE_LAYOUTS[DMAR_TYPE_DRHD]!.fixedSize;
const ANDD_SIZE = STRUCTURE_LAYOUTS[DMAR_TYPE_ANDD]!.fixedSize;

/**
 * The cross-structure state of the table being parsed (fields, not module `let`s: those pay a
 * hole check per read). The validation pass (validate.ts) registers DRHDs in `units` and checks
 * segment users itself, on its hot path; it calls in here for what is rare.
 */
class AcrossStructures {
  readonly units = new DrhdUnits();
  /** ANDD number → first ANDD; emptied when the parse first needs it (bytes/scratch-index.ts). */
  readonly #anddNumbers = new ScratchIndex();
  // Settled after the walk: RHSAs and segment users seen before a DRHD matched them, namespace scopes.
  readonly #unsettledRhsas = new OffsetList();
  readonly #unsettledSegmentUsers = new OffsetList();
  readonly #namespaceScopes = new OffsetList();
  #anddCount = 0;
  /** Offsets kept for `finish` (the three lists together): 0 in the usual table. */
  pending = 0;
  /** Bytes of the structure area: bounds how many DRHDs or ANDDs a table can hold. */
  #areaSize = 0;

  /** Starts a table whose structure area holds `areaSize` bytes. */
  start(areaSize: number): void {
    this.#areaSize = areaSize;
    this.units.clear(Math.floor(areaSize / DRHD_SIZE));
    this.#anddCount = 0;
  }

  /**
   * A DRHD that may break a rule against the earlier ones (the caller saw a unit with its segment
   * and base, or an INCLUDE_PCI_ALL unit before it): duplicate units (spec §5 #13) and
   * INCLUDE_PCI_ALL placement (§5 #10). Called before the DRHD is added to `units`.
   */
  drhdAgainstEarlier(context: CheckContext, offset: number, segment: number, baseLow: number, baseHigh: number, isIncludeAll: boolean): void {
    const units = this.units;
    const same = units.sameUnit(segment, baseLow, baseHigh);
    if (same >= 0) reportDuplicate(context, offset, segment, units.offsetOf(same));
    // VT-d §8.3: one INCLUDE_PCI_ALL DRHD per segment, listed after the segment's other DRHDs.
    const first = units.includeAllCount === 0 ? -1 : units.firstIncludeAll(segment);
    if (first < 0) return;
    const firstOffset = units.offsetOf(first);
    if (isIncludeAll) {
      context.diagnostics.add('dmar.drhd.include-all-dup', offset, `second INCLUDE_PCI_ALL DRHD for segment ${hex(segment, 4)}; the first is at ${hex(firstOffset)}`);
    } else if (units.reportNotLast(first)) {
      context.diagnostics.add('dmar.drhd.include-all-not-last', firstOffset, `INCLUDE_PCI_ALL DRHD for segment ${hex(segment, 4)} is followed by the DRHD at ${hex(offset)} of the same segment; the spec wants it last (Linux tolerates this)`);
    }
  }

  /** An ANDD: its ACPI device number is declared once (spec §5 #17). */
  andd(context: CheckContext, offset: number): void {
    const number = context.reader.bytes[offset + ANDD.acpiDeviceNumber]!;
    if (this.#anddCount++ === 0) this.#anddNumbers.reset(Math.min(ANDD_NUMBERS, Math.floor(this.#areaSize / ANDD_SIZE)));
    const first = this.#anddNumbers.get(0, number);
    if (first < 0) this.#anddNumbers.set(0, number, offset);
    else context.diagnostics.add('dmar.andd.duplicate', offset + ANDD.acpiDeviceNumber, `ANDD declares ACPI device number ${hex(number)}, already declared by the ANDD at ${hex(first)}`, 1);
  }

  /** An RHSA names the register base of a DRHD (spec §5 #16), which may come later in the table. */
  rhsa(context: CheckContext, offset: number): void {
    if (!this.#hasDrhdBase(context.reader.bytes, offset + RHSA.registerBaseAddress)) this.#settleLater(this.#unsettledRhsas, offset);
  }

  /** An RMRR, ATSR, SATC or SIDP naming a PCI segment (spec §2.11 rule 3) that no DRHD so far covers. */
  unsettledSegmentUser(offset: number): void {
    this.#settleLater(this.#unsettledSegmentUsers, offset);
  }

  /** A namespace device scope names an ANDD (spec §2.11 rule 4), which comes after the DRHDs. */
  namespaceScope(at: number): void {
    this.#settleLater(this.#namespaceScopes, at);
  }

  #settleLater(list: OffsetList, offset: number): void {
    list.push(offset);
    this.pending++;
  }

  #hasDrhdBase(bytes: Uint8Array, at: number): boolean {
    return this.units.hasBase(le32(bytes, at), le32(bytes, at + 4));
  }

  /** Settles what needed every structure; called once after the walk when the table has no DRHD or something is `pending`. */
  finish(context: CheckContext): void {
    const { reader, diagnostics } = context;
    const bytes = reader.bytes;
    for (let index = 0; index < this.#unsettledRhsas.count; index++) {
      const baseAt = this.#unsettledRhsas.at(index) + RHSA.registerBaseAddress;
      if (!this.#hasDrhdBase(bytes, baseAt)) {
        diagnostics.add('dmar.rhsa.orphan', baseAt, `RHSA names register base ${hex(reader.u64(baseAt) ?? 0n)}, which no DRHD has ("RHSA refers to non-existent DMAR unit")`, 8);
      }
    }
    if (this.units.count === 0) {
      diagnostics.add('dmar.drhd.none', 0, 'the table has no DRHD; Linux reports "No DRHD structure found" and finds no DMAR units, so the IOMMU stays off');
    } else {
      for (let index = 0; index < this.#unsettledSegmentUsers.count; index++) {
        const offset = this.#unsettledSegmentUsers.at(index);
        const segment = le16(bytes, offset + SEGMENT_OFFSET);
        if (!this.units.hasSegment(segment)) {
          diagnostics.add('dmar.segment.no-drhd', offset + SEGMENT_OFFSET, `${structureName(le16(bytes, offset))} names PCI segment ${hex(segment, 4)}, which no DRHD covers`, 2);
        }
      }
    }
    for (let index = 0; index < this.#namespaceScopes.count; index++) {
      const at = this.#namespaceScopes.at(index) + SCOPE.enumerationId;
      const number = bytes[at]!;
      if (this.#anddCount === 0 || !this.#anddNumbers.has(0, number)) {
        diagnostics.add('dmar.scope.namespace-orphan', at, `ACPI namespace device scope names ACPI device number ${hex(number)}, which no ANDD declares`, 1);
      }
    }
    this.#unsettledRhsas.clear();
    this.#unsettledSegmentUsers.clear();
    this.#namespaceScopes.clear();
    this.pending = 0;
  }
}

/** A DRHD with the segment and register base of the one at `first`: Linux ignores the repeat. */
function reportDuplicate(context: CheckContext, offset: number, segment: number, first: number): void {
  const base = context.reader.u64(offset + DRHD.registerBaseAddress) ?? 0n;
  context.diagnostics.add('dmar.drhd.duplicate', offset, `DRHD for segment ${hex(segment, 4)} at register base ${hex(base)} repeats the DRHD at ${hex(first)}; Linux ignores the repeat`);
}

export const acrossStructures = new AcrossStructures();
