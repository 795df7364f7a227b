/**
 * PCI vendor and device names from the system's `pci.ids` (the file lspci uses), when there is
 * one; nothing is bundled. Format: `vvvv  Vendor name`, then `\tdddd  Device name` lines under it.
 */
import { readFile } from 'node:fs/promises';

/** Where distributions install it (pciutils, hwdata); ACPI_IOMMU_PCI_IDS overrides. */
const PLACES = ['/usr/share/misc/pci.ids', '/usr/share/hwdata/pci.ids', '/usr/share/pci.ids', '/usr/local/share/pci.ids'];

/** The vendor and device names in `text`; undefined when the vendor is not listed. */
export function lookupPciName(text: string, vendor: number, device: number): { vendor: string; device?: string } | undefined {
  const vendorKey = `\n${vendor.toString(16).padStart(4, '0')}  `;
  const at = text.startsWith(vendorKey.slice(1)) ? 0 : text.indexOf(vendorKey);
  if (at < 0) return undefined;
  const start = at === 0 ? 0 : at + 1;
  const lineEnd = text.indexOf('\n', start);
  const vendorName = text.slice(start + 6, lineEnd < 0 ? undefined : lineEnd).trim();
  const deviceKey = `\t${device.toString(16).padStart(4, '0')}  `;
  // Device lines follow until the next vendor line (a line that does not start with a tab or #).
  for (let position = lineEnd; position >= 0 && position < text.length; ) {
    const next = text.indexOf('\n', position + 1);
    const line = text.slice(position + 1, next < 0 ? undefined : next);
    if (line.length > 0 && !line.startsWith('\t') && !line.startsWith('#')) break;
    if (line.startsWith(deviceKey)) return { vendor: vendorName, device: line.slice(deviceKey.length).trim() };
    position = next;
  }
  return { vendor: vendorName };
}

/** The first pci.ids found, or undefined (names are then simply not shown). */
export async function readPciIds(): Promise<string | undefined> {
  const override = process.env.ACPI_IOMMU_PCI_IDS;
  for (const path of override === undefined ? PLACES : [override]) {
    try {
      return await readFile(path, 'latin1');
    } catch {
      // Not installed here: try the next place.
    }
  }
  return undefined;
}
