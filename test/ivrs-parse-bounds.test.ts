/**
 * The IVRS parser's bounds (src/ivrs/walk.ts, entry-walk.ts) and field offsets (ivhd.ts, ivmd.ts,
 * device-entry.ts, block.ts) on bytes written out by hand here, so a wrong offset in the parser
 * cannot hide behind the same constant in the encoder. Layout: AMD IOMMU specification §5.2
 * (IVRS header 48 bytes; block Type, Flags, Length u16; IVHD 0x10 fixed part 24 bytes, 0x11/0x40
 * 40; IVMD 32; device entry length from type bits 7:6, ACPI HID entry 22 + UID length).
 */
import { describe, expect, it } from 'vitest';
import { parseIvrs } from '../src/ivrs/index.js';
import { amdBootModel } from '../src/ivrs/regions/index.js';

/** An IVRS (revision 2) whose blocks are the given bytes, with the header Length and checksum fixed. */
function ivrs(...blocks: number[][]): Uint8Array {
  const body = blocks.flat();
  const bytes = new Uint8Array(48 + body.length);
  bytes.set([0x49, 0x56, 0x52, 0x53]); // IVRS
  new DataView(bytes.buffer).setUint32(4, bytes.length, true);
  bytes[8] = 2;
  bytes.set(body, 48);
  bytes[9] = (0x100 - bytes.reduce((sum, byte) => (sum + byte) & 0xff, 0)) & 0xff;
  return bytes;
}

const le = (value: number | bigint, size: number) => Array.from({ length: size }, (_, index) => Number((BigInt(value) >> BigInt(8 * index)) & 0xffn));
/** A block header: type, flags, Length. */
const head = (type: number, length: number, flags = 0) => [type, flags, ...le(length, 2)];
/** An IVHD 0x10 (24-byte fixed part) around `entries`. */
const ivhd10 = (entries: number[], length = 24 + entries.length) => [...head(0x10, length), ...le(0x0002, 2), ...le(0x40, 2), ...le(0xfeb80000n, 8), ...le(0, 2), ...le(0, 2), ...le(0, 4), ...entries];
const diagnostics = (bytes: Uint8Array) => parseIvrs(bytes).diagnostics.map(({ code, offset, length, message }) => ({ code, offset, length, message }));

describe('block framing', () => {
  it('exactly a 4-byte header left is framed; three bytes are not', () => {
    expect(diagnostics(ivrs(head(0x51, 4)))).toEqual([{ code: 'ivrs.block.unknown', offset: 0x30, length: 4, message: 'block type 0x51 at 0x30 (Length 4) is not an IVHD or IVMD type; skipped' }]);
    expect(diagnostics(ivrs([0x51, 0, 4]))).toEqual([{ code: 'ivrs.block.truncated', offset: 0x30, length: 3, message: 'only 3 bytes are left at 0x30, less than a 4-byte block header' }]);
  });

  it('Length 0 stops the walk, naming the block type and the bytes left', () => {
    const bytes = ivrs(ivhd10([2, 0x10, 0, 0]), head(0x21, 0), new Array(28).fill(0));
    expect(diagnostics(bytes)).toEqual([{ code: 'ivrs.block.zero-length', offset: 0x4c, length: 4, message: 'IVMD type 0x21 at 0x4c has Length 0; the remaining 32 bytes cannot be framed' }]);
    expect(parseIvrs(bytes).blockOffsets).toEqual([0x30]);
  });

  it('a Length below the 4-byte header, or past the table end, stops the walk; ending exactly at the end is fine', () => {
    expect(diagnostics(ivrs(head(0x51, 3), [0, 0, 0, 0]))).toEqual([{ code: 'ivrs.block.overrun', offset: 0x30, length: 3, message: 'block type 0x51 at 0x30 has Length 3, less than its 4-byte header; the walk stops' }]);
    expect(diagnostics(ivrs(head(0x10, 29), new Array(24).fill(0)))).toEqual([{ code: 'ivrs.block.overrun', offset: 0x30, length: 28, message: 'IVHD type 0x10 at 0x30 has Length 29, but the table ends 28 bytes later; the walk stops' }]);
    expect(parseIvrs(ivrs(ivhd10([2, 0x10, 0, 0]))).blockOffsets).toEqual([0x30]);
    expect(diagnostics(ivrs(ivhd10([2, 0x10, 0, 0])))).toEqual([]);
  });

  it('a known block shorter than its fixed part is kept undecoded; exactly the fixed part is decoded', () => {
    const short = ivrs([...head(0x21, 31), ...new Array(27).fill(0)]);
    expect(diagnostics(short)).toEqual([{ code: 'ivrs.block.short', offset: 0x30, length: 31, message: 'IVMD type 0x21 at 0x30 has Length 31, less than its 32-byte fixed part; kept undecoded' }]);
    expect([...parseIvrs(short).blocks()].map((block) => block.kind)).toEqual(['unknown']);
    expect([...parseIvrs(short).ivmds()]).toEqual([]);
    const ivhd11 = ivrs([...head(0x11, 24), ...new Array(20).fill(0)]);
    expect(diagnostics(ivhd11).map((item) => item.message)).toEqual(['IVHD type 0x11 at 0x30 has Length 24, less than its 40-byte fixed part; kept undecoded']);
    expect([...parseIvrs(ivhd11).ivhds()]).toEqual([]);
    const exact = ivrs([...head(0x22, 32), ...new Array(28).fill(0)]);
    expect(diagnostics(exact)).toEqual([]);
    expect([...parseIvrs(exact).ivmds()].map((block) => block.offset)).toEqual([0x30]);
  });

  it('blocks follow each other by Length', () => {
    const bytes = ivrs(ivhd10([2, 0x10, 0, 0], 32), [0, 0, 0, 0], [...head(0x20, 32), ...new Array(28).fill(0)]);
    expect(parseIvrs(bytes).blockOffsets).toEqual([0x30, 0x50]);
  });
});

