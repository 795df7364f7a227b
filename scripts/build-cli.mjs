#!/usr/bin/env node
// Bundles the command line (issue 14, CLI start-up) with esbuild into dist/cli/: main.cjs (the
// dispatcher), program.js (commander and the global options) and one self-contained file per
// command (check.js, report.js, …), so a run reads and compiles three files holding only what
// its command uses, instead of resolving ~40 modules. main.cjs is CommonJS (buildMain says why);
// main.ts's `import('./commands/X.js')` becomes `import('./X.js')`. Every file sits at dist/cli/,
// the depth src/node/package-info.ts and src/cli/view/page.ts resolve package files from.
//
// check-plain.cjs: `check` again, as CommonJS with V8's code cache beside it (check-plain.cjs.cache),
// which main.ts loads for a plain `check FILE…` (src/cli/shared/code-cache.ts says why and how a
// stale cache is never used).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'src', 'cli');
const outdir = join(root, 'dist', 'cli');

/** main.ts's imports of program.ts and the command modules stay imports, of the flat bundles. */
const flatSiblings = {
  name: 'flat-siblings',
  setup(build) {
    build.onResolve({ filter: /^\.\/(commands\/[\w-]+|program)\.js$/ }, (args) =>
      args.importer === join(cli, 'main.ts') ? { path: `./${args.path.split('/').pop()}`, external: true } : undefined);
  },
};

export async function buildCli() {
  rmSync(outdir, { recursive: true, force: true });
  const commands = readdirSync(join(cli, 'commands')).filter((name) => name.endsWith('.ts')).map((name) => join(cli, 'commands', name));
  await build({
    // machines-worker.js: the worker thread of check/report/audit over many machines (src/cli/shared/machines-pool.ts).
    entryPoints: [join(cli, 'program.ts'), join(cli, 'shared', 'machines-worker.ts'), ...commands],
    entryNames: '[name]',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    plugins: [flatSiblings],
    // commander is CommonJS: its require() of node builtins needs a real require in an ES module.
    banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
    legalComments: 'none',
    // Start-up is a benchmark target: V8 scans every byte of a module before running it, and
    // minifying halves check.js (measured: importing it went from ≈ 12 to ≈ 10 ms). No code
    // reads a function's or class's name (errors set theirs), so renaming changes no output.
    minify: true,
    logLevel: 'warning',
  });
  await buildMain();
  await buildPlainCheck();
  return join(outdir, 'main.cjs');
}

/**
 * What the two CommonJS bundles share. They sit in dist/cli/ as the ES module files do, so package
 * files resolve the same, with `import.meta.url` made from `__filename`.
 */
const COMMONJS_BUNDLE = {
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir,
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
};

/**
 * main.cjs, the dispatcher, as CommonJS: Node starts an ES module entry through its ES module
 * loader, which loads fs/promises, readline and the stream modules first (measured on Node 20,
 * medians of interleaved runs: ≈ 4 ms of CPU for an empty .mjs over an empty .cjs, 7 % of
 * `node -e 0`). Its import() of program.js and the command bundles loads that loader only then.
 */
async function buildMain() {
  await build({ ...COMMONJS_BUNDLE, entryPoints: { main: join(cli, 'main.ts') }, plugins: [flatSiblings] });
}

async function buildPlainCheck() {
  await build({
    ...COMMONJS_BUNDLE,
    entryPoints: { 'check-plain': join(cli, 'commands', 'check.ts') },
    // import.meta.resolve is read only when running from source (machines-pool.ts's .ts branch).
    logOverride: { 'empty-import-meta': 'silent' },
    // A script compiled by node:vm has no loader for import(): node:worker_threads comes through require.
    supported: { 'dynamic-import': false },
  });
  // The stamp that ties the cache to these bytes (src/cli/shared/code-cache.ts reads it).
  const bundle = join(outdir, 'check-plain.cjs');
  const text = readFileSync(bundle, 'utf8');
  writeFileSync(bundle, `// code-cache stamp ${createHash('sha256').update(text).digest('hex')}\n${text}`);
  writeCodeCache();
}

/**
 * The runs that store the code they compiled, each adding to the cache the one before wrote:
 * a plain check of one machine holding every signature (the bundled samples, copied into one
 * folder so they are one machine checked in this process), then `check -r` over several
 * machines (check/machines.ts, in this process as small runs are), the malformed specimens'
 * among them with findings of every signature: the path of a check of many files or a tree,
 * which the first run never compiles.
 */
function writeCodeCache() {
  const machine = mkdtempSync(join(tmpdir(), 'acpi-iommu-code-cache-'));
  try {
    const samples = join(root, 'corpus', 'samples');
    for (const [folder, table] of [['x86-laptop', 'DMAR'], ['x86-laptop', 'APIC'], ['arm-server', 'IORT'], ['amd-desktop', 'IVRS']]) {
      copyFileSync(join(samples, folder, `${table}.bin`), join(machine, table));
    }
    for (const inputs of [[machine], ['-r', samples, join(root, 'corpus', 'malformed')]]) {
      const run = spawnSync(process.execPath, [join(outdir, 'main.cjs'), 'check', ...inputs], { env: { ...process.env, ACPI_IOMMU_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
      // A failed run leaves the cache as it was (none after the first): the CLI then compiles what it lacks from source.
      if (run.status !== 0 && run.status !== 1) console.warn(`build-cli: the code-cache run \`check ${inputs.join(' ')}\` exited ${run.status}; dist/cli/check-plain.cjs.cache lacks its code`);
    }
  } finally {
    rmSync(machine, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
