/**
 * The package as a tool author receives it: `npm pack`, installed into a scratch project under the
 * OS temp dir, used from ESM and (where Node has require(esm)) from CommonJS, typechecked as strict
 * TypeScript with node16/nodenext and bundler resolution, and linted with publint and
 * @arethetypeswrong/cli for the declared ESM-only profile. Needs dist/ (built by `npm test` through
 * "pretest"); packs with --ignore-scripts so it never rebuilds dist/ under other tests' feet.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/shared.js';

const run = promisify(execFile);
const built = existsSync(join(REPO_ROOT, 'dist', 'index.js'));
if (!built) console.warn('[acpi-iommu tests] dist/ is not built (npm run build); packed-package tests skipped');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const ATTW = join(REPO_ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
const TYPES_NODE = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version as string;

let scratch = '';
let tarball = '';
let consumer = '';

// What a consumer writes; the sample file ships in the package (corpus/samples).
const ESM_USE = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseDmar, parseTable, toJsonText } from 'acpi-iommu';
import { loadInputs } from 'acpi-iommu/node';
const require = createRequire(import.meta.url);
const bytes = new Uint8Array(readFileSync(require.resolve('acpi-iommu/package.json').replace(/package\\.json$/, 'corpus/samples/x86-laptop/DMAR.bin')));
const dmar = parseDmar(bytes);
console.log(JSON.stringify({ length: dmar.header.length, bytes: bytes.length, kinds: [...dmar.structures()].map((s) => s.kind), same: parseTable(bytes)?.signature, loadInputs: typeof loadInputs, json: typeof toJsonText(dmar.toJSON()) }));
`;

// Strict TypeScript: the types must resolve and be precise enough to use without casts.
const TS_USE = `
import { parseDmar, parseIort, parseMadt, type Diagnostic, type DmarTable } from 'acpi-iommu';
import { loadInputs } from 'acpi-iommu/node';
const dmar: DmarTable = parseDmar(new Uint8Array(48));
const width: number | undefined = dmar.hostAddressWidth;
const findings: readonly Diagnostic[] = [...dmar.diagnostics, ...parseIort(new Uint8Array(0)).diagnostics, ...parseMadt(new Uint8Array(0)).diagnostics];
for (const structure of dmar.structures()) if (structure.kind === 'rmrr') { const base: bigint = structure.baseAddress; void base; }
// @ts-expect-error internals are not part of the public surface
import('acpi-iommu').then((api) => api.insertRegion);
export const used = [width, findings.length, typeof loadInputs];
`;

/** skipLibCheck only where another run already checks the package's .d.ts files in full (saves CPU). */
function tsconfig(module: string, moduleResolution: string, skipLibCheck: boolean): string {
  return JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022'], module, moduleResolution, types: ['node'], skipLibCheck, noUncheckedIndexedAccess: true },
    files: ['use.ts'],
  });
}

beforeAll(async () => {
  if (!built) return;
  scratch = mkdtempSync(join(tmpdir(), 'acpi-iommu-packed-'));
  const packed = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: REPO_ROOT });
  tarball = join(scratch, JSON.parse(packed.stdout)[0].filename);
  consumer = join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(NPM, ['install', tarball, `@types/node@${TYPES_NODE}`, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: consumer });
  writeFileSync(join(consumer, 'use.mjs'), ESM_USE);
  writeFileSync(join(consumer, 'use.ts'), TS_USE);
}, 120_000);
afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!built)('the packed tarball in a scratch project', () => {
  it('works from ESM with both entries, reading the sample it ships', async () => {
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: consumer });
    const result = JSON.parse(stdout);
    // The sample's structures as its hand-written model lists them (the model the sample was encoded from).
    const model = JSON.parse(readFileSync(join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop', 'DMAR.model.json'), 'utf8')) as { structures: { kind: string }[] };
    const size = readFileSync(join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop', 'DMAR.bin')).length;
    expect(result).toEqual({ length: size, bytes: size, kinds: model.structures.map((s) => s.kind), same: 'DMAR', loadInputs: 'function', json: 'string' });
  });

  it.skipIf(!process.features.require_module)('works from CommonJS through require(esm)', async () => {
    const script = "const api = require('acpi-iommu'); console.log(typeof api.parseDmar, typeof require('acpi-iommu/node').loadInputs)";
    const { stdout } = await run(process.execPath, ['--no-warnings', '-e', script], { cwd: consumer });
    expect(stdout.trim()).toBe('function function');
  });

  it.each([
    ['nodenext', 'nodenext', false],
    ['node16', 'node16', true],
    ['esnext', 'bundler', true],
  ])('typechecks a strict consumer with module %s and %s resolution', async (module, resolution, skipLibCheck) => {
    writeFileSync(join(consumer, `tsconfig.${resolution}.json`), tsconfig(module, resolution, skipLibCheck));
    const result = await run(process.execPath, [TSC, '-p', `tsconfig.${resolution}.json`], { cwd: consumer }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe('');
  });

  it('ships no source maps, no CLI declarations, and the docs the README and doc comments cite', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('package/dist/cli/') && file.endsWith('.d.ts'))).toEqual([]);
    // The doc comments in the shipped .d.ts files cite docs/spec.md and docs/kernel-semantics.md.
    expect(files).toEqual(expect.arrayContaining(['package/LICENSE', 'package/docs/diagnostics.md', 'package/docs/spec.md', 'package/docs/kernel-semantics.md', 'package/dist/cli/main.cjs', 'package/dist/index.d.ts']));
  });

  it('is clean under publint', async () => {
    const { publint } = await import('publint');
    const bytes = readFileSync(tarball);
    // With a tarball, pkgDir names the folder inside it (npm packs into package/).
    const { messages } = await publint({ pkgDir: 'package', pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer }, strict: true });
    expect(messages).toEqual([]);
  });

  it('is clean under @arethetypeswrong/cli for the ESM-only profile', async () => {
    const result = await run(process.execPath, [ATTW, tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'], { cwd: scratch })
      .catch((error: { stdout: string; code: number }) => error);
    // The JSON lists problems under every resolution mode; the profile judges node16 from ESM and bundler only
    // (node10 and require() from CJS are outside an ESM-only package's promise).
    const problems = Object.values<{ resolutionKind?: string }[]>(JSON.parse(result.stdout).problems ?? {}).flat()
      .filter((problem) => problem.resolutionKind === undefined || ['node16-esm', 'bundler'].includes(problem.resolutionKind));
    expect(problems).toEqual([]);
    expect('code' in result ? result.code : 0).toBe(0);
  });
});
