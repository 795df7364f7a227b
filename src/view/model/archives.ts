/**
 * Plug point for archives of several files: a reader says whether it knows a file and unpacks it
 * into tables and a topology. Known: the `acpi-iommu collect` archive.
 */
import { COLLECT_ARCHIVE_READER } from './collect-archive.js';
import type { InputFile } from './inputs.js';

export interface ArchiveContent {
  files: InputFile[];
  /** A topology in the JSON form of src/pci/json.ts. */
  pci?: unknown;
  notes: string[];
}

export interface ArchiveReader {
  matches(file: InputFile): boolean;
  read(file: InputFile): Promise<ArchiveContent>;
}

export const ARCHIVE_READERS: readonly ArchiveReader[] = [COLLECT_ARCHIVE_READER];
