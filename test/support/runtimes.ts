/**
 * Other JavaScript runtimes for tests: Deno and Bun come from the npm registry as devDependencies
 * (@deno/linux-x64-glibc, @oven/bun-linux-x64: Linux x64 only), and code reaches them, like a
 * browser, as one esbuild bundle. Absent binaries skip with a message naming what is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './shared.js';

export const DENO_PATH = join(REPO_ROOT, 'node_modules', '@deno', 'linux-x64-glibc', 'deno');
export const BUN_PATH = join(REPO_ROOT, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun');
export const HAVE_DENO = existsSync(DENO_PATH);
export const HAVE_BUN = existsSync(BUN_PATH);

for (const [have, path, name] of [[HAVE_DENO, DENO_PATH, 'Deno'], [HAVE_BUN, BUN_PATH, 'Bun']] as const) {
  if (!have) console.warn(`[acpi-iommu tests] ${name} is absent (looked for ${path}; installed by npm ci on Linux x64); ${name} tests skipped`);
}

export interface BundleOptions {
  minify?: boolean;
}

/**
 * Bundles `source` (module text whose imports resolve from the repository root) into one classic
 * script for the browser platform, as a tool author's bundler would.
 */
export async function bundleScript(source: string, options: BundleOptions = {}): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'bundle-entry.ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
