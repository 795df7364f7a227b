/**
 * The address map: one SVG row per group / device on a piecewise axis (model/axis.ts), each
 * region a focusable rectangle whose hover and focus text is what `explain` says of it, the
 * free ranges beneath; then the same regions as a table (the text alternative).
 */
import { explainRegion, type RegionDescriptor } from '../../index.js';
import type { AddressMapModel, MapRow } from '../model/address-rows.js';
import { buildAxis, positionOf, type Axis } from '../model/axis.js';
import { h, hex, s } from './dom.js';

const LABEL_WIDTH = 230;
const AXIS_WIDTH = 760;
const ROW_HEIGHT = 24;
const TOP = 8;
const AXIS_TEXT = 96;
/** Room on the right for the last, slanted tick label. */
const RIGHT = 90;
const TYPES = ['direct', 'direct-relaxable', 'reserved', 'msi', 'sw-msi'] as const;
/** Heading per platform of the region analysis; a new platform shows its id until named here. */
const PLATFORM_NAMES: Readonly<Record<string, string>> = { intel: 'Intel VT-d', arm: 'Arm SMMU', amd: 'AMD-Vi' };

/** `guestRam` is the text in the guest RAM field; `onGuestRam` gets what the user types there. */
export function addressMap(model: AddressMapModel, guestRam: { text: string; problem?: string; onChange(text: string): void }): HTMLElement {
  const regions = model.rows.flatMap((row) => row.regions);
  const ram = model.guestRam?.ranges ?? [];
  const axis = buildAxis([...regions, ...ram], model.aperture, AXIS_WIDTH);
  const ramRows = ram.length > 0 ? 1 : 0;
  const height = TOP + (model.rows.length + ramRows) * ROW_HEIGHT + AXIS_TEXT;
  const explainBox = h('div', { class: 'map-explain', id: 'map-explain', 'aria-live': 'polite' }, 'Hover or focus a region (Tab) to see where it comes from.');
  const svg = s('svg', { class: 'address-map', width: LABEL_WIDTH + AXIS_WIDTH + RIGHT, height, viewBox: `0 0 ${LABEL_WIDTH + AXIS_WIDTH + RIGHT} ${height}`, role: 'group', 'aria-label': `address map, ${model.rows.length} rows; the table below lists the same regions` });
  if (model.guestRam !== undefined) svg.append(drawRam(model, TOP, axis));
  model.rows.forEach((row, index) => svg.append(drawRow(row, TOP + (index + ramRows) * ROW_HEIGHT, axis, explainBox)));
  svg.append(drawAxis(axis, TOP + (model.rows.length + ramRows) * ROW_HEIGHT));
  const input = h('input', { type: 'text', id: 'guest-ram', value: guestRam.text, size: 48, placeholder: '0x0-0x7fffffff,0x100000000-0x27fffffff', 'aria-describedby': 'ram-conflicts' });
  input.addEventListener('change', () => guestRam.onChange(input.value));
  return h('section', { class: 'map-panel', id: 'address-map', 'aria-label': 'reserved regions' },
    h('h2', {}, `Reserved regions (${PLATFORM_NAMES[model.platform] ?? model.platform})`),
    legend(model),
    h('label', {}, 'Guest RAM (GPA = IOVA without a vIOMMU): ', input),
    guestRam.problem === undefined ? undefined : h('p', { class: 'note error' }, guestRam.problem),
    h('div', { class: 'map-scroll' }, svg),
    explainBox,
    conflictList(model),
    ...model.notes.map((note) => h('p', { class: 'note' }, note)),
    regionTable(model));
}

function legend(model: AddressMapModel): HTMLElement {
  return h('p', { class: 'legend' },
    ...TYPES.flatMap((type) => [h('span', { class: `swatch r-${type}` }), ` ${type}  `]),
    h('span', { class: 'swatch free' }), ` ${model.freeMeaning}. The axis is piecewise: each piece between two region edges gets a width that grows with the logarithm of its size (≈ marks a change of scale).`);
}

function drawRow(row: MapRow, y: number, axis: Axis, explainBox: HTMLElement): SVGElement {
  const group = s('g', { class: `map-row ${row.level}`, 'data-row': row.id });
  group.append(s('text', { x: row.level === 'device' ? 16 : 4, y: y + 15, class: 'row-label' }, row.label.length > 31 ? `${row.label.slice(0, 30)}…` : row.label));
  group.append(s('line', { x1: LABEL_WIDTH, x2: LABEL_WIDTH + axis.width, y1: y + 12, y2: y + 12, class: 'row-line' }));
  for (const range of row.free) {
    const x0 = LABEL_WIDTH + positionOf(axis, range.start);
    const x1 = LABEL_WIDTH + positionOf(axis, range.end + 1n);
    group.append(s('rect', { x: x0, y: y + 18, width: Math.max(1, x1 - x0), height: 4, class: 'free', 'data-start': hex(range.start), 'data-end': hex(range.end) }));
  }
  for (const region of row.regions) {
    const x0 = LABEL_WIDTH + positionOf(axis, region.start);
    const x1 = LABEL_WIDTH + positionOf(axis, region.end + 1n);
    const text = `${hex(region.start)}–${hex(region.end)} ${region.type}: ${explainRegion(region)}`;
    const rect = s('rect', {
      x: x0, y: y + 3, width: Math.max(2, x1 - x0), height: 14, class: `region r-${region.type}`, tabindex: 0, role: 'img',
      'aria-label': `${row.label}: ${text}`, 'data-start': hex(region.start), 'data-end': hex(region.end), 'data-type': region.type,
    }, s('title', {}, text));
    const say = () => { explainBox.textContent = `${row.label}: ${text}`; };
    rect.addEventListener('mouseenter', say);
    rect.addEventListener('focus', say);
    group.append(rect);
  }
  return group;
}

