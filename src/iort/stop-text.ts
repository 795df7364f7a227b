/** Why an IORT walk stopped, in plain words (for `map` and `explain`; the codes stay in JSON). */
import type { IortStopReason } from './map-id.js';

export const STOP_TEXT: Readonly<Record<IortStopReason, string>> = {
  reached: 'reached',
  'no-start-node': 'no such node',
  'no-mappings': 'the node has no ID mappings',
  'mappings-outside-node': 'the ID array lies outside the node',
  'null-reference': 'the mapping\'s output reference is 0',
  'no-match': 'no mapping of the node accepts the ID',
  'not-single': 'the mapping is not a single mapping: without an input ID Linux only takes single mappings, so iort_nc_iommu_map stops here',
  'no-more-mappings': 'no further mapping index: done',
  'target-not-a-node': 'the output reference is not a node',
  cycle: 'the walk comes back to a node with the same ID (Linux would loop forever)',
  'step-limit': 'more hops than nodes: stopped',
};
