/**
 * Writing an output file safely: never through a symbolic link, never over an existing file
 * unless asked (`force`), never over one of the command's inputs, and atomically — the bytes
 * go to a new temporary file in the same directory, are flushed, and take the target's name by
 * rename (or link, when nothing may be replaced), so a failed write (ENOSPC) leaves the previous
 * file as it was.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export class OutputRefusedError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'OutputRefusedError';
  }
}

export interface AtomicWriteOptions {
  /** Replace an existing regular file. */
  force?: boolean;
  /** Files the command read: the output may never be one of them, even with `force`. */
  inputs?: readonly string[];
}

async function identity(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}

export async function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) {
    if (existing.isSymbolicLink()) throw new OutputRefusedError(path, 'is a symbolic link; refusing to write through it (name the file it points to)');
    if (!existing.isFile()) throw new OutputRefusedError(path, 'exists and is not a regular file');
    const target = `${existing.dev}:${existing.ino}`;
    for (const input of options.inputs ?? []) {
      if ((await identity(input)) === target) throw new OutputRefusedError(path, `is an input of this command (${input}); choose another output file`);
    }
    if (options.force !== true) throw new OutputRefusedError(path, 'exists; give --force to replace it');
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx': O_CREAT|O_EXCL, so the temporary name is never an existing file or link.
  const handle = await open(temporary, 'wx', existing?.mode ?? 0o644);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Without force, link() rather than rename(): it fails with EEXIST if a file appeared at the
    // target since the check above, so there is no window in which another file is replaced.
    if (options.force === true) await rename(temporary, path);
    else await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputRefusedError(path, 'exists; give --force to replace it');
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