describe('device entry framing (IVHD 0x10 entries from 0x48)', () => {
  const entriesOf = (bytes: Uint8Array) => [...parseIvrs(bytes).ivhds()][0]!.entryOffsets;

  it('an entry that runs past the IVHD end stops the entries, with its size and the end', () => {
    // select @0x48, then an 8-byte alias entry @0x4c in a block that ends at 0x50.
    const bytes = ivrs(ivhd10([2, 0x10, 0, 0, 0x42, 0x18, 0, 0]));
    expect(diagnostics(bytes)).toEqual([{ code: 'ivrs.entry.truncated', offset: 0x4c, length: 4, message: 'device entry type 0x42 at 0x4c: its 8 bytes run past the IVHD end at 0x50; the rest of the block is not read' }]);
    expect(entriesOf(bytes)).toEqual([0x48]);
  });

  it('an entry ending exactly at the IVHD end is read', () => {
    expect(entriesOf(ivrs(ivhd10([2, 0x10, 0, 0, 0x42, 0x18, 0, 0, 0, 0x10, 0, 0])))).toEqual([0x48, 0x4c]);
  });

  it('an ACPI HID entry is 22 bytes plus its UID length; the UID length byte itself must be inside', () => {
    const hid = (uidLength: number, uid: number[]) => [0xf0, 0xa5, 0, 0, ...le(0x3032_3030_4944_4d41n, 8), ...le(0, 8), 2, uidLength, ...uid];
    const two = ivrs(ivhd10([...hid(2, [0x41, 0x42]), 2, 0x10, 0, 0]));
    expect(entriesOf(two)).toEqual([0x48, 0x60]);
    expect(diagnostics(two)).toEqual([]);
    const entry = [...[...parseIvrs(two).ivhds()][0]!.entries()][0]!;
    expect([entry.kind, entry.length, entry.deviceId, entry.hid, entry.hidValue, entry.cid, entry.uidFormat, entry.uidLength, entry.uid]).toEqual(['acpi-hid', 24, 0xa5, 'AMDI0020', 0x3032_3030_4944_4d41n, undefined, 2, 2, 'AB']);
    // UID length byte at 0x48 + 21 = 0x5d is the last byte of the block: readable, but 22 + 5 bytes do not fit.
    const past = ivrs(ivhd10(hid(5, []).slice(0, 22)));
    expect(diagnostics(past).map((item) => item.message)).toEqual(['device entry type 0xf0 at 0x48: its 27 bytes run past the IVHD end at 0x5e; the rest of the block is not read']);
    // The block ends at the UID length byte: it is not read.
    const cut = ivrs(ivhd10(hid(0, []).slice(0, 21)));
    expect(diagnostics(cut).map((item) => item.message)).toEqual(['device entry type 0xf0 at 0x48: its UID length byte run past the IVHD end at 0x5d; the rest of the block is not read']);
  });

  it('reserved entry types are skipped by their length bits; Linux 6.1 would not advance past types from 0x80', () => {
    const bytes = ivrs(ivhd10([0x05, 0, 0, 0, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x80, ...new Array(15).fill(0), 2, 0x10, 0, 0]));
    expect(diagnostics(bytes)).toEqual([
      { code: 'ivrs.entry.reserved', offset: 0x48, length: 4, message: 'device entry type 0x5 at 0x48 is reserved; skipped as 4 bytes' },
      { code: 'ivrs.entry.reserved', offset: 0x4c, length: 8, message: 'device entry type 0x7f at 0x4c is reserved; skipped as 8 bytes' },
      { code: 'ivrs.entry.reserved', offset: 0x54, length: 16, message: "device entry type 0x80 at 0x54 is reserved; skipped as 16 bytes (Linux 6.1's walk would not advance past it)" },
    ]);
    expect(entriesOf(bytes)).toEqual([0x48, 0x4c, 0x54, 0x64]);
    const reserved = [...[...parseIvrs(bytes).ivhds()][0]!.entries()][1]!;
    expect([reserved.kind, reserved.length, reserved.payload]).toEqual(['unknown', 8, new Uint8Array(4)]);
  });

  it('entries of an IVHD 0x11 start after its 40-byte fixed part', () => {
    const block = [...head(0x11, 44), ...le(0x0002, 2), ...new Array(34).fill(0), 2, 0x10, 0, 0];
    expect(entriesOf(ivrs(block))).toEqual([0x58]);
  });
});

