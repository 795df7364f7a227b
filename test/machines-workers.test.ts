/**
 * How many worker threads a run over many machines uses (src/cli/shared/machines-option.ts
 * workersFor): --jobs when given; otherwise threads only when the run has enough files to pay
 * for starting them (FILES_PER_WORKER each), at most one per core. The plan counts the files,
 * and runMachines starts the pool only for more than one worker.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { planMachineUnits, type MachinePlan } from '../src/cli/shared/machine-units.js';
import { FILES_PER_WORKER, workersFor } from '../src/cli/shared/machines-option.js';
import { runMachines, type UnitOutcome } from '../src/cli/shared/machines-run.js';
import { ChunkedWriter } from '../src/cli/shared/output.js';

const pool = vi.hoisted(() => ({ runs: [] as number[] }));
vi.mock('../src/cli/shared/machines-pool.js', () => ({
  // Stands in for the threads: records the worker count and delivers every unit, as the pool does.
  async runInWorkers(run: { units: readonly unknown[]; workers: number; done(): void; deliver(result: UnitOutcome): Promise<void> }) {
    pool.runs.push(run.workers);
    for (const _ of run.units) {
      run.done();
      await run.deliver({ failures: [], notes: [], notRead: [] });
    }
  },
}));

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-workers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('workersFor', () => {
  it('uses --jobs as given, whatever the size of the run', () => {
    expect(workersFor(3, 10, 2)).toBe(3);
    expect(workersFor(1, 1_000_000, 8)).toBe(1);
  });

  it('without --jobs: one worker (this process) until two workers each have FILES_PER_WORKER files', () => {
    expect(FILES_PER_WORKER).toBe(1000);
    expect(workersFor(undefined, 0, 2)).toBe(1);
    expect(workersFor(undefined, 502, 2)).toBe(1);
    expect(workersFor(undefined, 1999, 2)).toBe(1);
    expect(workersFor(undefined, 2000, 2)).toBe(2);
  });

  it('without --jobs: never more workers than cores', () => {
    expect(workersFor(undefined, 100_000, 2)).toBe(2);
    expect(workersFor(undefined, 5_500, 8)).toBe(5);
    expect(workersFor(undefined, 100_000, 1)).toBe(1);
  });
});

describe('the plan counts the files its units will read', () => {
  it('file arguments one each, a directory argument its entries, a walked tree the files of each folder', async () => {
    const files = (folder: string, names: string[]): string[] => {
      mkdirSync(join(work, folder), { recursive: true });
      return names.map((name) => {
        writeFileSync(join(work, folder, name), 'x');
        return join(work, folder, name);
      });
    };
    const loose = files('loose', ['DMAR.bin', 'APIC.bin', 'IORT.bin']);
    files('folder', ['DMAR', 'APIC']);
    files('tree/a', ['DMAR.bin']);
    files('tree/b', ['IVRS.bin', 'APIC.bin', 'FACP.bin', 'README']);
    // Two file arguments, one folder of 2 entries.
    expect((await planMachineUnits([loose[0]!, loose[1]!, join(work, 'folder')], false)).files).toBe(4);
    // -r: 1 + 4 files; the folders themselves are not files.
    const walked = await planMachineUnits([join(work, 'tree')], true);
    expect(walked.units).toHaveLength(2);
    expect(walked.files).toBe(5);
  });
});

describe('runMachines starts threads only for more than one worker', () => {
  beforeEach(() => {
    pool.runs.length = 0;
  });

  const planOf = (units: number, files: number): MachinePlan => ({
    units: Array.from({ length: units }, (_, index) => ({ paths: [`m${index}`], walked: false })),
    notes: [],
    failures: [],
    files,
  });

  /** Runs the plan; resolves to the number of units whose job ran in this process. */
  const run = (plan: MachinePlan, jobs: number | undefined): Promise<number> => {
    let inProcess = 0;
    return runMachines<undefined, UnitOutcome>({
      command: 'check',
      plan,
      verbose: false,
      options: undefined,
      jobs,
      output: new ChunkedWriter({ write: () => true, once: () => undefined, off: () => undefined }),
      job: async () => {
        inProcess++;
        return { failures: [], notes: [], notRead: [] };
      },
      deliver: async () => {},
    }).then(() => inProcess);
  };

  it('a run of a few hundred files stays in this process unless --jobs asks for threads', async () => {
    expect(await run(planOf(410, 502), undefined)).toBe(410);
    expect(pool.runs).toEqual([]);
    expect(await run(planOf(410, 502), 2)).toBe(0);
    expect(pool.runs).toEqual([2]);
  });

  it('a run large enough for every core uses threads unless --jobs 1', async () => {
    const cores = (await import('node:os')).availableParallelism();
    await run(planOf(50, FILES_PER_WORKER * cores), undefined);
    expect(pool.runs).toEqual(cores > 1 ? [cores] : []);
    pool.runs.length = 0;
    expect(await run(planOf(50, FILES_PER_WORKER * cores), 1)).toBe(50);
    expect(pool.runs).toEqual([]);
  });
});
