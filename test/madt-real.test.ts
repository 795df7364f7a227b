/**
 * Every real APIC in ../shared/corpus/real and the ACPICA template parse without error-level
 * diagnostics (except the firmware faults listed in GENUINE_ERRORS) and agree field for field with
 * ACPICA iasl's reading in ../shared/corpus/expected-iasl.
 *
 * IASL_MAP says how iasl's field names (expected-iasl README, "Field naming") map onto ours, per
 * subtable type. `at` is the field's offset in the subtable, used for quirk Q1 (iasl prints a field
 * that starts exactly at the subtable's end, from the next subtable's bytes). `ignore` says why an
 * iasl field has no counterpart.
 */
import { describe, expect, test } from 'vitest';
import { parseMadt, type MadtEntry, type MadtTable } from '../src/madt/index.js';
import { HAVE_SHARED, iaslReading, readReal, realTables, templateTable } from './support/shared.js';
import { sameValue as same, showValue as show } from './support/iasl-values.js';

type Convert = (ours: unknown) => unknown;
type Row =
  | { iasl: string; ours: string; at: number; convert?: Convert }
  | { iasl: string; ignore: string; at: number; q2?: true };

const RESERVED = 'reserved bytes are not exposed as fields (checked by madt.reserved.nonzero)';
const Q2 = 'quirk Q2: iasl reads the pre-revision-7 GICR/ITS "Reserved" at offset 3';

/** Little-endian bytes or words → one integer, for iasl's joined arrays. */
const joinLittleEndian = (width: number) => (ours: unknown) => {
  if (ours === undefined) return undefined;
  let value = 0n;
  const items = Array.from(ours as ArrayLike<number>);
  for (let index = items.length - 1; index >= 0; index--) value = (value << BigInt(8 * width)) | BigInt(items[index]!);
  return value;
};

const row = (iasl: string, ours: string, at: number, convert?: Convert): Row => (convert ? { iasl, ours, at, convert } : { iasl, ours, at });
const ignore = (iasl: string, at: number, why = RESERVED): Row => ({ iasl, ignore: why, at });
const inti = (at: number): Row[] => [row('flags', 'flags', at), row('polarity', 'polarity', at), row('trigger_mode', 'triggerMode', at)];
const version = row('version', 'version', 2);

