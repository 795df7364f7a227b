/**
 * IVRS units: each IVHD (one AMD IOMMU) with the device IDs its entries name — selects, ranges,
 * aliases, special IOAPIC/HPET, ACPI HID — and each IVMD with the devices it names. With a
 * topology, the PCI functions each entry hands to the IOMMU as Linux 6.1 reads the table (a
 * later entry wins; src/ivrs/regions boot model) and those each IVMD's unity map reaches. Every
 * line is a button: it shows its block or entry in the table's tree and hex view.
 */
import { SPECIAL_VARIETIES, bdfOf, formatRequesterId, requesterId, type DeviceEntry, type IvhdBlock, type IvmdBlock, type IvrsTable, type PciDevice, type PciTopology } from '../../index.js';
// The boot model is internal to the package (not in the root entry); the page is part of the package.
import { amdBootModel, amdDeviceRegions, coveringEntry, type AmdBootModel } from '../../ivrs/regions/index.js';
import type { PageTable } from '../model/inputs.js';
import { h, hex } from './dom.js';

/** One drawn line: an entry (or a range-start…range-end pair) and the tree node it shows. */
interface Line { text: string; node: string; offsets: number[] }

function entryText(entry: DeviceEntry): string {
  const id = formatRequesterId(entry.deviceId);
  switch (entry.kind) {
    case 'all': return 'all device IDs';
    case 'select': return `select ${id}`;
    case 'extended-select': return `select ${id}, extended data ${hex(entry.extendedData!)}`;
    case 'alias-select': return `alias ${id}: its DMA arrives as ${formatRequesterId(entry.sourceDeviceId!)}`;
    case 'special': return `${SPECIAL_VARIETIES[entry.variety!]?.toUpperCase() ?? `special variety ${entry.variety}`} ${hex(entry.handle!)} at ${formatRequesterId(entry.sourceDeviceId!)}`;
    case 'acpi-hid': return `ACPI HID ${entry.hid ?? hex(entry.hidValue!)}${entry.cid === undefined ? '' : ` CID ${entry.cid}`}${entry.uid === undefined ? '' : ` UID ${typeof entry.uid === 'bigint' ? hex(entry.uid) : entry.uid}`} at ${id}`;
    case 'range-start': return `range start ${id}`;
    case 'extended-range-start': return `range start ${id}, extended data ${hex(entry.extendedData!)}`;
    case 'alias-range-start': return `range start ${id}, DMA arrives as ${formatRequesterId(entry.sourceDeviceId!)}`;
    case 'range-end': return `range end ${id} with no range start before it (Linux starts it at 00:00.0)`;
    default: return `entry type ${hex(entry.type, 2)} (not decoded)`;
  }
}

/**
 * The IVHD's entries as lines; a range end joins the last range start before it (Linux keeps
 * that start until the next one). Padding names no device and is left out.
 */
function entryLines(ivhd: IvhdBlock, blockNode: string): Line[] {
  const lines: Line[] = [];
  let start: { entry: DeviceEntry; line: Line; closed: boolean } | undefined;
  [...ivhd.entries()].forEach((entry, index) => {
    if (entry.kind === 'pad4' || entry.kind === 'pad8') return;
    const line: Line = { text: entryText(entry), node: `${blockNode}.entries.${index}`, offsets: [entry.offset] };
    if (entry.kind === 'range-end' && start !== undefined) {
      const text = `range ${formatRequesterId(start.entry.deviceId)}–${formatRequesterId(entry.deviceId)}${entryText(start.entry).replace(/^range start [^,]*/, '')}`;
      if (start.closed) lines.push({ ...line, text });
      else Object.assign(start.line, { text, offsets: [...start.line.offsets, entry.offset] });
      start.closed = true;
      return;
    }
    if (entry.kind.endsWith('range-start')) start = { entry, line, closed: false };
    lines.push(line);
  });
  return lines;
}

/** Topology functions each covering entry (by offset) hands to the IOMMU at `ivhd`. */
function boundDevices(model: AmdBootModel, topology: PciTopology, ivhd: number): Map<number, string[]> {
  const byEntry = new Map<number, string[]>();
  for (const device of topology.devices as PciDevice[]) {
    const covered = coveringEntry(model.segments.get(device.segment), requesterId(device));
    if (covered?.ivhd === ivhd) byEntry.set(covered.entry, [...(byEntry.get(covered.entry) ?? []), bdfOf(device)]);
  }
  return byEntry;
}

function devicesText(devices: readonly string[]): string {
  return devices.length === 0 ? ' → no function of the topology gets its IOMMU here' : ` → ${devices.join(', ')}`;
}

