/** `acpi-iommu report` and the program-level behaviour (version, help, usage errors). */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED, REPO_ROOT, SKIP_REASON, realTables } from './support/shared.js';

let folder: string;

beforeAll(() => {
  if (!HAVE_SHARED) return;
  folder = mkdtempSync(join(tmpdir(), 'acpi-iommu-report-'));
  mkdirSync(join(folder, 'data'));
  const withRmrr = realTables('DMAR').find((row) => row.checksumOk && row.length > 160)!;
  copyFileSync(join(CORPUS_ROOT, 'real', withRmrr.path), join(folder, 'dmar.dat'));
  copyFileSync(join(CORPUS_ROOT, 'real', realTables('APIC')[0]!.path), join(folder, 'apic.dat'));
  // Subdirectories other than sysfs dynamic/ are not read.
  copyFileSync(join(CORPUS_ROOT, 'real', withRmrr.path), join(folder, 'data', 'ignored'));
});

afterAll(() => {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(!HAVE_SHARED)(`acpi-iommu report on a directory${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  it('lists tables, IOMMU units, reserved memory and a diagnostics summary', async () => {
    const result = await runCli(['report', folder]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text).toContain(`acpi-iommu report: ${folder}`);
    for (const title of ['Tables', 'IOMMU units', 'Diagnostics']) expect(text).toMatch(new RegExp(`^${title}$`, 'm'));
    expect(text.match(/^ {2}DMAR {2}rev \d, \d+ bytes/gm)).toHaveLength(1);
    expect(text).toMatch(/^ {2}APIC {2}rev \d, \d+ bytes/m);
    expect(text).toMatch(/^ {4}DRHD @0x[0-9a-f]{4} segment 0x[0-9a-f]{4} base 0x[0-9a-f]+/m);
  });

  it('is the default command', async () => {
    const explicit = await runCli(['report', folder]);
    const implicit = await runCli([folder]);
    expect(implicit.stdout).toBe(explicit.stdout);
  });

  it('--json gives one object with a key per section', async () => {
    const result = await runCli(['report', '--json', folder]);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['tables', 'iommuUnits', 'reservedMemory', 'diagnostics']));
    expect((report.iommuUnits as { kind: string }[]).every((unit) => unit.kind === 'DRHD')).toBe(true);
  });
});

describe('report --json speaks the findings contract of the other commands', () => {
  // corpus/malformed/dmar-rmrr-base-after-limit.expected.json: a warning at 108 and an error at 120.
  const specimen = join(REPO_ROOT, 'corpus', 'malformed', 'dmar-rmrr-base-after-limit.bin');

  it('diagnostics is the array of findings (with their table); counts are in summary; schemaVersion 2', async () => {
    const result = await runCli(['report', '--json', specimen]);
    const report = JSON.parse(result.stdout);
    expect(report.schemaVersion).toBe(2);
    expect(report.diagnostics.map((item: { code: string; offset: number; table: string; source: string }) => [item.code, item.offset, item.table, item.source])).toEqual([
      ['dmar.scope.namespace-orphan', 108, 'DMAR', specimen],
      ['dmar.rmrr.base-after-limit', 120, 'DMAR', specimen],
    ]);
    expect(report.summary).toEqual({
      error: 1, warning: 1, info: 0, tables: 1,
      byTable: [{ source: specimen, signature: 'DMAR', error: 1, warning: 1, info: 0, codes: { 'dmar.scope.namespace-orphan': 1, 'dmar.rmrr.base-after-limit': 1 } }],
    });
    // Same findings as check --json gives for the table.
    const check = JSON.parse((await runCli(['check', '--json', specimen])).stdout);
    expect(check.tables[0].diagnostics.map((item: { code: string }) => item.code)).toEqual(expect.arrayContaining(report.diagnostics.map((item: { code: string }) => item.code)));
  });
});

describe('the program', () => {
  it('prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints help with examples', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const word of ['report', 'dump', 'check', 'Examples:', 'Exit codes:']) expect(result.stdout).toContain(word);
  });

  it('exits 2 with a message on stderr for a usage error', async () => {
    const result = await runCli(['check']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^acpi-iommu: error: missing required argument/);
  });

  it('says plainly when the live machine has no DMAR or IORT', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(0);
    // Whatever this machine has, the first line is one plain sentence about it.
    const first = result.stdout.split('\n')[0]!;
    expect(first).toMatch(/^(acpi-iommu report: \/sys\/firmware\/acpi\/tables|This machine|Could not read)/);
  });
});
