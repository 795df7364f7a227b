/**
 * Per-type node checks (spec §3.6–3.13, §5 rules 20, 21, 28–30, 34, 35), reading raw fields so
 * that validation allocates no view objects.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import { le32 } from '../bytes/le.js';
import type { TableReader } from '../bytes/reader.js';
import {
  ID_MAPPING_SIZE, INTERRUPT_SIZE, IORT_NODE_ITS_GROUP, IORT_NODE_IWB, IORT_NODE_NAMED_COMPONENT, IORT_NODE_PMCG,
  IORT_NODE_RMR, IORT_NODE_ROOT_COMPLEX, IORT_NODE_SMMU_V1V2, IORT_NODE_SMMU_V3, ITS_COUNT, ITS_IDENTIFIERS,
  IWB_DEVICE_NAME, NC_DEVICE_NAME, NODE_MAPPING_COUNT, NODE_MAPPING_OFFSET, PMCG_OVERFLOW_GSIV, RC_FLAGS,
  RC_PASID_REVISION, RC_RESERVED, RMR_DESCRIPTORS_OFFSET, RMR_DESCRIPTOR_COUNT, RMR_DESCRIPTOR_SIZE, SMMU3_RESERVED, SMMU_CONTEXT_INTERRUPTS_OFFSET,
  SMMU_CONTEXT_INTERRUPT_COUNT, SMMU_GLOBAL_INTERRUPTS_OFFSET, SMMU_GLOBAL_INTERRUPTS_SIZE, SMMU_PMU_INTERRUPTS_OFFSET,
  SMMU_PMU_INTERRUPT_COUNT, minimumNodeLength,
} from './layout.js';
import * as raw from './raw.js';
import { checkRmr } from './validate-rmr.js';

// The node-relative byte ranges of the node being checked ([start, end), what each is, and the
// header field that locates it, for the report offset), reused across nodes: at most the fixed
// part, three arrays and the ID mappings.
const MAX_EXTENTS = 8;
const extentStart = new Float64Array(MAX_EXTENTS);
const extentEnd = new Float64Array(MAX_EXTENTS);
const extentField = new Int32Array(MAX_EXTENTS);
const extentWhat = new Array<string>(MAX_EXTENTS).fill('');
let extentCount = 0;

function addExtent(what: string, start: number, end: number, field: number): void {
  extentWhat[extentCount] = what;
  extentStart[extentCount] = start;
  extentEnd[extentCount] = end;
  extentField[extentCount] = field;
  extentCount++;
}

/** An array of `items` × `size` bytes at the node-relative reference stored at `field`: reported when outside the node, else an extent. */
function checkArray(reader: TableReader, node: number, length: number, diagnostics: DiagnosticList, what: string, field: number, items: number, size: number): void {
  const ref = reader.u32(node + field) ?? 0;
  if (items === 0) return;
  if (!raw.arrayInsideNode(ref, items, size, length)) {
    diagnostics.add('iort.array.outside-node', node + field, `node at ${hex(node)}: ${what} (${items} × ${size} bytes at ${hex(ref)}) is not inside its Length ${length}; not read`, 4);
  } else {
    addExtent(what, ref, ref + items * size, field);
  }
}

/**
 * Checks a framed node that has its type's fixed part, given its header fields as the validation
 * pass read them (type, revision, Length) so that nothing is read twice.
 */
