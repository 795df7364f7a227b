/** `acpi-iommu check`: finding lines and exit codes 0 (clean), 1 (errors), 2 (unreadable input). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { HAVE_UNREADABLE, UNREADABLE_KIND, unreadableInput } from './support/unreadable.js';
import { CORPUS_ROOT, HAVE_SHARED, REPO_ROOT, SKIP_REASON, realTables } from './support/shared.js';

/** The bundled sample laptop's DMAR (built by the project's encoder): clean, and on every clone. */
const SAMPLE_DMAR = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop', 'DMAR.bin');

let scratch: string;
let clean: string;
let zeroLength: string;
let truncated: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'acpi-iommu-check-'));
  clean = SAMPLE_DMAR;
  const bytes = new Uint8Array(readFileSync(SAMPLE_DMAR));
  // The first remapping structure starts at 48; its Length (u16 at +2) set to 0.
  const zero = bytes.slice();
  zero[50] = 0;
  zero[51] = 0;
  zeroLength = join(scratch, 'dmar-structure-zero-length.bin');
  writeFileSync(zeroLength, zero);
  truncated = join(scratch, 'dmar-truncated.bin');
  writeFileSync(truncated, bytes.subarray(0, bytes.length - 10));
});

afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!HAVE_SHARED)(`acpi-iommu check on real tables${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  it('exits 0 on a clean real DMAR and prints a summary', async () => {
    const row = realTables('DMAR').find((item) => item.checksumOk)!;
    const result = await runCli(['check', join(CORPUS_ROOT, 'real', row.path)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^checked 1 table: 0 errors, /m);
  });
});

describe('acpi-iommu check (the bundled sample DMAR and tables derived from it)', () => {
  it('exits 0 on a clean DMAR and prints a summary', async () => {
    const result = await runCli(['check', clean]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^checked 1 table: 0 errors, /m);
  });

  it.each([
    ['a structure of length 0', () => zeroLength],
    ['a truncated capture', () => truncated],
  ])('exits 1 on %s, one "path:0xOFFSET: severity code message" line per finding', async (_name, path) => {
    const result = await runCli(['check', path()]);
    expect(result.code).toBe(1);
    const findings = result.stdout.split('\n').filter((line) => line.startsWith(`${path()}:`));
    expect(findings.length).toBeGreaterThan(0);
    for (const line of findings) expect(line).toMatch(/^.+:0x[0-9a-f]{4,}: (error|warning|info) [a-z0-9.-]+ \S/);
    expect(findings.some((line) => / error /.test(line))).toBe(true);
  });

  it('sorts findings by offset', async () => {
    const result = await runCli(['check', zeroLength]);
    const offsets = result.stdout
      .split('\n')
      .map((line) => /:0x([0-9a-f]+): /.exec(line)?.[1])
      .filter((offset): offset is string => offset !== undefined)
      .map((offset) => Number.parseInt(offset, 16));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('--quiet keeps error-level lines only and drops the summary', async () => {
    const result = await runCli(['check', '--quiet', zeroLength]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/: error /);
  });

  it('exits 2 naming an unreadable path, and still reports the good one', async () => {
    const missing = join(scratch, 'no-such-table.dat');
    const result = await runCli(['check', missing, clean]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`acpi-iommu: ${missing}: no such file or directory\n`);
    expect(result.stdout).toMatch(/^checked 1 table: /m);
  });

  it.skipIf(!HAVE_UNREADABLE)(`exits 2 with "permission denied" for an unreadable input (${UNREADABLE_KIND})`, async () => {
    const locked = unreadableInput(scratch, readFileSync(SAMPLE_DMAR));
    const result = await runCli(['check', locked, clean]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`acpi-iommu: ${locked}: permission denied\n`);
    expect(result.stdout).toMatch(/^checked 1 table: /m);
  });

  it('exits 2 for a file that is not a table', async () => {
    const notes = join(scratch, 'notes.txt');
    writeFileSync(notes, 'hello\n');
    const result = await runCli(['check', notes]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`acpi-iommu: ${notes}: not recognised as an ACPI table or acpidump text\n`);
  });

  it('--json prints one document: {source, signature, diagnostics} per table and a summary', async () => {
    const result = await runCli(['check', '--json', zeroLength, clean]);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as { schemaVersion: number; summary: { tables: number; failed: boolean }; tables: { source: string; signature: string; diagnostics: { code: string; severity: string; offset: number }[] }[] };
    expect(document).toMatchObject({ schemaVersion: 1, command: 'check', summary: { tables: 2, failed: true, unreadable: 0 } });
    const items = document.tables;
    expect(items.map((item) => [item.source, item.signature])).toEqual([
      [zeroLength, 'DMAR'],
      [clean, 'DMAR'],
    ]);
    expect(items[0]!.diagnostics.some((item) => item.severity === 'error')).toBe(true);
  });

  it('reads a table from stdin', async () => {
    const result = await runCli(['check', '-'], { stdin: readFileSync(SAMPLE_DMAR) });
    expect(result.code).toBeLessThan(2);
    expect(result.stdout).toMatch(/^checked 1 table: /m);
  });
});
