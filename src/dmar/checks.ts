/**
 * The cold side of the validation pass (validate.ts): what it calls when a structure or scope
 * fails its usual-case test, to say exactly what is wrong (spec §5 #1–#9, #12), and the
 * reserved-field rule the header check shares. Findings are raised in the order the rules are
 * listed here, which is the order of the diagnostics of one item.
 */
import type { CheckContext } from './check-context.js';
import {
  PATH_ENTRY_RANGE_BITS, SCOPE, SCOPE_HEADER_SIZE, SCOPE_PATH_ENTRY_SIZE, SCOPE_TYPE_NAMESPACE, STRUCTURE_HEADER_SIZE, STRUCTURE_LAYOUTS, structureName, type ReservedField, type StructureLayout,
} from './layout.js';
import { frameScope, SCOPE_TOO_SHORT } from './device-scope.js';
import { acrossStructures } from './table-checks.js';
import { hex } from '../bytes/hex.js';
import { le16, leN } from '../bytes/le.js';

const HIGHEST_SCOPE_TYPE = SCOPE_TYPE_NAMESPACE;

/** Fewer than 4 bytes left at the table end: no structure header fits. */
export function reportStrayBytes(context: CheckContext, at: number): void {
  const left = context.reader.end - at;
  context.diagnostics.add('dmar.length.overrun', at, `${left} byte(s) left at the table end cannot hold a 4-byte structure header`, left);
}

/** The finding for a structure whose Length cannot be framed (0, below 4, or past the end). */
export function reportUnframed(context: CheckContext, at: number, type: number, length: number): void {
  const end = context.reader.end;
  const name = structureName(type);
  if (length === 0) {
    context.diagnostics.add('dmar.length.zero', at, `${name} has Length 0; the walk stops here and the ${end - at} remaining bytes are not parsed (Linux stops silently)`, end - at);
  } else if (length < STRUCTURE_HEADER_SIZE) {
    context.diagnostics.add('dmar.length.short', at, `${name} Length ${length} is shorter than the 4-byte structure header; the walk cannot advance and stops`, end - at);
  } else {
    context.diagnostics.add('dmar.length.overrun', at, `${name} Length ${length} runs ${at + length - end} bytes past the table end at ${hex(end)}; the walk stops (Linux: "Record passes table end", DMAR rejected)`, end - at);
  }
}

/**
 * A structure header the usual-case test let through (a type above 6, one below a type already
 * seen, or a Length below the type's fixed part): its order finding (spec §2.11), then, for a
 * structure of unknown type or too short, the finding that only its header is kept. Returns false
 * for such a structure (the walk skips it by its Length), true when it is checked as usual.
 */
export function reportUnusualHeader(context: CheckContext, at: number, type: number, length: number, highestType: number): boolean {
  const layout = STRUCTURE_LAYOUTS[type];
  if (layout !== undefined && type < highestType) {
    context.diagnostics.add('dmar.order', at, `${layout.name} follows a ${structureName(highestType)}; the spec lists structures in ascending type order`);
  }
  if (layout === undefined) {
    context.diagnostics.add('dmar.type.unknown', at, `structure type ${type} is not defined by the VT-d spec this parser knows; skipped by its Length ${length}`, length);
    return false;
  }
  if (length < layout.fixedSize) {
    context.diagnostics.add('dmar.length.short', at, `${layout.name} Length ${length} is shorter than its ${layout.fixedSize}-byte fixed part; kept as an unknown structure`, length);
    return false;
  }
  return true;
}

/** The reserved fields of the framed structure of `type` at `offset`, one finding per field with bits set. */
export function checkReservedFields(context: CheckContext, offset: number, type: number): void {
  const layout = STRUCTURE_LAYOUTS[type]!;
  for (const field of layout.reserved) checkReserved(context, offset + field.offset, field, layout.name);
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

/**
 * A scope of the structure of `type` at `at` (its scopes end at `end`) that failed the usual-scope
 * test: frames it (frameScope) and says what is wrong. Returns its Length, or a negative number
 * when it cannot be framed, which ends the scan of that structure.
 */
export function checkUnusualScope(context: CheckContext, type: number, at: number, end: number): number {
  const length = frameScope(context.reader.bytes, at, end);
  if (length < 0) reportUnframedScope(context, type, at, end, length === SCOPE_TOO_SHORT);
  else checkScope(context, type, at, length);
  return length;
}

/** A scope that cannot be framed in `[at, end)`: the rest of the structure is not scanned. */
function reportUnframedScope(context: CheckContext, type: number, at: number, end: number, tooShort: boolean): void {
  const layout = STRUCTURE_LAYOUTS[type]!;
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

/** One framed scope (≥ 6 bytes inside its structure, so fields are read in place) of a structure of `structureType`. */
function checkScope(context: CheckContext, structureType: number, at: number, length: number): void {
  const layout = STRUCTURE_LAYOUTS[structureType]!;
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
