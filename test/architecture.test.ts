/**
 * The region core knows no table (issue 11): nothing under src/regions imports, directly or
 * through another file, anything outside src/regions, src/bytes and src/pci — no table folder
 * (src/dmar, src/iort, src/madt, src/ivrs), nor src/cross, src/lint, src/audit, src/encode,
 * src/node, src/cli, nor a package. Table rules reach the core only as region providers.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, importViolations } from './support/import-graph.js';
import { REPO_ROOT } from './support/shared.js';

const CORE_ALLOWED = ['src/regions', 'src/bytes', 'src/pci'];

const readRepo = (path: string) => (existsSync(join(REPO_ROOT, path)) ? readFileSync(join(REPO_ROOT, path), 'utf8') : undefined);
const listRepo = (folder: string) =>
  readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${folder}/${name.split('\\').join('/')}`);

const describeChain = (chain: readonly string[]) => chain.join(' → ');

describe('architecture: the region core', () => {
  it('imports no table folder, CLI, Node module or package, directly or transitively', () => {
    expect(listRepo('src/regions').length).toBeGreaterThan(5);
    const violations = importViolations('src/regions', CORE_ALLOWED, readRepo, listRepo).map((item) => describeChain(item.chain));
    expect(violations).toEqual([]);
  });
});

describe('architecture: the import walker', () => {
  it('reads every import form: named, type-only, multi-line, export-from, side effect, dynamic', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/index.js';",
      'import {\n  c,\n  d,\n} from "./c.js";',
      "export { e } from './e.js';",
      "export * from './f.js';",
      "import './g.js';",
      "const h = await import('../h.js');",
      "// import { no } from './commented.js';",
      "/* import { no } from './block.js'; */",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a.js', '../b/index.js', './c.js', './e.js', './f.js', './g.js', '../h.js']);
  });

  it('reports the chain to an import that leaves the allowed folders, through type-only and indirect imports', () => {
    const files: Record<string, string> = {
      'src/regions/a.ts': "import { b } from './b.js';\nimport { hex } from '../bytes/hex.js';",
      'src/regions/b.ts': "import type { DmarTable } from '../dmar/index.js';",
      'src/regions/c.ts': "const fs = await import('node:fs');",
      'src/bytes/hex.ts': "import { x } from '../cli/x.js';",
    };
    const list = (folder: string) => Object.keys(files).filter((path) => path.startsWith(`${folder}/`));
    const found = importViolations('src/regions', CORE_ALLOWED, (path) => files[path], list).map((item) => describeChain(item.chain)).sort();
    expect(found).toEqual([
      'src/regions/a.ts → src/bytes/hex.ts → src/cli/x.ts',
      'src/regions/b.ts → src/dmar/index.ts',
      'src/regions/c.ts → node:fs',
    ]);
  });
});
