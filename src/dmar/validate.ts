/**
 * The validation pass: one walk over the remapping structures (dmar_walk_remapping_entries(),
 * with spec §5's loop discipline) that frames each structure and its device scopes once and
 * checks them in the same visit. The usual structure and scope pass a few masked reads in this
 * one loop (per-type masks in typed arrays, no view or object per item); whatever may raise a
 * finding, or needs noting for a later rule, goes to the cold functions of checks.ts, drhd.ts,
 * rmrr.ts, rhsa.ts, andd.ts and table-checks.ts, which say what is wrong in the order their rules
 * are listed. Why the usual tests are written out here rather than called: V8 inlines a call only
 * while the loop's inlining budget lasts (920 bytes of bytecode), and a call left in the loop cost
 * more than the test it makes (an RMRR rule call was 0.13× the checksum floor of the corpus).
 * Returns where framing ended, the only thing the table keeps.
 */
import { checkAndd } from './andd.js';
import type { CheckContext } from './check-context.js';
import { checkReservedFields, checkUnusualScope, reportStrayBytes, reportUnframed, reportUnusualHeader } from './checks.js';
import { checkDrhd } from './drhd.js';
import * as dmarLayout from './layout.js';
import { checkRhsa } from './rhsa.js';
import { checkRmrr } from './rmrr.js';
import { acrossStructures } from './table-checks.js';
import * as le from '../bytes/le.js';

// Module-local copies of every imported name the loop reads. In optimized code (Node 20) a read of
// an imported binding goes back to the exporting module's cell, with a TDZ check, at every use; a
// module-local const does not. Written with named imports, this loop measured about 40 ns (0.25×
// the checksum floor) slower per real DMAR, side by side. One const per name (not a destructuring
// of the namespace, which kept every export of both modules in a bundle: +940 B gzipped).
const DMAR_HEADER_SIZE = dmarLayout.DMAR_HEADER_SIZE;
const DMAR_TYPE_ANDD = dmarLayout.DMAR_TYPE_ANDD;
const DMAR_TYPE_DRHD = dmarLayout.DMAR_TYPE_DRHD;
const DMAR_TYPE_RHSA = dmarLayout.DMAR_TYPE_RHSA;
const DMAR_TYPE_RMRR = dmarLayout.DMAR_TYPE_RMRR;
const DMAR_TYPE_SIDP = dmarLayout.DMAR_TYPE_SIDP;
const DRHD = dmarLayout.DRHD;
const DRHD_FLAG_INCLUDE_PCI_ALL = dmarLayout.DRHD_FLAG_INCLUDE_PCI_ALL;
const PAGE_OFFSET_MASK = dmarLayout.PAGE_OFFSET_MASK;
const PATH_ENTRY_RANGE_BITS = dmarLayout.PATH_ENTRY_RANGE_BITS;
const RMRR = dmarLayout.RMRR;
const SCOPE = dmarLayout.SCOPE;
const SCOPE_HEADER_SIZE = dmarLayout.SCOPE_HEADER_SIZE;
const SCOPE_PATH_ENTRY_SIZE = dmarLayout.SCOPE_PATH_ENTRY_SIZE;
const SCOPE_TYPE_NAMESPACE = dmarLayout.SCOPE_TYPE_NAMESPACE;
const SEGMENT_OFFSET = dmarLayout.SEGMENT_OFFSET;
const STRUCTURE_HEADER_SIZE = dmarLayout.STRUCTURE_HEADER_SIZE;
const STRUCTURE_LAYOUTS = dmarLayout.STRUCTURE_LAYOUTS;
const STRUCTURE_LENGTH_OFFSET = dmarLayout.STRUCTURE_LENGTH_OFFSET;
const le16 = le.le16;
const le32 = le.le32;

