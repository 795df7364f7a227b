/**
 * Every real DMAR of ../shared/corpus and the ACPICA template, field by field against ACPICA
 * iasl's reading (expected-iasl), plus: no error-level diagnostic except listed firmware bugs.
 */
import { describe, expect, test } from 'vitest';
import { hex } from '../src/bytes/hex.js';
import { parseDmar, type DeviceScope, type DmarStructure, type DmarTable } from '../src/dmar/index.js';
import { HAVE_SHARED, iaslReading, readReal, realTables, SKIP_REASON, templateTable } from './support/shared.js';

/**
 * Real tables with genuine firmware bugs at error level. Both carry an INCLUDE_PCI_ALL DRHD
 * whose Register Base Address is 0 (bytes 0x38..0x3F and 0x68..0x6F are zero; iasl prints
 * `register_base_address: "0x0"` too). Linux dmar_parse_one_drhd() rejects such a unit with
 * "Your BIOS is broken; DMAR reported at address 0" (spec §2.3).
 */
const KNOWN_ERRORS: Record<string, string[]> = {
  'linuxhw/Lenovo_IdeaPadFlex-15-20309_D19FB82D46CF/DMAR.bin': ['dmar.drhd.base-zero@56'],
  'linuxhw/Lenovo_ThinkPad-E15-Gen-2-20TD0005MH_188EB681251A/DMAR.bin': ['dmar.drhd.base-zero@104'],
};

interface Comparison {
  disagreements: string[];
  fields: number;
}

/** iasl prints addresses as "0x…" strings and other integers as numbers (README "Values"). */
function same(ours: unknown, theirs: unknown): boolean {
  if (typeof ours === 'bigint') return typeof theirs === 'string' ? hex(ours) === theirs.toLowerCase() : BigInt(theirs as number) === ours;
  return JSON.stringify(ours) === JSON.stringify(theirs);
}

/** iasl "repairs" header strings: cut at the first NUL, every non-printable byte a space. */
function asIaslPrints(text: string): string {
  return text.split('\0')[0]!.replace(/[^\x20-\x7e]/g, ' ');
}

function compareTable(name: string, table: DmarTable, iasl: any, result: Comparison): void {
  const check = (where: string, ours: unknown, theirs: unknown): void => {
    result.fields++;
    if (!same(ours, theirs)) result.disagreements.push(`${name} ${where}: ours ${String(ours)}, iasl ${JSON.stringify(theirs)}`);
  };
  const header = table.header!;
  check('revision', header.revision, iasl.revision);
  check('length', header.length, iasl.length);
  check('checksum', header.checksum, iasl.checksum);
  check('oem_id', asIaslPrints(header.oemId.padEnd(6, '\0')), iasl.oem_id);
  check('oem_table_id', asIaslPrints(header.oemTableId.padEnd(8, '\0')), iasl.oem_table_id);
  check('oem_revision', header.oemRevision, iasl.oem_revision);
  check('creator_id', asIaslPrints(header.creatorId.padEnd(4, '\0')), iasl.creator_id);
  check('creator_revision', header.creatorRevision, iasl.creator_revision);
  check('host_address_width', table.hostAddressWidth, iasl.host_address_width);
  check('host_address_width_raw', table.hostAddressWidthRaw, iasl.host_address_width_raw);
  check('flags', table.flags, iasl.flags);
  check('reserved', Array.from(table.reserved), iasl.fields.reserved);

  const ours = [...table.structures()];
  // iasl stops decoding at a structure type it does not know (README limitation 2).
  const unknownAt = iasl.structures.findIndex((item: any) => item.type > 6);
  const expected: any[] = unknownAt < 0 ? iasl.structures : iasl.structures.slice(0, unknownAt + 1);
  check('structure count', unknownAt < 0 ? ours.length : Math.min(ours.length, expected.length), expected.length);
  expected.forEach((theirs, index) => {
    const structure = ours[index];
    if (structure !== undefined) compareStructure(`[${theirs.offset}]`, structure, theirs, check);
  });
}

type Check = (where: string, ours: unknown, theirs: unknown) => void;