describe('field offsets', () => {
  it('IVHD 0x10: device ID 4, capability 6, base 8, segment 16, info 18, feature reporting 20', () => {
    const block = [...head(0x10, 24, 0xa5), ...le(0x0102, 2), ...le(0x0340, 2), ...le(0x1122_3344_5566_7788n, 8), ...le(0x0506, 2), ...le(0x0708, 2), ...le(0x090a_0b0c, 4)];
    const table = parseIvrs(ivrs(block));
    const ivhd = [...table.ivhds()][0]!;
    expect([ivhd.type, ivhd.length, ivhd.flags, ivhd.deviceId, ivhd.capabilityOffset, ivhd.baseAddress, ivhd.pciSegmentGroup, ivhd.info, ivhd.featureReporting, ivhd.attributes, ivhd.efrRegisterImage, ivhd.headerSize]).toEqual([
      0x10, 24, 0xa5, 0x0102, 0x0340, 0x1122_3344_5566_7788n, 0x0506, 0x0708, 0x090a_0b0c, undefined, undefined, 24,
    ]);
    // Flags 0xa5 = bits 0, 2, 5, 7.
    expect(ivhd.flagBits).toEqual({ htTunnel: true, passPw: false, resPassPw: true, isoc: false, iotlbSupport: false, coherent: true, prefetchSupport: false, pprSupport: true });
    expect(ivhd.toJSON()).toMatchObject({ featureReporting: 0x090a_0b0c, entries: [] });
    expect('attributes' in ivhd.toJSON()).toBe(false);
  });

  it('IVHD 0x11: attributes 20, EFR image 24, EFR image 2 at 32', () => {
    const block = [...head(0x11, 40), ...le(2, 2), ...le(0x40, 2), ...le(0, 8), ...le(0, 2), ...le(0, 2), ...le(0x1234, 4), ...le(0xaabb_ccdd_0011_2233n, 8), ...le(0x4455_6677n, 8)];
    const ivhd = [...parseIvrs(ivrs(block)).ivhds()][0]!;
    expect([ivhd.featureReporting, ivhd.attributes, ivhd.efrRegisterImage, ivhd.efrRegisterImage2, ivhd.headerSize]).toEqual([undefined, 0x1234, 0xaabb_ccdd_0011_2233n, 0x4455_6677n, 40]);
    expect('featureReporting' in ivhd.toJSON()).toBe(false);
  });

  it('IVMD: device ID 4, auxiliary 6, segment 8, reserved 10–15, start 16, length 24, flag bits', () => {
    const block = [...head(0x22, 32, 0x0f), ...le(0x0100, 2), ...le(0x01ff, 2), ...le(0x0003, 2), ...le(0x0000_0000_0201n, 6), ...le(0x1_0000_0000n, 8), ...le(0x2000n, 8)];
    const ivmd = [...parseIvrs(ivrs(block)).ivmds()][0]!;
    expect(ivmd.toJSON()).toEqual({
      type: 0x22, kind: 'ivmd', offset: 0x30, length: 32, flags: 0x0f, unity: true, readable: true, writeable: true, exclusionRange: true,
      deviceId: 0x0100, auxiliaryData: 0x01ff, pciSegmentGroup: 3, reserved: 0x0201, startAddress: 0x1_0000_0000n, memoryLength: 0x2000n,
    });
    const one = [...parseIvrs(ivrs([...head(0x21, 32, 0x04), ...new Array(28).fill(0)])).ivmds()][0]!;
    expect([one.unity, one.readable, one.writeable, one.exclusionRange]).toEqual([false, false, true, false]);
  });

  it('device entries: data setting bits, alias source at 5 and reserved bytes 4 and 7, extended data at 4, special handle 4 and variety 7', () => {
    const entries = [
      0x02, 0x10, 0x00, 0xf7, // select 00:02.0, data setting 0xf7
      0x42, 0x18, 0x00, 0x00, 0x11, 0x08, 0x00, 0x22, // alias select 00:03.0 → 00:01.0, reserved bytes 0x11, 0x22
      0x46, 0x20, 0x00, 0x00, ...le(0x8000_0001, 4), // extended select 00:04.0
      0x48, 0x00, 0x00, 0xd7, 0x21, 0xa0, 0x00, 0x01, // special IOAPIC 33 at 00:14.0
    ];
    const [select, alias, extended, special] = [...[...parseIvrs(ivrs(ivhd10(entries))).ivhds()][0]!.entries()];
    expect([select!.dataSetting, select!.initPass, select!.extIntPass, select!.nmiPass, select!.systemManagement, select!.lint0Pass, select!.lint1Pass]).toEqual([0xf7, true, true, true, 3, true, true]);
    expect([select!.sourceDeviceId, select!.extendedData, select!.handle, select!.reservedBytes]).toEqual([undefined, undefined, undefined, undefined]);
    expect(alias!.toJSON()).toEqual({ type: 0x42, kind: 'alias-select', offset: 0x4c, length: 8, deviceId: 0x18, dataSetting: 0, sourceDeviceId: 0x08, reservedByte4: 0x11, reservedByte7: 0x22 });
    expect(extended!.toJSON()).toEqual({ type: 0x46, kind: 'extended-select', offset: 0x54, length: 8, deviceId: 0x20, dataSetting: 0, extendedData: 0x8000_0001 });
    expect(special!.toJSON()).toEqual({ type: 0x48, kind: 'special', offset: 0x5c, length: 8, deviceId: 0, dataSetting: 0xd7, sourceDeviceId: 0xa0, handle: 0x21, variety: 1 });
  });

  it('an ACPI HID entry with a format-1 UID reads it as a little-endian integer; non-text HIDs have no text', () => {
    const entry = [0xf0, 0x08, 0x00, 0x00, ...le(0x1234n, 8), ...le(0x4141_4141n, 8), 1, 2, 0x34, 0x12];
    const hid = [...[...parseIvrs(ivrs(ivhd10(entry))).ivhds()][0]!.entries()][0]!;
    expect([hid.hid, hid.hidValue, hid.cid, hid.cidValue, hid.uidFormat, hid.uid]).toEqual([undefined, 0x1234n, 'AAAA', 0x4141_4141n, 1, 0x1234n]);
    const none = [0xf0, 0x08, 0x00, 0x00, ...le(0x4141n, 8), ...le(0, 8), 0, 0];
    const empty = [...[...parseIvrs(ivrs(ivhd10(none))).ivhds()][0]!.entries()][0]!;
    expect([empty.hid, empty.uid, empty.length]).toEqual(['AA', undefined, 22]);
  });
});

