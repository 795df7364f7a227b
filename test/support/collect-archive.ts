/**
 * A `collect` archive of the bundled x86 laptop sample, in the form collect writes
 * (src/cli/commands/collect.ts): each table's bytes through toBase64 under its sysfs path, the
 * topology through topologyToJson. Tests compare what reads it against the sample's own files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHIVE_KIND, toBase64, type Archive } from '../../src/node/archive.js';
import { readPciTopology } from '../../src/node/pci-json.js';
import { topologyToJson } from '../../src/pci/json.js';
import { REPO_ROOT } from './shared.js';

export const LAPTOP_SAMPLE = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop');
export const LAPTOP_SIGNATURES = ['DMAR', 'APIC'] as const;
export const ARCHIVE_KERNEL = 'Linux version 6.6.12-test (builder@host) #1 SMP';

export async function laptopArchive(): Promise<Archive> {
  return {
    schemaVersion: 1,
    command: 'collect',
    kind: ARCHIVE_KIND,
    kernel: ARCHIVE_KERNEL,
    tables: LAPTOP_SIGNATURES.map((signature) => ({ signature, source: `/sys/firmware/acpi/tables/${signature}`, base64: toBase64(readFileSync(join(LAPTOP_SAMPLE, `${signature}.bin`))) })),
    topology: topologyToJson(await readPciTopology(join(LAPTOP_SAMPLE, 'pci.json'))),
    memoryMap: [{ start: '0x0', end: '0x9efff', type: 'System RAM' }],
    notes: [],
    failures: [],
  };
}

export function archiveBytes(archive: Archive): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(archive, null, 2)}\n`);
}