/** Offset of the word holding every reserved field of a structure (layout.ts `reservedBits`). */
const RESERVED_WORD = 4;
const NO_SCOPES = 0xff;
const HIGHEST_SCOPE_TYPE = SCOPE_TYPE_NAMESPACE;
/** Shortest scope that names a device: the header and one path entry. */
const SHORTEST_PLAIN_SCOPE = SCOPE_HEADER_SIZE + SCOPE_PATH_ENTRY_SIZE;

// Per structure type 0–6, read on every structure: dense arrays instead of the layout objects.
const FIXED_SIZES = Uint8Array.from(STRUCTURE_LAYOUTS, (layout) => layout.fixedSize);
const RESERVED_BITS = Int32Array.from(STRUCTURE_LAYOUTS, (layout) => layout.reservedBits);
const SCOPES_AT = Uint8Array.from(STRUCTURE_LAYOUTS, (layout) => layout.scopesOffset ?? NO_SCOPES);
/** Bit `t` set when scope type `t` is allowed in the structure type. */
const SCOPE_TYPE_BITS = Uint8Array.from(STRUCTURE_LAYOUTS, (layout) => layout.scopeTypeBits);
const SCOPE_RESERVED_BITS = Uint16Array.from(STRUCTURE_LAYOUTS, (layout) => layout.scopeReservedBits);

/**
 * Frames every structure from offset 48 to the end of the readable table and checks each one in
 * the same visit; returns the end of the last framed structure. Stops at a Length of 0 or below 4,
 * or at a structure that crosses the end: after a bad Length nothing can be framed.
 */
