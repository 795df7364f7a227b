/**
 * The page's platform-free model: field byte spans (checked against the bytes of every real
 * table), the byte → field index, and the piecewise axis.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAxis, positionOf } from '../src/view/model/axis.js';
import { readInputFiles } from '../src/view/model/inputs.js';
import { byteOwners, buildTree, flatten } from '../src/view/model/tree.js';
import { kindOf } from '../src/view/kinds/index.js';
import { ARCHIVE_KERNEL, archiveBytes, laptopArchive } from './support/collect-archive.js';
import { VIEW_IVRS_OFFSETS, viewIvrsBytes } from './support/ivrs-view-fixture.js';
import { HAVE_SHARED, parsedRealTables, readReal, REPO_ROOT, SKIP_REASON } from './support/shared.js';

function littleEndian(bytes: Uint8Array, start: number, end: number): bigint {
  let value = 0n;
  for (let at = end - 1; at >= start; at--) value = (value << 8n) | BigInt(bytes[at]!);
  return value;
}

/** Text fields whose characters may look like a number. */
const TEXT_FIELDS = new Set(['signature', 'oemId', 'oemTableId', 'creatorId', 'deviceName', 'objectName', 'hid', 'cid', 'uid']);

/** Fields whose stored bytes are the value itself: the first field of each span that is a number or "0x…". */
function checkSpans(bytes: Uint8Array, signature: string): number {
  const kind = kindOf(signature)!;
  const root = buildTree(kind.parse(bytes), kind, bytes.length);
  let checked = 0;
  for (const node of flatten(root)) {
    const seen = new Set<string>();
    for (const field of node.fields) {
      const key = `${field.start}:${field.end}`;
      if (field.derived || seen.has(key) || TEXT_FIELDS.has(field.name)) continue;
      seen.add(key);
      const size = field.end - field.start;
      const numeric = /^(\d+)( \(0x[0-9a-f]+\))?$|^0x[0-9a-f]+$/.exec(field.value);
      if (numeric === null || size < 1 || size > 8 || node.end > bytes.length) continue;
      const value = numeric[1] !== undefined ? BigInt(numeric[1]) : BigInt(field.value);
      expect({ at: `${signature} ${node.label} ${field.name}`, value: littleEndian(bytes, field.start, field.end) }).toEqual({ at: `${signature} ${node.label} ${field.name}`, value });
      checked++;
    }
  }
  return checked;
}

const sample = (name: string) => new Uint8Array(readFileSync(join(REPO_ROOT, 'corpus', 'samples', name)));

