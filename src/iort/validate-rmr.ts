/** RMR node checks (spec §3.12, §5 #34), mirroring what Linux warns about or skips. */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { TableReader } from '../bytes/reader.js';
import {
  IORT_RMR_TABLE_REVISION, NODE_MAPPING_COUNT, RMR_ALIGNMENT, RMR_DESCRIPTORS_OFFSET, RMR_DESCRIPTOR_COUNT,
  RMR_DESCRIPTOR_SIZE, RMR_DESC_BASE, RMR_DESC_LENGTH, RMR_DESC_RESERVED,
} from './layout.js';
import { sweepOverlaps } from './overlap.js';
import * as raw from './raw.js';

export function checkRmr(reader: TableReader, tableRevision: number, node: number, diagnostics: DiagnosticList): void {
  if (tableRevision < IORT_RMR_TABLE_REVISION) {
    diagnostics.add('iort.rmr.table-revision', node, `RMR node at ${hex(node)} in a revision ${tableRevision} table: Linux reads RMR nodes only from revision 5 (E.d) and ignores it`, raw.nodeLength(reader, node));
  }
  if (!raw.hasMappings(reader, node)) {
    diagnostics.add('iort.rmr.no-mappings', node + NODE_MAPPING_COUNT, `RMR node at ${hex(node)} has no ID mappings; Linux skips it ("Invalid ID mapping, skipping RMR node")`, 8);
  }
  const count = reader.u32(node + RMR_DESCRIPTOR_COUNT) ?? 0;
  const ref = reader.u32(node + RMR_DESCRIPTORS_OFFSET) ?? 0;
  if (count === 0 || ref === 0) {
    diagnostics.add('iort.rmr.no-ranges', node + RMR_DESCRIPTOR_COUNT, `RMR node at ${hex(node)}: descriptor count ${count}, reference ${hex(ref)}; Linux skips it`, 8);
    return;
  }
  if (!raw.arrayInsideNode(ref, count, RMR_DESCRIPTOR_SIZE, raw.nodeLength(reader, node))) return; // iort.array.outside-node
  const at = (index: number) => node + ref + index * RMR_DESCRIPTOR_SIZE;
  const base = (index: number) => reader.u64(at(index) + RMR_DESC_BASE) ?? 0n;
  const size = (index: number) => reader.u64(at(index) + RMR_DESC_LENGTH) ?? 0n;
  const ranged: number[] = [];
  for (let index = 0; index < count; index++) {
    if (size(index) === 0n) {
      diagnostics.add('iort.rmr.zero-length', at(index) + RMR_DESC_LENGTH, `RMR descriptor ${index} at ${hex(at(index))} (base ${hex(base(index))}) has length 0; Linux continues anyway`, 8);
    } else ranged.push(index);
    if (base(index) % RMR_ALIGNMENT !== 0n || size(index) % RMR_ALIGNMENT !== 0n) {
      diagnostics.add('iort.rmr.misaligned', at(index), `RMR descriptor ${index} at ${hex(at(index))}: base ${hex(base(index))} / length ${hex(size(index))} not 64 KiB aligned; Linux rounds it out to pages`, RMR_DESCRIPTOR_SIZE);
    }
    if (reader.u32(at(index) + RMR_DESC_RESERVED) !== 0) {
      diagnostics.add('iort.reserved.nonzero', at(index) + RMR_DESC_RESERVED, `RMR descriptor ${index} at ${hex(at(index))}: reserved word is not 0`, 4);
    }
  }
  if (ranged.length < 2) return;
  // Ends are bigint, not BigUint64Array: base + length - 1 may pass 2^64 and must not wrap.
  const start = ranged.map(base);
  const end = ranged.map((index, item) => start[item]! + size(index) - 1n);
  const [startRank, endRank] = ranks(start, end);
  sweepOverlaps(ranged.length, startRank, endRank, (item, earlier) => {
    const [later, other] = [ranged[item]!, ranged[earlier]!];
    diagnostics.add('iort.rmr.overlap', at(later), `RMR descriptor ${later} at ${hex(at(later))} [${hex(start[item]!)}, ${hex(end[item]!)}] overlaps descriptor ${other} at ${hex(at(other))}; Linux continues anyway`, RMR_DESCRIPTOR_SIZE);
  });
}

/**
 * The rank of every bound among all of them (equal bounds, equal ranks): the order the overlap
 * sweep needs, as exact small numbers rather than 64-bit (or wider) BigInts.
 */
function ranks(starts: readonly bigint[], ends: readonly bigint[]): [Float64Array, Float64Array] {
  const bounds = [...starts, ...ends];
  const order = bounds.map((_, index) => index).sort((a, b) => (bounds[a]! < bounds[b]! ? -1 : bounds[a]! > bounds[b]! ? 1 : 0));
  const rank = new Float64Array(bounds.length);
  order.forEach((index, position) => {
    rank[index] = position > 0 && bounds[index] === bounds[order[position - 1]!] ? rank[order[position - 1]!]! : position;
  });
  return [rank.subarray(0, starts.length), rank.subarray(starts.length)];
}
