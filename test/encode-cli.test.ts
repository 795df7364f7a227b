/**
 * `acpi-iommu encode`: JSON model → table file, for VMM authors. Runs the command through the
 * real commander program, in process (runCli).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/shared.js';
import { runCli } from './support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-encode-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const encode = (args: string[], stdin?: string) => runCli(['encode', ...args], stdin === undefined ? {} : { stdin });

describe('acpi-iommu encode', () => {
  it('builds the sample IORT from its model, byte for byte', async () => {
    const output = join(work, 'IORT.bin');
    const result = await encode([join(REPO_ROOT, 'corpus/samples/arm-server/IORT.model.json'), '-o', output]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/IORT: 368 bytes .* no findings/);
    expect(readFileSync(output).equals(readFileSync(join(REPO_ROOT, 'corpus/samples/arm-server/IORT.bin')))).toBe(true);
  });

  it('reads stdin, reports findings, and writes nothing when check would find an error (exit 1)', async () => {
    const model = JSON.stringify({ signature: 'DMAR', structures: [{ kind: 'drhd', registerBaseAddress: 0 }] });
    const output = join(work, 'DMAR.bin');
    const refused = await encode(['-', '-o', output], model);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('dmar.drhd.base-zero');
    expect(refused.stderr).toContain('not written: check would find errors');
    expect(existsSync(output)).toBe(false);
  });

  it('names the bad field and exits 2 on an invalid model', async () => {
    const path = join(work, 'bad.json');
    writeFileSync(path, JSON.stringify({ signature: 'APIC', entries: [{ kind: 'io-apic', ioApicId: 300 }] }));
    const result = await encode([path, '-o', join(work, 'x.bin')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('entries[0].ioApicId');
  });
});
