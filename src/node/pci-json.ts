/** Reads the JSON form of a PCI topology (documented in src/pci/json.ts) from a file. */
import { readFile, stat } from 'node:fs/promises';
import { topologyFromJson } from '../pci/json.js';
import type { PciTopology } from '../pci/model.js';
import { describeFileError } from './file-errors.js';
import { parseJsonBytes } from './json-input.js';
import { readPciSysfs } from './pci-sysfs.js';

const EXPECTED = 'a PCI topology: JSON {"devices": [...], "groups": {...}}, or a sysfs root such as /sys';

/** Errors carry one line without the path (callers name it): what the file is, and what was expected. */
export async function readPciJson(path: string): Promise<PciTopology> {
  const parsed = parseJsonBytes(new Uint8Array(await readFile(path)), EXPECTED);
  if ('reason' in parsed) throw new SyntaxError(parsed.reason);
  return topologyFromJson(parsed.value);
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
