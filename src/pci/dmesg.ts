/**
 * A PCI topology from what people paste: the PCI lines of a boot log (`dmesg`, `journalctl -k`).
 * The kernel prints, per function,
 *   `pci 0000:00:1c.0: [8086:a338] type 01 class 0x060400` (enumeration; newer kernels add the
 *   PCIe type in words), `pci 0000:00:1c.0: PCI bridge to [bus 01-03]`, and
 *   `pci 0000:01:00.0: Adding to iommu group 7` (v5.x+; older: `iommu: Adding device
 *   0000:01:00.0 to group 7`). Lines are matched anywhere, so timestamps and prefixes do not matter.
 * Platform-free: the caller reads the text.
 */
import { parseBdf, formatBdf } from './bdf.js';
import type { PciDevice, PciTopology } from './model.js';
import { buildTopology } from './topology.js';

const BDF = '([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7])';
const ENUMERATED = new RegExp(`pci ${BDF}: \\[([0-9a-f]{4}):([0-9a-f]{4})\\] type ([0-9a-f]{2}) class 0x([0-9a-f]{6})`, 'i');
const BRIDGE = new RegExp(`pci ${BDF}: PCI bridge to \\[bus ([0-9a-f]{2})(?:-([0-9a-f]{2}))?\\]`, 'i');
const GROUP = new RegExp(`${BDF}: Adding to iommu group (\\d+)`, 'i');
const OLD_GROUP = new RegExp(`iommu: Adding device ${BDF} to group (\\d+)`, 'i');

/** True when the text has at least one enumeration line (how --pci tells a boot log from other text). */
export function looksLikeDmesg(text: string): boolean {
  return ENUMERATED.test(text);
}

/** The topology the log describes; notes say what it could not give (e.g. no group lines). */
export function topologyFromDmesg(text: string): PciTopology {
  const devices = new Map<string, PciDevice>();
  const bridges = new Map<string, { secondary: number; subordinate: number }>();
  const groups = new Map<number, string[]>();
  const memberOf = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const enumerated = ENUMERATED.exec(line);
    if (enumerated !== null) {
      const address = parseBdf(enumerated[1]!)!;
      const bdf = formatBdf(address);
      // A function can be enumerated again after a rescan; the first line wins, as in probe order.
      if (!devices.has(bdf)) {
        devices.set(bdf, { ...address, vendor: Number.parseInt(enumerated[2]!, 16), deviceId: Number.parseInt(enumerated[3]!, 16), headerType: Number.parseInt(enumerated[4]!, 16) & 0x7f, classCode: Number.parseInt(enumerated[5]!, 16) });
      }
      continue;
    }
    const bridge = BRIDGE.exec(line);
    if (bridge !== null) {
      const secondary = Number.parseInt(bridge[2]!, 16);
      bridges.set(formatBdf(parseBdf(bridge[1]!)!), { secondary, subordinate: bridge[3] === undefined ? secondary : Number.parseInt(bridge[3], 16) });
      continue;
    }
    const group = GROUP.exec(line) ?? OLD_GROUP.exec(line);
    if (group !== null) {
      const bdf = formatBdf(parseBdf(group[1]!)!);
      if (!memberOf.has(bdf)) memberOf.set(bdf, Number(group[2]));
    }
  }
  const notes: string[] = [];
  for (const [bdf, range] of bridges) {
    const device = devices.get(bdf);
    if (device === undefined) notes.push(`${bdf}: bridge line without its enumeration line; ignored`);
    else Object.assign(device, { secondaryBus: range.secondary, subordinateBus: range.subordinate });
  }
  for (const [bdf, number] of memberOf) {
    if (!devices.has(bdf)) continue;
    const members = groups.get(number);
    if (members === undefined) groups.set(number, [bdf]);
    else members.push(bdf);
  }
  const missing = [...devices.keys()].filter((bdf) => !memberOf.has(bdf));
  if (groups.size > 0 && missing.length > 0) notes.push(`no "Adding to iommu group" line for ${missing.join(', ')}: not in any group`);
  return buildTopology([...devices.values()], groups.size > 0 ? groups : undefined, notes);
}
