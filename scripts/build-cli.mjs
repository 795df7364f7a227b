#!/usr/bin/env node
// Bundles the command line (issue 14, CLI start-up) with esbuild into dist/cli/: main.js (the
// dispatcher), program.js (commander and the global options) and one self-contained file per
// command (check.js, report.js, …), so a run reads and compiles three files holding only what
// its command uses, instead of resolving ~40 modules. main.ts's `import('./commands/X.js')`
// becomes `import('./X.js')`. Every file sits at dist/cli/, the depth src/node/package-info.ts
// and src/cli/view/page.ts resolve package files from.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
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
    entryPoints: [join(cli, 'main.ts'), join(cli, 'program.ts'), join(cli, 'shared', 'machines-worker.ts'), ...commands],
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
    // minifying halves check.js (measured: importing it went from ≈ 12 to ≈ 8 ms). No code
    // reads a function's or class's name (errors set theirs), so renaming changes no output.
    minify: true,
    logLevel: 'warning',
  });
  return join(outdir, 'main.js');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
