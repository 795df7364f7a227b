/** Reads a PCI topology file: the JSON form (src/pci/json.ts), a boot log's PCI lines, lspci -vmm -nn or lspci -tv output. */
import { stat } from 'node:fs/promises';
import { looksLikeDmesg, topologyFromDmesg } from '../pci/dmesg.js';
import { topologyFromJson } from '../pci/json.js';
import { looksLikeLspciVmm, topologyFromLspci } from '../pci/lspci.js';
import { looksLikeLspciTree, topologyFromLspciTree } from '../pci/lspci-tree.js';
import type { PciTopology } from '../pci/model.js';
import { asArchive } from './archive.js';
import { describeFileError } from './file-errors.js';
import { parseJsonBytes } from './json-input.js';
import { readPciSysfs } from './pci-sysfs.js';
import { readFileCapped } from './read-capped.js';

const EXPECTED = 'a PCI topology: JSON {"devices": [...], "groups": {...}}, a boot log with its "pci …" lines, lspci -vmm -nn or lspci -tvnn output, an acpi-iommu collect archive, or a sysfs root such as /sys';

/** Errors carry one line without the path (callers name it): what the file is, and what was expected. */
export async function readPciJson(path: string): Promise<PciTopology> {
  const bytes = await readFileCapped(path);
  const parsed = parseJsonBytes(bytes, EXPECTED);
  if ('value' in parsed) {
    const archive = asArchive(parsed.value);
    if (archive === undefined) return topologyFromJson(parsed.value);
    if (archive.topology === null) throw new SyntaxError('the archive holds no PCI topology (collect could not read the PCI tree)');
    return topologyFromJson(archive.topology);
  }
  const pasted = pastedTopology(bytes);
  if (pasted !== undefined) return pasted;
  throw new SyntaxError(parsed.reason);
}

/** What people paste instead of JSON: a boot log's PCI lines, `lspci -vmm -nn` or `lspci -tvnn`; undefined for anything else. */
function pastedTopology(bytes: Uint8Array): PciTopology | undefined {
  const text = new TextDecoder().decode(bytes);
  if (looksLikeDmesg(text)) return topologyFromDmesg(text);
  if (looksLikeLspciVmm(text)) return topologyFromLspci(text);
  if (looksLikeLspciTree(text)) return topologyFromLspciTree(text);
  return undefined;
}

/** `--pci` argument: a directory is read as sysfs, a file as the JSON form. */
export async function readPciTopology(path: string): Promise<PciTopology> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new Error(`${describeFileError(error, path)}; expected ${EXPECTED}`);
  }
  return info.isDirectory() ? readPciSysfs(path) : readPciJson(path);
}
