/**
 * Turns command-line inputs into tables: raw table files (`.bin`, `.aml`, `.dat`, sysfs
 * `DMAR`), acpidump text, directories of either (sysfs `/sys/firmware/acpi/tables`, an
 * `acpidump -b` folder), and `-` for stdin. Every table is returned, in order; callers pick
 * the signatures they need.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { tablesFromContent, type LoadedTable } from './content.js';
import { describeFileError } from './file-errors.js';
import { readFileCapped, readRegularFileCapped, readStreamCapped } from './read-capped.js';

export interface InputFailure {
  /** The path that could not be used (a file inside a directory names the file). */
  path: string;
  reason: string;
}

export interface LoadedInputs {
  tables: LoadedTable[];
  /** Inputs that could not be read or were not recognised; the others were still loaded. */
  failures: InputFailure[];
  /** Things skipped on purpose, e.g. sysfs `data/` or an unrecognised file inside a directory. */
  notes: string[];
  /** Subdirectories of a directory input that were not read (all but sysfs `dynamic/`). */
  skippedDirectories: string[];
}

/** Subdirectories worth reading inside a table directory: sysfs puts run-time tables here. */
const TABLE_SUBDIRECTORIES = new Set(['dynamic']);

export const STDIN_PATH = '-';

export interface LoadOptions {
  /** Read subdirectories of directory inputs too, at any depth (each real directory once). */
  recursive?: boolean;
}

/** How a directory walk goes on: recursion asked for, and the real paths already read (symlink loops). */
interface Walk {
  recursive: boolean;
  visited: Set<string>;
}

export async function loadInputs(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedInputs> {
  const result: LoadedInputs = { tables: [], failures: [], notes: [], skippedDirectories: [] };
  const walk: Walk = { recursive: options.recursive === true, visited: new Set() };
  for (const path of paths) {
    if (path === STDIN_PATH) await loadStdin(result);
    else await loadPath(path, result, false, walk);
  }
  return result;
}

/**
 * loadInputs of paths a stat has just called regular files (a run over many machines plans its
 * units that way, src/cli/shared/machine-units.ts): each is read without a second stat, which
 * was ≈ 10 µs per file of `check` over hundreds of files. Not exported by the package.
 */
export function loadRegularFiles(paths: readonly string[]): LoadedInputs {
  const result: LoadedInputs = { tables: [], failures: [], notes: [], skippedDirectories: [] };
  for (const path of paths) loadRegularFile(path, result, false);
  return result;
}

/** Every table the running kernel exposes (root only on most systems). */
export function readLiveTables(root = '/sys/firmware/acpi/tables'): Promise<LoadedInputs> {
  return loadInputs([root]);
}

// File-system calls are synchronous (a stat, a directory listing, a regular file's read never
// wait long), which spares a promise round trip each, the bulk of `check` over many files; only
// a FIFO is read asynchronously, so its writer may be this process. `regularFile`: the directory
// listing said so, which spares the stat (one per file of a tree of many machines' dumps).
async function loadPath(path: string, result: LoadedInputs, insideDirectory: boolean, walk: Walk, regularFile = false): Promise<void> {
  if (regularFile) {
    loadRegularFile(path, result, insideDirectory);
    return;
  }
  try {
    const info = statSync(path);
    if (info.isDirectory()) {
      if (!insideDirectory || walk.recursive) await loadDirectory(path, result, walk);
      else {
        result.skippedDirectories.push(path);
        result.notes.push(`${path}: subdirectory skipped`);
      }
      return;
    }
    if (!info.isFile() && !info.isFIFO()) {
      result.failures.push({ path, reason: 'not a regular file or directory' });
      return;
    }
    addContent(info.isFile() ? readRegularFileCapped(path) : await readFileCapped(path), path, result, insideDirectory);
  } catch (error) {
    result.failures.push({ path, reason: describeFileError(error, path) });
  }
}

function loadRegularFile(path: string, result: LoadedInputs, insideDirectory: boolean): void {
  try {
    addContent(readRegularFileCapped(path), path, result, insideDirectory);
  } catch (error) {
    result.failures.push({ path, reason: describeFileError(error, path) });
  }
}

async function loadDirectory(directory: string, result: LoadedInputs, walk: Walk): Promise<void> {
  const real = realpathSync(directory);
  if (walk.visited.has(real)) {
    result.notes.push(`${directory}: already read (a symbolic link to ${real}); skipped`);
    return;
  }
  walk.visited.add(real);
  for (const entry of sortedEntries(directory)) {
    const path = join(directory, entry.name);
    if (!walk.recursive && TABLE_SUBDIRECTORIES.has(entry.name) && isDirectory(path)) {
      for (const inner of sortedEntries(path)) await loadPath(join(path, inner.name), result, true, walk, inner.isFile());
    } else {
      await loadPath(path, result, true, walk, entry.isFile());
    }
  }
}

/** A directory's entries in natural order, each with its type when the file system tells it (else a stat does). */
function sortedEntries(directory: string): Dirent[] {
  return readdirSync(directory, { withFileTypes: true }).sort((left, right) => naturalOrder(left.name, right.name));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A file given by name that is not a table is a failure; one met while reading a directory
 * is only a note, so a README next to `dmar.dat` does not fail the run.
 */
function addContent(bytes: Uint8Array, path: string, result: LoadedInputs, insideDirectory: boolean): void {
  const tables = tablesFromContent(bytes, path);
  if (tables === undefined || tables.length === 0) {
    const reason = bytes.length === 0 ? 'empty file' : 'not recognised as an ACPI table or acpidump text';
    if (insideDirectory) result.notes.push(`${path}: ${reason}; skipped`);
    else result.failures.push({ path, reason });
    return;
  }
  result.tables.push(...tables);
}

async function loadStdin(result: LoadedInputs): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readStreamCapped(process.stdin);
  } catch (error) {
    result.failures.push({ path: 'stdin', reason: describeFileError(error, 'stdin') });
    return;
  }
  const tables = tablesFromContent(bytes, 'stdin', '');
  if (tables === undefined || tables.length === 0) {
    result.failures.push({ path: 'stdin', reason: bytes.length === 0 ? 'no input' : 'not recognised as an ACPI table or acpidump text' });
  } else {
    result.tables.push(...tables);
  }
}

/**
 * `SSDT2` before `SSDT10`, as the kernel numbers them. One collator for every comparison, made
 * on first use: the same order as `localeCompare(right, 'en', { numeric: true })`, which builds
 * a collator per call (≈ 10 µs each, most of sorting the folders of a tree of many machines).
 */
export function naturalOrder(left: string, right: string): number {
  return (collator ??= new Intl.Collator('en', { numeric: true })).compare(left, right);
}

let collator: Intl.Collator | undefined;
