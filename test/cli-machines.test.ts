/**
 * check over a tree of many machines' dumps (-r): one line per machine and the totals, the
 * same output for one worker (in process) and several (worker threads), JSON with machines[].
 * The tree is built from the bundled samples, so the expected machines and tables are known
 * from its construction.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runProgramAs } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const SAMPLES = join(REPO_ROOT, 'corpus', 'samples');
let tree: string;

/** Machine folder → the sample tables copied into it. */
const MACHINES: [string, string, string[]][] = [
  ['fleet-a/laptop', 'x86-laptop', ['APIC.bin', 'DMAR.bin']],
  ['fleet-a/server', 'arm-server', ['APIC.bin', 'IORT.bin']],
  ['fleet-b/desktop', 'amd-desktop', ['APIC.bin', 'IVRS.bin']],
];

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'acpi-iommu-machines-'));
  for (const [folder, sample, tables] of MACHINES) {
    mkdirSync(join(tree, folder), { recursive: true });
    for (const table of tables) copyFileSync(join(SAMPLES, sample, table), join(tree, folder, table));
  }
  // A fourth machine whose DMAR lost its last 10 bytes: error findings (as test/cli-check.test.ts).
  const dmar = readFileSync(join(SAMPLES, 'x86-laptop', 'DMAR.bin'));
  mkdirSync(join(tree, 'fleet-b', 'broken'), { recursive: true });
  writeFileSync(join(tree, 'fleet-b', 'broken', 'DMAR.bin'), dmar.subarray(0, dmar.length - 10));
});

afterAll(() => {
  if (tree !== undefined) rmSync(tree, { recursive: true, force: true });
});

