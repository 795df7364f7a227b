/** Per-signature drawings beside the hex view (DOM side of a table kind). */
import type { DmarTable, IortTable, PciTopology } from '../../index.js';
import type { PageTable } from '../model/inputs.js';
import { dmarScopes } from './dmar-scopes.js';
import { iortGraph } from './iort-graph.js';
import { ivrsUnits } from './ivrs-units.js';

type Drawing = (entry: PageTable, topology: PciTopology | undefined) => HTMLElement;

export const DRAWINGS: Readonly<Record<string, Drawing>> = {
  DMAR: (entry, topology) => dmarScopes(entry.table as DmarTable, topology),
  IORT: (entry) => iortGraph(entry.table as IortTable),
  IVRS: ivrsUnits,
};
