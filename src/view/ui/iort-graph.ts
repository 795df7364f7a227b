/**
 * The IORT ID graph: sources (root complexes, named components, PMCGs, RMRs) → SMMUs → ITS
 * groups / IWBs, one arrow per ID mapping. A requester ID typed in lights the path the kernel
 * walks (src/iort translate) to the SMMU and to the ITS.
 */
import { IORT_MSI_TYPES, parseBdf, requesterId, translate, type IortTable, type IortTranslation } from '../../index.js';
import type { JsonItem } from '../kinds/kind.js';
import { h, hex, s } from './dom.js';

const COLUMNS: readonly (readonly string[])[] = [['root-complex', 'named-component', 'pmcg', 'rmr', 'unknown'], ['smmu-v1v2', 'smmu-v3'], ['its-group', 'iwb']];
const BOX_W = 210;
const BOX_H = 34;
const GAP_X = 120;
const GAP_Y = 14;

interface Box { node: JsonItem; x: number; y: number }

function nodeLabel(node: JsonItem): string {
  const kind = String(node.kind);
  switch (kind) {
    case 'root-complex': return `root complex, segment ${typeof node.pciSegmentNumber === 'number' ? hex(node.pciSegmentNumber, 4) : String(node.pciSegmentNumber)}`;
    case 'named-component': return `${String(node.deviceName)}`;
    case 'smmu-v3': return `SMMUv3 ${String(node.baseAddress)}`;
    case 'smmu-v1v2': return `SMMUv1/v2 ${String(node.baseAddress)}`;
    case 'its-group': return `ITS group ${JSON.stringify(node.itsIdentifiers)}`;
    case 'rmr': return `RMR, ${(node.memoryRanges as unknown[] | undefined)?.length ?? 0} range(s)`;
    default: return kind;
  }
}

export function iortGraph(table: IortTable): HTMLElement {
  const nodes = (JSON.parse(JSON.stringify(table.toJSON(), (_key, value: unknown) => (typeof value === 'bigint' ? hex(value) : value))) as { nodes: JsonItem[] }).nodes;
  const boxes = new Map<number, Box>();
  const heights = COLUMNS.map((kinds, column) => {
    const members = nodes.filter((node) => kinds.includes(String(node.kind)) || (column === 0 && !COLUMNS.flat().includes(String(node.kind))));
    members.forEach((node, row) => boxes.set(node.offset as number, { node, x: 10 + column * (BOX_W + GAP_X), y: 10 + row * (BOX_H + GAP_Y) }));
    return members.length;
  });
  const height = 20 + Math.max(1, ...heights) * (BOX_H + GAP_Y);
  const width = 20 + COLUMNS.length * BOX_W + (COLUMNS.length - 1) * GAP_X;
  const svg = s('svg', { class: 'iort-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': 'IORT ID mappings: each node and the nodes its IDs map to' },
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z' }))));
  const edgeTexts: string[] = [];
  for (const box of boxes.values()) {
    ((box.node.idMappings as JsonItem[] | undefined) ?? []).forEach((mapping, index) => {
      const target = boxes.get(mapping.outputReference as number);
      const text = `${nodeLabel(box.node)} @${hex(box.node.offset as number, 4)}: IDs ${hex(mapping.inputBase as number)}+${String(mapping.idCount)} → ${hex(mapping.outputBase as number)} at ${target === undefined ? `${hex(mapping.outputReference as number)} (no node there)` : `${nodeLabel(target.node)} @${hex(target.node.offset as number, 4)}`}${mapping.singleMapping === true ? ' (single)' : ''}`;
      edgeTexts.push(text);
      if (target === undefined) return;
      svg.append(s('path', {
        d: `M ${box.x + BOX_W} ${box.y + BOX_H / 2} C ${box.x + BOX_W + GAP_X / 2} ${box.y + BOX_H / 2}, ${target.x - GAP_X / 2} ${target.y + BOX_H / 2}, ${target.x} ${target.y + BOX_H / 2}`,
        class: 'edge', 'marker-end': 'url(#arrow)', 'data-edge': `${String(box.node.offset)}:${index}`,
      }, s('title', {}, text)));
    });
  }
  for (const box of boxes.values()) {
    const label = nodeLabel(box.node);
    svg.append(s('g', { class: `gnode k-${String(box.node.kind)}`, 'data-gnode': String(box.node.offset), tabindex: 0, role: 'img', 'aria-label': `${label} at ${hex(box.node.offset as number, 4)}` },
      s('rect', { x: box.x, y: box.y, width: BOX_W, height: BOX_H, rx: 5 }),
      s('text', { x: box.x + 6, y: box.y + 14 }, label.length > 30 ? `${label.slice(0, 29)}…` : label),
      s('text', { x: box.x + 6, y: box.y + 28, class: 'small' }, `${String(box.node.kind)} @${hex(box.node.offset as number, 4)} id ${String(box.node.identifier)}`)));
  }
  const input = h('input', { type: 'text', id: 'rid-input', placeholder: '0000:00:01.0', 'aria-describedby': 'rid-result', size: 16 });
  const result = h('p', { id: 'rid-result', 'aria-live': 'polite' }, 'Type a PCI function (segment:bus:device.function) to light its path.');
  const light = () => {
    svg.querySelectorAll('.lit').forEach((element) => element.classList.remove('lit'));
    const address = parseBdf(input.value);
    if (address === undefined) {
      result.textContent = input.value.trim() === '' ? 'Type a PCI function to light its path.' : `"${input.value}" is not a PCI address (SSSS:BB:DD.F)`;
      return;
    }
    const start = { segment: address.segment, requesterId: requesterId(address) };
    const walks = [translate(table, start), translate(table, start, { typeMask: IORT_MSI_TYPES })];
    for (const walk of walks.flatMap((translation) => translation.walks)) {
      svg.querySelector(`[data-gnode="${walk.startNodeOffset}"]`)?.classList.add('lit');
      for (const hop of walk.hops) svg.querySelector(`[data-edge="${hop.nodeOffset}:${hop.mappingIndex}"]`)?.classList.add('lit');
      if (walk.final !== undefined) svg.querySelector(`[data-gnode="${walk.final.nodeOffset}"]`)?.classList.add('lit');
    }
    result.textContent = `RID ${hex(start.requesterId, 4)}: ${describe(walks[0]!, 'stream ID')}; ${describe(walks[1]!, 'ITS device ID')}`;
  };
  input.addEventListener('input', light);
  return h('section', { class: 'graph-panel', id: 'iort-graph', 'aria-label': 'IORT ID graph' },
    h('h2', {}, 'IORT ID graph'),
    h('label', {}, 'Requester: ', input), result,
    h('div', { class: 'map-scroll' }, svg),
    h('details', { class: 'mapping-list' }, h('summary', {}, `The same ${edgeTexts.length} ID mappings as a list`), h('ul', {}, ...edgeTexts.map((text) => h('li', {}, text)))));
}

function describe(translation: IortTranslation, what: string): string {
  const reached = translation.results.at(-1);
  if (reached === undefined) return `no ${what} (${translation.stop})`;
  return `${what} ${hex(reached.id)} at ${reached.nodeKind} @${hex(reached.nodeOffset, 4)}`;
}
