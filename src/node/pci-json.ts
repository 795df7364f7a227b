/** Reads the JSON form of a PCI topology (documented in src/pci/json.ts) from a file. */
import { stat } from 'node:fs/promises';
import { topologyFromJson } from '../pci/json.js';
import type { PciTopology } from '../pci/model.js';
import { readPciSysfs } from './pci-sysfs.js';
import { readTextCapped } from './read-capped.js';

export async function readPciJson(path: string): Promise<PciTopology> {
  const text = await readTextCapped(path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${path}: not JSON (${(error as Error).message})`);
  }
  return topologyFromJson(value);
}

/** `--pci` argument: a directory is read as sysfs, a file as the JSON form. */
export async function readPciTopology(path: string): Promise<PciTopology> {
  const info = await stat(path);
  return info.isDirectory() ? readPciSysfs(path) : readPciJson(path);
}
