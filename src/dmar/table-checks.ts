/**
 * Rules that span structures (spec §2.11, §5 #10, #13, #16, #17), run after the walk over the
 * recorded offsets, reading fields in place.
 */
import type { CheckContext } from './check-context.js';
import {
  ANDD, DMAR_TYPE_SIDP, DRHD, DRHD_FLAG_INCLUDE_PCI_ALL, RHSA, SCOPE, SEGMENT_OFFSET, STRUCTURE_LENGTH_OFFSET, structureKind, structureName,
} from './layout.js';
import { structureKindAt } from './walk.js';
import { hex } from '../bytes/hex.js';
import { le16, le32 } from '../bytes/le.js';
import { ScratchIndex } from '../bytes/scratch-index.js';

// Reused by every parse (bytes/scratch-index.ts): register base → first DRHD, segments with a
// DRHD, segment → its INCLUDE_PCI_ALL DRHD (negated once "not last" was reported), ANDD number → ANDD.
const firstDrhdByBase = new ScratchIndex();
const drhdSegments = new ScratchIndex();
const includeAllBySegment = new ScratchIndex();
const anddNumbers = new ScratchIndex();

export function checkAcrossStructures(context: CheckContext, offsets: readonly number[]): void {
  const { reader, diagnostics } = context;
  // Every offset is a framed structure, and a known kind has its fixed part: fields are read in place.
  const bytes = reader.bytes;
  firstDrhdByBase.reset(offsets.length);
  drhdSegments.reset(offsets.length);
  includeAllBySegment.reset(offsets.length);
  anddNumbers.reset(offsets.length);
  // A (segment, base) key is built only when a base repeats: real tables never repeat one.
  let drhdByKey: Map<string, number> | undefined;
  let drhdCount = 0;
  // RHSAs and segment users are checked after the walk, once every DRHD is known; counted here so a table without any skips that pass.
  let rhsaCount = 0;
  let segmentUserCount = 0;
  let highestType = -1;

  for (const offset of offsets) {
    const type = le16(bytes, offset);
    if (type <= DMAR_TYPE_SIDP) {
      if (type < highestType) {
        diagnostics.add('dmar.order', offset, `${structureName(type)} follows a ${structureName(highestType)}; the spec lists structures in ascending type order`);
      }
      highestType = Math.max(highestType, type);
    }
    const kind = structureKind(type, le16(bytes, offset + STRUCTURE_LENGTH_OFFSET));
    if (kind === 'drhd') {
      drhdCount++;
      const segment = le16(bytes, offset + SEGMENT_OFFSET);
      const baseAt = offset + DRHD.registerBaseAddress;
      const baseLow = le32(bytes, baseAt);
      const baseHigh = le32(bytes, baseAt + 4);
      const flags = bytes[offset + DRHD.flags]!;
      drhdSegments.set(0, segment, 1);
      const sameBase = firstDrhdByBase.get(baseHigh, baseLow);
      if (sameBase < 0) {
        firstDrhdByBase.set(baseHigh, baseLow, offset);
      } else {
        const base = reader.u64(baseAt) ?? 0n;
        drhdByKey ??= new Map();
        const firstKey = `${le16(bytes, sameBase + SEGMENT_OFFSET)}:${base}`;
        if (!drhdByKey.has(firstKey)) drhdByKey.set(firstKey, sameBase);
        const key = `${segment}:${base}`;
        const first = drhdByKey.get(key);
        if (first === undefined) drhdByKey.set(key, offset);
        else diagnostics.add('dmar.drhd.duplicate', offset, `DRHD for segment ${hex(segment, 4)} at register base ${hex(base)} repeats the DRHD at ${hex(first)}; Linux ignores the repeat`);
      }
      checkIncludeAll(context, offset, segment, (flags & DRHD_FLAG_INCLUDE_PCI_ALL) !== 0);
    } else if (kind === 'andd') {
      const number = bytes[offset + ANDD.acpiDeviceNumber]!;
      const first = anddNumbers.get(0, number);
      if (first < 0) anddNumbers.set(0, number, offset);
      else diagnostics.add('dmar.andd.duplicate', offset + ANDD.acpiDeviceNumber, `ANDD declares ACPI device number ${hex(number)}, already declared by the ANDD at ${hex(first)}`, 1);
    } else if (kind === 'rhsa') {
      rhsaCount++;
    } else if (kind !== 'unknown') {
      segmentUserCount++;
    }
  }

  for (let index = 0; rhsaCount > 0 && index < offsets.length; index++) {
    const offset = offsets[index]!;
    if (structureKindAt(reader, offset) !== 'rhsa') continue;
    const baseAt = offset + RHSA.registerBaseAddress;
    if (!firstDrhdByBase.has(le32(bytes, baseAt + 4), le32(bytes, baseAt))) {
      diagnostics.add('dmar.rhsa.orphan', baseAt, `RHSA names register base ${hex(reader.u64(baseAt) ?? 0n)}, which no DRHD has ("RHSA refers to non-existent DMAR unit")`, 8);
    }
  }
  if (drhdCount === 0) {
    diagnostics.add('dmar.drhd.none', 0, 'the table has no DRHD; Linux reports "No DRHD structure found" and finds no DMAR units, so the IOMMU stays off');
  } else if (segmentUserCount > 0) {
    for (const offset of offsets) {
      const kind = structureKindAt(reader, offset);
      // RMRR, ATSR, SATC and SIDP name a segment; a DRHD covers its own.
      if (kind === 'drhd' || kind === 'rhsa' || kind === 'andd' || kind === 'unknown') continue;
      const segment = le16(bytes, offset + SEGMENT_OFFSET);
      if (!drhdSegments.has(0, segment)) {
        diagnostics.add('dmar.segment.no-drhd', offset + SEGMENT_OFFSET, `${structureName(le16(bytes, offset))} names PCI segment ${hex(segment, 4)}, which no DRHD covers`, 2);
      }
    }
  }
  for (const at of context.namespaceScopes) {
    const number = bytes[at + SCOPE.enumerationId]!;
    if (!anddNumbers.has(0, number)) {
      diagnostics.add('dmar.scope.namespace-orphan', at + SCOPE.enumerationId, `ACPI namespace device scope names ACPI device number ${hex(number)}, which no ANDD declares`, 1);
    }
  }
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