function drawRam(model: AddressMapModel, y: number, axis: Axis): SVGElement {
  const group = s('g', { class: 'map-row ram-row', 'data-row': 'guest-ram' }, s('text', { x: 4, y: y + 15, class: 'row-label' }, 'guest RAM'));
  for (const range of model.guestRam?.ranges ?? []) {
    const x0 = LABEL_WIDTH + positionOf(axis, range.start);
    const x1 = LABEL_WIDTH + positionOf(axis, range.end + 1n);
    const blocked = model.guestRam!.conflicts.some((conflict) => conflict.ram === range && conflict.blocking);
    group.append(s('rect', { x: x0, y: y + 3, width: Math.max(2, x1 - x0), height: 14, class: `ram${blocked ? ' conflict' : ''}`, 'data-start': hex(range.start), 'data-end': hex(range.end), tabindex: 0, role: 'img', 'aria-label': `guest RAM ${hex(range.start)}–${hex(range.end)}${blocked ? ': overlaps a region VFIO carves out' : ''}` }));
  }
  return group;
}

/** The overlaps `conflicts` would print: blocking ones make VFIO_IOMMU_MAP_DMA fail. */
function conflictList(model: AddressMapModel): HTMLElement | undefined {
  if (model.guestRam === undefined) return undefined;
  const items = model.guestRam.conflicts.map((conflict) => h('li', { class: conflict.blocking ? 'blocking' : 'relaxable' },
    `${conflict.blocking ? 'blocks DMA mapping' : 'not blocking (relaxable)'}: RAM ${hex(conflict.ram.start)}–${hex(conflict.ram.end)} overlaps ${hex(conflict.overlap.start)}–${hex(conflict.overlap.end)} `,
    `${conflict.region.type} of ${conflict.device ?? 'every device'}${conflict.group === undefined ? '' : ` (group ${conflict.group})`}: ${explainRegion(conflict.region)}`));
  return h('div', { id: 'ram-conflicts', 'aria-live': 'polite' }, items.length === 0 ? h('p', {}, 'The guest RAM overlaps no reserved region.') : h('ul', {}, ...items));
}

/** Tick labels at piece edges, skipped where they would overlap; breaks as ≈. */
function drawAxis(axis: Axis, y: number): SVGElement {
  const group = s('g', { class: 'axis', 'aria-hidden': 'true' });
  group.append(s('line', { x1: LABEL_WIDTH, x2: LABEL_WIDTH + axis.width, y1: y + 2, y2: y + 2 }));
  let lastX = -Infinity;
  const edges = [...axis.pieces.map((piece) => [piece.x0, piece.start] as const), ...axis.pieces.slice(-1).map((piece) => [piece.x1, piece.end - 1n] as const)];
  for (const [x, address] of edges) {
    group.append(s('line', { x1: LABEL_WIDTH + x, x2: LABEL_WIDTH + x, y1: y, y2: y + 6 }));
    if (x - lastX < 13) continue;
    lastX = x;
    group.append(s('text', { transform: `translate(${LABEL_WIDTH + x + 4},${y + 10}) rotate(60)`, class: 'tick' }, hex(address)));
  }
  for (const x of axis.breaks) group.append(s('text', { x: LABEL_WIDTH + x - 5, y: y + 6, class: 'break' }, '≈'));
  return group;
}

function regionTable(model: AddressMapModel): HTMLElement {
  const line = (row: MapRow | undefined, region: RegionDescriptor) => h('tr', { 'data-start': hex(region.start), 'data-type': region.type },
    h('td', {}, row?.label ?? 'malformed'), h('td', { class: 'mono' }, hex(region.start, 16)), h('td', { class: 'mono' }, hex(region.end, 16)),
    h('td', {}, region.type), h('td', {}, explainRegion(region)));
  return h('details', { class: 'region-table', open: true },
    h('summary', {}, 'The same regions as a table'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'group / device'), h('th', {}, 'start'), h('th', {}, 'end (inclusive)'), h('th', {}, 'type'), h('th', {}, 'where from, and why this type'))),
      h('tbody', {}, ...model.rows.flatMap((row) => row.regions.map((region) => line(row, region))), ...model.malformed.map((region) => line(undefined, region)))));
}
