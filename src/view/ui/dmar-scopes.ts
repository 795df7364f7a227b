/**
 * DMAR units and their device scopes as a tree; with a topology, the PCI functions each scope
 * binds to, as the kernel's dmar_pci_bus_add_dev() records them.
 */
import { TopologyIndex, bdfOf, type DmarTable, type PciTopology } from '../../index.js';
// Scope binding is internal to the package (not in the root entry); the page is part of the package.
import { bindScopes, collectUnits, describeScope, type ScopeUnit } from '../../dmar/regions/index.js';
import { h, hex } from './dom.js';

export function dmarScopes(table: DmarTable, topology: PciTopology | undefined): HTMLElement {
  const units = collectUnits(table);
  if (topology !== undefined) bindScopes(units, new TopologyIndex(topology));
  const item = (unit: ScopeUnit) => {
    const range = unit.base === undefined ? '' : ` ${hex(unit.base)}–${hex(unit.end ?? unit.base)}`;
    const title = `${unit.kind} @${hex(unit.offset, 4)} segment ${hex(unit.segment, 4)}${range}${unit.includeAll ? ' — every device no other unit names' : ''}`;
    const scopes = unit.scopes.map((scope) => {
      const bound = unit.recorded.filter((record) => record.scope === scope).map((record) => `${bdfOf(record.device)}${record.fallback ? ' (fallback)' : ''}`);
      const devices = topology === undefined ? '' : bound.length === 0 ? ' → no device in the topology' : ` → ${bound.join(', ')}`;
      return h('li', {}, `${describeScope(scope)} @${hex(scope.offset, 4)}${devices}`);
    });
    return h('li', {}, title, h('ul', {}, ...scopes));
  };
  const all = [...units.DRHD, ...units.RMRR, ...units.ATSR, ...units.SATC];
  return h('section', { class: 'scopes-panel', id: 'dmar-scopes', 'aria-label': 'DMAR units and scopes' },
    h('h2', {}, 'DMAR units and their scopes'),
    h('p', { class: 'note' }, topology === undefined ? 'No PCI topology: scopes are shown as paths. Give --pci or drop a pci.json to see the devices they bind.' : 'Devices each scope binds in the given topology.'),
    h('ul', { class: 'scope-tree' }, ...all.map(item)));
}