export function checkNodeKind(reader: TableReader, tableRevision: number, node: number, type: number, revision: number, length: number, diagnostics: DiagnosticList): void {
  const bytes = reader.bytes;
  const count = le32(bytes, node + NODE_MAPPING_COUNT);
  extentCount = 0;
  addExtent('fixed part', 0, minimumNodeLength(type, revision), 0);
  switch (type) {
    case IORT_NODE_ITS_GROUP: {
      if (count !== 0 || raw.mappingArrayOffset(reader, node) !== 0) {
        diagnostics.add('iort.its.has-mappings', node + NODE_MAPPING_COUNT, `ITS group at ${hex(node)} has ${count} ID mappings at reference ${hex(raw.mappingArrayOffset(reader, node))}; both must be 0`, 8);
      }
      const its = reader.u32(node + ITS_COUNT) ?? 0;
      if (!raw.arrayInsideNode(ITS_IDENTIFIERS, its, 4, length)) {
        diagnostics.add('iort.array.outside-node', node + ITS_COUNT, `ITS group at ${hex(node)}: ${its} identifiers do not fit in its Length ${length}; not read`, 4);
      } else extentEnd[0] = ITS_IDENTIFIERS + 4 * its;
      break;
    }
    case IORT_NODE_NAMED_COMPONENT:
    case IORT_NODE_IWB: {
      const rel = type === IORT_NODE_IWB ? IWB_DEVICE_NAME : NC_DEVICE_NAME;
      // The name is decoded only for a finding; a terminated one is measured in place.
      const terminated = reader.terminatedLength(node + rel, node + raw.fieldLimit(length, count, le32(bytes, node + NODE_MAPPING_OFFSET)));
      if (terminated < 0) {
        const name = raw.deviceNameAt(reader, node, rel);
        // A node whose Length ends exactly where the name would start has no name byte at all:
        // report at the node, so the offset stays inside the table (fuzzer finding).
        const at = rel < length ? node + rel : node;
        diagnostics.add('iort.nc.unterminated', at, `node at ${hex(node)}: device name "${name.text}" has no NUL before offset ${hex(raw.optionalFieldLimit(reader, node))} of the node`, name.byteLength);
        extentEnd[0] = rel + name.byteLength;
      } else {
        extentEnd[0] = rel + terminated;
      }
      break;
    }
    case IORT_NODE_ROOT_COMPLEX: {
      // raw.optionalFieldPresent, from the header fields already read: every byte below the limit lies inside the framed node.
      const limit = raw.fieldLimit(length, count, le32(bytes, node + NODE_MAPPING_OFFSET));
      const reservedFrom = revision >= RC_PASID_REVISION ? RC_RESERVED : 33;
      for (let rel = reservedFrom; rel <= RC_RESERVED; rel++) {
        if (revision >= 1 && rel + 1 <= limit && bytes[node + rel] !== 0) {
          diagnostics.add('iort.reserved.nonzero', node + rel, `root complex at ${hex(node)}: reserved byte at +${hex(rel)} is ${hex(bytes[node + rel]!)}`, 1);
          break;
        }
      }
      const flags = revision >= RC_PASID_REVISION && RC_FLAGS + 4 <= limit ? le32(bytes, node + RC_FLAGS) : 0;
      if ((flags & ~1) !== 0) {
        diagnostics.add('iort.reserved.nonzero', node + RC_FLAGS, `root complex at ${hex(node)}: Flags ${hex(flags)} has reserved bits set${flags & 2 ? ' (bit 1 was "PASID supported" in EDK2 before 2025)' : ''}`, 4);
      }
      break;
    }
    case IORT_NODE_SMMU_V1V2:
      checkArray(reader, node, length, diagnostics, 'global interrupt array', SMMU_GLOBAL_INTERRUPTS_OFFSET, 1, SMMU_GLOBAL_INTERRUPTS_SIZE);
      checkArray(reader, node, length, diagnostics, 'context interrupt array', SMMU_CONTEXT_INTERRUPTS_OFFSET, reader.u32(node + SMMU_CONTEXT_INTERRUPT_COUNT) ?? 0, INTERRUPT_SIZE);
      checkArray(reader, node, length, diagnostics, 'PMU interrupt array', SMMU_PMU_INTERRUPTS_OFFSET, reader.u32(node + SMMU_PMU_INTERRUPT_COUNT) ?? 0, INTERRUPT_SIZE);
      break;
    case IORT_NODE_SMMU_V3:
      if (reader.u32(node + SMMU3_RESERVED) !== 0) {
        diagnostics.add('iort.reserved.nonzero', node + SMMU3_RESERVED, `SMMUv3 at ${hex(node)}: reserved word at +${hex(SMMU3_RESERVED)} is ${hex(reader.u32(node + SMMU3_RESERVED) ?? 0)}`, 4);
      }
      break;
    case IORT_NODE_PMCG: {
      const gsiv = reader.u32(node + PMCG_OVERFLOW_GSIV);
      const firstSingle = count > 0 && raw.mappingsInsideNode(reader, node) && raw.mapIsSingle(reader, raw.mappingEntry(reader, node, 0));
      if (count > 1 || (gsiv === 0 && !firstSingle)) {
        diagnostics.add('iort.pmcg.mappings', node + NODE_MAPPING_COUNT, `PMCG at ${hex(node)}: ${count} ID mappings${gsiv === 0 ? ' and overflow GSIV 0 (needs one single mapping for its MSI)' : ''}; at most one expected`, 4);
      }
      break;
    }
    case IORT_NODE_RMR:
      checkRmr(reader, tableRevision, node, diagnostics);
      checkArray(reader, node, length, diagnostics, 'memory range descriptor array', RMR_DESCRIPTORS_OFFSET, reader.u32(node + RMR_DESCRIPTOR_COUNT) ?? 0, RMR_DESCRIPTOR_SIZE);
      break;
  }
  if (count > 0) {
    const ref = le32(reader.bytes, node + NODE_MAPPING_OFFSET);
    if (raw.arrayInsideNode(ref, count, ID_MAPPING_SIZE, length)) addExtent('ID mapping array', ref, ref + count * ID_MAPPING_SIZE, NODE_MAPPING_OFFSET);
  }
  if (extentCount > 1) checkExtents(node, diagnostics);
}

/** Spec §5 #21: each array against the fixed part (incl. name) and the arrays before it (the first it overlaps). */
function checkExtents(node: number, diagnostics: DiagnosticList): void {
  for (let later = 1; later < extentCount; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      if (!(extentStart[later]! < extentEnd[earlier]! && extentStart[earlier]! < extentEnd[later]!)) continue;
      diagnostics.add('iort.array.overlap', node + extentField[later]!, `node at ${hex(node)}: ${extentWhat[later]} [${hex(extentStart[later]!)}, ${hex(extentEnd[later]!)}) overlaps the ${extentWhat[earlier]} [${hex(extentStart[earlier]!)}, ${hex(extentEnd[earlier]!)})`, 4);
      break;
    }
  }
}
