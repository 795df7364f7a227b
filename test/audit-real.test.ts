/** Real-corpus smoke: `audit` over every real DMAR and IORT in ../shared/corpus/real runs without throwing. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditJson, auditLines, auditTables, memoryMap } from '../src/audit/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED, SKIP_REASON, readReal, realTables } from './support/shared.js';

/** A typical PC layout: low RAM, RAM to 2 GiB, reserved 2–4 GiB. */
const PC_MAP = memoryMap('json', [
  { start: 0x0n, end: 0x9ffffn, type: 'System RAM' },
  { start: 0xa0000n, end: 0xfffffn, type: 'Reserved' },
  { start: 0x100000n, end: 0x7fffffffn, type: 'System RAM' },
  { start: 0x80000000n, end: 0xcfffffffn, type: 'ACPI Non-volatile Storage' },
  { start: 0xd0000000n, end: 0xffffffffn, type: 'Reserved' },
]);
const KERNELS = [undefined, kernelBehaviour('5.2'), kernelBehaviour('5.5'), kernelBehaviour('6.1')];
const bigintText = (_key: string, value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value);

describe.skipIf(!HAVE_SHARED)(`audit over the real corpus${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  const rows = [...realTables('DMAR'), ...realTables('IORT')];

  it('covers every real DMAR and IORT', () => {
    expect(rows.length).toBeGreaterThan(200);
  });

  for (const row of rows) {
    it(`${row.path}`, () => {
      const bytes = readReal(row.path);
      const tables = row.signature === 'DMAR' ? { dmar: parseDmar(bytes) } : { iort: parseIort(bytes) };
      const rmrrs = tables.dmar === undefined ? 0 : [...tables.dmar.structuresOfKind('rmrr')].length;
      for (const kernel of KERNELS) {
        for (const map of [undefined, PC_MAP]) {
          const result = auditTables(tables, { memoryMap: map, kernel });
          if (tables.dmar !== undefined) expect(result.ranges).toHaveLength(rmrrs);
          for (const item of result.findings) {
            if (item.table !== 'memmap') expect(item.offset, item.code).toBeLessThan(bytes.length);
          }
          expect(auditLines(result).at(-1)).toMatch(/^summary: /);
          expect(() => JSON.stringify(auditJson(result), bigintText)).not.toThrow();
        }
      }
    });
  }

  it('the CLI audits a real DMAR and the one rev-5 IORT with an RMR', async () => {
    const dmar = await runCli(['audit', join(CORPUS_ROOT, 'real', 'linuxhw', 'Hewlett-Packard_ProLiant-DL360-G7_60DCEE46526A', 'DMAR.bin')]);
    expect(dmar.code).toBe(0);
    expect(dmar.stdout).toMatch(/summary: 3 range\(s\), 0 error\(s\)/);
    const iort = await runCli(['audit', join(CORPUS_ROOT, 'real', 'orion-o6', 'radxa-orion-o6_cix-sky1', 'IORT.bin'), '--json']);
    expect(iort.code).toBe(0);
    // RMR @0x9e0: one descriptor [0x84800000, length 0x800000] (64 KiB aligned), ten single mappings onto SMMUv3 @0xdc.
    expect(JSON.parse(iort.stdout).ranges).toMatchObject([{ table: 'IORT', structure: 'RMR', nodeOffset: 0x9e0, start: '0x84800000', end: '0x84ffffff' }]);
  });
});
