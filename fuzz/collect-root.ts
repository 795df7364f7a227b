/**
 * A fake machine root for `collect --root` as case files (`root/sys/…`, `root/proc/version`):
 * the tables under sys/firmware/acpi/tables, the PCI devices laid out as sysfs does (links as
 * small files holding the link text, as the ../shared kernel cases are), IOMMU groups, the
 * memmap entries and the kernel version. Each piece is dropped or garbled now and then, so
 * collect's handling of every sysfs file it reads is fuzzed along with the table bytes.
 */
import type { Random } from './prng.js';

/** A topology as the sample JSON files write it: what the fake sysfs is laid out from. */
export interface PciJson {
  devices: { bdf: string; class: string; vendor: string; device: string; parent?: string; group?: number }[];
}

const text = (value: string) => new TextEncoder().encode(value);

/** Values a sysfs text file is replaced with: garbage, empty, too big, negative, links that go nowhere. */
const HOSTILE_TEXT = ['', 'zz', '-1', '0x', '0xffffffffffffffffffff', '\u0000\u0001', '../../../devices/pci0000:00/none', '../', './', '99999999999999999999'];

/** `good`, or one time in `odds` a hostile value; `null` (the file left out) one time in `odds` too. */
function garble(random: Random, good: string, operators: string[], odds = 12): string | null {
  if (random.chance(1 / odds)) return (operators.push('sysfs-missing'), null);
  if (random.chance(1 / odds)) return (operators.push('sysfs-garbled'), random.pick(HOSTILE_TEXT));
  return good;
}

/** The case files of one machine root under `root/`. */
export function machineRoot(tables: Record<string, Uint8Array>, pci: PciJson, memmap: readonly { start: string; end: string; type: string }[], random: Random, operators: string[]): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const put = (path: string, value: string | null) => {
    if (value !== null) files[`root/${path}`] = text(`${value}\n`);
  };
  for (const [signature, bytes] of Object.entries(tables)) files[`root/sys/firmware/acpi/tables/${signature}`] = bytes;
  if (random.chance(0.1)) files['root/sys/firmware/acpi/tables/dynamic/SSDT1'] = text('SSDT');
  if (random.chance(0.9)) {
    const byBdf = new Map(pci.devices.map((device) => [device.bdf, device]));
    const pathOf = (bdf: string): string => {
      const parent = byBdf.get(bdf)?.parent;
      return parent !== undefined && byBdf.has(parent) && parent !== bdf ? `${pathOf(parent)}/${bdf}` : `pci${bdf.slice(0, 7)}/${bdf}`;
    };
    const groups = random.chance(0.8);
    pci.devices.forEach((device, index) => {
      const directory = `sys/devices/${pathOf(device.bdf)}`;
      const depth = directory.split('/').length;
      put(`${directory}/class`, garble(random, device.class, operators));
      put(`${directory}/vendor`, garble(random, device.vendor, operators));
      put(`${directory}/device`, garble(random, device.device, operators));
      put(`sys/bus/pci/devices/${device.bdf}`, garble(random, `../../../${directory.slice('sys/'.length)}`, operators, 20));
      const group = device.group ?? index;
      put(`${directory}/iommu_group`, garble(random, `${'../'.repeat(depth - 1)}kernel/iommu_groups/${group}`, operators));
      if (groups) put(`sys/kernel/iommu_groups/${group}/devices/${device.bdf}`, `../../../../${directory.slice('sys/'.length)}`);
    });
  }
  if (random.chance(0.8)) {
    memmap.forEach((entry, index) => {
      put(`sys/firmware/memmap/${index}/start`, garble(random, entry.start, operators));
      put(`sys/firmware/memmap/${index}/end`, garble(random, entry.end, operators));
      put(`sys/firmware/memmap/${index}/type`, garble(random, entry.type, operators));
    });
  }
  put('proc/version', garble(random, 'Linux version 6.6.12-fuzz (builder@host) #1 SMP', operators, 6));
  return files;
}
