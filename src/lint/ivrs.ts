/**
 * IVRS lints for table generators: tables Linux brings no AMD IOMMU up with, IVMDs that overlap for a common device, IVMDs naming device
 * IDs no IVHD entry gives an IOMMU, and IVMD ranges Linux 6.1 silently drops or moves
 * (drivers/iommu/amd/init.c `init_memory_definitions`, `init_unity_map_range`).
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import { formatRequesterId } from '../pci/bdf.js';
import type { IvmdBlock, IvrsTable } from '../ivrs/index.js';
import { amdBootModel, ivmdAligned, ivmdApplied, unityWindow, type AmdBootModel } from '../ivrs/regions/index.js';

const FLAGS_AT = 1;
const AUXILIARY_AT = 6;
const SEGMENT_AT = 8;
const START_AT = 16;
const U64 = (1n << 64n) - 1n;

interface Span {
  ivmd: IvmdBlock;
  first: number;
  last: number;
  start: bigint;
  /** Inclusive; below `start` for a zero length. */
  end: bigint;
}

/** The device IDs an IVMD names, before the kernel's last_bdf clamp ("all" = every ID). */
function idRange(ivmd: IvmdBlock): [number, number] {
  if (ivmd.type === 0x20) return [0, 0xffff];
  return ivmd.type === 0x21 ? [ivmd.deviceId, ivmd.deviceId] : [ivmd.deviceId, ivmd.auxiliaryData];
}

/** Why Linux keeps nothing of this IVMD, or undefined when it keeps it. */
function droppedBecause(ivmd: IvmdBlock, model: AmdBootModel): { at: number; why: string } | undefined {
  if (!ivmdApplied(ivmd)) return { at: FLAGS_AT, why: `flags ${hex(ivmd.flags)} have neither the unity (bit 0) nor the exclusion (bit 3) flag` };
  const [first, last] = idRange(ivmd);
  if (last < first) return { at: AUXILIARY_AT, why: `its device range ends (${formatRequesterId(last)}) before it starts (${formatRequesterId(first)})` };
  const segment = model.segments.get(ivmd.pciSegmentGroup);
  if (segment === undefined || segment.covered.length === 0) return { at: SEGMENT_AT, why: `no IVHD describes its PCI segment ${hex(ivmd.pciSegmentGroup, 4)}` };
  return undefined;
}

/** True when some ID of `[first, last]` gets an IOMMU (an IVHD entry covers it and it is not an IOMMU's own ID). */
function anyCovered(model: AmdBootModel, ivmd: IvmdBlock, first: number, last: number): boolean {
  const segment = model.segments.get(ivmd.pciSegmentGroup);
  if (segment === undefined) return false;
  const top = Math.min(last, segment.lastBdf);
  return segment.covered.some((range) => {
    const low = Math.max(first, range.first);
    const high = Math.min(top, range.last);
    if (low > high) return false;
    const own = segment.iommuIds.filter((id) => low <= id && id <= high).length;
    return high - low + 1 > own;
  });
}

export function lintIvrs(table: IvrsTable, out: DiagnosticList): void {
  const model = amdBootModel(table);
  const off = model.findings.find((item) => item.code === 'regions.amd.iommu-off');
  if (off !== undefined && table.blockOffsets.length > 0) out.add('lint.ivrs.no-iommu', off.offset, off.message, 1);
  const kept: Span[] = [];
  for (const ivmd of table.ivmds()) {
    const where = `IVMD type ${hex(ivmd.type)} at ${hex(ivmd.offset)}`;
    const dropped = model.enabled ? droppedBecause(ivmd, model) : undefined;
    if (dropped !== undefined) {
      out.add('lint.ivrs.ivmd-dropped', ivmd.offset + dropped.at, `${where}: ${dropped.why}; Linux keeps nothing of it`, 2);
      continue;
    }
    if (!ivmdAligned(ivmd)) {
      const { start, end } = unityWindow(ivmd);
      out.add('lint.ivrs.ivmd-unaligned', ivmd.offset + START_AT, `${where}: start ${hex(ivmd.startAddress)} / length ${hex(ivmd.memoryLength)} are not 4 KiB aligned; Linux rounds both up and maps ${hex(start)}–${hex(end)} instead`, 16);
    }
    const [first, last] = idRange(ivmd);
    if (model.enabled && ivmd.type !== 0x20 && !anyCovered(model, ivmd, first, last)) {
      const ids = first === last ? `device ${formatRequesterId(first)}` : `devices ${formatRequesterId(first)}–${formatRequesterId(last)}`;
      out.add('lint.ivrs.ivmd-uncovered', ivmd.offset + 4, `${where} names ${ids}, which no IVHD entry (of the type Linux uses, ${hex(model.ivhdType!)}) gives an IOMMU: its range is never mapped`, 2);
    }
    const span: Span = { ivmd, first, last, start: ivmd.startAddress, end: (ivmd.startAddress + ivmd.memoryLength - 1n) & U64 };
    const other = span.end >= span.start ? kept.find((item) => item.ivmd.pciSegmentGroup === ivmd.pciSegmentGroup && item.end >= item.start && item.first <= last && first <= item.last && item.start <= span.end && span.start <= item.end) : undefined;
    if (other !== undefined) {
      out.add('lint.ivrs.ivmd-overlap', ivmd.offset + START_AT, `${where} [${hex(span.start)}–${hex(span.end)}] overlaps the IVMD at ${hex(other.ivmd.offset)} [${hex(other.start)}–${hex(other.end)}] for a common device`, 16);
    }
    kept.push(span);
  }
}