const IASL_MAP: Record<number, Row[]> = {
  0x00: [
    row('processor_id', 'processorUid', 2),
    row('local_apic_id', 'apicId', 3),
    row('flags', 'flags', 4),
    row('processor_enabled', 'enabled', 4),
    row('runtime_online_capable', 'onlineCapable', 4),
  ],
  0x01: [row('i_o_apic_id', 'ioApicId', 2), ignore('reserved', 3), row('address', 'ioApicAddress', 4), row('interrupt', 'globalSystemInterruptBase', 8)],
  0x02: [row('bus', 'bus', 2), row('source', 'source', 3), row('interrupt', 'globalSystemInterrupt', 4), ...inti(8)],
  0x03: [...inti(2), row('interrupt', 'globalSystemInterrupt', 4)],
  0x04: [row('processor_id', 'processorUid', 2), ...inti(3), row('interrupt_input_lint', 'localApicLint', 5)],
  0x05: [ignore('reserved', 2), row('apic_address', 'localApicAddress', 4)],
  0x06: [row('i_o_sapic_id', 'ioSapicId', 2), ignore('reserved', 3), row('interrupt_base', 'globalSystemInterruptBase', 4), row('address', 'ioSapicAddress', 8)],
  0x07: [
    row('processor_id', 'processorId', 2),
    row('local_sapic_id', 'localSapicId', 3),
    row('local_sapic_eid', 'localSapicEid', 4),
    ignore('reserved', 5),
    row('flags', 'flags', 8),
    row('processor_enabled', 'enabled', 8),
    row('processor_uid', 'processorUid', 12),
    row('processor_uid_string', 'processorUidString', 16),
  ],
  0x08: [
    ...inti(2),
    row('interrupttype', 'interruptType', 4),
    row('processor_id', 'processorId', 5),
    row('processor_eid', 'processorEid', 6),
    row('i_o_sapic_vector', 'ioSapicVector', 7),
    row('interrupt', 'globalSystemInterrupt', 8),
    row('flags_2', 'platformInterruptSourceFlags', 12),
    row('cpei_override', 'cpeiProcessorOverride', 12),
  ],
  0x09: [ignore('reserved', 2), row('processor_x2apic_id', 'x2apicId', 4), row('flags', 'flags', 8), row('processor_enabled', 'enabled', 8), row('processor_uid', 'processorUid', 12)],
  0x0a: [...inti(2), row('processor_uid', 'processorUid', 4), row('interrupt_input_lint', 'localX2apicLint', 8), ignore('reserved', 9)],
  0x0b: [
    ignore('reserved', 2),
    row('cpu_interface_number', 'cpuInterfaceNumber', 4),
    row('processor_uid', 'processorUid', 8),
    row('flags', 'flags', 12),
    row('processor_enabled', 'enabled', 12),
    row('performance_interrupt_trigger_mode', 'performanceInterruptEdge', 12),
    row('virtual_gic_interrupt_trigger_mode', 'vgicMaintenanceEdge', 12),
    row('online_capable', 'onlineCapable', 12),
    row('gicr_non_coherent', 'gicrNonCoherent', 12),
    row('parking_protocol_version', 'parkingProtocolVersion', 16),
    row('performance_interrupt', 'performanceInterruptGsiv', 20),
    row('parked_address', 'parkedAddress', 24),
    row('base_address', 'baseAddress', 32),
    row('virtual_gic_base_address', 'gicvBaseAddress', 40),
    row('hypervisor_gic_base_address', 'gichBaseAddress', 48),
    row('virtual_gic_interrupt', 'vgicMaintenanceInterrupt', 56),
    row('redistributor_base_address', 'gicrBaseAddress', 60),
    row('arm_mpidr', 'mpidr', 68),
    row('efficiency_class', 'processorPowerEfficiencyClass', 76),
    ignore('reserved_2', 77),
    row('spe_overflow_interrupt', 'speOverflowInterrupt', 78),
    row('trbe_interrupt', 'trbeInterrupt', 80),
  ],
  0x0c: [
    ignore('reserved', 2),
    row('local_gic_hardware_id', 'gicId', 4),
    row('base_address', 'baseAddress', 8),
    row('interrupt_base', 'systemVectorBase', 16),
    row('version', 'gicVersion', 20),
    ignore('reserved_2', 21),
  ],
  0x0d: [
    ignore('reserved', 2),
    row('msi_frame_id', 'msiFrameId', 4),
    row('base_address', 'baseAddress', 8),
    row('flags', 'flags', 16),
    row('select_spi', 'spiCountBaseSelect', 16),
    row('spi_count', 'spiCount', 20),
    row('spi_base', 'spiBase', 22),
  ],
  0x0e: [
    row('flags', 'flags', 2),
    row('gicr_non_coherent', 'nonCoherent', 2),
    { iasl: 'reserved', ignore: `${RESERVED}; before revision 7 also ${Q2}`, at: 3, q2: true },
    row('base_address', 'discoveryRangeBaseAddress', 4),
    row('length', 'discoveryRangeLength', 12),
  ],
  0x0f: [
    row('flags', 'flags', 2),
    row('gic_its_non_coherent', 'nonCoherent', 2),
    { iasl: 'reserved', ignore: `${RESERVED}; before revision 7 also ${Q2}`, at: 3, q2: true },
    row('translation_id', 'translationId', 4),
    row('base_address', 'baseAddress', 8),
    ignore('reserved_2', 16),
  ],
  0x10: [row('mailbox_version', 'mailboxVersion', 2), ignore('reserved', 4), row('mailbox_address', 'mailboxAddress', 8), row('resetvector', 'resetVector', 16)],
  0x11: [version, row('processorid', 'processorId', 3), row('coreid', 'coreId', 7), row('flags', 'flags', 11)],
  0x12: [
    version,
    row('address', 'address', 3),
    row('size', 'size', 11),
    row('cascade', 'cascade', 13, joinLittleEndian(1)),
    row('cascademap', 'cascadeMap', 15, joinLittleEndian(4)),
  ],
  0x13: [version, row('address', 'address', 3), row('size', 'size', 11), row('cascade', 'cascade', 13, joinLittleEndian(1))],
  0x14: [version, row('cascade', 'cascade', 3), row('node', 'node', 4), row('nodemap', 'nodeMap', 5)],
  0x15: [version, row('msgaddress', 'messageAddress', 3), row('start', 'start', 11), row('count', 'count', 15)],
  0x16: [version, row('address', 'address', 3), row('size', 'size', 11), row('id', 'id', 13), row('gsibase', 'gsiBase', 15)],
  0x17: [version, row('address', 'address', 3), row('size', 'size', 11), row('cascade', 'cascade', 13)],
  0x18: [
    version,
    ignore('reserved', 3),
    row('flags', 'flags', 4),
    row('hartid', 'hartId', 8),
    row('uid', 'processorUid', 16),
    row('extintcid', 'externalInterruptControllerId', 20),
    row('imsicaddr', 'imsicAddress', 24),
    row('imsicsize', 'imsicSize', 32),
  ],
  0x19: [
    version,
    ignore('reserved', 3),
    row('flags', 'flags', 4),
    row('numids', 'numIds', 8),
    row('numguestids', 'numGuestIds', 10),
    row('guestindexbits', 'guestIndexBits', 12),
    row('hartindexbits', 'hartIndexBits', 13),
    row('groupindexbits', 'groupIndexBits', 14),
    row('groupindexshift', 'groupIndexShift', 15),
  ],
  0x1a: [
    version,
    row('id', 'aplicId', 3),
    row('flags', 'flags', 4),
    row('hwid', 'hardwareId', 8, joinLittleEndian(1)),
    row('numidcs', 'numIdcs', 16),
    row('numsources', 'numSources', 18),
    row('gsibase', 'gsiBase', 20),
    row('baseaddr', 'baseAddress', 24),
    row('size', 'size', 32),
  ],
  0x1b: [
    version,
    row('id', 'plicId', 3),
    row('hwid', 'hardwareId', 4, joinLittleEndian(1)),
    row('numirqs', 'numIrqs', 12),
    row('maxprio', 'maxPriority', 14),
    row('flags', 'flags', 16),
    row('size', 'size', 20),
    row('baseaddr', 'baseAddress', 24),
    row('gsibase', 'gsiBase', 32),
  ],
  0x1c: [
    row('gic_version', 'gicVersion', 2),
    ignore('reserved', 3),
    row('irs_id', 'irsId', 4),
    row('flags', 'flags', 8),
    row('gicv5_irs_non_coherent', 'nonCoherent', 8),
    ignore('reserved_2', 12),
    row('irs_config_frame_physical_base_address', 'configFrameBaseAddress', 16),
    row('irs_setlpi_frame_physical_base_address', 'setlpiFrameBaseAddress', 24),
  ],
  0x1d: [
    row('flags', 'flags', 2),
    row('gicv5_its_non_coherent', 'nonCoherent', 2),
    ignore('reserved', 3),
    row('gic_its_id', 'itsId', 4),
    row('physical_base_address', 'baseAddress', 8),
  ],
  0x1e: [
    ignore('reserved', 2),
    row('linked_its_id', 'linkedItsId', 4),
    row('its_translate_id', 'translateFrameId', 8),
    ignore('reserved_2', 12),
    row('its_translate_frame_physical_base_address', 'baseAddress', 16),
  ],
};

