/**
 * Rules that span structures (spec §2.11, §5 #10, #13, #16, #17), fed by the validation walk as
 * it checks each structure (checks.ts): a rule that can be settled on the spot is, and a
 * structure that needs a later one (an RHSA or RMRR before its DRHD, a namespace scope before
 * its ANDD) is kept in a reused list and settled by `finishAcrossStructures`. One parse at a
 * time (parsing is synchronous): every piece of state here is reused from parse to parse.
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

// Reused by every parse (bytes/scratch-index.ts), each emptied when the parse first needs it:
// register base → first DRHD, segments with a DRHD, segment → its INCLUDE_PCI_ALL DRHD (negated
// once "not last" was reported), ANDD number → ANDD.
const firstDrhdByBase = new ScratchIndex();
const drhdSegments = new ScratchIndex();
const includeAllBySegment = new ScratchIndex();
const anddNumbers = new ScratchIndex();
/** ACPI device numbers are one byte. */
const ANDD_NUMBERS = 256;
const DRHD_SIZE = STRUCTURE_LAYOUTS[DMAR_TYPE_DRHD]!.fixedSize;
const ANDD_SIZE = STRUCTURE_LAYOUTS[DMAR_TYPE_ANDD]!.fixedSize;
// Settled after the walk: RHSAs and segment users seen before a DRHD matched them, namespace scopes.
const unsettledRhsas = new OffsetList();
const unsettledSegmentUsers = new OffsetList();
const namespaceScopes = new OffsetList();
let drhdCount = 0;
let anddCount = 0;
/** Bytes of the structure area: bounds how many DRHDs or ANDDs a table can hold. */
let areaSize = 0;
// A (segment, base) key is built only when a base repeats: real tables never repeat one.
let drhdByKey: Map<string, number> | undefined;

/** Starts a table whose structures lie in `[start, end)`. */
export function startAcrossStructures(start: number, end: number): void {
  areaSize = Math.max(0, end - start);
  drhdCount = 0;
  anddCount = 0;
}

/** A DRHD: duplicate units (spec §5 #13) and INCLUDE_PCI_ALL placement (§5 #10). */
export function noteDrhd(context: CheckContext, offset: number): void {
  const bytes = context.reader.bytes;
  if (drhdCount++ === 0) {
    const drhds = Math.floor(areaSize / DRHD_SIZE);
    firstDrhdByBase.reset(drhds);
    drhdSegments.reset(drhds);
    includeAllBySegment.reset(drhds);
    drhdByKey = undefined;
  }
  const segment = le16(bytes, offset + SEGMENT_OFFSET);
  const baseAt = offset + DRHD.registerBaseAddress;
  const baseLow = le32(bytes, baseAt);
  const baseHigh = le32(bytes, baseAt + 4);
  drhdSegments.set(0, segment, 1);
  const sameBase = firstDrhdByBase.get(baseHigh, baseLow);
  if (sameBase < 0) {
    firstDrhdByBase.set(baseHigh, baseLow, offset);
  } else {
    const base = context.reader.u64(baseAt) ?? 0n;
    drhdByKey ??= new Map();
    const firstKey = `${le16(bytes, sameBase + SEGMENT_OFFSET)}:${base}`;
    if (!drhdByKey.has(firstKey)) drhdByKey.set(firstKey, sameBase);
    const key = `${segment}:${base}`;
    const first = drhdByKey.get(key);
    if (first === undefined) drhdByKey.set(key, offset);
    else context.diagnostics.add('dmar.drhd.duplicate', offset, `DRHD for segment ${hex(segment, 4)} at register base ${hex(base)} repeats the DRHD at ${hex(first)}; Linux ignores the repeat`);
  }
  checkIncludeAll(context, offset, segment, (bytes[offset + DRHD.flags]! & DRHD_FLAG_INCLUDE_PCI_ALL) !== 0);
}

