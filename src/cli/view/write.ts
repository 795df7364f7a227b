/** Writes a file atomically (temporary file + link/rename in the same directory), never over an existing file unless forced. */
import { link, rename, unlink, writeFile } from 'node:fs/promises';

export async function writeAtomically(path: string, text: string, force: boolean): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { flag: 'wx' });
  try {
    // link() fails with EEXIST when the target exists: no window in which another file could be replaced.
    if (force) await rename(temporary, path);
    else await link(temporary, path);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
