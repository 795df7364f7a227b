/**
 * A PCI topology from `lspci -vmm -nn` (add `-D` for domains; lspci 3.x prints `IOMMUGroup`):
 * records of `Tag:\tvalue` lines separated by blank lines, numbers in `[…]` thanks to `-nn`.
 * It gives classes, IDs and groups but no bridge bus ranges, so devices behind bridges are
 * placed only as far as the bus numbers tell (notes say so). Platform-free.
 */
import { formatBdf, parseBdf } from './bdf.js';
import type { PciDevice, PciTopology } from './model.js';
import { buildTopology } from './topology.js';

/** True for the machine-readable form: a `Slot:` line followed by a `Class:` line with `[cccc]`. */
export function looksLikeLspciVmm(text: string): boolean {
  return /^Slot:\s+\S+\s*\r?\nClass:\s.*\[[0-9a-f]{4}\]/im.test(text);
}

/** The number in the last `[…]` of a value (`Intel Corporation [8086]` → 0x8086). */
function bracketed(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /\[([0-9a-f]+)\]\s*$/i.exec(value);
  return match === null ? undefined : Number.parseInt(match[1]!, 16);
}

export function topologyFromLspci(text: string): PciTopology {
  const devices: PciDevice[] = [];
  const groups = new Map<number, string[]>();
  const notes: string[] = [];
  for (const record of text.split(/\r?\n\s*\r?\n/)) {
    const fields = new Map<string, string>();
    for (const line of record.split(/\r?\n/)) {
      const match = /^([A-Za-z]+):\s*(.*)$/.exec(line);
      if (match !== null) fields.set(match[1]!, match[2]!.trim());
    }
    const slot = fields.get('Slot');
    if (slot === undefined) continue;
    const address = parseBdf(slot);
    const base = bracketed(fields.get('Class'));
    if (address === undefined || base === undefined) {
      notes.push(`lspci record "${slot}": no slot or class number (use lspci -vmm -nn); skipped`);
      continue;
    }
    const progIf = Number.parseInt(fields.get('ProgIf') ?? '0', 16);
    const device: PciDevice = { ...address, classCode: (base << 8) | (Number.isNaN(progIf) ? 0 : progIf), vendor: bracketed(fields.get('Vendor')) ?? 0xffff, deviceId: bracketed(fields.get('Device')) ?? 0xffff };
    devices.push(device);
    const group = fields.get('IOMMUGroup');
    if (group !== undefined && /^\d+$/.test(group)) {
      const members = groups.get(Number(group)) ?? [];
      members.push(formatBdf(address));
      groups.set(Number(group), members);
    }
  }
  if (devices.length > 0 && groups.size === 0) notes.push('no IOMMUGroup lines (lspci 3.x prints them when the IOMMU is on)');
  notes.push('lspci -vmm gives no bridge bus ranges: devices behind bridges are placed by bus number only');
  return buildTopology(devices, groups.size > 0 ? groups : undefined, notes);
}
