/**
 * The command line says only what it knows (issue 13): inputs without any table it reads, folders
 * read recursively, several tables of one signature, unknown commands, guessed groups, and
 * errors that read like the tool. Every input is built here, so nothing depends on ../shared.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { Bytes, fixChecksum } from './support/iort-builder.js';
import { buildDmar } from './support/region-tables.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-truthful-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(path: string, bytes: Uint8Array | string): string {
  const full = join(work, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, bytes);
  return full;
}

/** An MCFG with one allocation: a real signature acpi-iommu does not read. */
function mcfg(): Uint8Array {
  const body = new Bytes().zeros(8).u64(0xe0000000n).u16(0).u8(0).u8(0xff).zeros(4);
  const header = new Bytes().ascii('MCFG', false).u32(36 + 24).u8(1).u8(0).ascii('ACPIIO', false).ascii('TRUTHFUL', false).u32(1).ascii('TEST', false).u32(1);
  for (const byte of body.done()) header.u8(byte);
  return fixChecksum(header.done());
}

const dmarA = buildDmar({ rmrrs: [{ base: 0x3e2e0000n, end: 0x3e2fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1f, 6]] }] }] });
const dmarB = buildDmar({ rmrrs: [{ base: 0x7a000000n, end: 0x7a0fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }] });

