/**
 * Files the page was given (embedded by `acpi-iommu view`, dropped, or picked) → parsed tables
 * and an optional PCI topology. Nothing leaves the browser.
 */
import { topologyFromJson, type PciTopology, type RegionTables } from '../../index.js';
import { fromBase64 } from '../../node/archive.js';
import { tablesFromContent } from '../../node/content.js';
import { kindOf } from '../kinds/index.js';
import type { ParsedTableView, TableKind } from '../kinds/kind.js';
import { ARCHIVE_READERS } from './archives.js';

export interface InputFile {
  name: string;
  bytes: Uint8Array;
  /** Set: the bytes are that one raw table (the CLI or an archive said so already). */
  signature?: string;
}

export interface PageTable {
  /** Index in the page's list; used in element ids. */
  index: number;
  source: string;
  signature: string;
  bytes: Uint8Array;
  kind: TableKind;
  table: ParsedTableView;
}

export interface PageInputs {
  tables: PageTable[];
  topology?: PciTopology;
  /** Guest RAM ranges as `conflicts --guest-ram` takes them (`0x0-0x7fffffff,…`). */
  guestRam?: string;
  /** Files or tables that were not used, and why. */
  notes: string[];
}

/** The payload `acpi-iommu view` embeds: table files as base64, the topology in its JSON form. */
export interface EmbeddedPayload {
  /** `signature` set: the bytes are that one raw table (the CLI has read it already). */
  files: { name: string; base64: string; signature?: string }[];
  pci?: unknown;
  guestRam?: string;
}

export async function inputsFromPayload(payload: EmbeddedPayload): Promise<PageInputs> {
  const inputs: PageInputs = { tables: [], notes: [] };
  const files = payload.files.map((file) => ({ name: file.name, bytes: fromBase64(file.base64), signature: file.signature }));
  await readInputFiles(files, inputs);
  if (payload.pci !== undefined) setTopology(inputs, payload.pci, 'embedded topology');
  if (payload.guestRam !== undefined) inputs.guestRam = payload.guestRam;
  return inputs;
}

/** Tables, acpidump texts, a `pci.json`, or an archive a reader in archives.ts knows (async: archives may need DecompressionStream). */
export async function readInputFiles(files: readonly InputFile[], into: PageInputs = { tables: [], notes: [] }): Promise<PageInputs> {
  for (const file of files) {
    if (file.signature !== undefined) {
      addTable(into, file.name, file.signature, file.bytes);
      continue;
    }
    const archive = ARCHIVE_READERS.find((reader) => reader.matches(file));
    if (archive !== undefined) {
      const content = await archive.read(file);
      into.notes.push(...content.notes);
      await readInputFiles(content.files, into);
      if (content.pci !== undefined) setTopology(into, content.pci, `${file.name}: topology`);
      continue;
    }
    if (/\.json$/i.test(file.name)) {
      setTopology(into, parseJson(file, into), file.name);
      continue;
    }
    const loaded = tablesFromContent(file.bytes, file.name);
    if (loaded === undefined) {
      into.notes.push(`${file.name}: neither an ACPI table, an acpidump text, a pci.json nor a known archive`);
      continue;
    }
    for (const table of loaded) addTable(into, table.source, table.signature, table.bytes);
  }
  return into;
}

function addTable(inputs: PageInputs, source: string, signature: string, bytes: Uint8Array): void {
  const kind = kindOf(signature);
  if (kind === undefined) inputs.notes.push(`${source}: ${signature} is not a table this page reads`);
  else inputs.tables.push({ index: inputs.tables.length, source, signature, bytes, kind, table: kind.parse(bytes) });
}

function parseJson(file: InputFile, inputs: PageInputs): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(file.bytes));
  } catch (error) {
    inputs.notes.push(`${file.name}: not JSON (${(error as Error).message})`);
    return undefined;
  }
}

function setTopology(inputs: PageInputs, value: unknown, source: string): void {
  if (value === undefined) return;
  try {
    inputs.topology = topologyFromJson(value);
  } catch (error) {
    inputs.notes.push(`${source}: ${(error as Error).message}`);
  }
}

/** The first table of each region-relevant kind, keyed as the region analysis wants them. */
export function regionTables(tables: readonly PageTable[]): RegionTables {
  const result: Record<string, unknown> = {};
  for (const entry of tables) {
    const key = entry.kind.regionKey;
    if (key !== undefined && result[key] === undefined) result[key] = entry.table;
  }
  return result as RegionTables;
}
