/**
 * Where fuzz/seeds.ts finds ../shared. The bench runs the fuzz code compiled into node_modules/.cache,
 * where "beside the checkout" resolves to nowhere: it passes ACPI_IOMMU_REPO (or a user passes
 * ACPI_IOMMU_SHARED), and the real tables must then be among the seeds.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SEEDS = resolve(import.meta.dirname, '..', 'fuzz', 'seeds.ts');
const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-seeds-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A shared tree holding one "real" DMAR (the bytes need not parse: a seed is only bytes). */
function fakeShared(root: string): void {
  mkdirSync(join(root, 'corpus', 'real', 'box'), { recursive: true });
  writeFileSync(join(root, 'corpus', 'real', 'MANIFEST.tsv'), 'path\tsignature\tlength\nbox/DMAR.bin\tDMAR\t4\n');
  writeFileSync(join(root, 'corpus', 'real', 'box', 'DMAR.bin'), Uint8Array.of(0x44, 0x4d, 0x41, 0x52));
}

function realSeedNames(env: Record<string, string>): string[] {
  const script = `const { seedsFor } = await import(${JSON.stringify(SEEDS)}); console.log(JSON.stringify(seedsFor('dmar', { generated: 0 }).map((s) => s.name).filter((n) => n.startsWith('real/'))));`;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'ACPI_IOMMU_SHARED' && key !== 'ACPI_IOMMU_REPO'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: resolve(import.meta.dirname, '..'), env: { ...clean, NODE_OPTIONS: '', ...env } });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as string[];
}

describe('fuzz seeds find ../shared from where they are told', () => {
  it('ACPI_IOMMU_SHARED names the shared tree itself', () => {
    fakeShared(join(work, 'elsewhere'));
    expect(realSeedNames({ ACPI_IOMMU_SHARED: join(work, 'elsewhere') })).toEqual(['real/box/DMAR.bin']);
  });

  it('ACPI_IOMMU_REPO names a checkout whose ../shared holds it', () => {
    fakeShared(join(work, 'shared'));
    mkdirSync(join(work, 'checkout'), { recursive: true });
    expect(realSeedNames({ ACPI_IOMMU_REPO: join(work, 'checkout') })).toEqual(['real/box/DMAR.bin']);
  });

  it('a checkout with no ../shared gives no real seed', () => {
    mkdirSync(join(work, 'lonely', 'checkout'), { recursive: true });
    expect(realSeedNames({ ACPI_IOMMU_REPO: join(work, 'lonely', 'checkout') })).toEqual([]);
  });
});