describe('check -r over a tree of machines', () => {
  it('prints one line per machine in natural order, then the totals; the same with 1 and 2 workers', async () => {
    const [one, two] = await Promise.all([runCli(['check', '-r', tree, '--jobs', '1']), runCli(['check', '-r', tree, '--jobs', '2'])]);
    expect(two.stdout).toBe(one.stdout);
    expect(two.code).toBe(one.code);
    expect(one.code).toBe(1);
    // Piped stderr: no progress bar, nothing extra.
    expect(one.stderr).toBe('');
    expect(two.stderr).toBe('');
    const machineLines = one.stdout.split('\n').filter((line) => line.startsWith(tree) && /: checked \d+ tables?: /.test(line));
    expect(machineLines.map((line) => line.slice(tree.length + 1, line.indexOf(': checked')))).toEqual(['fleet-a/laptop', 'fleet-a/server', 'fleet-b/broken', 'fleet-b/desktop']);
    expect(machineLines[0]).toMatch(/: checked 2 tables: /);
    expect(machineLines[2]).toMatch(/: checked 1 table: [1-9]\d* errors?, /);
    // Each finding line comes before its machine's line.
    const lines = one.stdout.split('\n');
    const brokenFinding = lines.findIndex((line) => line.startsWith(join(tree, 'fleet-b', 'broken', 'DMAR.bin:')));
    expect(brokenFinding).toBeGreaterThan(lines.indexOf(machineLines[1]!));
    expect(brokenFinding).toBeLessThan(lines.indexOf(machineLines[2]!));
    expect(lines.at(-2)).toMatch(/^checked 4 machines, 7 tables: [1-9]\d* errors?, /);
  });

  it('--json: the tables in order and machines[] with per-machine counts; the same with 1 and 2 workers', async () => {
    const [one, two] = await Promise.all([runCli(['check', '--json', '-r', tree, '--jobs', '1']), runCli(['check', '--json', '-r', tree, '--jobs', '2'])]);
    expect(two.stdout).toBe(one.stdout);
    const document = JSON.parse(one.stdout) as { tables: { source: string }[]; machines: { source: string; tables: number; error: number }[]; summary: { tables: number; error: number } };
    expect(document.tables.map((table) => table.source.slice(tree.length + 1))).toEqual([
      'fleet-a/laptop/APIC.bin',
      'fleet-a/laptop/DMAR.bin',
      'fleet-a/server/APIC.bin',
      'fleet-a/server/IORT.bin',
      'fleet-b/broken/DMAR.bin',
      'fleet-b/desktop/APIC.bin',
      'fleet-b/desktop/IVRS.bin',
    ]);
    expect(document.machines.map((machine) => [machine.source.slice(tree.length + 1), machine.tables])).toEqual([
      ['fleet-a/laptop', 2],
      ['fleet-a/server', 2],
      ['fleet-b/broken', 1],
      ['fleet-b/desktop', 2],
    ]);
    expect(document.machines[2]!.error).toBeGreaterThan(0);
    expect(document.summary.tables).toBe(7);
    expect(document.summary.error).toBe(document.machines.reduce((sum, machine) => sum + machine.error, 0));
  });

  it('--format sarif and --quiet give the same output with 1 and 2 workers', async () => {
    for (const extra of [['--format', 'sarif'], ['--quiet'], ['--format', 'github']]) {
      const [one, two] = await Promise.all([runCli(['check', ...extra, '-r', tree, '--jobs', '1']), runCli(['check', ...extra, '-r', tree, '--jobs', '2'])]);
      expect(two.stdout, extra.join(' ')).toBe(one.stdout);
      expect(one.stdout.length).toBeGreaterThan(20);
    }
  });

  it('several folders given by name are several machines too', async () => {
    const result = await runCli(['check', join(tree, 'fleet-a', 'laptop'), join(tree, 'fleet-a', 'server')]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^checked 2 machines, 4 tables: 0 errors, /);
  });

  it('refuses a --jobs that is not a positive whole number (exit 2)', async () => {
    const result = await runCli(['check', '-r', tree, '--jobs', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('acpi-iommu: --jobs takes a whole number of workers, 1 or more, not "0"\n');
    expect(result.stdout).toBe('');
  });

  it.skipIf(!existsSync(join(REPO_ROOT, 'dist', 'cli', 'machines-worker.js')))('the bundled CLI (dist/) runs its workers from dist/cli/machines-worker.js with the same output', async () => {
    const [bundled, source] = await Promise.all([
      runProgramAs(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.cjs'), 'check', '-r', tree, '--jobs', '2']),
      runCli(['check', '-r', tree, '--jobs', '1']),
    ]);
    expect(bundled.stderr).toBe('');
    expect(bundled.stdout).toBe(source.stdout);
  });
});

describe('report -r over a tree of machines', () => {
  it('one line per machine with its tables, then the totals; the same with 1 and 2 workers', async () => {
    const [one, two] = await Promise.all([runCli(['report', '-r', tree, '--jobs', '1']), runCli(['report', '-r', tree, '--jobs', '2'])]);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const lines = one.stdout.trim().split('\n');
    expect(lines.slice(0, -1).map((line) => line.slice(tree.length + 1, line.indexOf(';')))).toEqual([
      'fleet-a/laptop: APIC, DMAR',
      'fleet-a/server: APIC, IORT',
      'fleet-b/broken: DMAR',
      'fleet-b/desktop: APIC, IVRS',
    ]);
    expect(lines.at(-1)).toMatch(/^reported 4 machines, 7 tables: [1-9]\d* errors?, /);
  });

  it('--json: machines[] each with the sections of a one-machine report, equal to report --json of that folder alone', async () => {
    const [one, two, alone] = await Promise.all([
      runCli(['report', '--json', '-r', tree, '--jobs', '1']),
      runCli(['report', '--json', '-r', tree, '--jobs', '2']),
      runCli(['report', '--json', join(tree, 'fleet-a', 'server')]),
    ]);
    expect(two.stdout).toBe(one.stdout);
    const document = JSON.parse(one.stdout) as { machines: Record<string, unknown>[]; summary: { machines: number; tables: number } };
    expect(document.summary).toMatchObject({ machines: 4, tables: 7 });
    const single = JSON.parse(alone.stdout) as Record<string, unknown>;
    const server = document.machines[1]!;
    expect(server.source).toBe(join(tree, 'fleet-a', 'server'));
    for (const section of ['tables', 'iommuUnits', 'reservedMemory', 'regions', 'diagnostics']) expect(server[section], section).toEqual(single[section]);
  });

  it('refuses --pci over several machines (each folder has its own topology)', async () => {
    const result = await runCli(['report', '-r', tree, '--pci', join(SAMPLES, 'x86-laptop', 'pci.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^acpi-iommu: --pci names one machine's topology; over several machines \(4 folders\)/);
  });
});


describe('audit -r over a tree of machines', () => {
  it('each machine audited on its own: its findings, one line with its ranges, then the totals; the same with 1 and 2 workers', async () => {
    const [one, two] = await Promise.all([runCli(['audit', '-r', tree, '--jobs', '1']), runCli(['audit', '-r', tree, '--jobs', '2'])]);
    expect(two.stdout).toBe(one.stdout);
    expect(two.code).toBe(one.code);
    const machineLines = one.stdout.split('\n').filter((line) => /^\S+: \d+ ranges?: /.test(line));
    const counts = Object.fromEntries(machineLines.map((line) => [line.slice(tree.length + 1, line.indexOf(': ')), Number(/: (\d+) range/.exec(line)![1])]));
    // The samples' RMRRs, RMR and IVMDs (README): the laptop has three, the Arm server one, the AMD desktop two.
    expect(counts).toMatchObject({ 'fleet-a/laptop': 3, 'fleet-a/server': 1, 'fleet-b/desktop': 2 });
    expect(Object.keys(counts)).toEqual(['fleet-a/laptop', 'fleet-a/server', 'fleet-b/broken', 'fleet-b/desktop']);
    expect(one.stdout.trim().split('\n').at(-1)).toMatch(/^summary: 4 machines, \d+ ranges: /);
  });

  it('--json: machines[] with each one\'s ranges; the same with 1 and 2 workers', async () => {
    const [one, two] = await Promise.all([runCli(['audit', '--json', '-r', tree, '--jobs', '1']), runCli(['audit', '--json', '-r', tree, '--jobs', '2'])]);
    expect(two.stdout).toBe(one.stdout);
    const document = JSON.parse(one.stdout) as { machines: { source: string; ranges: unknown[] }[]; summary: { machines: number } };
    expect(document.summary.machines).toBe(4);
    expect(document.machines[0]!.ranges).toHaveLength(3);
  });

  it('refuses --memmap over several machines', async () => {
    const result = await runCli(['audit', '-r', tree, '--memmap', join(REPO_ROOT, 'examples', 'laptop-e820.log')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^acpi-iommu: --memmap names one machine's memory map; over several machines \(4 folders\) give none\n$/);
  });
});
