/**
 * IORT lints on ID spaces and RMR nodes: output ID ranges two nodes share in one SMMU or ITS
 * group, RMR descriptors that look unfilled, RMR nodes the table revision hides from Linux.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { IdMapping, IortNode, IortTable } from '../iort/index.js';
import { ID_MAPPING_SIZE, IORT_RMR_TABLE_REVISION, MAX_ID, RMR_DESCRIPTOR_SIZE } from '../iort/layout.js';
import { NODE_TYPE_NAMES } from './revisions.js';

/** One mapping's output side: IDs `[start, end]` sent to the node at `target`. */
interface OutputRange {
  node: number;
  type: number;
  entry: number;
  start: number;
  end: number;
}

/**
 * Mappings of different nodes whose outputs overlap in one SMMUv3 or ITS group. RMR mappings
 * are left out (they name other devices' stream IDs on purpose), and so are SMMUv1/v2 targets:
 * arm-smmu shares one stream-match entry between devices with the same ID and puts them in one
 * group, which Qualcomm tables rely on. An SMMU's mapping to an ITS group counts only for the
 * stream IDs that reach the SMMU (QEMU maps all 64Ki SIDs while its RC sends part of the RIDs
 * around the SMMU). One shared ID at the boundary is tolerated, as `iort_id_map()` does.
 */
export function lintOutputOverlaps(iort: IortTable, out: DiagnosticList): void {
  const byTarget = new Map<number, OutputRange[]>();
  const add = (target: number, range: OutputRange) => {
    const list = byTarget.get(target);
    if (list === undefined) byTarget.set(target, [range]);
    else list.push(range);
  };
  const smmuMappings: { node: IortNode; mapping: IdMapping }[] = [];
  for (const node of iort.nodes()) {
    if (node.kind === 'rmr' || node.kind === 'its-group' || node.kind === 'unknown') continue;
    for (const mapping of node.idMappings()) {
      if (iort.nodeIndexAt(mapping.outputReference) < 0 || mapping.outputReference === node.offset) continue;
      if ((node.kind === 'smmu-v3' || node.kind === 'smmu-v1v2') && !mapping.singleMapping) {
        smmuMappings.push({ node, mapping });
        continue;
      }
      const end = mapping.singleMapping ? mapping.outputBase : Math.min(MAX_ID, mapping.outputBase + mapping.idCount);
      add(mapping.outputReference, { node: node.offset, type: node.type, entry: mapping.offset, start: mapping.outputBase, end });
    }
  }
  const used = usedStreamIds(byTarget);
  for (const { node, mapping } of smmuMappings) {
    const last = Math.min(MAX_ID, mapping.inputBase + mapping.idCount);
    for (const sids of used.get(node.offset) ?? []) {
      const from = Math.max(sids.start, mapping.inputBase);
      const to = Math.min(sids.end, last);
      if (from > to) continue;
      const shift = (id: number) => Math.min(MAX_ID, mapping.outputBase + (id - mapping.inputBase));
      add(mapping.outputReference, { node: node.offset, type: node.type, entry: mapping.offset, start: shift(from), end: shift(to) });
    }
  }
  for (const [target, ranges] of byTarget) {
    const kind = iort.nodeAt(target)?.kind;
    if (kind === 'smmu-v3' || kind === 'its-group') sweepTarget(iort, target, ranges, out);
  }
}

/** Per target node, the merged ID ranges other nodes send into it (the stream IDs an SMMU sees). */
function usedStreamIds(byTarget: ReadonlyMap<number, readonly OutputRange[]>): Map<number, { start: number; end: number }[]> {
  const used = new Map<number, { start: number; end: number }[]>();
  for (const [target, ranges] of byTarget) {
    const sorted = [...ranges].sort((a, b) => a.start - b.start);
    const merged: { start: number; end: number }[] = [];
    for (const range of sorted) {
      const last = merged[merged.length - 1];
      if (last !== undefined && range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
      else merged.push({ start: range.start, end: range.end });
    }
    used.set(target, merged);
  }
  return used;
}

/**
 * Sort by start; compare each range with the furthest-reaching earlier range of another node.
 * `best` reaches furthest; `other` reaches furthest among ranges of a node other than best's.
 */
function sweepTarget(iort: IortTable, target: number, ranges: OutputRange[], out: DiagnosticList): void {
  ranges.sort((a, b) => a.start - b.start || a.end - b.end || a.entry - b.entry);
  let best: OutputRange | undefined;
  let other: OutputRange | undefined;
  for (const range of ranges) {
    const earlier = best !== undefined && best.node !== range.node ? best : other;
    if (earlier !== undefined && range.start <= earlier.end && !(range.start === earlier.end && earlier.end > earlier.start)) {
      report(iort, target, range, earlier, out);
    }
    if (best === undefined || range.end > best.end) {
      if (best !== undefined && best.node !== range.node) other = best;
      best = range;
    } else if (range.node !== best.node && (other === undefined || range.end > other.end)) {
      other = range;
    }
  }
}

function report(iort: IortTable, target: number, range: OutputRange, earlier: OutputRange, out: DiagnosticList): void {
  const kind = iort.nodeAt(target)?.kind;
  const what = kind === 'its-group' ? 'MSI device IDs' : 'stream IDs';
  const describe = (item: OutputRange) => `${NODE_TYPE_NAMES[item.type]} at ${hex(item.node)} [${hex(item.start)}, ${hex(item.end)}]`;
  out.add('lint.iort.output-overlap', range.entry, `mapping at ${hex(range.entry)}: ${describe(range)} overlaps ${describe(earlier)} in the ${kind ?? 'node'} at ${hex(target)}: the two devices would share ${what}`, ID_MAPPING_SIZE);
}

/** RMR descriptors with base 0 or length 0, and (once per table) RMR nodes hidden by revision < 5. */
export function lintRmr(iort: IortTable, out: DiagnosticList): void {
  const ignored: number[] = [];
  for (const node of iort.nodes()) {
    if (node.kind !== 'rmr') continue;
    ignored.push(node.offset);
    for (const range of node.memoryRanges()) {
      if (range.baseAddress !== 0n && range.length !== 0n) continue;
      const what = range.baseAddress === 0n && range.length === 0n ? 'base and length are 0' : range.baseAddress === 0n ? 'base is 0' : 'length is 0';
      out.add('lint.iort.rmr-zero-range', range.offset, `RMR at ${hex(node.offset)}, descriptor ${range.index}: ${what} (base ${hex(range.baseAddress)}, length ${hex(range.length)})`, RMR_DESCRIPTOR_SIZE);
    }
  }
  if (ignored.length > 0 && iort.revision < IORT_RMR_TABLE_REVISION) {
    out.add('lint.iort.rmr-ignored', 8, `table revision ${iort.revision} < ${IORT_RMR_TABLE_REVISION}: Linux ignores the RMR node(s) at ${ignored.map((offset) => hex(offset)).join(', ')}; declare revision 5 (E.d) or 6 (E.e) with RMR node revision 3`, 1);
  }
}