describe('field spans', () => {
  it('place the sample DMAR fields where VT-d §8 puts them', () => {
    const bytes = sample('x86-laptop/DMAR.bin');
    const root = buildTree(kindOf('DMAR')!.parse(bytes), kindOf('DMAR')!, bytes.length);
    const drhd = root.children.find((node) => node.label === '@0x0030 DRHD')!;
    // DRHD at 0x30: Register Base Address is the u64 at +8 (VT-d Table 8-3).
    expect(drhd.fields.find((field) => field.name === 'registerBaseAddress')).toMatchObject({ start: 0x38, end: 0x40, value: '0xfed90000', derived: false });
    const owners = byteOwners(root, bytes.length);
    expect(owners[0x3a]?.field?.name).toBe('registerBaseAddress');
    expect(owners[0x3a]?.node.label).toBe('@0x0030 DRHD');
    // 0x40 is the first byte of the DRHD's endpoint scope: its Type byte.
    expect(owners[0x40]?.node.label).toBe('@0x0040 ENDPOINT');
    expect(owners[0x40]?.field?.name).toBe('type');
    expect(owners[9]?.field?.name).toBe('checksum');
  });

  it('hold the field values in every real table (DMAR, IORT, APIC, IVRS)', ({ skip }) => {
    if (!HAVE_SHARED) skip(SKIP_REASON);
    const checked = new Map<string, number>();
    for (const row of parsedRealTables('view spans')) checked.set(row.signature, (checked.get(row.signature) ?? 0) + checkSpans(readReal(row.path), row.signature));
    console.info(`[view] field values checked in real tables: ${[...checked].map(([signature, count]) => `${signature} ${count}`).join(', ')}`);
    expect([...checked.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThan(10_000);
    // 89 real IVRS tables, each with at least an IVHD and a few device entries.
    expect(checked.get('IVRS')).toBeGreaterThan(89 * 10);
  });

  it('place the hermetic IVRS fields where the AMD IOMMU spec puts them', () => {
    const bytes = viewIvrsBytes();
    const kind = kindOf('IVRS')!;
    const root = buildTree(kind.parse(bytes), kind, bytes.length);
    const nodes = flatten(root);
    // IVinfo is the u32 at 36, the reserved u64 at 40 (IVRS header).
    expect(root.fields.find((field) => field.name === 'ivinfo')).toMatchObject({ start: 36, end: 40, derived: false });
    expect(root.fields.find((field) => field.name === 'reserved')).toMatchObject({ start: 40, end: 48, value: '0x0' });
    // IVMD at 0xc6: Start Address is the u64 at +16, IVMD Memory Block Length the u64 at +24.
    const ivmd = nodes.find((node) => node.label === '@0x00c6 IVMD')!;
    expect(ivmd.fields.find((field) => field.name === 'startAddress')).toMatchObject({ start: 0xd6, end: 0xde, value: '0x9d000000', derived: false });
    expect(ivmd.fields.find((field) => field.name === 'memoryLength')).toMatchObject({ start: 0xde, end: 0xe6, value: '0x1000' });
    expect(ivmd.fields.find((field) => field.name === 'unity')).toMatchObject({ start: 0xc7, end: 0xc8, value: 'yes' });
    // IVHD 0x40 at 0x4c: IOMMU Base Address at +8, entries after its 40-byte header.
    const ivhd = nodes.find((node) => node.label === '@0x004c IVHD')!;
    expect(ivhd.fields.find((field) => field.name === 'baseAddress')).toMatchObject({ start: 0x54, end: 0x5c, value: '0xfd200000' });
    expect(ivhd.fields.find((field) => field.name === 'efrRegisterImage')).toMatchObject({ start: 0x64, end: 0x6c });
    expect(ivhd.children.map((node) => node.label)).toEqual([
      '@0x0074 SELECT', '@0x0078 RANGE-START', '@0x007c RANGE-END', '@0x0080 ALIAS-RANGE-START', '@0x0088 RANGE-END', '@0x008c ALIAS-SELECT',
      '@0x0094 EXTENDED-SELECT', '@0x009c SPECIAL', '@0x00a4 SPECIAL', '@0x00ac ACPI-HID',
    ]);
    const field = (label: string, name: string) => nodes.find((node) => node.label === label)!.fields.find((row) => row.name === name);
    // Alias: source device ID at +5 (u16); special: handle at +4, variety at +7; ACPI HID: HID +4, UID +22.
    expect(field('@0x0080 ALIAS-RANGE-START', 'sourceDeviceId')).toMatchObject({ start: 0x85, end: 0x87, value: '164 (0xa4)' });
    expect(field('@0x009c SPECIAL', 'handle')).toMatchObject({ start: 0xa0, end: 0xa1, value: '33 (0x21)' });
    expect(field('@0x00a4 SPECIAL', 'variety')).toMatchObject({ start: 0xab, end: 0xac, value: '2' });
    expect(field('@0x00ac ACPI-HID', 'hid')).toMatchObject({ start: 0xb0, end: 0xb8, value: 'AMDI0020' });
    expect(field('@0x00ac ACPI-HID', 'uid')).toMatchObject({ start: 0xc2, end: 0xc6, value: 'ID00' });
    // Device entries store no Length: it is derived from the type.
    expect(field('@0x0074 SELECT', 'length')).toMatchObject({ derived: true });
    const owners = byteOwners(root, bytes.length);
    expect(owners[0xd9]?.field?.name).toBe('startAddress');
    expect(owners[0xd9]?.node.label).toBe('@0x00c6 IVMD');
    expect(owners[0x7d]?.node.label).toBe('@0x007c RANGE-END');
    expect(owners[0x7d]?.field?.name).toBe('deviceId');
    expect(VIEW_IVRS_OFFSETS.length).toBe(bytes.length);
    expect(checkSpans(bytes, 'IVRS')).toBeGreaterThan(60);
  });

  it('hold the field values in the bundled samples', () => {
    expect(checkSpans(sample('arm-server/IORT.bin'), 'IORT')).toBeGreaterThan(40);
    expect(checkSpans(sample('arm-server/APIC.bin'), 'APIC')).toBeGreaterThan(40);
  });
});

describe('inputs', () => {
  it('reads tables and a pci.json, and names what it cannot use', async () => {
    const inputs = await readInputFiles([
      { name: 'DMAR.bin', bytes: sample('x86-laptop/DMAR.bin') },
      { name: 'pci.json', bytes: sample('x86-laptop/pci.json') },
      { name: 'notes.txt', bytes: new TextEncoder().encode('hello') },
    ]);
    expect(inputs.tables.map((table) => table.signature)).toEqual(['DMAR']);
    expect(inputs.topology?.devices.length).toBeGreaterThan(0);
    expect(inputs.notes).toEqual([expect.stringContaining('notes.txt')]);
  });

  it('opens a collect archive: its tables under their recorded signatures, its topology with the groups', async () => {
    const inputs = await readInputFiles([{ name: 'machine.json', bytes: archiveBytes(await laptopArchive()) }]);
    expect(inputs.tables.map((table) => [table.source, table.signature])).toEqual([['machine.json#DMAR', 'DMAR'], ['machine.json#APIC', 'APIC']]);
    expect(inputs.tables[0]!.bytes).toEqual(sample('x86-laptop/DMAR.bin'));
    expect(inputs.tables[1]!.bytes).toEqual(sample('x86-laptop/APIC.bin'));
    // The groups of corpus/samples/x86-laptop/pci.json.
    expect(Object.fromEntries(inputs.topology!.groups!)).toEqual({
      0: ['0000:00:00.0'],
      1: ['0000:00:02.0'],
      2: ['0000:00:14.0'],
      3: ['0000:00:15.0'],
      4: ['0000:00:1c.0', '0000:01:00.0'],
      5: ['0000:00:1f.0', '0000:00:1f.3'],
    });
    expect(inputs.topology!.groupsGuessed).toBe(false);
    expect(inputs.notes).toEqual([`machine.json: collect archive of ${ARCHIVE_KERNEL}`]);
  });

  it('says what a collect archive lacks: no topology means groups unknown; failures and a damaged table are shown, not dropped', async () => {
    const archive = await laptopArchive();
    archive.topology = null;
    archive.kernel = null;
    archive.failures = [{ source: '/sys/bus/pci/devices', reason: 'permission denied' }];
    // 20 bytes of a DMAR: too short for its header, yet collect recorded it as DMAR.
    archive.tables = [{ signature: 'DMAR', source: '/sys/firmware/acpi/tables/DMAR', base64: archive.tables[0]!.base64.slice(0, 28) }];
    const inputs = await readInputFiles([{ name: 'broken.json', bytes: archiveBytes(archive) }]);
    expect(inputs.topology).toBeUndefined();
    expect(inputs.tables.map((table) => [table.source, table.signature, table.bytes.length])).toEqual([['broken.json#DMAR', 'DMAR', 21]]);
    expect(inputs.tables[0]!.table.diagnostics.some((diagnostic) => diagnostic.severity === 'error')).toBe(true);
    expect(inputs.notes).toEqual([
      'broken.json: collect archive of an unknown kernel (collect could not read /proc/version)',
      'broken.json: collect could not read /sys/bus/pci/devices: permission denied',
      'broken.json: no PCI topology in the archive (collect could not read the PCI tree): groups unknown',
    ]);
  });
});

describe('piecewise axis', () => {
  const page = { start: 0xfee00000n, end: 0xfee00fffn };
  const huge = { start: 0x1_0000_0000n, end: (1n << 48n) - 1n };
  const axis = buildAxis([page, huge], { start: 0n, end: (1n << 48n) - 1n }, 800);

  it('keeps a 4 KiB page visible beside a 2^48-byte range', () => {
    const width = positionOf(axis, page.end + 1n) - positionOf(axis, page.start);
    expect(width).toBeGreaterThan(800 / 12);
    expect(positionOf(axis, 0n)).toBe(0);
    expect(positionOf(axis, 1n << 48n)).toBeCloseTo(800);
  });

  it('is monotonic and marks the scale changes', () => {
    const points = [0n, 0x1000n, 0xfee00000n, 0xfee00800n, 0xfee01000n, 0x2_0000_0000n, 1n << 47n];
    const xs = points.map((point) => positionOf(axis, point));
    for (let index = 1; index < xs.length; index++) expect(xs[index]!).toBeGreaterThan(xs[index - 1]!);
    expect(axis.breaks.length).toBeGreaterThan(0);
  });
});
