/**
 * The V8 code cache of the plain `check` bundle (src/cli/shared/code-cache.ts): used only with
 * the stamp of the bundle it was written for, ignored (the bundle compiled from source) when the
 * bundle was rebuilt, when V8 refuses it, or when there is no stamp; and the cache the build
 * writes into dist/ is the one a run uses, holding the code of a check over many machines too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../src/cli/shared/code-cache.js';
import { REPO_ROOT } from './support/shared.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STAMP_A = 'a'.repeat(64);
const STAMP_B = 'b'.repeat(64);

/**
 * loadBundle in a new node process: V8 keeps what this process compiled and would answer a
 * second compile of the same text from memory, never reading the cache under test.
 */
function loadInChild(url: URL): { cache: string; value: number } {
  const source = pathToFileURL(join(REPO_ROOT, 'src', 'cli', 'shared', 'code-cache.ts')).href;
  const script = `import { loadBundle } from ${JSON.stringify(source)}; const b = loadBundle(new URL(${JSON.stringify(url.href)})); console.log(JSON.stringify({ cache: b.cache, value: b.exports.value }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' })) as { cache: string; value: number };
}

/** A CommonJS bundle as the build writes one: the stamp line, then code using the module wrapper. */
function writeBundle(name: string, stamp: string | undefined, value: number): URL {
  const file = join(work, name);
  const body = `module.exports.value = ${value}; module.exports.here = __filename; module.exports.path = require('node:path').basename(__dirname);\nmodule.exports.twice = (x) => x * 2;\n`;
  writeFileSync(file, stamp === undefined ? body : `// code-cache stamp ${stamp}\n${body}`);
  return pathToFileURL(file);
}

describe('loadBundle', () => {
  it('compiles without a cache, writes one headed by the stamp, then runs from it', () => {
    const url = writeBundle('a.cjs', STAMP_A, 42);
    const first = loadBundle<{ value: number; here: string; path: string; twice(x: number): number }>(url)!;
    expect(first.cache).toBe('absent');
    expect(first.exports.value).toBe(42);
    expect(first.exports.here).toBe(join(work, 'a.cjs'));
    expect(first.exports.path).toBe(work.split(/[\\/]/).pop());
    expect(first.exports.twice(21)).toBe(42);
    first.writeCache();
    const cache = readFileSync(join(work, 'a.cjs.cache'));
    expect(cache.subarray(0, 32).toString('hex')).toBe(STAMP_A);
    expect(cache.length).toBeGreaterThan(32);
    expect(loadInChild(url)).toEqual({ cache: 'used', value: 42 });
  });

  it('a rebuilt bundle (new stamp, same length) ignores the old cache and runs its own code', () => {
    const url = writeBundle('b.cjs', STAMP_A, 42);
    loadBundle(url)!.writeCache();
    writeBundle('b.cjs', STAMP_B, 43);
    expect(loadInChild(url)).toEqual({ cache: 'stale', value: 43 });
  });

  it('a cache V8 refuses (cut short) is not used; the bundle still runs', () => {
    const url = writeBundle('c.cjs', STAMP_A, 7);
    loadBundle(url)!.writeCache();
    const cache = readFileSync(join(work, 'c.cjs.cache'));
    writeFileSync(join(work, 'c.cjs.cache'), cache.subarray(0, 32 + ((cache.length - 32) >> 1)));
    expect(loadInChild(url)).toEqual({ cache: 'rejected', value: 7 });
  });

  it('a bundle without a stamp never reads or writes a cache; no bundle is undefined', () => {
    const url = writeBundle('d.cjs', undefined, 1);
    writeFileSync(join(work, 'd.cjs.cache'), Buffer.alloc(64));
    const loaded = loadBundle<{ value: number }>(url)!;
    expect(loaded.cache).toBe('absent');
    expect(loaded.exports.value).toBe(1);
    rmSync(join(work, 'd.cjs.cache'));
    loaded.writeCache();
    expect(existsSync(join(work, 'd.cjs.cache'))).toBe(false);
    expect(loadBundle(pathToFileURL(join(work, 'none.cjs')))).toBeUndefined();
  });
});

const BUILT = join(REPO_ROOT, 'dist', 'cli', 'check-plain.cjs');

describe.skipIf(!existsSync(BUILT))('the built check-plain.cjs', () => {
  it('has the cache the build wrote for it, and this node uses it', () => {
    expect(loadInChild(pathToFileURL(BUILT))).toEqual({ cache: 'used' });
  });

  it('holds the code of a check over a tree of machines too: such a run compiles almost nothing new', () => {
    // A copy of dist/cli (at the same depth under a package.json), so the cache a run writes lands there.
    const copy = join(work, 'package');
    cpSync(join(REPO_ROOT, 'dist', 'cli'), join(copy, 'dist', 'cli'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'package.json'), join(copy, 'package.json'));
    // Machines unlike the build's own runs: two of the samples, one DMAR cut short (errors).
    const samples = join(REPO_ROOT, 'corpus', 'samples');
    const tree = join(work, 'tree');
    for (const [folder, sample, table] of [['laptop', 'x86-laptop', 'DMAR.bin'], ['laptop', 'x86-laptop', 'APIC.bin'], ['server', 'arm-server', 'IORT.bin'], ['server', 'arm-server', 'APIC.bin']]) {
      mkdirSync(join(tree, folder!), { recursive: true });
      copyFileSync(join(samples, sample!, table!), join(tree, folder!, table!));
    }
    const dmar = readFileSync(join(samples, 'x86-laptop', 'DMAR.bin'));
    mkdirSync(join(tree, 'broken'));
    writeFileSync(join(tree, 'broken', 'DMAR.bin'), dmar.subarray(0, dmar.length - 10));
    const cache = join(copy, 'dist', 'cli', 'check-plain.cjs.cache');
    const before = statSync(cache).size;
    const run = spawnSync(process.execPath, [join(copy, 'dist', 'cli', 'main.cjs'), 'check', '-r', tree], { env: { ...process.env, ACPI_IOMMU_WRITE_CODE_CACHE: '1' }, encoding: 'utf8' });
    expect(run.stdout).toMatch(/^checked 3 machines, 5 tables: [1-9]/m);
    // The run stored what it compiled on top of what it loaded; a cache of the one-machine check only grew by ≈ 6 %.
    expect(statSync(cache).size / before).toBeLessThan(1.01);
  });
});
