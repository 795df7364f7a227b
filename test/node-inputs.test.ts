/** Inputs: files, sysfs-like and `acpidump -b` directories, text dumps, failures and stdin. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyContent, describeFileError, loadInputs } from '../src/node/index.js';
import { signatureOf } from '../src/node/content.js';
import { runNode } from './support/cli.js';
import { HAVE_UNREADABLE, UNREADABLE_KIND, unreadableInput } from './support/unreadable.js';

/** A minimal table: header only, right Length, checksum not fixed (the loader does not care). */
function table(signature: string, length = 48): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < 4; index++) bytes[index] = signature.charCodeAt(index);
  new DataView(bytes.buffer).setUint32(4, length, true);
  bytes[8] = 1;
  return bytes;
}

function dumpText(blocks: { signature: string; bytes: Uint8Array }[]): string {
  return blocks
    .map(({ signature, bytes }) => {
      const lines = [`${signature} @ 0x000000007A6E1000`];
      for (let offset = 0; offset < bytes.length; offset += 16) {
        const chunk = Array.from(bytes.subarray(offset, offset + 16), (byte) => byte.toString(16).toUpperCase().padStart(2, '0'));
        lines.push(`    ${offset.toString(16).toUpperCase().padStart(4, '0')}: ${chunk.join(' ')}  ....`);
      }
      return `${lines.join('\n')}\n\n`;
    })
    .join('');
}

