/**
 * The built view page (dist/view/index.html) as the current sources make it. `npm test` has
 * just built it (pretest), so it is rebuilt only when missing or older than a file it is made
 * from (src/, scripts/build-view.mjs): a single test file run after an edit still sees the edit.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

const PAGE = join(REPO_ROOT, 'dist', 'view', 'index.html');
const BUILDER = join(REPO_ROOT, 'scripts', 'build-view.mjs');

function newestBelow(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function pageTime(): number | undefined {
  try {
    return statSync(PAGE).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Undefined when the page is fresh or was rebuilt; else the builder's complaint. */
export function freshViewPage(): string | undefined {
  const built = pageTime();
  if (built !== undefined && built >= Math.max(newestBelow(join(REPO_ROOT, 'src')), statSync(BUILDER).mtimeMs)) return undefined;
  const result = spawnSync(process.execPath, [BUILDER], { cwd: REPO_ROOT, encoding: 'utf8' });
  return result.status === 0 ? undefined : `${BUILDER}: exit ${result.status}: ${result.stderr}`;
}
