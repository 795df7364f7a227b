/**
 * Rules that span structures (spec §2.11, §5 #10, #13, #16, #17), run after the walk over the
 * recorded offsets, reading fields in place.
 */
import type { CheckContext } from './check-context.js';
import {
  ANDD, DMAR_TYPE_SIDP, DRHD, DRHD_FLAG_INCLUDE_PCI_ALL, RHSA, SCOPE, SEGMENT_OFFSET, structureName,
} from './layout.js';
import { structureKindAt } from './walk.js';
import { hex } from '../bytes/hex.js';

interface IncludeAllUnit {
  offset: number;
  reportedNotLast: boolean;
}

export function checkAcrossStructures(context: CheckContext, offsets: readonly number[]): void {
  const { reader, diagnostics } = context;
  // Register base → first DRHD with it. A (segment, base) key is built only when a base repeats:
  // real tables never repeat one, and the key string was most of this function's cost.
  const firstDrhdByBase = new Map<bigint, number>();
  let drhdByKey: Map<string, number> | undefined;
  const drhdSegments = new Set<number>();
  const includeAll = new Map<number, IncludeAllUnit>();
  const anddNumbers = new Map<number, number>();
  const rhsaOffsets: number[] = [];
  const segmentUsers: number[] = [];
  let highestType = -1;

  for (const offset of offsets) {
    const type = reader.u16(offset) ?? 0;
    if (type <= DMAR_TYPE_SIDP) {
      if (type < highestType) {
        diagnostics.add('dmar.order', offset, `${structureName(type)} follows a ${structureName(highestType)}; the spec lists structures in ascending type order`);
      }
      highestType = Math.max(highestType, type);
    }
    const kind = structureKindAt(reader, offset);
    if (kind === 'drhd') {
      const segment = reader.u16(offset + SEGMENT_OFFSET) ?? 0;
      const base = reader.u64(offset + DRHD.registerBaseAddress) ?? 0n;
      const flags = reader.u8(offset + DRHD.flags) ?? 0;
      drhdSegments.add(segment);
      const sameBase = firstDrhdByBase.get(base);
      if (sameBase === undefined) {
        firstDrhdByBase.set(base, offset);
      } else {
        drhdByKey ??= new Map();
        const firstKey = `${reader.u16(sameBase + SEGMENT_OFFSET) ?? 0}:${base}`;
        if (!drhdByKey.has(firstKey)) drhdByKey.set(firstKey, sameBase);
        const key = `${segment}:${base}`;
        const first = drhdByKey.get(key);
        if (first === undefined) drhdByKey.set(key, offset);
        else diagnostics.add('dmar.drhd.duplicate', offset, `DRHD for segment ${segment} at register base ${hex(base)} repeats the DRHD at ${hex(first)}; Linux ignores the repeat`);
      }
      checkIncludeAll(context, includeAll, offset, segment, (flags & DRHD_FLAG_INCLUDE_PCI_ALL) !== 0);
    } else if (kind === 'rhsa') {
      rhsaOffsets.push(offset);
    } else if (kind === 'andd') {
      const number = reader.u8(offset + ANDD.acpiDeviceNumber) ?? 0;
      const first = anddNumbers.get(number);
      if (first === undefined) anddNumbers.set(number, offset);
      else diagnostics.add('dmar.andd.duplicate', offset + ANDD.acpiDeviceNumber, `ANDD declares ACPI device number ${hex(number)}, already declared by the ANDD at ${hex(first)}`, 1);
    } else if (kind !== 'unknown') {
      segmentUsers.push(offset);
    }
  }

  for (const offset of rhsaOffsets) {
    const base = reader.u64(offset + RHSA.registerBaseAddress) ?? 0n;
    if (!firstDrhdByBase.has(base)) {
      diagnostics.add('dmar.rhsa.orphan', offset + RHSA.registerBaseAddress, `RHSA names register base ${hex(base)}, which no DRHD has ("RHSA refers to non-existent DMAR unit")`, 8);
    }
  }
  if (drhdSegments.size === 0) {
    diagnostics.add('dmar.drhd.none', 0, 'the table has no DRHD; Linux reports "No DRHD structure found" and finds no DMAR units, so the IOMMU stays off');
  } else {
    for (const offset of segmentUsers) {
      const segment = reader.u16(offset + SEGMENT_OFFSET) ?? 0;
      if (!drhdSegments.has(segment)) {
        diagnostics.add('dmar.segment.no-drhd', offset + SEGMENT_OFFSET, `${structureName(reader.u16(offset) ?? 0)} names PCI segment ${segment}, which no DRHD covers`, 2);
      }
    }
  }
  for (const at of context.namespaceScopes) {
    const number = reader.u8(at + SCOPE.enumerationId) ?? 0;
    if (!anddNumbers.has(number)) {
      diagnostics.add('dmar.scope.namespace-orphan', at + SCOPE.enumerationId, `ACPI namespace device scope names ACPI device number ${hex(number)}, which no ANDD declares`, 1);
    }
  }
}

/** VT-d §8.3: one INCLUDE_PCI_ALL DRHD per segment, listed after the segment's other DRHDs. */
function checkIncludeAll(context: CheckContext, units: Map<number, IncludeAllUnit>, offset: number, segment: number, isIncludeAll: boolean): void {
  const earlier = units.get(segment);
  if (isIncludeAll) {
    if (earlier === undefined) units.set(segment, { offset, reportedNotLast: false });
    else context.diagnostics.add('dmar.drhd.include-all-dup', offset, `second INCLUDE_PCI_ALL DRHD for segment ${segment}; the first is at ${hex(earlier.offset)}`);
  } else if (earlier !== undefined && !earlier.reportedNotLast) {
    earlier.reportedNotLast = true;
    context.diagnostics.add('dmar.drhd.include-all-not-last', earlier.offset, `INCLUDE_PCI_ALL DRHD for segment ${segment} is followed by the DRHD at ${hex(offset)} of the same segment; the spec wants it last (Linux tolerates this)`);
  }
}
