/**
 * Per-structure checks run by the validation walk, in the same visit that framed the structure:
 * reserved fields, device scopes (spec §5 #4–#7, #12), the type-specific rules of drhd.ts,
 * rmrr.ts, rhsa.ts and andd.ts, and the facts the cross-structure rules need (table-checks.ts).
 * They read the framed bytes in place and allocate nothing unless a finding is raised.
 */
import { checkAndd } from './andd.js';
import type { CheckContext } from './check-context.js';
import { frameScope, SCOPE_TOO_SHORT } from './device-scope.js';
import { checkDrhd } from './drhd.js';
import {
  DMAR_TYPE_ANDD, DMAR_TYPE_DRHD, DMAR_TYPE_RHSA, DMAR_TYPE_RMRR,
  SCOPE, SCOPE_HEADER_SIZE, SCOPE_PATH_ENTRY_SIZE, SCOPE_TYPE_NAMESPACE, STRUCTURE_LAYOUTS, type ReservedField, type StructureLayout,
} from './layout.js';
import { checkRhsa } from './rhsa.js';
import { checkRmrr } from './rmrr.js';
import { acrossStructures } from './table-checks.js';
import { hex } from '../bytes/hex.js';
import { le16, le32, leN } from '../bytes/le.js';

const HIGHEST_SCOPE_TYPE = SCOPE_TYPE_NAMESPACE;
/** Path entry bits that no PCI device (≤ 31) or function (≤ 7) has, over the entry's little-endian u16. */
const PATH_ENTRY_RANGE_BITS = 0xf8e0;
/** Offset of the word holding every reserved field of a structure (layout.ts `reservedBits`). */
const RESERVED_WORD = 4;

/** Checks one framed structure of `type` and `length` at `offset`. */
export function checkStructure(context: CheckContext, offset: number, type: number, length: number): void {
  const layout = STRUCTURE_LAYOUTS[type];
  if (layout === undefined || length < layout.fixedSize) {
    reportUnchecked(context, offset, type, length);
    return;
  }
  // Every fixed part is ≥ 8 bytes, so the reserved word is inside the framed structure.
  if ((le32(context.reader.bytes, offset + RESERVED_WORD) & layout.reservedBits) !== 0) {
    for (const field of layout.reserved) checkReserved(context, offset + field.offset, field, layout.name);
  }
  const scopeCount = layout.scopesOffset === undefined ? 0 : checkScopes(context, layout, offset + layout.scopesOffset, offset + length);
  if (type === DMAR_TYPE_DRHD) {
    checkDrhd(context, offset);
    acrossStructures.drhd(context, offset);
  } else if (type === DMAR_TYPE_RMRR) {
    checkRmrr(context, offset, scopeCount);
    acrossStructures.segmentUser(context, offset);
  } else if (type === DMAR_TYPE_RHSA) {
    checkRhsa(context, offset, length);
    acrossStructures.rhsa(context, offset);
  } else if (type === DMAR_TYPE_ANDD) {
    checkAndd(context, offset, length);
    acrossStructures.andd(context, offset);
  } else {
    // ATSR, SATC and SIDP name a segment too.
    acrossStructures.segmentUser(context, offset);
  }
}

/** A structure of unknown type, or shorter than its type's fixed part: only its header is kept. */
function reportUnchecked(context: CheckContext, offset: number, type: number, length: number): void {
  const layout = STRUCTURE_LAYOUTS[type];
  if (layout === undefined) {
    context.diagnostics.add('dmar.type.unknown', offset, `structure type ${type} is not defined by the VT-d spec this parser knows; skipped by its Length ${length}`, length);
  } else {
    context.diagnostics.add('dmar.length.short', offset, `${layout.name} Length ${length} is shorter than its ${layout.fixedSize}-byte fixed part; kept as an unknown structure`, length);
  }
}

/** Raises `dmar.reserved.nonzero` when the reserved bits of the field at `at` are set. */
export function checkReserved(context: CheckContext, at: number, field: ReservedField, owner: string): void {
  // Callers pass fields of framed structures and scopes (or a header field they checked fits).
  const value = leN(context.reader.bytes, at, field.size);
  const reservedBits = field.mask === undefined ? value : value & field.mask;
  if (reservedBits !== 0) {
    context.diagnostics.add('dmar.reserved.nonzero', at, `${owner} ${field.name} is ${hex(value)}; reserved bits should be 0`, field.size);
  }
}