function compareStructure(where: string, structure: DmarStructure, theirs: any, check: Check): void {
  check(`${where} type`, structure.type, theirs.type);
  check(`${where} offset`, structure.offset, theirs.offset);
  check(`${where} length`, structure.length, theirs.length);
  const fields = theirs.fields;
  const field = (label: string, ours: unknown, key: string): void => check(`${where} ${label}`, ours, fields[key]);
  switch (structure.kind) {
    case 'drhd':
      field('flags', structure.flags, 'flags');
      field('size', structure.size, 'size');
      check(`${where} registerSetPages`, structure.registerSetPages, 2 ** fields.size_pages_log2);
      field('segmentNumber', structure.segmentNumber, 'pci_segment_number');
      field('registerBaseAddress', structure.registerBaseAddress, 'register_base_address');
      break;
    case 'rmrr':
      field('reserved', structure.reserved, 'reserved');
      field('segmentNumber', structure.segmentNumber, 'pci_segment_number');
      field('baseAddress', structure.baseAddress, 'base_address');
      field('limitAddress', structure.limitAddress, 'end_address_limit');
      break;
    case 'atsr':
    case 'satc':
      field('flags', structure.flags, 'flags');
      field('reserved', structure.reserved, 'reserved');
      field('segmentNumber', structure.segmentNumber, 'pci_segment_number');
      break;
    case 'sidp':
      field('reserved', structure.reserved, 'reserved');
      field('segmentNumber', structure.segmentNumber, 'pci_segment_number');
      break;
    case 'rhsa':
      field('reserved', structure.reserved, 'reserved');
      field('registerBaseAddress', structure.registerBaseAddress, 'base_address');
      field('proximityDomain', structure.proximityDomain, 'proximity_domain');
      break;
    case 'andd':
      field('reserved', structure.reserved, 'reserved');
      field('acpiDeviceNumber', structure.acpiDeviceNumber, 'device_number');
      // iasl prints the name with strlen(), which may run past an unterminated structure.
      if (structure.objectNameTerminated) field('objectName', structure.objectName, 'device_name');
      break;
    case 'unknown':
      break;
  }
  const scopes: DeviceScope[] = 'deviceScopes' in structure ? [...structure.deviceScopes()] : [];
  check(`${where} scope count`, scopes.length, theirs.scopes.length);
  scopes.forEach((scope, index) => {
    const expected = theirs.scopes[index];
    if (expected !== undefined) compareScope(`${where} scope [${scope.offset}]`, scope, expected, check);
  });
}

function compareScope(where: string, scope: DeviceScope, theirs: any, check: Check): void {
  check(`${where} type`, scope.type, theirs.type);
  check(`${where} offset`, scope.offset, theirs.offset);
  check(`${where} length`, scope.length, theirs.length);
  check(`${where} flags`, scope.flags, theirs.flags);
  check(`${where} reserved`, scope.reserved, theirs.reserved);
  check(`${where} enumerationId`, scope.enumerationId, theirs.enumeration_id);
  check(`${where} startBusNumber`, scope.startBusNumber, theirs.start_bus);
  // spec §6.1 Q8: on an odd Length iasl prints one extra pair read past the scope.
  const iaslPath: [number, number][] = scope.length % 2 === 1 ? theirs.path.slice(0, scope.pathLength) : theirs.path;
  check(`${where} path`, scope.path.map((entry) => [entry.device, entry.function]), iaslPath);
}

describe.skipIf(!HAVE_SHARED)(`DMAR against the real corpus and iasl${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  const rows = realTables('DMAR');

  test('the corpus has DMAR tables', () => {
    expect(rows.length).toBeGreaterThan(0);
  });

  test('no error-level diagnostic except the listed firmware bugs', () => {
    const found: Record<string, string[]> = {};
    for (const row of rows) {
      const errors = parseDmar(readReal(row.path)).diagnostics.filter((item) => item.severity === 'error');
      if (errors.length > 0) found[row.path] = errors.map((item) => `${item.code}@${item.offset}`);
    }
    expect(found).toEqual(KNOWN_ERRORS);
  });

  test('every field agrees with iasl (real tables and the template)', () => {
    const result: Comparison = { disagreements: [], fields: 0 };
    for (const row of rows) compareTable(row.path, parseDmar(readReal(row.path)), iaslReading(row.path), result);
    const template = templateTable('DMAR');
    expect(template).toBeDefined();
    compareTable('templates/DMAR.bin', parseDmar(template!.bytes), template!.iasl, result);
    console.log(`DMAR vs iasl: ${rows.length} real tables + template, ${result.fields} fields compared, ${result.disagreements.length} disagreements`);
    expect(result.disagreements).toEqual([]);
    expect(result.fields).toBeGreaterThan(0);
  });
});
