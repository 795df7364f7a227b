/**
 * Issue 13: text prints offsets, addresses, IDs and bus numbers in hex, next to the `0x004c`
 * offsets of the same lines. Every diagnostic and lint message over the repository corpus and the
 * real tables is checked for a decimal number where a location or an ID is named.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintTables, type LintTables } from '../src/lint/index.js';
import { parseTable, signatureOf } from '../src/table.js';
import { parseMadt } from '../src/madt/index.js';
import { parseIort } from '../src/iort/index.js';
import { HAVE_SHARED, REPO_ROOT, parsedRealTables, readReal } from './support/shared.js';
import { buildIort, itsGroup, rootComplex, rmr } from './support/iort-builder.js';
import { madt, subtable } from './support/madt-builder.js';

/** A word that names a place or an ID (a PCI segment too), then a decimal number (not a `N-byte` size). */
const DECIMAL_PLACE = /\b(?:at|reference|Identifier|offset|bus|bytes?|ID|IDs|number|node at|segment)\s+\+?(\d+)(?![\d-]|\s*-byte|x)/;

function messagesOf(bytes: Uint8Array): string[] {
  const table = parseTable(bytes);
  if (table === undefined) return [];
  const key = ({ DMAR: 'dmar', IORT: 'iort', APIC: 'madt', IVRS: 'ivrs' } as const)[signatureOf(bytes) as 'DMAR'];
  const lint = lintTables({ [key]: table } as LintTables);
  return [...table.diagnostics, ...lint.dmar, ...lint.iort, ...lint.madt, ...lint.ivrs].map((item) => `${item.code}: ${item.message}`);
}

function repoTables(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? repoTables(path) : /\.(bin|dat|aml)$/i.test(name) ? [path] : [];
  });
}

describe('messages print places and IDs in hex', () => {
  it('the regex catches the decimal forms that were printed before', () => {
    for (const old of ['node at 72 has Length 0', 'Identifier 0 is used', 'reserved byte 35 = 0x1', 'reference at 232 is 0', 'root complexes at 48, 72', 'Reserved bytes 38..47', 'ACPI device number 1, which', 'RMRR names PCI segment 3, which', 'INCLUDE_PCI_ALL for segment 0: it serves'])
      expect(old).toMatch(DECIMAL_PLACE);
    for (const fine of ['node at 0x48', 'Length 200 runs 168 bytes past', 'its 16-byte header', 'only 2 bytes are left at 0x60', 'Identifier 0x0 is used', 'RMRR names PCI segment 0x0003, which'])
      expect(fine).not.toMatch(DECIMAL_PLACE);
  });

  it('MADT reserved bytes are named by their hex offset inside the subtable', () => {
    // GICR (type 0x0e) bytes 2–3 are reserved before MADT revision 7 (madt-diagnostics.test.ts).
    const table = parseMadt(madt([subtable(0x0e, 16, [[3, 1, 1], [4, 8, 0x2f100000n]])], { revision: 5 }));
    expect(table.diagnostics.map((item) => item.message)).toEqual(['gicr subtable (type 0xe) at 0x2c: reserved bytes +0x2–0x3 = 0x100, expected 0']);
  });

  it('IORT Identifier and node offsets of a duplicate are hex', () => {
    // Two nodes with Identifier 0x21: the ITS group at 0x30 and the root complex after it.
    const built = buildIort([itsGroup([0], { identifier: 0x21 }), rootComplex(0, { identifier: 0x21 })], { revision: 5 });
    const messages = parseIort(built.bytes).diagnostics.filter((item) => item.code === 'iort.id.duplicate').map((item) => item.message);
    expect(messages).toEqual([`Identifier 0x21 is used by the nodes at 0x30, 0x${built.offsets[1]!.toString(16)}`]);
  });

  it('IORT RMR descriptors name node, descriptor offsets, bases and lengths in hex', () => {
    const built = buildIort([rmr([[0x80001000n, 0x1000n]])], { revision: 5 });
    const messages = parseIort(built.bytes).diagnostics.map((item) => item.message).join('\n');
    expect(messages).toMatch(/RMR node at 0x30 has no ID mappings/);
    expect(messages).toMatch(/RMR descriptor 0 at 0x[0-9a-f]+: base 0x80001000 \/ length 0x1000 not 64 KiB aligned/);
  });

  it('over every table of the repository corpus', () => {
    const files = repoTables(join(REPO_ROOT, 'corpus'));
    expect(files.length).toBeGreaterThan(40);
    const offenders = files.flatMap((file) => messagesOf(new Uint8Array(readFileSync(file))).filter((message) => DECIMAL_PLACE.test(message)));
    expect(offenders).toEqual([]);
  });

  it.skipIf(!HAVE_SHARED)('over every real table', () => {
    const offenders = parsedRealTables('messages-hex').flatMap((row) => messagesOf(readReal(row.path)).filter((message) => DECIMAL_PLACE.test(message)));
    expect(offenders).toEqual([]);
  });
});
