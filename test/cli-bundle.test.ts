/**
 * The bundled command line (scripts/build-cli.mjs): a run loads main.js, program.js and the one
 * self-contained file of its command, and behaves exactly as the sources do (run in process:
 * test/cli-process.test.ts holds that equal to a spawned run). Needs dist/ (built by `npm test`
 * through "pretest").
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runProgramAs } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const CLI_DIST = join(REPO_ROOT, 'dist', 'cli');
const built = existsSync(join(CLI_DIST, 'main.js'));
if (!built) console.warn('[acpi-iommu tests] dist/ is not built (npm run build); CLI bundle tests skipped');

const SAMPLE = join('corpus', 'samples', 'x86-laptop');

function relativeImports(file: string): string[] {
  const text = readFileSync(join(CLI_DIST, file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((match) => match[1] ?? match[2]!);
}

describe.skipIf(!built)('bundled CLI', () => {
  it('main.js reaches program.js and one flat file per command; check.js imports nothing relative', () => {
    const imports = relativeImports('main.js');
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
    const [bundled, source] = await Promise.all([runProgramAs(process.execPath, [join(CLI_DIST, 'main.js'), ...args]), runCli(args)]);
    expect(bundled.stderr).toBe(source.stderr);
    expect(bundled.stdout).toBe(source.stdout);
    expect(bundled.stdout.length).toBeGreaterThan(20);
    expect(bundled.code).toBe(source.code);
  });

  it('view finds the built page from dist/cli/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acpi-iommu-bundle-'));
    try {
      const out = join(dir, 'page.html');
      const result = await runProgramAs(process.execPath, [join(CLI_DIST, 'main.js'), 'view', join(SAMPLE, 'DMAR.bin'), '--no-open', '--out', out]);
      expect(result.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('DMAR.bin');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
