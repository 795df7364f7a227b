/** Diagnostic codes raised for IORT tables (docs/spec.md §5 rules 18–35). */
import type { CodeTable } from '../bytes/diagnostics.js';

export const IORT_CODES = {
  'iort.header.truncated': { severity: 'error', summary: 'the bytes end inside the 12-byte IORT header extension (node count, node array offset); no node is read', ref: 'docs/spec.md §3.2, §1.2' },
  'iort.node.array-offset': { severity: 'error', summary: 'the node array offset points into the 48-byte header or past the table end; no node is read', ref: 'docs/spec.md §5 #18' },
  'iort.node.overflow': { severity: 'error', summary: 'Number of nodes is larger than the nodes that fit before the table end (Linux: "IORT node pointer overflows, bad table!")', ref: 'docs/spec.md §5 #18; iort_scan_node()' },
  'iort.node.count': { severity: 'warning', summary: 'bytes remain after the last of Number of nodes nodes (count too small; iasl would decode more nodes)', ref: 'docs/spec.md §3.2, §6.1 Q7' },
  'iort.length.zero': { severity: 'error', summary: 'a node Length is 0; the walk cannot advance and stops here (Linux would revisit the node)', ref: 'docs/spec.md §5 #1' },
  'iort.length.short': { severity: 'error', summary: 'a node is shorter than the fixed part of its type and revision; kept as an unknown, truncated node', ref: 'docs/spec.md §5 #2' },
  'iort.length.overrun': { severity: 'error', summary: 'a node runs past the table end; the walk stops', ref: 'docs/spec.md §5 #3' },
  'iort.node.unknown': { severity: 'info', summary: 'node type not known (≥ 8); kept as unknown and skipped by its Length', ref: 'docs/spec.md §5 #31' },
  'iort.node.revision-newer': { severity: 'info', summary: 'node revision newer than the newest known for its type; the known prefix is decoded', ref: 'docs/spec.md §5 #31' },
  'iort.revision.deprecated': { severity: 'warning', summary: 'table revision 1, 2 (withdrawn) or 4 (deprecated), or RMR node revision 2 (deprecated); decoded with the E.d layout', ref: 'docs/spec.md §3.1, §5 #30' },
  'iort.reserved.nonzero': { severity: 'info', summary: 'a reserved field or bit is not zero', ref: 'docs/spec.md §5 #12' },
  'iort.mapping.outside-node': { severity: 'error', summary: 'the ID mapping array is not inside its node (reference 0 or < 16 with mappings, or past the node Length); it is not read', ref: 'docs/spec.md §5 #19' },
  'iort.array.outside-node': { severity: 'error', summary: 'an ITS identifier, SMMU interrupt or RMR descriptor array is not inside its node; it is not read', ref: 'docs/spec.md §5 #20' },
  'iort.array.overlap': { severity: 'warning', summary: 'an array overlaps the fixed part, the device name or another array of the same node', ref: 'docs/spec.md §5 #21' },
  'iort.mapping.null-ref': { severity: 'error', summary: 'output reference (or PMCG node reference) is 0 (Linux: "ID map has NULL parent reference")', ref: 'docs/spec.md §5 #22; iort_node_map_id()' },
  'iort.mapping.target-not-a-node': { severity: 'error', summary: 'output reference (or PMCG node reference) is not the start of any node', ref: 'docs/spec.md §5 #23' },
  'iort.mapping.target-type': { severity: 'error', summary: 'output reference (or PMCG node reference) names a node of an unsuitable type, or the node itself', ref: 'docs/spec.md §5 #24' },
  'iort.graph.cycle': { severity: 'error', summary: 'output references form a cycle; Linux\'s walk has no cycle guard and would not terminate', ref: 'docs/spec.md §5 #25; kernel-semantics §4.2' },
  'iort.mapping.id-overflow': { severity: 'error', summary: 'InputBase + NumIDs or OutputBase + NumIDs exceeds 0xFFFFFFFF (the 32-bit sum wraps in Linux)', ref: 'docs/spec.md §5 #26' },
  'iort.mapping.overlap': { severity: 'warning', summary: 'input ranges of one node overlap beyond the single boundary ID Linux tolerates', ref: 'docs/spec.md §5 #27; iort_id_map()' },
  'iort.mapping.single-misuse': { severity: 'warning', summary: 'single-mapping flag on a node type that does not allow it; Linux skips the entry', ref: 'docs/spec.md §5 #28; iort_id_map()' },
  'iort.its.has-mappings': { severity: 'warning', summary: 'an ITS group has ID mappings or a non-zero ID array reference', ref: 'docs/spec.md §3.6, §5 #28' },
  'iort.pmcg.mappings': { severity: 'warning', summary: 'a PMCG has more than one mapping, or no single mapping although its overflow GSIV is 0', ref: 'docs/spec.md §3.11, §5 #28' },
  'iort.smmuv3.devid-index': { severity: 'error', summary: 'SMMUv3 DeviceID mapping index is out of range, or its entry is not a single mapping to an ITS group', ref: 'docs/spec.md §3.10, §5 #29; iort_get_id_mapping_index()' },
  'iort.rmr.table-revision': { severity: 'warning', summary: 'RMR node in a table of revision < 5: Linux ignores it', ref: 'docs/spec.md §3.12; iort_find_rmrs()' },
  'iort.rmr.no-ranges': { severity: 'error', summary: 'RMR node with no memory range descriptors (count or reference 0): Linux skips it', ref: 'docs/spec.md §3.12, §5 #34; iort_node_get_rmr_info()' },
  'iort.rmr.no-mappings': { severity: 'error', summary: 'RMR node with no ID mappings: Linux skips it ("Invalid ID mapping, skipping RMR node")', ref: 'docs/spec.md §3.12, §5 #34; iort_node_get_rmr_info()' },
  'iort.rmr.zero-length': { severity: 'warning', summary: 'RMR descriptor of length 0 (Linux: "with zero length, continue anyway")', ref: 'docs/spec.md §3.12; iort_rmr_desc_check_overlap()' },
  'iort.rmr.misaligned': { severity: 'warning', summary: 'RMR descriptor base or length not 64 KiB aligned (Linux rounds it out to pages)', ref: 'docs/spec.md §3.12; iort_rmr_alloc()' },
  'iort.rmr.overlap': { severity: 'warning', summary: 'RMR descriptors of one node overlap (Linux: "overlaps, continue anyway")', ref: 'docs/spec.md §3.12; iort_rmr_desc_check_overlap()' },
  'iort.nc.unterminated': { severity: 'error', summary: 'named component / IWB device name has no NUL before the ID array or node end', ref: 'docs/spec.md §5 #35' },
  'iort.id.duplicate': { severity: 'warning', summary: 'two nodes share an Identifier (table revision ≥ 3), or two root complexes share a PCI segment', ref: 'docs/spec.md §5 #32; iort_match_node_callback()' },
} as const satisfies CodeTable;

export type IortCode = keyof typeof IORT_CODES;

// Adds these codes to the registry every Diagnostic's code is typed from (src/bytes/diagnostics.ts).
declare module '../bytes/diagnostics.js' {
  interface DiagnosticCodes extends Record<IortCode, true> {}
}