let root: string;
const sysfs = () => join(root, 'tables');
const acpidumpB = () => join(root, 'acpidump-b');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'acpi-iommu-inputs-'));
  mkdirSync(join(sysfs(), 'dynamic'), { recursive: true });
  mkdirSync(join(sysfs(), 'data'));
  writeFileSync(join(sysfs(), 'DMAR'), table('DMAR'));
  writeFileSync(join(sysfs(), 'APIC'), table('APIC', 44));
  writeFileSync(join(sysfs(), 'SSDT1'), table('SSDT'));
  writeFileSync(join(sysfs(), 'SSDT10'), table('SSDT'));
  writeFileSync(join(sysfs(), 'SSDT2'), table('SSDT'));
  writeFileSync(join(sysfs(), 'dynamic', 'SSDT11'), table('SSDT'));
  writeFileSync(join(sysfs(), 'data', 'BERT'), new Uint8Array(16));
  mkdirSync(acpidumpB());
  writeFileSync(join(acpidumpB(), 'dmar.dat'), table('DMAR'));
  writeFileSync(join(acpidumpB(), 'apic.dat'), table('APIC', 44));
  writeFileSync(join(acpidumpB(), 'README.txt'), 'tables from a test machine\n');
  writeFileSync(join(root, 'dump.txt'), dumpText([{ signature: 'DMAR', bytes: table('DMAR') }, { signature: 'SSDT', bytes: table('SSDT', 40) }]));
  writeFileSync(join(root, 'notes.txt'), 'nothing to see\n');
  writeFileSync(join(root, 'odd-name'), table('IORT'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('loadInputs', () => {
  it('reads a sysfs-like directory in kernel order, with dynamic/ and without data/', async () => {
    const result = await loadInputs([sysfs()]);
    expect(result.failures).toEqual([]);
    expect(result.tables.map((item) => item.source.slice(sysfs().length + 1))).toEqual(['APIC', 'DMAR', 'dynamic/SSDT11', 'SSDT1', 'SSDT2', 'SSDT10']);
    expect(result.tables.map((item) => item.signature)).toEqual(['APIC', 'DMAR', 'SSDT', 'SSDT', 'SSDT', 'SSDT']);
    expect(result.notes).toEqual([`${join(sysfs(), 'data')}: subdirectory skipped`]);
    expect(result.skippedDirectories).toEqual([join(sysfs(), 'data')]);
  });

  it('reads an acpidump -b folder and notes files that are not tables', async () => {
    const result = await loadInputs([acpidumpB()]);
    expect(result.failures).toEqual([]);
    expect(result.tables.map((item) => item.signature)).toEqual(['APIC', 'DMAR']);
    expect(result.notes).toEqual([`${join(acpidumpB(), 'README.txt')}: not recognised as an ACPI table or acpidump text; skipped`]);
  });

  it('splits an acpidump text file into path#N tables', async () => {
    const path = join(root, 'dump.txt');
    const result = await loadInputs([path]);
    expect(result.tables.map((item) => [item.source, item.signature, item.bytes.length])).toEqual([
      [`${path}#1`, 'DMAR', 48],
      [`${path}#2`, 'SSDT', 40],
    ]);
  });

  it('reads a UTF-16LE text dump with a byte-order mark (Windows PowerShell redirection)', async () => {
    const path = join(root, 'dump-utf16.txt');
    const text = dumpText([{ signature: 'IORT', bytes: table('IORT') }]);
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const result = await loadInputs([path]);
    expect(result.tables.map((item) => [item.source, item.signature, item.bytes])).toEqual([[`${path}#1`, 'IORT', table('IORT')]]);
  });

  it('recognises a raw table under any name by its signature and Length', async () => {
    const result = await loadInputs([join(root, 'odd-name')]);
    expect(result.tables.map((item) => item.signature)).toEqual(['IORT']);
  });

  it('reads a directory whose entries are links as well as files: a link to a table is read under its own name, a dangling one fails, one to a folder is skipped', async () => {
    const folder = join(root, 'links');
    mkdirSync(folder);
    writeFileSync(join(folder, 'APIC'), table('APIC', 44));
    symlinkSync(join(sysfs(), 'DMAR'), join(folder, 'DMAR'));
    symlinkSync(join(root, 'nowhere'), join(folder, 'IORT'));
    symlinkSync(acpidumpB(), join(folder, 'more'));
    const result = await loadInputs([folder]);
    expect(result.tables.map((item) => [item.source, item.signature, item.bytes.length])).toEqual([
      [join(folder, 'APIC'), 'APIC', 44],
      [join(folder, 'DMAR'), 'DMAR', 48],
    ]);
    expect(result.failures.map((failure) => failure.path)).toEqual([join(folder, 'IORT')]);
    // A link to a directory is a subdirectory, skipped as one.
    expect(result.notes).toEqual([`${join(folder, 'more')}: subdirectory skipped`]);
  });

  it('names each path that fails, and still loads the others', async () => {
    const missing = join(root, 'missing.dat');
    const underFile = join(root, 'odd-name', 'DMAR');
    const notTable = join(root, 'notes.txt');
    const result = await loadInputs([missing, join(root, 'odd-name'), underFile, notTable]);
    expect(result.tables.map((item) => item.signature)).toEqual(['IORT']);
    expect(result.failures).toEqual([
      { path: missing, reason: 'no such file or directory' },
      { path: underFile, reason: 'a component of the path is not a directory' },
      { path: notTable, reason: 'not recognised as an ACPI table or acpidump text' },
    ]);
  });

  it.skipIf(!HAVE_UNREADABLE)(`says "permission denied" for an unreadable input (${UNREADABLE_KIND})`, async () => {
    const locked = unreadableInput(root, table('DMAR'));
    const result = await loadInputs([locked]);
    expect(result.failures).toEqual([{ path: locked, reason: 'permission denied' }]);
  });

  it('explains permission errors under /sys/firmware/acpi/tables', () => {
    const error = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    expect(describeFileError(error, '/sys/firmware/acpi/tables/DMAR')).toBe(
      'permission denied (tables under /sys/firmware/acpi/tables are readable by root only; try sudo)',
    );
  });

  it('reads stdin for "-", binary or text', async () => {
    const script = `import { loadInputs } from './src/node/index.ts';
      const result = await loadInputs(['-']);
      console.log(JSON.stringify({ tables: result.tables.map((t) => [t.source, t.signature, t.bytes.length]), failures: result.failures }));`;
    const run = (stdin: string | Uint8Array) => runNode(['--input-type=module', '-e', script], { stdin });
    const binary = await run(table('DMAR', 56));
    expect(JSON.parse(binary.stdout)).toEqual({ tables: [['stdin', 'DMAR', 56]], failures: [] });
    const text = await run(dumpText([{ signature: 'IORT', bytes: table('IORT') }]));
    expect(JSON.parse(text.stdout)).toEqual({ tables: [['stdin#1', 'IORT', 48]], failures: [] });
    const empty = await run('');
    expect(JSON.parse(empty.stdout)).toEqual({ tables: [], failures: [{ path: 'stdin', reason: 'no input' }] });
  });
});

describe('classifyContent', () => {
  it.each([
    ['a raw table with a table extension', table('DMAR'), 'x.dat', 'raw-table'],
    ['a raw table under a sysfs name whose Length lies', table('DMAR', 8), 'DMAR', 'raw-table'],
    ['a Length that lies under an unknown name', table('DMAR', 8), 'blob', undefined],
    ['acpidump text', new TextEncoder().encode('\nAPIC @ 0x0000000000001000\n    0000: 41 50\n'), 'x.dat', 'acpidump-text'],
    ['text that is neither', new TextEncoder().encode('hello world'), 'x.txt', undefined],
    ['nothing', new Uint8Array(0), 'DMAR', undefined],
    // The control-character test reads bytes, except for UTF-16, whose ASCII has NUL high bytes.
    ['UTF-16LE acpidump text with its byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('\nAPIC @ 0x0000000000001000\n    0000: 41 50\n', 'utf16le')]), 'x.txt', 'acpidump-text'],
    ['acpidump text with a UTF-8 byte-order mark', new TextEncoder().encode('\ufeff\nAPIC @ 0x0000000000001000\n    0000: 41 50\n'), 'x.txt', 'acpidump-text'],
    ['dump-like text with a control character (0x08) late in it', new TextEncoder().encode(`\nAPIC @ 0x0000000000001000\n    0000: 41 50\n${' '.repeat(5000)}\b`), 'x.txt', undefined],
    ['dump-like text with a 0x09 tab (not a control character here)', new TextEncoder().encode('\nAPIC @ 0x0000000000001000\n\t0000: 41 50\n'), 'x.txt', 'acpidump-text'],
    // Only the first 64 KiB are looked at.
    ['dump text whose control character lies past the first 64 KiB', new TextEncoder().encode(`\nAPIC @ 0x0000000000001000\n    0000: 41 50\n${' '.repeat(70_000)}\b`), 'x.txt', 'acpidump-text'],
    // The name is the last part of the path, after / or \.
    ['a sysfs name after a Windows path, Length lying', table('DMAR', 8), 'C:\\dumps\\DMAR', 'raw-table'],
    ['a table name that is only a folder, Length lying', table('DMAR', 8), 'dumps/DMAR/blob', undefined],
    ['a table extension on a folder only, Length lying', table('DMAR', 8), 'x.dat\\blob', undefined],
    ['three bytes of a signature', new TextEncoder().encode('DMA'), 'DMAR', undefined],
  ])('%s', (_name, bytes, name, kind) => {
    expect(classifyContent(bytes, name)).toBe(kind);
  });
});

describe('signatureOf', () => {
  it('is the first four bytes as Latin-1, or all of a shorter input', () => {
    expect(signatureOf(Uint8Array.from([0x44, 0x4d, 0x41, 0x52, 0xff, 0]))).toBe('DMAR');
    expect(signatureOf(Uint8Array.from([0xe9, 0x00, 0x41, 0x7f]))).toBe('\u00e9\u0000A\u007f');
    expect(signatureOf(Uint8Array.from([0x41, 0x50]))).toBe('AP');
    expect(signatureOf(new Uint8Array(0))).toBe('');
  });
});