describe('what each view reads only for its own kind', () => {
  const entriesOf = (entries: number[]) => [...[...parseIvrs(ivrs(ivhd10(entries))).ivhds()][0]!.entries()];

  it('data-setting bits read 0 as false', () => {
    const [select] = entriesOf([2, 0x10, 0, 0x08]);
    expect([select!.initPass, select!.extIntPass, select!.nmiPass, select!.systemManagement, select!.lint0Pass, select!.lint1Pass]).toEqual([false, false, false, 0, false, false]);
  });

  it('extended data on 0x40, 0x46 and 0x47 entries only; HID and CID on ACPI HID entries only', () => {
    const [pad8, extendedRange, alias, reserved] = entriesOf([0x40, 0, 0, 0, ...le(7, 4), 0x47, 0x08, 0, 0, ...le(9, 4), 0x42, 0x10, 0, 0, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41]);
    expect([pad8!.kind, pad8!.extendedData, extendedRange!.kind, extendedRange!.extendedData, alias!.extendedData]).toEqual(['pad8', 7, 'extended-range-start', 9, undefined]);
    // The alias entry is followed by printable bytes: still no HID or CID, which only 0xF0 entries have.
    expect([alias!.hid, alias!.cid, alias!.hidValue, reserved!.kind]).toEqual([undefined, undefined, undefined, 'unknown']);
  });

  it('HID text: trailing NULs dropped, inner NULs and control bytes make it no text', () => {
    const hidEntry = (hid: number[], uid: number[] = []) => [0xf0, 0x08, 0, 0, ...hid, ...new Array(8 - hid.length).fill(0), ...le(0, 8), 2, uid.length, ...uid];
    expect(entriesOf(hidEntry([0x41, 0x42]))[0]!.hid).toBe('AB');
    expect(entriesOf(hidEntry([0x41, 0, 0x42]))[0]!.hid).toBeUndefined();
    expect(entriesOf(hidEntry([0x01, 0x41]))[0]!.hid).toBeUndefined();
    expect(entriesOf(hidEntry([0x41], [0x41, 0, 0x42, 0, 0]))[0]!.uid).toBe('A\0B');
  });

  it('an IVHD 0x10 has no EFR image 2; its JSON lists its fields and entries', () => {
    const ivhd = [...parseIvrs(ivrs(ivhd10([2, 0x10, 0, 0]))).ivhds()][0]!;
    expect(ivhd.efrRegisterImage2).toBeUndefined();
    expect(ivhd.toJSON()).toEqual({
      type: 0x10, kind: 'ivhd', offset: 0x30, length: 28, flags: 0, htTunnel: false, passPw: false, resPassPw: false, isoc: false, iotlbSupport: false, coherent: false, prefetchSupport: false, pprSupport: false,
      deviceId: 2, capabilityOffset: 0x40, baseAddress: 0xfeb80000n, pciSegmentGroup: 0, info: 0, featureReporting: 0,
      entries: [{ type: 2, kind: 'select', offset: 0x48, length: 4, deviceId: 0x10, dataSetting: 0 }],
    });
  });

  it('IVMD flags read 0 as false', () => {
    const ivmd = [...parseIvrs(ivrs([...head(0x21, 32, 0x01), ...new Array(28).fill(0)])).ivmds()][0]!;
    expect([ivmd.unity, ivmd.readable, ivmd.writeable, ivmd.exclusionRange]).toEqual([true, false, false, false]);
  });

  it('device entries are framed in IVHDs only, and an unknown block type is an unknown view', () => {
    expect(diagnostics(ivrs([...head(0x21, 36), ...new Array(28).fill(0), 0x05, 0, 0, 0]))).toEqual([]);
    expect([...parseIvrs(ivrs([...head(0x51, 8), 0, 0, 0, 0])).blocks()].map((block) => block.kind)).toEqual(['unknown']);
  });

  it('the UID length byte of an ACPI HID entry at the IVHD end is not taken from the next block', () => {
    // IVHD ends right at the entry's UID length byte; the next block's first byte (0x21) must not be read as it.
    const hid = [0xf0, 0xa5, 0, 0, ...le(0x41n, 8), ...le(0, 8), 2];
    const bytes = ivrs(ivhd10(hid), [...head(0x21, 32), ...new Array(28).fill(0)]);
    expect(diagnostics(bytes).map((item) => item.message)).toEqual(['device entry type 0xf0 at 0x48: its UID length byte run past the IVHD end at 0x5d; the rest of the block is not read']);
  });
});

describe('the boot model on an IVHD that is too short', () => {
  it('an IVHD 0x11 shorter than 40 bytes sets the type but is not parsed: no IOMMU', () => {
    const amd = amdBootModel(parseIvrs(ivrs([...head(0x11, 24), ...le(2, 2), ...new Array(18).fill(0)])));
    expect(amd.enabled).toBe(false);
    expect(amd.findings.map(({ code, message, offset }) => ({ code, message, offset }))).toEqual([{ code: 'regions.amd.iommu-off', message: 'no IVHD of type 0x11 parsed', offset: 0 }]);
  });
});

describe('HID text with an inner NUL and no trailing one', () => {
  it('is no text (only trailing NULs are dropped)', () => {
    const entry = [0xf0, 0x08, 0, 0, 0x41, 0, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, ...le(0, 8), 0, 0];
    expect([...[...parseIvrs(ivrs(ivhd10(entry))).ivhds()][0]!.entries()][0]!.hid).toBeUndefined();
  });
});
