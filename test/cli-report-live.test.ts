/**
 * `npm start` (report on the live machine) on an AMD host: a tables directory holding an IVRS
 * is reported like a DMAR or IORT one — IVHD units, IVMD memory, regions per IOMMU group from
 * the machine's sysfs — instead of falling back to the bundled sample. The "machine" is the
 * amd-basic kernel case of ../shared: its IVRS as /sys/firmware/acpi/tables/IVRS, its sysfs tree.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportLive } from '../src/cli/report/run.js';
import { CORPUS_ROOT, kernelCases } from './support/shared.js';

const CASE = join(CORPUS_ROOT, 'kernel', 'amd-basic');
const haveCase = kernelCases().includes('amd-basic');

async function captured(run: () => Promise<number>): Promise<{ code: number; text: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    return { code: await run(), text: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe.skipIf(!haveCase)('report on a live AMD machine', () => {
  let tables: string | undefined;
  afterEach(() => {
    if (tables !== undefined) rmSync(tables, { recursive: true, force: true });
  });

  it('reports the IVRS: units, IVMDs and the groups of its sysfs, not the sample', async () => {
    tables = mkdtempSync(join(tmpdir(), 'acpi-iommu-live-'));
    copyFileSync(join(CASE, 'IVRS.bin'), join(tables, 'IVRS'));
    const { code, text } = await captured(() => reportLive(tables!, join(CASE, 'sysfs'), { color: false }));
    expect(code).toBe(0);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`acpi-iommu report: ${tables}`);
    expect(text).not.toContain('bundled sample');
    expect(text).toContain('IVHD 0x10 @0x0030 segment 0x0000 base 0xfed80000');
    expect(text).toContain('IVMD 0x20 @0x00d0 segment 0x0000 0x3e400000-0x3e5fffff exclusion range  for all devices');
    // Group 2 (the xHCI at 00:03.0): Linux printed 0x3e000000-0x3e17ffff direct (two IVMDs merged).
    const group = lines.findIndex((line) => line.trim().startsWith('group 2: 0000:00:03.0'));
    expect(group).toBeGreaterThan(0);
    expect(lines[group + 1]).toMatch(/^ {4}0x000000003e000000-0x000000003e17ffff direct /);
  });
});
