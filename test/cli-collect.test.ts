/** `acpi-iommu collect --root` on a fake machine, and every command reading the archive it writes. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { writeFakeMemmap } from './support/fake-memmap.js';
import { makeFakeSysfs } from './support/fake-sysfs.js';
import { buildDmar } from './support/region-tables.js';
import { REPO_ROOT } from './support/shared.js';

const root = mkdtempSync(join(tmpdir(), 'acpi-iommu-collect-'));
// T2 of the region vectors: an RMRR on the NIC 00:1f.6 (group 4) at 0x3e2e0000–0x3e2fffff.
const dmar = buildDmar({ rmrrs: [{ base: 0x3e2e0000n, end: 0x3e2fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1f, 6]] }] }] });
const sysfs = makeFakeSysfs([
  { bdf: '0000:00:14.0', class: 0x0c0330, group: 1 },
  { bdf: '0000:00:1f.6', class: 0x020000, group: 4 },
]);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(sysfs, { recursive: true, force: true });
});
symlinkSync(sysfs, join(root, 'sys'));
mkdirSync(join(sysfs, 'firmware', 'acpi', 'tables'), { recursive: true });
writeFileSync(join(sysfs, 'firmware', 'acpi', 'tables', 'DMAR'), dmar);
writeFakeMemmap(join(sysfs, 'firmware', 'memmap'), [
  ['0x0', '0x3e2dffff', 'System RAM'],
  ['0x3e2e0000', '0x3e2fffff', 'Reserved'],
]);
mkdirSync(join(root, 'proc'));
writeFileSync(join(root, 'proc', 'version'), 'Linux version 6.6.12-test (builder@host) #1 SMP\n');
const archivePath = join(root, 'archive.json');

/** The archive against schemas/collect.json (which refers to common.json and pci-topology.json). */
function validateArchive(value: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strictRequired: false });
  for (const name of ['common', 'pci-topology', 'collect']) ajv.addSchema(JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', `${name}.json`), 'utf8')));
  const validate = ajv.getSchema('https://unpkg.com/acpi-iommu/schemas/collect.json')!;
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

describe('acpi-iommu collect', () => {
  it('writes one archive: tables, topology with groups, memory map, kernel version', async () => {
    const result = await runCli(['collect', '--root', root, '-o', archivePath]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^acpi-iommu collect: 1 tables \(DMAR\); topology read; memory map read; kernel read → /);
    const archive = JSON.parse(readFileSync(archivePath, 'utf8'));
    expect(archive).toMatchObject({ schemaVersion: 1, command: 'collect', kind: 'acpi-iommu-archive', kernel: 'Linux version 6.6.12-test (builder@host) #1 SMP', failures: [] });
    expect(archive.tables).toEqual([{ signature: 'DMAR', source: join(root, 'sys', 'firmware', 'acpi', 'tables', 'DMAR'), base64: Buffer.from(dmar).toString('base64') }]);
    expect(archive.topology.groups).toEqual({ '1': ['0000:00:14.0'], '4': ['0000:00:1f.6'] });
    expect(validateArchive(archive)).toEqual([]);
    expect(archive.memoryMap).toEqual([{ start: '0x0', end: '0x3e2dffff', type: 'System RAM' }, { start: '0x3e2e0000', end: '0x3e2fffff', type: 'Reserved' }]);
  });

  it('-o never replaces a file without --force, never writes through a symbolic link', async () => {
    const existing = join(root, 'existing.json');
    writeFileSync(existing, 'keep me\n');
    const refused = await runCli(['collect', '--root', root, '-o', existing]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`acpi-iommu collect: cannot write ${existing}: exists; give --force to replace it`);
    expect(readFileSync(existing, 'utf8')).toBe('keep me\n');
    const link = join(root, 'link.json');
    symlinkSync(existing, link);
    const throughLink = await runCli(['collect', '--root', root, '-o', link, '--force']);
    expect(throughLink.code).toBe(2);
    expect(throughLink.stderr).toContain('is a symbolic link');
    expect(readFileSync(existing, 'utf8')).toBe('keep me\n');
    const forced = await runCli(['collect', '--root', root, '-o', existing, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(existing, 'utf8'))).toMatchObject({ kind: 'acpi-iommu-archive' });
  });

  it('every command reads it: as the input, as --pci, as --memmap', async () => {
    const check = await runCli(['check', archivePath]);
    expect([check.code, check.stdout]).toEqual([0, 'checked 1 table: 0 errors, 0 warnings, 0 info\n']);
    const sysfsText = await runCli(['regions', archivePath, '--pci', archivePath, '--group', '4', '--sysfs']);
    expect([sysfsText.code, sysfsText.stderr, sysfsText.stdout]).toEqual([0, '', '0x000000003e2e0000 0x000000003e2fffff direct\n0x00000000fee00000 0x00000000feefffff msi\n']);
    const explain = await runCli(['explain', archivePath, '00:1f.6', '--pci', archivePath]);
    expect(explain.code).toBe(1);
    expect(explain.stdout).toMatch(/^explain 0000:00:1f\.6 \[020000\]/);
    const audit = await runCli(['audit', archivePath, '--memmap', archivePath]);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/memory map: 2 entries/);
  });

  it('given alone, the archive is its own topology: explain and report need no --pci', async () => {
    const explain = await runCli(['explain', archivePath, '00:1f.6', '--json']);
    expect(explain.code).toBe(1);
    expect(JSON.parse(explain.stdout)).toMatchObject({ topology: archivePath, topologyGiven: true, verdict: { outcome: 'refused' } });
    const report = await runCli(['report', archivePath]);
    expect(report.stdout).toMatch(/group 4: 0000:00:1f\.6 \[020000\]/);
  });

  it('a machine without readable tables: the archive says why, exit 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'acpi-iommu-collect-empty-'));
    try {
      const result = await runCli(['collect', '--root', empty]);
      expect(result.code).toBe(2);
      const archive = JSON.parse(result.stdout);
      expect(archive.tables).toEqual([]);
      expect(archive.failures.map((failure: { source: string }) => failure.source)).toContain(join(empty, 'sys', 'firmware', 'acpi', 'tables'));
      expect(archive.kernel).toBeNull();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