export function validateStructures(context: CheckContext): number {
  const reader = context.reader;
  const bytes = reader.bytes;
  const end = reader.end;
  const across = acrossStructures;
  across.start(end - DMAR_HEADER_SIZE);
  const units = across.units;
  // checkRmrr's host address width rule as two masks: the Limit bits an RMRR inside the width leaves clear.
  const width = context.hostAddressWidth ?? 64;
  const limitHighMask = width >= 64 ? 0 : width >= 32 ? -1 << (width - 32) : -1;
  const limitLowMask = width >= 32 ? 0 : -1 << width;
  /** The last DRHD's segment: the segment users that follow it usually name it (no lookup then). */
  let lastDrhdSegment = -1;
  let highestType = -1;
  let at = DMAR_HEADER_SIZE;
  while (at < end) {
    if (end - at < STRUCTURE_HEADER_SIZE) {
      reportStrayBytes(context, at);
      break;
    }
    // Four bytes are left (checked above): the structure header is read in place.
    const type = le16(bytes, at);
    const length = le16(bytes, at + STRUCTURE_LENGTH_OFFSET);
    const structureEnd = at + length;
    if (length < STRUCTURE_HEADER_SIZE || structureEnd > end) {
      reportUnframed(context, at, type, length);
      break;
    }
    // The usual structure: a known type, in ascending order, as long as its fixed part.
    if (type > DMAR_TYPE_SIDP || type < highestType || length < FIXED_SIZES[type]!) {
      const checked = reportUnusualHeader(context, at, type, length, highestType);
      if (type <= DMAR_TYPE_SIDP && type > highestType) highestType = type;
      if (!checked) {
        at = structureEnd;
        continue;
      }
    } else {
      highestType = type;
    }
    // Every fixed part is ≥ 8 bytes, so the reserved word is inside the framed structure.
    if ((le32(bytes, at + RESERVED_WORD) & RESERVED_BITS[type]!) !== 0) checkReservedFields(context, at, type);
    const scopesAt = SCOPES_AT[type]!;
    let scopeCount = 0;
    if (scopesAt !== NO_SCOPES) {
      const allowedTypes = SCOPE_TYPE_BITS[type]!;
      const reservedBits = SCOPE_RESERVED_BITS[type]!;
      for (let scope = at + scopesAt; scope < structureEnd; ) {
        // The usual scope: framed (frameScope's rule), an allowed type, whole path entries, clear
        // reserved bits, every path entry a PCI device/function.
        let scopeLength = structureEnd - scope > SCOPE.length ? bytes[scope + SCOPE.length]! : 0;
        const scopeType = bytes[scope + SCOPE.type]!;
        let usual =
          scopeLength >= SHORTEST_PLAIN_SCOPE && scope + scopeLength <= structureEnd && (scopeLength & 1) === 0 && scopeType <= HIGHEST_SCOPE_TYPE &&
          ((allowedTypes >> scopeType) & 1) !== 0 && (le16(bytes, scope + SCOPE.flags) & reservedBits) === 0;
        if (usual) {
          let pathBits = 0;
          for (let entry = scope + SCOPE.path; entry < scope + scopeLength; entry += SCOPE_PATH_ENTRY_SIZE) pathBits |= le16(bytes, entry);
          usual = (pathBits & PATH_ENTRY_RANGE_BITS) === 0;
        }
        if (!usual) {
          scopeLength = checkUnusualScope(context, type, scope, structureEnd);
          if (scopeLength < 0) break;
        } else if (scopeType === SCOPE_TYPE_NAMESPACE) {
          across.namespaceScope(scope);
        }
        scopeCount++;
        scope += scopeLength;
      }
    }
    if (type === DMAR_TYPE_DRHD) {
      const segment = le16(bytes, at + SEGMENT_OFFSET);
      const baseLow = le32(bytes, at + DRHD.registerBaseAddress);
      const baseHigh = le32(bytes, at + DRHD.registerBaseAddress + 4);
      // checkDrhd finds nothing in a non-zero, 4 KiB-aligned base: the usual unit makes no call.
      if ((baseLow & PAGE_OFFSET_MASK) !== 0 || (baseLow | baseHigh) === 0) checkDrhd(context, at);
      const isIncludeAll = (bytes[at + DRHD.flags]! & DRHD_FLAG_INCLUDE_PCI_ALL) !== 0;
      if (units.count !== 0 && (units.includeAllCount !== 0 || units.sameUnit(segment, baseLow, baseHigh) >= 0)) {
        across.drhdAgainstEarlier(context, at, segment, baseLow, baseHigh, isIncludeAll);
      }
      units.add(at, segment, baseLow, baseHigh, isIncludeAll);
      lastDrhdSegment = segment;
    } else if (type === DMAR_TYPE_RHSA) {
      checkRhsa(context, at, length);
      across.rhsa(context, at);
    } else if (type === DMAR_TYPE_ANDD) {
      checkAndd(context, at, length);
      across.andd(context, at);
    } else {
      if (type === DMAR_TYPE_RMRR) {
        // The usual RMRR, for which checkRmrr finds nothing: a scope, Base below Limit, both
        // 4 KiB-aligned (Limit + 1), Limit inside the width.
        const baseLow = le32(bytes, at + RMRR.baseAddress);
        const baseHigh = le32(bytes, at + RMRR.baseAddress + 4);
        const limitLow = le32(bytes, at + RMRR.limitAddress);
        const limitHigh = le32(bytes, at + RMRR.limitAddress + 4);
        if (
          scopeCount === 0 || (baseLow & PAGE_OFFSET_MASK) !== 0 || (limitLow & PAGE_OFFSET_MASK) !== PAGE_OFFSET_MASK || baseHigh > limitHigh ||
          (baseHigh === limitHigh && baseLow >= limitLow) || ((limitHigh & limitHighMask) | (limitLow & limitLowMask)) !== 0
        ) {
          checkRmrr(context, at, scopeCount);
        }
      }
      // RMRR, ATSR, SATC and SIDP name a segment that some DRHD must cover (spec §2.11 rule 3), maybe a later one.
      const segment = le16(bytes, at + SEGMENT_OFFSET);
      if (segment !== lastDrhdSegment && !units.hasSegment(segment)) across.unsettledSegmentUser(at);
    }
    at = structureEnd;
  }
  if (units.count === 0 || across.pending !== 0) across.finish(context);
  return at;
}
