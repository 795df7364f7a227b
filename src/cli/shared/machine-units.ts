/**
 * Splits a command's inputs into units of work for a run over many machines' dumps, before any
 * table is read: each unit is loaded, parsed and answered on its own (in a worker when there
 * are several), so no more than a few units' tables are in memory at once.
 *
 * A unit holds whole machines as src/cli/shared/cross.ts groups them (tables of one directory,
 * blocks of one acpidump text): a directory's own files (with -r, every directory of the tree
 * that holds files is one unit), or the file arguments that share a directory. Units keep the
 * order the inputs are read in (arguments in order, directory entries in natural order).
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadInputs, loadRegularFiles, naturalOrder, type LoadedInputs } from '../../node/inputs.js';

export interface MachineUnit {
  /** Paths handed to the loader together: one directory, or files of one directory. */
  paths: string[];
  /** Found by the -r walk: its subdirectories are units of their own, not "skipped". */
  walked: boolean;
  /** Files given one by one that the plan's stat called regular files: read without a stat of their own. */
  regularFiles?: boolean;
}

export interface MachinePlan {
  units: MachineUnit[];
  /** Walk notes (symbolic link loops); file errors of the walk are failures. */
  notes: string[];
  failures: LoadedInputs['failures'];
  /** Files the units will read (directory entries for a directory), for the number of workers (machines-option.ts workersFor). */
  files: number;
}

const SYSFS_DYNAMIC = 'dynamic';

// Synchronous, as src/node/inputs.ts reads: a stat never waits long, and a promise per file was most of planning a tree.
function kindOf(path: string): 'directory' | 'file' | 'other' | { error: unknown } {
  try {
    const info = statSync(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    return { error };
  }
}

/**
 * The units of `paths`. Without -r a directory argument is one unit (read one level, as today);
 * with -r its tree is walked. An argument that does not exist is a failure, not a unit: it
 * makes no machine.
 */
export async function planMachineUnits(paths: readonly string[], recursive: boolean): Promise<MachinePlan> {
  const plan: MachinePlan = { units: [], notes: [], failures: [], files: 0 };
  const filesByDirectory = new Map<string, MachineUnit>();
  const visited = new Set<string>();
  for (const path of paths) {
    const kind = kindOf(path);
    if (typeof kind === 'object') plan.failures.push({ path, reason: await describeError(kind.error, path) });
    else if (kind === 'directory' && recursive) await walk(path, plan, visited);
    else if (kind === 'directory') {
      plan.units.push({ paths: [path], walked: false });
      plan.files += entryCount(path);
    } else {
      plan.files++;
      // Files given one by one belong to the machine of their directory (cross.ts machineOf).
      const key = dirname(path);
      const unit = filesByDirectory.get(key);
      if (unit !== undefined) {
        unit.paths.push(path);
        unit.regularFiles &&= kind === 'file';
      } else {
        const created: MachineUnit = { paths: [path], walked: false, regularFiles: kind === 'file' };
        filesByDirectory.set(key, created);
        plan.units.push(created);
      }
    }
  }
  return plan;
}

/** A directory's entries; 0 when it cannot be listed (its unit reports why). */
function entryCount(directory: string): number {
  try {
    return readdirSync(directory).length;
  } catch {
    return 0;
  }
}

async function describeError(error: unknown, path: string): Promise<string> {
  return (await import('../../node/file-errors.js')).describeFileError(error, path);
}

/** The directory as a unit when it holds anything but directories, then its subdirectories. */
async function walk(directory: string, plan: MachinePlan, visited: Set<string>): Promise<void> {
  let entries: Dirent[];
  try {
    const real = realpathSync(directory);
    if (visited.has(real)) {
      plan.notes.push(`${directory}: already read (a symbolic link to ${real}); skipped`);
      return;
    }
    visited.add(real);
    entries = readdirSync(directory, { withFileTypes: true }).sort((left, right) => naturalOrder(left.name, right.name));
  } catch (error) {
    plan.failures.push({ path: directory, reason: await describeError(error, directory) });
    return;
  }
  const subdirectories: string[] = [];
  let tablesHere = false;
  for (const entry of entries) {
    const path = join(directory, entry.name);
    // sysfs `dynamic/` is read with its parent by the loader, as without -r. Only a symbolic link needs a stat to tell.
    if (entry.name === SYSFS_DYNAMIC) tablesHere = true;
    else if (entry.isDirectory() || (entry.isSymbolicLink() && kindOf(path) === 'directory')) subdirectories.push(path);
    else {
      tablesHere = true;
      plan.files++;
    }
  }
  if (tablesHere) plan.units.push({ paths: [directory], walked: true });
  for (const subdirectory of subdirectories) await walk(subdirectory, plan, visited);
}

/** A unit's tables. A walked directory's subdirectories are other units, so they are not "skipped". */
export async function loadUnit(unit: MachineUnit): Promise<LoadedInputs> {
  const loaded = unit.regularFiles === true ? loadRegularFiles(unit.paths) : await loadInputs(unit.paths);
  if (!unit.walked) return loaded;
  const skippedNotes = new Set(loaded.skippedDirectories.map((path) => `${path}: subdirectory skipped`));
  return { ...loaded, skippedDirectories: [], notes: loaded.notes.filter((note) => !skippedNotes.has(note)) };
}
