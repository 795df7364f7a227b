/**
 * Every runtime proven: the platform-free entry, bundled with esbuild, computes the same text in
 * headless Chromium, Deno and Bun as in Node, byte for byte, over every real machine in
 * ../shared/corpus/real (when present), the shipped samples (with their PCI topologies) and the
 * malformed fixtures.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_BROWSER, evaluateScript } from './support/browser.js';
import { runProgramAs } from './support/cli.js';
import { BUN_PATH, DENO_PATH, HAVE_BUN, HAVE_DENO, bundleScript } from './support/runtimes.js';
import { CORPUS_ROOT, HAVE_SHARED, REPO_ROOT, SKIP_REASON, realTables } from './support/shared.js';
import { probe, type ProbeMachine } from './runtime/probe.js';

const base64 = (file: string) => readFileSync(file).toString('base64');

function machines(): ProbeMachine[] {
  const out: ProbeMachine[] = [];
  const samples = join(REPO_ROOT, 'corpus', 'samples');
  for (const name of readdirSync(samples)) {
    const folder = join(samples, name);
    const tables = Object.fromEntries(readdirSync(folder).filter((file) => file.endsWith('.bin')).map((file) => [file, base64(join(folder, file))]));
    out.push({ name: `samples/${name}`, tables, pci: JSON.parse(readFileSync(join(folder, 'pci.json'), 'utf8')) });
  }
  const malformed = join(REPO_ROOT, 'corpus', 'malformed');
  for (const file of readdirSync(malformed).filter((name) => name.endsWith('.bin'))) {
    out.push({ name: `malformed/${file}`, tables: { [file]: base64(join(malformed, file)) } });
  }
  if (!HAVE_SHARED) console.warn(`[acpi-iommu tests] runtimes: ${SKIP_REASON}; comparing on samples and fixtures only`);
  const real = new Map<string, ProbeMachine>();
  for (const row of realTables()) {
    const name = `real/${dirname(row.path)}`;
    const machine = real.get(name) ?? { name, tables: {} };
    machine.tables[row.path] = base64(join(CORPUS_ROOT, 'real', row.path));
    real.set(name, machine);
  }
  return [...out, ...real.values()];
}

const input = machines();
let expected = '';
let script = '';
let scratch = '';

beforeAll(async () => {
  expected = probe(input);
  script = await bundleScript(
    `import { probe } from './test/runtime/probe.ts';\n` +
    `globalThis.acpiProbeOutput = probe(${JSON.stringify(input)});\n` +
    `if (typeof window === 'undefined') console.log(globalThis.acpiProbeOutput);\n`,
  );
  scratch = mkdtempSync(join(tmpdir(), 'acpi-iommu-runtimes-'));
  writeFileSync(join(scratch, 'probe.js'), script);
});
afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

/** Equal texts, or a failure showing where they first differ (the texts are megabytes long). */
function expectSameText(actual: string, runtime: string): void {
  if (actual === expected) return;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  expect.fail(`${runtime} differs from Node at character ${at}: ${JSON.stringify(actual.slice(at, at + 120))} vs ${JSON.stringify(expected.slice(at, at + 120))}`);
}

describe('the platform-free entry in other runtimes', () => {
  it('computes a non-trivial text in Node (the reference)', () => {
    expect(input.length).toBeGreaterThanOrEqual(HAVE_SHARED ? 100 : 20);
    const parsed = JSON.parse(expected) as { name: string; groups?: { regions: unknown[] }[] }[];
    expect(parsed.map((machine) => machine.name)).toEqual(input.map((machine) => machine.name));
    // The x86 sample has RMRR-backed groups; the text must carry them, not just decode tables.
    expect(parsed.find((machine) => machine.name === 'samples/x86-laptop')!.groups!.some((group) => group.regions.length > 1)).toBe(true);
  });

  it.skipIf(!HAVE_BROWSER)('headless Chromium (esbuild bundle) matches Node byte for byte', async () => {
    const actual = await evaluateScript<string>(script, 'globalThis.acpiProbeOutput');
    expectSameText(actual, 'Chromium');
  });

  it.skipIf(!HAVE_DENO)('Deno matches Node byte for byte', async () => {
    const result = await runProgramAs(DENO_PATH, ['run', '--no-config', '--no-lock', join(scratch, 'probe.js')], {
      env: { DENO_DIR: join(scratch, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' },
    });
    expect(result.stderr).toBe('');
    expectSameText(result.stdout.replace(/\n$/, ''), 'Deno');
  });

  it.skipIf(!HAVE_BUN)('Bun matches Node byte for byte', async () => {
    const result = await runProgramAs(BUN_PATH, [join(scratch, 'probe.js')]);
    expect(result.stderr).toBe('');
    expectSameText(result.stdout.replace(/\n$/, ''), 'Bun');
  });
});
