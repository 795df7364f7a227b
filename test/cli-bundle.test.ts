/**
 * The bundled command line (scripts/build-cli.mjs): a run loads main.cjs, program.js and the one
 * self-contained file of its command, and behaves exactly as the sources do (run in process:
 * test/cli-process.test.ts holds that equal to a spawned run). Needs dist/ (built by `npm test`
 * through "pretest").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runProgramAs } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const CLI_DIST = join(REPO_ROOT, 'dist', 'cli');
const built = existsSync(join(CLI_DIST, 'main.cjs'));
if (!built) console.warn('[acpi-iommu tests] dist/ is not built (npm run build); CLI bundle tests skipped');

const SAMPLE = join('corpus', 'samples', 'x86-laptop');

function relativeImports(file: string): string[] {
  const text = readFileSync(join(CLI_DIST, file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((match) => match[1] ?? match[2]!);
}

describe.skipIf(!built)('bundled CLI', () => {
  it('main.cjs reaches program.js and one flat file per command; check.js imports nothing relative', () => {
    const imports = relativeImports('main.cjs');
    expect(imports).toEqual(expect.arrayContaining(['./program.js', './check.js', './report.js', './view.js']));
    for (const specifier of imports) expect(existsSync(join(CLI_DIST, specifier)), specifier).toBe(true);
    expect(relativeImports('check.js')).toEqual([]);
    expect(relativeImports('program.js')).toEqual([]);
  });

  it.each([
    ['check', join(SAMPLE, 'DMAR.bin'), join(SAMPLE, 'APIC.bin')],
    ['report', '--json', SAMPLE],
    ['dump', join(SAMPLE, 'DMAR.bin')],
    // A plain check runs dist/cli/check-plain.cjs (code-cached); over several machines it starts worker threads.
    ['check', '-r', join('corpus', 'samples')],
  ])('%s prints what the sources print', async (...args) => {
    const [bundled, source] = await Promise.all([runProgramAs(process.execPath, [join(CLI_DIST, 'main.cjs'), ...args]), runCli(args)]);
    expect(bundled.stderr).toBe(source.stderr);
    expect(bundled.stdout).toBe(source.stdout);
    expect(bundled.stdout.length).toBeGreaterThan(20);
    expect(bundled.code).toBe(source.code);
  });

  it('a plain check starts without the ES module loader and without node:fs/promises', () => {
    // Both load readline and the stream modules at start-up (scripts/build-cli.mjs buildMain, src/node/read-capped.ts).
    const dir = mkdtempSync(join(tmpdir(), 'acpi-iommu-bundle-'));
    try {
      const listed = join(dir, 'modules.txt');
      const preload = join(dir, 'list-modules.cjs');
      writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listed)}, process.moduleLoadList.join('\\n')));`);
      const run = spawnSync(process.execPath, ['--require', preload, join(CLI_DIST, 'main.cjs'), 'check', join(SAMPLE, 'DMAR.bin')], { encoding: 'utf8' });
      expect(run.stdout).toMatch(/^checked 1 table: 0 errors/);
      const modules = readFileSync(listed, 'utf8').split('\n');
      expect(modules).toContain('NativeModule vm');
      expect(modules.filter((name) => /esm\/(load|translators|module_job)$|fs\/promises|readline/.test(name))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('view finds the built page from dist/cli/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acpi-iommu-bundle-'));
    try {
      const out = join(dir, 'page.html');
      const result = await runProgramAs(process.execPath, [join(CLI_DIST, 'main.cjs'), 'view', join(SAMPLE, 'DMAR.bin'), '--no-open', '--out', out]);
      expect(result.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('DMAR.bin');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