/** Walks and checks the scopes in `[start, end)`; returns how many were framed. */
function checkScopes(context: CheckContext, layout: StructureLayout, start: number, end: number): number {
  const bytes = context.reader.bytes;
  let count = 0;
  for (let at = start; at < end; ) {
    const length = frameScope(bytes, at, end);
    if (length < 0) {
      reportUnframedScope(context, layout, at, end, length === SCOPE_TOO_SHORT);
      break;
    }
    count++;
    checkScope(context, layout, at, length);
    at += length;
  }
  return count;
}

function reportUnframedScope(context: CheckContext, layout: StructureLayout, at: number, end: number, tooShort: boolean): void {
  const left = end - at;
  if (tooShort) {
    const length = context.reader.u8(at + SCOPE.length) ?? 0;
    context.diagnostics.add('dmar.scope.length', at, `device scope Length ${length} in ${layout.name} is below the 6-byte scope header; the remaining ${left} bytes of the structure are not scanned`, left);
  } else if (left < SCOPE.length + 1) {
    context.diagnostics.add('dmar.scope.overrun', at, `${left} stray byte(s) at the end of ${layout.name} cannot hold a device scope`, left);
  } else {
    const length = context.reader.u8(at + SCOPE.length) ?? 0;
    context.diagnostics.add('dmar.scope.overrun', at, `device scope Length ${length} runs ${length - left} bytes past the end of its ${layout.name} at ${hex(end)}; scanning stops`, left);
  }
}

/** One framed scope (≥ 6 bytes inside its structure, so fields are read in place); findings are raised by the cold functions below. */
function checkScope(context: CheckContext, layout: StructureLayout, at: number, length: number): void {
  const bytes = context.reader.bytes;
  const type = bytes[at + SCOPE.type]!;
  if (type > HIGHEST_SCOPE_TYPE || (layout.scopeTypeBits & (1 << type)) === 0) reportScopeType(context, layout, at, type, length);
  if (type === SCOPE_TYPE_NAMESPACE) acrossStructures.namespaceScope(at);
  if (length < SCOPE_HEADER_SIZE + SCOPE_PATH_ENTRY_SIZE || (length - SCOPE_HEADER_SIZE) % SCOPE_PATH_ENTRY_SIZE !== 0) reportScopeLength(context, at, length);
  if ((le16(bytes, at + SCOPE.flags) & layout.scopeReservedBits) !== 0) {
    for (const field of layout.scopeReserved) checkReserved(context, at + field.offset, field, layout.name);
  }
  for (let entry = at + SCOPE.path; entry + SCOPE_PATH_ENTRY_SIZE <= at + length; entry += SCOPE_PATH_ENTRY_SIZE) {
    if ((le16(bytes, entry) & PATH_ENTRY_RANGE_BITS) !== 0) reportPathEntry(context, entry);
  }
}

function reportScopeType(context: CheckContext, layout: StructureLayout, at: number, type: number, length: number): void {
  if (type === 0 || type > HIGHEST_SCOPE_TYPE) {
    context.diagnostics.add('dmar.scope.type', at, `device scope type ${type} is reserved; Linux skips it ("Unsupported device scope")`, length);
  } else {
    context.diagnostics.add('dmar.scope.type', at, `device scope type ${type} is not allowed in ${layout.name} (allowed: ${layout.scopeTypes.join(', ')})`, length);
  }
}

function reportScopeLength(context: CheckContext, at: number, length: number): void {
  if (length < SCOPE_HEADER_SIZE + SCOPE_PATH_ENTRY_SIZE) {
    context.diagnostics.add('dmar.scope.no-path', at, `device scope Length ${length} leaves no complete path entry, so it names no device`, length);
  } else {
    context.diagnostics.add('dmar.scope.path-odd', at, `device scope Length ${length} leaves half a path entry; the stray byte is ignored as Linux does`, length);
  }
}

function reportPathEntry(context: CheckContext, entry: number): void {
  const bytes = context.reader.bytes;
  context.diagnostics.add('dmar.scope.path-range', entry, `path entry (${bytes[entry]}, ${bytes[entry + 1]}) is not a PCI device/function (device ≤ 31, function ≤ 7)`, SCOPE_PATH_ENTRY_SIZE);
}
