/**
 * The archive `acpi-iommu collect` writes: one JSON file with a machine's ACPI tables (base64),
 * its PCI topology with IOMMU groups (the --pci JSON form), its memory map (the --memmap JSON
 * form) and its kernel version, to attach to a bug report. Every command reads it as an input;
 * --pci and --memmap read their part of it. No Node API: `atob` is in every runtime.
 */
import type { LoadedTable } from './content.js';

export const ARCHIVE_KIND = 'acpi-iommu-archive';

export interface ArchiveTable {
  signature: string;
  /** Where collect read it (`/sys/firmware/acpi/tables/DMAR`). */
  source: string;
  base64: string;
}

export interface Archive {
  schemaVersion: number;
  command: 'collect';
  kind: typeof ARCHIVE_KIND;
  /** `/proc/version`, or null when unreadable. */
  kernel: string | null;
  tables: ArchiveTable[];
  /** The --pci JSON form, or null when the machine's PCI tree could not be read. */
  topology: unknown;
  /** `[{start, end, type}]` (end inclusive), or null. */
  memoryMap: unknown;
  notes: string[];
  failures: { source: string; reason: string }[];
}

/** The archive when `value` is one (parsed JSON), else undefined. */
export function asArchive(value: unknown): Archive | undefined {
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== ARCHIVE_KIND) return undefined;
  return Array.isArray((value as { tables?: unknown }).tables) ? (value as Archive) : undefined;
}

/** The archive in a file's bytes (it starts with `{`), else undefined: cheap to ask of any input. */
export function archiveInBytes(bytes: Uint8Array): Archive | undefined {
  let first = 0;
  while (first < bytes.length && (bytes[first] === 0x20 || bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x09)) first++;
  if (bytes[first] !== 0x7b) return undefined;
  try {
    return asArchive(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return undefined;
  }
}

/** The archive's tables, named `archive.json#DMAR` (a second of one signature `#SSDT2`, …). */
export function archiveTables(archive: Archive, path: string): LoadedTable[] {
  const seen = new Map<string, number>();
  return archive.tables.flatMap((table) => {
    if (typeof table.base64 !== 'string' || typeof table.signature !== 'string') return [];
    const count = (seen.get(table.signature) ?? 0) + 1;
    seen.set(table.signature, count);
    const bytes = fromBase64(table.base64);
    return [{ source: `${path}#${table.signature}${count === 1 ? '' : count}`, signature: table.signature, bytes }];
  });
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 0x8000) text += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(text);
}
