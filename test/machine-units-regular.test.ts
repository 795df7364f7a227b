/**
 * Files given one by one to a run over many machines are stat'ed once, by the plan
 * (src/cli/shared/machine-units.ts): a unit of regular files is then read without a second stat
 * (src/node/inputs.ts loadRegularFiles), and loads exactly what loadInputs loads.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadUnit, planMachineUnits } from '../src/cli/shared/machine-units.js';
import { loadInputs } from '../src/node/inputs.js';
import { REPO_ROOT } from './support/shared.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-regular-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const samples = join(REPO_ROOT, 'corpus', 'samples');

function machine(name: string, files: Record<string, string>): string[] {
  mkdirSync(join(work, name), { recursive: true });
  return Object.entries(files).map(([file, sample]) => {
    copyFileSync(join(samples, sample), join(work, name, file));
    return join(work, name, file);
  });
}

describe('units of files given one by one', () => {
  it('are marked regular when every file is, and load what loadInputs loads', async () => {
    const laptop = machine('laptop', { 'DMAR.bin': 'x86-laptop/DMAR.bin', 'APIC.bin': 'x86-laptop/APIC.bin' });
    const server = machine('server', { 'IORT.bin': 'arm-server/IORT.bin' });
    writeFileSync(join(work, 'server', 'notes.txt'), 'not a table');
    const given = [...laptop, ...server, join(work, 'server', 'notes.txt')];
    const plan = await planMachineUnits(given, false);
    expect(plan.units.map((unit) => [unit.paths.length, unit.regularFiles])).toEqual([[2, true], [2, true]]);
    for (const unit of plan.units) expect(await loadUnit(unit)).toEqual(await loadInputs(unit.paths));
    // The text file given by name is a failure, as without the plan.
    expect((await loadUnit(plan.units[1]!)).failures).toEqual([{ path: join(work, 'server', 'notes.txt'), reason: 'not recognised as an ACPI table or acpidump text' }]);
  });

  it('a file gone between plan and read fails as loadInputs says it does', async () => {
    const [dmar, apic] = machine('gone', { 'DMAR.bin': 'x86-laptop/DMAR.bin', 'APIC.bin': 'x86-laptop/APIC.bin' });
    const plan = await planMachineUnits([dmar!, apic!], false);
    rmSync(dmar!);
    const loaded = await loadUnit(plan.units[0]!);
    expect(loaded.failures).toEqual([{ path: dmar, reason: 'no such file or directory' }]);
    expect(loaded).toEqual(await loadInputs([dmar!, apic!]));
  });

  it.skipIf(process.platform === 'win32')('a unit with a FIFO is not marked, so the FIFO is still read without blocking', async () => {
    const [dmar] = machine('fifo', { 'DMAR.bin': 'x86-laptop/DMAR.bin' });
    const fifo = join(work, 'fifo', 'APIC');
    execFileSync('mkfifo', [fifo]);
    const plan = await planMachineUnits([dmar!, fifo], false);
    expect(plan.units.map((unit) => unit.regularFiles)).toEqual([false]);
    // Directories given by name are units of their own, never marked.
    expect((await planMachineUnits([join(work, 'laptop'), join(work, 'server')], false)).units.map((unit) => unit.regularFiles)).toEqual([undefined, undefined]);
  });
});