/** VT-d §8.3: one INCLUDE_PCI_ALL DRHD per segment, listed after the segment's other DRHDs. */
function checkIncludeAll(context: CheckContext, offset: number, segment: number, isIncludeAll: boolean): void {
  // The unit's offset; negated (minus one) once "not last" was reported for it.
  const earlier = includeAllBySegment.get(0, segment, 0);
  if (isIncludeAll) {
    if (earlier === 0) includeAllBySegment.set(0, segment, offset);
    else context.diagnostics.add('dmar.drhd.include-all-dup', offset, `second INCLUDE_PCI_ALL DRHD for segment ${hex(segment, 4)}; the first is at ${hex(earlier < 0 ? -earlier - 1 : earlier)}`);
  } else if (earlier > 0) {
    includeAllBySegment.set(0, segment, -earlier - 1);
    context.diagnostics.add('dmar.drhd.include-all-not-last', earlier, `INCLUDE_PCI_ALL DRHD for segment ${hex(segment, 4)} is followed by the DRHD at ${hex(offset)} of the same segment; the spec wants it last (Linux tolerates this)`);
  }
}

/** An ANDD: its ACPI device number is declared once (spec §5 #17). */
export function noteAndd(context: CheckContext, offset: number): void {
  const number = context.reader.bytes[offset + ANDD.acpiDeviceNumber]!;
  if (anddCount++ === 0) anddNumbers.reset(Math.min(ANDD_NUMBERS, Math.floor(areaSize / ANDD_SIZE)));
  const first = anddNumbers.get(0, number);
  if (first < 0) anddNumbers.set(0, number, offset);
  else context.diagnostics.add('dmar.andd.duplicate', offset + ANDD.acpiDeviceNumber, `ANDD declares ACPI device number ${hex(number)}, already declared by the ANDD at ${hex(first)}`, 1);
}

/** An RHSA names the register base of a DRHD (spec §5 #16), which may come later in the table. */
export function noteRhsa(context: CheckContext, offset: number): void {
  const baseAt = offset + RHSA.registerBaseAddress;
  if (drhdCount === 0 || !firstDrhdByBase.has(le32(context.reader.bytes, baseAt + 4), le32(context.reader.bytes, baseAt))) unsettledRhsas.push(offset);
}

/** An RMRR, ATSR, SATC or SIDP names a PCI segment that some DRHD must cover (spec §2.11 rule 3). */
export function noteSegmentUser(context: CheckContext, offset: number): void {
  if (drhdCount === 0 || !drhdSegments.has(0, le16(context.reader.bytes, offset + SEGMENT_OFFSET))) unsettledSegmentUsers.push(offset);
}

/** A namespace device scope names an ANDD (spec §2.11 rule 4), which comes after the DRHDs. */
export function noteNamespaceScope(at: number): void {
  namespaceScopes.push(at);
}

/** Settles what needed every structure; called once after the walk. */
export function finishAcrossStructures(context: CheckContext): void {
  const { reader, diagnostics } = context;
  const bytes = reader.bytes;
  for (let index = 0; index < unsettledRhsas.count; index++) {
    const baseAt = unsettledRhsas.at(index) + RHSA.registerBaseAddress;
    if (drhdCount === 0 || !firstDrhdByBase.has(le32(bytes, baseAt + 4), le32(bytes, baseAt))) {
      diagnostics.add('dmar.rhsa.orphan', baseAt, `RHSA names register base ${hex(reader.u64(baseAt) ?? 0n)}, which no DRHD has ("RHSA refers to non-existent DMAR unit")`, 8);
    }
  }
  if (drhdCount === 0) {
    diagnostics.add('dmar.drhd.none', 0, 'the table has no DRHD; Linux reports "No DRHD structure found" and finds no DMAR units, so the IOMMU stays off');
  } else {
    for (let index = 0; index < unsettledSegmentUsers.count; index++) {
      const offset = unsettledSegmentUsers.at(index);
      const segment = le16(bytes, offset + SEGMENT_OFFSET);
      if (!drhdSegments.has(0, segment)) {
        diagnostics.add('dmar.segment.no-drhd', offset + SEGMENT_OFFSET, `${structureName(le16(bytes, offset))} names PCI segment ${hex(segment, 4)}, which no DRHD covers`, 2);
      }
    }
  }
  for (let index = 0; index < namespaceScopes.count; index++) {
    const at = namespaceScopes.at(index) + SCOPE.enumerationId;
    const number = bytes[at]!;
    if (anddCount === 0 || !anddNumbers.has(0, number)) {
      diagnostics.add('dmar.scope.namespace-orphan', at, `ACPI namespace device scope names ACPI device number ${hex(number)}, which no ANDD declares`, 1);
    }
  }
  unsettledRhsas.clear();
  unsettledSegmentUsers.clear();
  namespaceScopes.clear();
}
