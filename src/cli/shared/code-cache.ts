/**
 * V8's code cache for the CLI's hottest bundle on Node 20, which has no `module.enableCompileCache`
 * (Node ≥ 22.1): scripts/build-cli.mjs writes `dist/cli/check-plain.cjs`, a CommonJS bundle, runs
 * it once over the bundled samples and stores the compiled code beside it (`.cache`). A run
 * compiles the bundle with that cache, which spares compiling `check` from source
 * (measured on Node 20, medians of interleaved runs: ≈ 80 instead of ≈ 88 ms of CPU for `check <DMAR>`,
 * where `node -e 0` takes ≈ 65).
 *
 * The cache is used only when it was written for these bundle bytes: the build puts a stamp, the
 * SHA-256 of the bundle, on the bundle's first line and at the head of the cache, so a rebuilt
 * bundle or an old cache is compiled from source as if there were no cache (the stamp is read,
 * not recomputed: hashing at start-up cost as much as the cache saves). V8 itself refuses a cache
 * of another V8 version or other flags, or cut short (`cachedDataRejected`): that too only costs
 * the compile. Not caught: a bundle edited by hand under its old stamp — dist/ is build output.
 */
import type { Script } from 'node:vm';

const STAMP_BYTES = 32;
/** The bundle's first line, written by scripts/build-cli.mjs. */
export const STAMP_LINE = /^\/\/ code-cache stamp ([0-9a-f]{64})\n/;

export type CacheState = 'used' | 'absent' | 'stale' | 'rejected';

export interface LoadedBundle<T> {
  exports: T;
  cache: CacheState;
  /** Stores the code compiled so far (call after a representative run), for the next runs; nothing for a bundle without a stamp. */
  writeCache(): void;
}

/** The bundle at `file` (CommonJS), or undefined when there is none (running from source). */
export function loadBundle<T>(file: URL): LoadedBundle<T> | undefined {
  // Builtins through getBuiltinModule: an ES module import of node:crypto alone cost ≈ 5 ms.
  const { existsSync, readFileSync, writeFileSync } = process.getBuiltinModule('node:fs');
  const { Script: VmScript } = process.getBuiltinModule('node:vm');
  const { createRequire } = process.getBuiltinModule('node:module');
  const { dirname } = process.getBuiltinModule('node:path');
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const path = fileURLToPath(file);
  if (!existsSync(path)) return undefined;
  const source = readFileSync(path, 'utf8');
  const cachePath = `${path}.cache`;
  const stampHex = STAMP_LINE.exec(source)?.[1];
  const stamp = stampHex === undefined ? undefined : Buffer.from(stampHex, 'hex');
  const stored = stamp !== undefined && existsSync(cachePath) ? readFileSync(cachePath) : undefined;
  const payload = stored?.subarray(STAMP_BYTES);
  const fresh = stored !== undefined && stored.length > STAMP_BYTES && stamp!.equals(stored.subarray(0, STAMP_BYTES));
  // The CommonJS wrapper Node puts around a module, so the bundle's require and __filename work.
  const script: Script = new VmScript(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: path,
    ...(fresh ? { cachedData: payload! } : {}),
  });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(path), module, path, dirname(path));
  const cache: CacheState = stored === undefined ? 'absent' : !fresh ? 'stale' : script.cachedDataRejected === true ? 'rejected' : 'used';
  return {
    exports: module.exports,
    cache,
    writeCache() {
      if (stamp !== undefined) writeFileSync(cachePath, Buffer.concat([stamp, script.createCachedData()]));
    },
  };
}
