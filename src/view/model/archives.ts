/**
 * Plug point for archives of several files (the `collect` archive of another branch): a reader
 * says whether it knows a file and unpacks it into tables and a topology. None yet.
 */
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

export const ARCHIVE_READERS: readonly ArchiveReader[] = [];