function ivmdText(ivmd: IvmdBlock, model: AmdBootModel): string {
  const names = ivmd.type === 0x20 ? 'all devices' : ivmd.type === 0x21 ? `device ${formatRequesterId(ivmd.deviceId)}` : `devices ${formatRequesterId(ivmd.deviceId)}–${formatRequesterId(ivmd.auxiliaryData)}`;
  const flags = [ivmd.unity && 'unity', ivmd.readable && 'read', ivmd.writeable && 'write', ivmd.exclusionRange && 'exclusion'].filter(Boolean).join(' ') || 'no flag';
  const map = model.segments.get(ivmd.pciSegmentGroup)?.unityMaps.find((unity) => unity.ivmd.offset === ivmd.offset);
  const window = map === undefined ? 'Linux ignores it' : `Linux maps ${hex(map.start)}–${hex(map.end)} direct`;
  return `IVMD type ${hex(ivmd.type, 2)} segment ${hex(ivmd.pciSegmentGroup, 4)}, ${names}: ${hex(ivmd.startAddress)} + ${hex(ivmd.memoryLength)} (${flags}) — ${window}`;
}

/** Topology functions whose region list holds the IVMD's unity map (as `regions` reports them). */
function ivmdDevices(model: AmdBootModel, topology: PciTopology, ivmd: IvmdBlock): string[] {
  return (topology.devices as PciDevice[])
    .filter((device) => amdDeviceRegions(model, device)?.some((region) => region.source.table === 'IVRS' && region.source.offset === ivmd.offset))
    .map((device) => bdfOf(device));
}

export function ivrsUnits(entry: PageTable, topology: PciTopology | undefined): HTMLElement {
  const table = entry.table as IvrsTable;
  const model = amdBootModel(table);
  const show = (node: string) => () => document.querySelector<HTMLButtonElement>(`#t${entry.index} [data-node="${node}"]`)?.click();
  const button = (line: Line, devices: string, kind: string) =>
    Object.assign(h('button', { type: 'button', class: `ivrs-line ${kind}`, 'data-ivrs': line.offsets[0] }, `${line.offsets.map((offset) => `@${hex(offset, 4)}`).join('…')} ${line.text}${devices}`), { onclick: show(line.node) });
  const blockIndex = new Map(table.blockOffsets.map((offset, index) => [offset, index]));

  const units = [...table.ivhds()].map((ivhd) => {
    const node = `t.blocks.${blockIndex.get(ivhd.offset)}`;
    const used = ivhd.type === model.ivhdType;
    const bound = topology !== undefined && used ? boundDevices(model, topology, ivhd.offset) : undefined;
    const title = `IVHD type ${hex(ivhd.type, 2)} segment ${hex(ivhd.pciSegmentGroup, 4)}, IOMMU ${formatRequesterId(ivhd.deviceId)} at ${hex(ivhd.baseAddress)}${used ? '' : ` — not used: Linux uses type ${model.ivhdType === undefined ? 'none' : hex(model.ivhdType, 2)}`}`;
    const lines = entryLines(ivhd, node).map((line) => h('li', {}, button(line, bound === undefined ? '' : devicesText(line.offsets.flatMap((offset) => bound.get(offset) ?? [])), 'entry')));
    return h('li', {}, button({ text: title, node, offsets: [ivhd.offset] }, '', 'ivhd'), h('ul', {}, ...lines));
  });
  const memory = [...table.ivmds()].map((ivmd) => {
    const line: Line = { text: ivmdText(ivmd, model), node: `t.blocks.${blockIndex.get(ivmd.offset)}`, offsets: [ivmd.offset] };
    return h('li', {}, button(line, topology === undefined ? '' : devicesText(ivmdDevices(model, topology, ivmd)), 'ivmd'));
  });
  const off = model.enabled ? [] : model.findings.filter((finding) => finding.code === 'regions.amd.iommu-off').map((finding) => h('p', { class: 'note error' }, `Linux would not enable the AMD IOMMU: ${finding.message}`));
  return h('section', { class: 'scopes-panel', id: 'ivrs-units', 'aria-label': 'IVRS units, device IDs and memory definitions' },
    h('h2', {}, 'IVRS: IOMMUs, their device IDs and memory definitions'),
    h('p', { class: 'note' }, topology === undefined
      ? 'No PCI topology: entries are shown as device IDs. Give --pci or drop a pci.json to see the functions each one reaches.'
      : 'Functions each entry hands to its IOMMU (a later entry wins, as in Linux), and those each IVMD applies to.'),
    ...off,
    h('h3', {}, `IVHD (${units.length})`), h('ul', { class: 'scope-tree' }, ...units),
    h('h3', {}, `IVMD (${memory.length})`), memory.length === 0 ? h('p', {}, 'none') : h('ul', { class: 'scope-tree' }, ...memory));
}