/** OEM subtables (≥ 0x80): iasl prints the payload as `oem_data`. */
const OEM_ROWS: Row[] = [row('oem_data', 'oemData', 2, (ours) => (ours === undefined ? undefined : Array.from(ours as Uint8Array)))];

interface Case {
  name: string;
  bytes: Uint8Array;
  iasl: any;
}

function cases(): Case[] {
  const real = realTables('APIC').map((row) => ({ name: row.path, bytes: readReal(row.path), iasl: iaslReading(row.path) }));
  const template = templateTable('APIC');
  return template ? [...real, { name: 'templates/APIC.bin', ...template }] : real;
}

/**
 * Error-level diagnostics that are genuine firmware faults, `code@offset` per table.
 * msm8974_mi4 (old Qualcomm edk2 port, MADT revision 3) carries four 40-byte ACPI 5.0 GICCs;
 * Linux's BAD_MADT_GICC_ENTRY needs 76 bytes and rejects them, and iasl reports "ACPI subtable
 * terminates early (Len 40)" for the same four entries (spec §4.2).
 */
const GENUINE_ERRORS: Record<string, string[]> = {
  'edk2-porting/msm8974_mi4/APIC.bin': ['madt.length.short@0x2c', 'madt.length.short@0x54', 'madt.length.short@0x7c', 'madt.length.short@0xa4'],
};

interface Tally {
  tables: number;
  subtables: number;
  compared: number;
  ignored: number;
  q1Skipped: number;
  disagreements: string[];
}

/** iasl's header strings: cut at the first NUL, non-printables → space. */
const repaired = (text: string) => text.split('\0')[0]!.replace(/[^\x20-\x7e]/g, ' ');

function compareHeader(name: string, table: MadtTable, iasl: any, tally: Tally): void {
  const header = table.header!;
  const pairs: [string, unknown, unknown][] = [
    ['revision', header.revision, iasl.revision],
    ['length', header.length, iasl.length],
    ['checksum', header.checksum, iasl.checksum],
    ['oem_id', repaired(header.oemId), iasl.oem_id],
    ['oem_table_id', repaired(header.oemTableId), iasl.oem_table_id],
    ['oem_revision', header.oemRevision, iasl.oem_revision],
    ['creator_id', repaired(header.creatorId), iasl.creator_id],
    ['creator_revision', header.creatorRevision, iasl.creator_revision],
    ['local_apic_address', table.localInterruptControllerAddress, iasl.local_apic_address],
    ['flags', table.flags, iasl.flags],
    ['pc_at_compatibility', table.pcatCompat, iasl.fields?.pc_at_compatibility],
  ];
  for (const [key, ours, theirs] of pairs) {
    tally.compared++;
    if (!same(ours, theirs)) tally.disagreements.push(`${name} header ${key}: ours ${show(ours)}, iasl ${show(theirs)}`);
  }
}

