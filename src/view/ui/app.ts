/**
 * The page: a drop zone and file picker, then for the loaded inputs the address map, the
 * per-kind drawings and one linked tree + hex panel per table. Everything runs here; nothing
 * is uploaded.
 */
import { parseRangeList, type IovaRange } from '../../index.js';
import { addressMapModel } from '../model/address-rows.js';
import { readInputFiles, regionTables, type InputFile, type PageInputs } from '../model/inputs.js';
import { addressMap } from './address-map.js';
import { h } from './dom.js';
import { DRAWINGS } from './drawings.js';
import { tablePanel } from './table-panel.js';

export function startApp(root: HTMLElement, initial: PageInputs): void {
  let inputs = initial;
  const content = h('main', { id: 'content' });
  const picker = h('input', { type: 'file', id: 'file-input', multiple: true, 'aria-label': 'pick ACPI tables, an acpidump text, a pci.json or a collect archive' });
  const clear = h('button', { type: 'button', id: 'clear' }, 'Start over');
  const drop = h('div', { class: 'drop', id: 'drop', tabindex: 0 },
    h('p', {}, 'Drop DMAR / IORT / APIC / IVRS tables, an acpidump text, a pci.json topology or a collect archive here, or ', h('label', { for: 'file-input', class: 'pick' }, 'pick files'), '. ', picker, ' ', clear),
    h('p', { class: 'note' }, 'Everything is read in this page; nothing is uploaded.'));
  root.replaceChildren(h('header', {}, h('h1', {}, 'acpi-iommu view'), drop), content);

  const add = async (files: FileList | null) => {
    if (files === null || files.length === 0) return;
    const read: InputFile[] = await Promise.all([...files].map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
    inputs = await readInputFiles(read, inputs);
    render(content, inputs);
  };
  picker.addEventListener('change', () => void add(picker.files));
  clear.addEventListener('click', () => { inputs = { tables: [], notes: [] }; render(content, inputs); });
  for (const target of [drop, document.body]) {
    target.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
    target.addEventListener('dragleave', () => drop.classList.remove('over'));
    target.addEventListener('drop', (event) => {
      event.preventDefault();
      event.stopPropagation();
      drop.classList.remove('over');
      void add(event.dataTransfer?.files ?? null);
    });
  }
  render(content, inputs);
}

function render(content: HTMLElement, inputs: PageInputs): void {
  const rerender = (text: string) => {
    inputs.guestRam = text;
    render(content, inputs);
  };
  const parts: HTMLElement[] = [];
  const names = inputs.tables.map((entry) => `${entry.signature} (${entry.source})`);
  parts.push(h('p', { id: 'loaded' }, names.length === 0 ? 'No tables loaded yet.' : `Loaded: ${names.join(', ')}${inputs.topology === undefined ? '; no PCI topology' : `; PCI topology with ${inputs.topology.devices.length} functions`}.`));
  parts.push(...inputs.notes.map((note) => h('p', { class: 'note input-note' }, note)));
  try {
    const ram = guestRamRanges(inputs.guestRam);
    const model = addressMapModel(regionTables(inputs.tables), inputs.topology, ram.ranges);
    if (model !== undefined) parts.push(addressMap(model, { text: inputs.guestRam ?? '', problem: ram.problem, onChange: rerender }));
  } catch (error) {
    // The analysis refuses inputs it cannot model (e.g. a topology without the tables' devices): say so, keep the rest.
    parts.push(h('p', { class: 'note error' }, `Regions not computed: ${(error as Error).message}`));
  }
  for (const entry of inputs.tables) {
    const drawing = DRAWINGS[entry.signature];
    if (drawing !== undefined) parts.push(drawing(entry, inputs.topology));
  }
  parts.push(...inputs.tables.map(tablePanel));
  content.replaceChildren(...parts);
}

function guestRamRanges(text: string | undefined): { ranges: IovaRange[]; problem?: string } {
  if (text === undefined || text.trim() === '') return { ranges: [] };
  try {
    return { ranges: parseRangeList(text) };
  } catch (error) {
    return { ranges: [], problem: `guest RAM: ${(error as Error).message}` };
  }
}
