/**
 * The published surface: `acpi-iommu` (platform-free) and `acpi-iommu/node` resolve through
 * package.json "exports" to the built files with their types, and the root entry's module graph
 * never touches node:* modules. Needs dist/ (built by `npm test` through "pretest").
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgramAs } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const DIST = join(REPO_ROOT, 'dist');
const built = existsSync(join(DIST, 'index.js'));
if (!built) console.warn('[acpi-iommu tests] dist/ is not built (npm run build); package-surface tests skipped');

/** Every relative module reachable from `entry`, with the bare specifiers it imports. */
function moduleGraph(entry: string): { files: string[]; bare: Set<string> } {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else bare.add(specifier);
    }
  }
  return { files: [...seen], bare };
}

describe.skipIf(!built)('package surface', () => {
  it('resolves both entries by package name, with types', async () => {
    const script = "const root = await import('acpi-iommu'); const node = await import('acpi-iommu/node');" +
      "console.log([typeof root.parseDmar, typeof root.parseIort, typeof root.parseMadt, typeof root.parseTable, typeof root.analyzeRegions, typeof root.encodeTable, typeof node.loadInputs, typeof node.readPciTopology].join(','))";
    const result = await runProgramAs(process.execPath, ['--input-type=module', '-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(Array(8).fill('function').join(','));
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    for (const [subpath, entry] of Object.entries<string | { types: string; default: string }>(manifest.exports)) {
      // "./package.json" maps to the manifest itself; code entries carry types and JavaScript.
      const targets = typeof entry === 'string' ? [entry] : [entry.types, entry.default];
      for (const target of targets) expect(existsSync(join(REPO_ROOT, target)), `${subpath} -> ${target}`).toBe(true);
    }
    const viaExport = await runProgramAs(process.execPath, ['--input-type=module', '-e', "import m from 'acpi-iommu/package.json' with { type: 'json' }; console.log(m.name)"]);
    expect(viaExport.stdout.trim()).toBe('acpi-iommu');
  });

  it('keeps the root entry free of Node built-ins (it runs in browsers and Deno)', () => {
    const { files, bare } = moduleGraph(join(DIST, 'index.js'));
    expect(files.length).toBeGreaterThan(30);
    expect([...bare].filter((specifier) => specifier.startsWith('node:') || ['fs', 'path', 'os', 'process'].includes(specifier))).toEqual([]);
  });

  it('installs the command line as the bin', async () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const result = await runProgramAs(process.execPath, [join(REPO_ROOT, manifest.bin['acpi-iommu']), '--version']);
    expect(result.stdout.trim()).toBe(manifest.version);
  });
});
