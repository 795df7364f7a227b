/**
 * The validation pass: one walk over the remapping structures (dmar_walk_remapping_entries(),
 * with spec §5's loop discipline) that frames each structure and its device scopes once and
 * checks them in the same visit. The usual structure and scope pass a few masked reads in this
 * one loop (per-type masks in typed arrays, no view or object per item); whatever raises a finding,
 * or needs noting for a later rule, goes to the cold functions of checks.ts, which say what is
 * wrong in the order the rules are listed there. The type-specific rules are in drhd.ts, rmrr.ts,
 * rhsa.ts and andd.ts, the rules across structures in table-checks.ts. Returns where framing
 * ended, the only thing the table keeps.
 */
import { checkAndd } from './andd.js';
import type { CheckContext } from './check-context.js';
import { checkReservedFields, checkScope, PATH_ENTRY_RANGE_BITS, reportOrder, reportStrayBytes, reportUnchecked, reportUnframed, reportUnframedScope } from './checks.js';
import { frameScope, SCOPE_TOO_SHORT } from './device-scope.js';
import { checkDrhd } from './drhd.js';
import {
  DMAR_HEADER_SIZE, DMAR_TYPE_ANDD, DMAR_TYPE_DRHD, DMAR_TYPE_RHSA, DMAR_TYPE_RMRR, DMAR_TYPE_SIDP, DRHD, DRHD_FLAG_INCLUDE_PCI_ALL, PAGE_OFFSET_MASK, SCOPE, SCOPE_HEADER_SIZE,
  SCOPE_PATH_ENTRY_SIZE, SCOPE_TYPE_NAMESPACE, SEGMENT_OFFSET, STRUCTURE_HEADER_SIZE, STRUCTURE_LAYOUTS, STRUCTURE_LENGTH_OFFSET,
} from './layout.js';
import { checkRhsa } from './rhsa.js';
import { checkRmrr } from './rmrr.js';
import { acrossStructures } from './table-checks.js';
import { le16, le32 } from '../bytes/le.js';

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
/** Scope types allowed that need no note either (a namespace scope is noted for its ANDD check). */
const PLAIN_SCOPE_TYPES = Uint8Array.from(STRUCTURE_LAYOUTS, (layout) => layout.scopeTypeBits & ~(1 << SCOPE_TYPE_NAMESPACE));
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
  across.start(DMAR_HEADER_SIZE, end);
  const units = across.units;
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
    if (length < STRUCTURE_HEADER_SIZE || at + length > end) {
      reportUnframed(context, at, type, length);
      break;
    }
    if (type <= DMAR_TYPE_SIDP) {
      if (type < highestType) reportOrder(context, at, type, highestType);
      else highestType = type;
    }
    if (type > DMAR_TYPE_SIDP || length < FIXED_SIZES[type]!) {
      reportUnchecked(context, at, type, length);
      at += length;
      continue;
    }
    // Every fixed part is ≥ 8 bytes, so the reserved word is inside the framed structure.
    if ((le32(bytes, at + RESERVED_WORD) & RESERVED_BITS[type]!) !== 0) checkReservedFields(context, at, type);
    const structureEnd = at + length;
    const scopesAt = SCOPES_AT[type]!;
    let scopeCount = 0;
    if (scopesAt !== NO_SCOPES) {
      const plainTypes = PLAIN_SCOPE_TYPES[type]!;
      const reservedBits = SCOPE_RESERVED_BITS[type]!;
      for (let scope = at + scopesAt; scope < structureEnd; ) {
        const scopeLength = frameScope(bytes, scope, structureEnd);
        if (scopeLength < 0) {
          reportUnframedScope(context, type, scope, structureEnd, scopeLength === SCOPE_TOO_SHORT);
          break;
        }
        scopeCount++;
        // The usual scope in one test: a plain allowed type, whole path entries, clear reserved
        // bits, every path entry a PCI device/function.
        const scopeType = bytes[scope + SCOPE.type]!;
        if (
          scopeType > HIGHEST_SCOPE_TYPE || ((plainTypes >> scopeType) & 1) === 0 || (scopeLength & 1) !== 0 || scopeLength < SHORTEST_PLAIN_SCOPE ||
          (le16(bytes, scope + SCOPE.flags) & reservedBits) !== 0 || (pathEntryBits(bytes, scope, scopeLength) & PATH_ENTRY_RANGE_BITS) !== 0
        ) {
          checkScope(context, type, scope, scopeLength);
        }
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
      if (type === DMAR_TYPE_RMRR) checkRmrr(context, at, scopeCount);
      // RMRR, ATSR, SATC and SIDP name a segment that some DRHD must cover (spec §2.11 rule 3), maybe a later one.
      const segment = le16(bytes, at + SEGMENT_OFFSET);
      if (segment !== lastDrhdSegment && !units.hasSegment(segment)) across.unsettledSegmentUser(at);
    }
    at = structureEnd;
  }
  if (across.unsettled) across.finish(context);
  return at;
}

/** The path entries of a framed scope ORed together: their range bits are set when any entry's are. */
function pathEntryBits(bytes: Uint8Array, scope: number, length: number): number {
  let bits = 0;
  for (let entry = scope + SCOPE.path; entry + SCOPE_PATH_ENTRY_SIZE <= scope + length; entry += SCOPE_PATH_ENTRY_SIZE) bits |= le16(bytes, entry);
  return bits;
}
