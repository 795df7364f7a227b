/** A temporary directory for one job of the benchmarks, removed when the job ends (also on a throw). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function withScratchDir<T>(prefix: string, job: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return job(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