function compareEntry(where: string, entry: MadtEntry, fields: Record<string, unknown>, tally: Tally): void {
  const rows = entry.kind === 'oem' ? OEM_ROWS : (IASL_MAP[entry.type] ?? []);
  const view = entry as unknown as Record<string, unknown>;
  for (const [key, theirs] of Object.entries(fields)) {
    const row = rows.find((candidate) => candidate.iasl === key);
    if (row === undefined) {
      tally.disagreements.push(`${where}: iasl field ${key} has no mapping`);
    } else if ('ignore' in row) {
      tally.ignored++;
    } else if (row.at >= entry.length) {
      // Q1: iasl read this field from the next subtable's bytes; ours must be absent.
      tally.q1Skipped++;
      if (view[row.ours] !== undefined) tally.disagreements.push(`${where}: ${row.ours} decoded beyond Length ${entry.length}`);
    } else {
      const ours = (row.convert ?? ((value: unknown) => value))(view[row.ours]);
      tally.compared++;
      if (!same(ours, theirs)) tally.disagreements.push(`${where} ${key}/${row.ours}: ours ${show(ours)}, iasl ${show(theirs)}`);
    }
  }
  // The other direction: a field we decode that iasl (which gates by revision, Q5) leaves out.
  for (const row of rows) {
    if ('ignore' in row || row.iasl in fields || view[row.ours] === undefined) continue;
    tally.disagreements.push(`${where}: we decode ${row.ours} = ${show(view[row.ours])} but iasl prints no ${row.iasl}`);
  }
}

function compareTable(item: Case, tally: Tally): void {
  const table = parseMadt(item.bytes);
  tally.tables++;
  compareHeader(item.name, table, item.iasl, tally);
  const entries = [...table.entries()];
  const subtables: any[] = item.iasl.subtables;
  if (entries.length !== subtables.length) {
    tally.disagreements.push(`${item.name}: ${entries.length} entries, iasl ${subtables.length} subtables`);
  }
  for (let index = 0; index < Math.min(entries.length, subtables.length); index++) {
    const [entry, theirs] = [entries[index]!, subtables[index]];
    const where = `${item.name} #${index} @${entry.offset} ${entry.kind}`;
    tally.subtables++;
    for (const key of ['type', 'offset', 'length'] as const) {
      tally.compared++;
      if (entry[key] !== theirs[key]) tally.disagreements.push(`${where} ${key}: ours ${entry[key]}, iasl ${theirs[key]}`);
    }
    compareEntry(where, entry, theirs.fields, tally);
  }
}

describe.skipIf(!HAVE_SHARED)('MADT against the real corpus and iasl', () => {
  const all = cases();

  test('there are real APIC tables and a template to compare', () => {
    expect(all.length).toBeGreaterThan(150);
    expect(all.some((item) => item.name === 'templates/APIC.bin')).toBe(true);
  });

  test('no error-level diagnostics except the listed genuine firmware faults', () => {
    const unexpected: string[] = [];
    for (const item of all) {
      const table = parseMadt(item.bytes);
      const errors = table.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@0x${d.offset.toString(16)}`);
      if (JSON.stringify(errors) !== JSON.stringify(GENUINE_ERRORS[item.name] ?? [])) unexpected.push(`${item.name}: ${errors.join(', ')}`);
    }
    expect(unexpected).toEqual([]);
  });

  test('every subtable agrees with iasl field for field', () => {
    const tally: Tally = { tables: 0, subtables: 0, compared: 0, ignored: 0, q1Skipped: 0, disagreements: [] };
    for (const item of all) compareTable(item, tally);
    console.info(`[madt-real] ${tally.tables} tables, ${tally.subtables} subtables, ${tally.compared} fields compared, ` +
      `${tally.ignored} iasl reserved fields ignored, ${tally.q1Skipped} Q1 fields skipped, ${tally.disagreements.length} disagreements`);
    expect(tally.disagreements.slice(0, 50)).toEqual([]);
    expect(tally.disagreements.length).toBe(0);
    expect(tally.compared).toBeGreaterThan(0);
  });

  test('the template decodes every subtable type 0x00–0x1E to its own kind', () => {
    const template = all.find((item) => item.name === 'templates/APIC.bin')!;
    const kinds = [...parseMadt(template.bytes).entries()].map((entry) => entry.kind);
    expect(new Set(kinds).size).toBe(31);
    expect(kinds).not.toContain('unknown');
  });
});
