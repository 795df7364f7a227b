/**
 * Loads the inputs of a command and parses the tables acpi-iommu reads (DMAR, IORT, APIC, IVRS).
 * Each parser is imported only when a table of its signature is present, so a run over one
 * DMAR never loads the IORT code.
 */
import type { Diagnostic } from '../../bytes/diagnostics.js';
import { jsonReplacer } from '../../bytes/hex.js';
import type { SdtHeader } from '../../bytes/sdt.js';
import type { DumpDiagnostic, InputFailure, LoadedInputs, LoadedTable } from '../../node/index.js';
import { isObject, type Json, type JsonObject } from '../dump/shapes.js';

/** What the CLI needs from any parsed table (DmarTable, IortTable, MadtTable). */
export interface TableView {
  signature: string;
  header?: SdtHeader | undefined;
  diagnostics: readonly Diagnostic[];
  toJSON(): unknown;
}

export interface ParsedInput {
  /** File path, `path#N` for a block of a text dump, or `stdin`. */
  source: string;
  signature: string;
  bytes: Uint8Array;
  table: TableView;
  /** Findings of the acpidump text reader (line-based), if the table came from a dump. */
  inputDiagnostics: readonly DumpDiagnostic[];
}

export interface ParsedInputs {
  parsed: ParsedInput[];
  /** Subdirectories of directory inputs that were not read. */
  skippedDirectories: string[];
  failures: InputFailure[];
  /** Tables present but not read by acpi-iommu (FACP, DSDT, SSDT…). */
  ignored: LoadedTable[];
  notes: string[];
}

type Parser = (bytes: Uint8Array) => TableView;

const PARSER_LOADERS: Readonly<Record<string, () => Promise<Parser>>> = {
  DMAR: async () => (await import('../../dmar/index.js')).parseDmar,
  IORT: async () => (await import('../../iort/index.js')).parseIort,
  APIC: async () => (await import('../../madt/index.js')).parseMadt,
  IVRS: async () => (await import('../../ivrs/index.js')).parseIvrs,
};

export async function loadAndParse(paths: readonly string[], recursive = false): Promise<ParsedInputs> {
  const { loadInputs } = await import('../../node/inputs.js');
  return parseLoaded(await loadInputs(paths, { recursive }));
}

/** loadAndParse, then the failures and (with --verbose) the notes on stderr: what every command prints first. */
export async function loadAndReport(paths: readonly string[], verbose: boolean | undefined, recursive = false): Promise<ParsedInputs> {
  const inputs = await loadAndParse(paths, recursive);
  printFailures(inputs.failures);
  printNotes(inputs, verbose === true);
  return inputs;
}

/**
 * When the inputs hold no table acpi-iommu reads and nothing failed: one line saying what was
 * found instead (signatures, subdirectories not read), for an exit 2 rather than a quiet 0.
 */
export function nothingReadable(inputs: { parsed: { length: number }; failures: { length: number }; skippedDirectories: { length: number }; ignored: readonly Pick<LoadedTable, 'signature'>[] }): string | undefined {
  if (inputs.parsed.length > 0 || inputs.failures.length > 0) return undefined;
  const signatures = new Map<string, number>();
  for (const table of inputs.ignored) signatures.set(printable(table.signature), (signatures.get(printable(table.signature)) ?? 0) + 1);
  const found = [...signatures].map(([signature, count]) => (count === 1 ? signature : `${count} × ${signature}`));
  const skipped = inputs.skippedDirectories.length;
  const parts = [
    found.length === 0 ? 'no ACPI table at all' : `only ${found.join(', ')}`,
    ...(skipped === 0 ? [] : [`${skipped} ${skipped === 1 ? 'subdirectory' : 'subdirectories'} not read (add -r to read folders recursively)`]),
  ];
  return `no DMAR, IORT, IVRS or APIC table in the inputs: found ${parts.join('; ')}`;
}

export async function parseLoaded(loaded: LoadedInputs): Promise<ParsedInputs> {
  const result: ParsedInputs = { parsed: [], skippedDirectories: [...loaded.skippedDirectories], failures: [...loaded.failures], ignored: [], notes: [...loaded.notes] };
  for (const input of loaded.tables) {
    const load = PARSER_LOADERS[input.signature];
    if (load === undefined) {
      result.ignored.push(input);
      continue;
    }
    const parse = await load();
    try {
      const table = parse(input.bytes);
      result.parsed.push({ source: input.source, signature: input.signature, bytes: input.bytes, table, inputDiagnostics: input.inputDiagnostics ?? [] });
    } catch (error) {
      // Parsers report problems as diagnostics; an exception here is a bug worth naming.
      result.failures.push({ path: input.source, reason: `the ${input.signature} parser failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return result;
}

/** One line per failure on stderr: `acpi-iommu: <path>: <reason>`. */
export function printFailures(failures: readonly InputFailure[]): void {
  for (const failure of failures) process.stderr.write(`acpi-iommu: ${failure.path}: ${failure.reason}\n`);
}

/** With `--verbose`: what was skipped and why. */
export function printNotes(inputs: Pick<ParsedInputs, 'notes'> & { ignored: readonly Pick<LoadedTable, 'source' | 'signature'>[] }, verbose: boolean): void {
  if (!verbose) return;
  for (const note of inputs.notes) process.stderr.write(`acpi-iommu: note: ${note}\n`);
  for (const table of inputs.ignored) process.stderr.write(`acpi-iommu: note: ${table.source}: ${printable(table.signature)} is not a table acpi-iommu reads; ignored\n`);
}

export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '.');
}

/** `toJSON()` as plain JSON, bigint as `"0x…"` exactly as `--json` prints it. */
export function plainJson(table: TableView): JsonObject {
  const json = plainValue(table.toJSON());
  return isObject(json) ? json : {};
}

/** Any value as plain JSON, bigint as `"0x…"`. */
export function plainValue(value: unknown): Json {
  return JSON.parse(JSON.stringify(value, jsonReplacer) ?? 'null') as Json;
}

/**
 * The one table of each signature a single-machine command (regions, iova, conflicts, explain,
 * audit, map) works on. Two DMARs from two machines are never reduced to the first silently:
 * several of one signature is a refusal naming them.
 */
export function onlyTables<S extends string>(parsed: readonly ParsedInput[], signatures: readonly S[]): { tables: Partial<Record<S, ParsedInput>> } | { refusal: string } {
  const tables: Partial<Record<S, ParsedInput>> = {};
  for (const signature of signatures) {
    const found = parsed.filter((input) => input.signature === signature);
    if (found.length > 1) {
      return { refusal: `${found.length} ${signature} tables given (${found.map((input) => input.source).join(', ')}); this command answers for one machine: give one ${signature} (check and dump take several)` };
    }
    if (found[0] !== undefined) tables[signature] = found[0];
  }
  return { tables };
}

/**
 * A single input that is a `collect` archive with a topology is its own --pci: the machine's
 * tables and topology travel together. Undefined otherwise.
 */
export async function archiveTopologyOf(paths: readonly string[]): Promise<string | undefined> {
  if (paths.length !== 1 || paths[0] === '-') return undefined;
  const [{ readFile, stat }, { archiveInBytes }] = await Promise.all([import('node:fs/promises'), import('../../node/archive.js')]);
  try {
    if (!(await stat(paths[0]!)).isFile()) return undefined;
    const archive = archiveInBytes(new Uint8Array(await readFile(paths[0]!)));
    return archive !== undefined && archive.topology !== null ? paths[0] : undefined;
  } catch {
    return undefined;
  }
}

