/**
 * The page's reader of the archive `acpi-iommu collect` writes (src/node/archive.ts, which has no
 * Node API): its tables with the signatures collect recorded, its topology with the machine's
 * IOMMU groups, and what collect could not read. The memory map is not used: the page's guest
 * RAM field is the guest's, not the host's.
 */
import { archiveInBytes, archiveTables } from '../../node/archive.js';
import type { ArchiveContent, ArchiveReader } from './archives.js';
import type { InputFile } from './inputs.js';

export const COLLECT_ARCHIVE_READER: ArchiveReader = {
  matches: (file: InputFile) => archiveInBytes(file.bytes) !== undefined,
  async read(file: InputFile): Promise<ArchiveContent> {
    const archive = archiveInBytes(file.bytes)!;
    const notes = [
      `${file.name}: collect archive of ${archive.kernel ?? 'an unknown kernel (collect could not read /proc/version)'}`,
      ...archive.notes.map((note) => `${file.name}: ${note}`),
      ...archive.failures.map((failure) => `${file.name}: collect could not read ${failure.source}: ${failure.reason}`),
    ];
    if (archive.topology === null) notes.push(`${file.name}: no PCI topology in the archive (collect could not read the PCI tree): groups unknown`);
    const files = archiveTables(archive, file.name).map((table) => ({ name: table.source, bytes: table.bytes, signature: table.signature }));
    return archive.topology === null ? { files, notes } : { files, pci: archive.topology, notes };
  },
};