describe('inputs that hold no DMAR, IORT, IVRS or APIC', () => {
  const empty = join(work, 'empty');
  mkdirSync(empty);
  const nested = join(work, 'nested');
  write('nested/machine/DMAR.bin', dmarA);
  write('nested/machine/MCFG.bin', mcfg());
  const lone = write('lone/MCFG.bin', mcfg());

  it('an empty folder: exit 2 and one line, for check, dump and report', async () => {
    for (const command of ['check', 'dump', 'report']) {
      const result = await runCli([command, empty]);
      expect([command, result.code, result.stdout]).toEqual([command, 2, '']);
      expect(result.stderr).toBe('acpi-iommu: no DMAR, IORT, IVRS or APIC table in the inputs: found no ACPI table at all\n');
    }
  });

  it('a lone MCFG: exit 2 naming what was found', async () => {
    const result = await runCli(['check', lone]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('acpi-iommu: no DMAR, IORT, IVRS or APIC table in the inputs: found only MCFG\n');
  });

  it('a folder of folders says -r; with -r every table is read and accounted for', async () => {
    const flat = await runCli(['check', nested]);
    expect(flat.code).toBe(2);
    expect(flat.stderr).toMatch(/found no ACPI table at all; 1 subdirectory not read \(add -r/);
    const deep = await runCli(['check', '-r', nested]);
    expect(deep.code).toBe(0);
    expect(deep.stdout).toBe('checked 1 table: 0 errors, 0 warnings, 0 info; 1 other table not checked (MCFG)\n');
    const dump = await runCli(['dump', '--recursive', '--json', nested]);
    expect(dump.code).toBe(0);
    expect(JSON.parse(dump.stdout).tables.map((item: { source: string }) => item.source)).toEqual([join(nested, 'machine', 'DMAR.bin')]);
  });

  it('-r reads a folder reached twice through a symbolic link once', async () => {
    const root = join(work, 'looped');
    write('looped/a/DMAR.bin', dmarA);
    symlinkSync(join(root, 'a'), join(root, 'b'));
    symlinkSync(root, join(root, 'a', 'up'));
    const result = await runCli(['--verbose', 'check', '-r', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('checked 1 table: 0 errors, 0 warnings, 0 info\n');
    expect(result.stderr).toMatch(/already read \(a symbolic link/);
  });
});

describe('several tables of one signature', () => {
  const first = write('two/a/DMAR.bin', dmarA);
  const second = write('two/b/DMAR.bin', dmarB);

  it('check and dump give per-table results', async () => {
    const check = await runCli(['check', '--json', first, second]);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).tables.map((item: { source: string }) => item.source)).toEqual([first, second]);
  });

  it('single-machine commands refuse, naming both, instead of using the first', async () => {
    for (const args of [['regions', first, second], ['iova', first, second], ['audit', first, second], ['explain', first, second, '00:14.0']]) {
      const result = await runCli(args);
      expect([args[0], result.code, result.stdout]).toEqual([args[0], 2, '']);
      expect(result.stderr).toBe(`acpi-iommu: 2 DMAR tables given (${first}, ${second}); this command answers for one machine: give one DMAR (check and dump take several)\n`);
    }
  });

  it('report refuses the per-group regions and still lists both tables', async () => {
    const result = await runCli(['report', first, second]);
    expect(result.stdout).toMatch(/2 DMAR tables given/);
    expect(result.stdout).toContain(second);
  });
});

describe('commands and errors read like the tool', () => {
  const dmar = write('one/DMAR.bin', dmarA);

  it('an unknown command is exit 2 with a suggestion, not a report on a file of that name', async () => {
    const result = await runCli(['regoins', dmar]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^acpi-iommu: unknown command 'regoins' \(did you mean regions\?\); the commands are report, dump, check/);
    // A path that exists is still the default command's input.
    expect((await runCli([join(work, 'one')])).code).toBe(0);
  });

  it('a missing file, a missing / binary / non-JSON --pci, a binary encode model: one line each, exit 2', async () => {
    const missing = await runCli(['check', join(work, 'nope.bin')]);
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([2, '', `acpi-iommu: ${join(work, 'nope.bin')}: no such file or directory\n`]);
    const expected = 'expected a PCI topology: JSON {"devices": [...], "groups": {...}}, a boot log with its "pci …" lines, lspci -vmm -nn or lspci -tvnn output, an acpi-iommu collect archive, or a sysfs root such as /sys';
    const noPci = await runCli(['regions', dmar, '--pci', join(work, 'nope.json')]);
    expect([noPci.code, noPci.stderr]).toEqual([2, `acpi-iommu: --pci ${join(work, 'nope.json')}: no such file or directory; ${expected}\n`]);
    const binaryPci = await runCli(['regions', dmar, '--pci', dmar]);
    expect([binaryPci.code, binaryPci.stderr]).toEqual([2, `acpi-iommu: --pci ${dmar}: a binary file (an ACPI DMAR table?), not JSON; ${expected}\n`]);
    const text = write('not.json', '{devices');
    const badPci = await runCli(['regions', dmar, '--pci', text]);
    expect(badPci.code).toBe(2);
    expect(badPci.stderr).toMatch(new RegExp(`^acpi-iommu: --pci ${text}: not valid JSON \\(.*\\); expected a PCI topology`));
    expect(badPci.stderr.split('\n')).toHaveLength(2);
    const encode = await runCli(['encode', dmar, '-o', join(work, 'out.bin')]);
    expect([encode.code, encode.stderr]).toEqual([2, `acpi-iommu encode: ${dmar}: a binary file (an ACPI DMAR table?), not JSON; expected a JSON table model (the shape of dump --json)\n`]);
  });
});

describe('regions --sysfs from guessed groups', () => {
  const dmar = write('guess/DMAR.bin', dmarA);
  const noGroups = write('guess/pci.json', JSON.stringify({ devices: [{ bdf: '0000:00:1f.6', class: '0x020000' }] }));
  const withGroups = write('guess/pci-groups.json', JSON.stringify({ devices: [{ bdf: '0000:00:1f.6', class: '0x020000' }], groups: { '4': ['0000:00:1f.6'] } }));

  it('warns on stderr and says how to capture real groups; JSON says groupsGuessed', async () => {
    const guessed = await runCli(['regions', dmar, '--pci', noGroups, '--sysfs']);
    expect(guessed.code).toBe(0);
    expect(guessed.stdout).toBe('0x000000003e2e0000 0x000000003e2fffff direct\n0x00000000fee00000 0x00000000feefffff msi\n');
    expect(guessed.stderr).toMatch(/^acpi-iommu: warning: the topology has no IOMMU groups.*--pci \/sys on the machine.*add "groups" to the JSON topology\n$/);
    expect(JSON.parse((await runCli(['regions', dmar, '--pci', noGroups, '--json'])).stdout).groupsGuessed).toBe(true);
    const real = await runCli(['regions', dmar, '--pci', withGroups, '--sysfs']);
    expect([real.code, real.stderr]).toEqual([0, '']);
    expect(JSON.parse((await runCli(['regions', dmar, '--pci', withGroups, '--json'])).stdout).groupsGuessed).toBe(false);
  });
});
