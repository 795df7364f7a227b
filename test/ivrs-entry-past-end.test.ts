/**
 * IVHD device entries that run past their IVHD's end, and alias ranges whose end is below their
 * start, as Linux walks them (src/ivrs/regions/kernel-walk.ts, alias-target.ts).
 *
 * Linux 6.1 `find_last_devid_from_ivhd` and `init_iommu_from_acpi` (drivers/iommu/amd/init.c,
 * Debian's 6.1.192 source) loop `while (p < end)` and step `p += ivhd_entry_length(p)`: an entry
 * that starts inside the IVHD is read and applied whole, from whatever follows, then
 * `WARN_ON(p != end)` fires in find_last_devid_from_ivhd (not in init_iommu_from_acpi, which has no
 * check), unless an "all" entry returned first.
 *
 * Boots (kernel-oracle, Debian 6.1.0-57-amd64, QEMU 7.2 q35 + amd-iommu, 5 December 2026), each
 *   KO_IOMMU_DEV=amd-iommu KO_KEEP_LOG=1 run-x86.sh <table>.bin \
 *     -device VGA,addr=02.0 -device qemu-xhci,addr=03.0 -device e1000e,addr=04.0
 * with the table below (QEMU's own IVHD for this device set, reordered and cut; every boot's dmesg
 * says "ACPI: Table Upgrade: override [IVRS-BOCHS -BXPC    ]"). The oracle's groups are quoted per
 * boot; the WARN lines are from the boots' full dmesg. Offsets: IVRS header 0x30, IVHD 0x10 header
 * 24 bytes (entries from 0x48).
 */
import { describe, expect, it } from 'vitest';
import { auditTables, explainDevice } from '../src/audit/index.js';
import { parseExplainTarget } from '../src/audit/explain-model.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { amdBootModel, amdDeviceList, coveringEntry } from '../src/ivrs/regions/index.js';
import { assembleGroups } from '../src/regions/analysis.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { ivhd, ivmd, ivrsBytes, select, topology } from './support/ivrs-model.js';

const fromHex = (text: string) => Uint8Array.from(text.match(/../g)!, (pair) => parseInt(pair, 16));
const LINUX_6_1 = kernelBehaviour('6.1');
/** Boot E: alias-range-start 00:04.0 → 00:03.0 at 0x6c, range-end 00:02.0 at 0x74; nothing else names 00:03.0, the IVMD after the IVHD names it. */
const E = fromHex(
  '495652539800000001ab424f4348532042585043202020200200000042585043' +
    '0100000000280000000000000000000010d14800080040000000d8fe00000000' +
    '00000000440000000200000002080000021000000220000002f8000002fa0000' +
    '02fb00004800000000a000014320000000180000041000002107200018000000' +
    '00000000000000000000003e000000000000100000000000',
);
const IDS = [0x00, 0x08, 0x10, 0x18, 0x20, 0xf8, 0xfa, 0xfb];
const TAIL = '0x00000000fee00000 0x00000000feefffff msi\n0x000000fd00000000 0x000000ffffffffff reserved\n';
const IVMD_3E = '0x000000003e000000 0x000000003e0fffff direct\n';

/** What the model gives each group of the boot's topology, as sysfs text (00:01.0, the IOMMU, has none). */
function groupsText(bytes: Uint8Array, groups: number[][], kernel = LINUX_6_1): string[] {
  const topo = topology(IDS, groups);
  return assembleGroups(topo, amdDeviceList(parseIvrs(bytes), topo, kernel).devices, []).map((group) => formatSysfs(group.regions));
}

/** The WARN both boots with an overshooting entry printed (full dmesg, timestamps cut). */
const WARN_DMESG = ['------------[ cut here ]------------', 'WARNING: CPU: 0 PID: 0 at drivers/iommu/amd/init.c:590 get_pci_segment+0x112/0x29d'];

describe('a 4-byte select one byte past the IVHD end (boot A)', () => {
  // IVHD Length 0x3f: the select of 00:04.0 at 0x6c has its Data Setting byte at 0x6f, the type of
  // the IVMD (0x21, 00:04.0, 0x3e000000 + 1 MiB) that follows.
  const A = fromHex(
    '495652538f000000012a424f4348532042585043202020200200000042585043' +
      '0100000000280000000000000000000010d13f00080040000000d8fe00000000' +
      '00000000440000000200000002080000021000000218000002f8000002fa0000' +
      '02fb00004800000000a000010220002107200020000000000000000000000000' +
      '00003e000000000000100000000000',
  );
  it('the parser still reports the entry as truncated', () => {
    expect(parseIvrs(A).diagnostics.map((item) => `${item.code}@${item.offset}`)).toContain('ivrs.entry.truncated@108');
  });

  it('gives 00:04.0 its IOMMU and its IVMD, as the boot did (group 3: 00:04.0 with 3e000000-3e0fffff direct)', () => {
    expect(coveringEntry(amdBootModel(parseIvrs(A), LINUX_6_1).segments.get(0), 0x20)).toEqual({ first: 0x20, last: 0x20, ivhd: 0x30, entry: 0x6c });
    expect(groupsText(A, [[0x00], [0x10], [0x18], [0x20], [0xf8, 0xfa, 0xfb]])).toEqual([TAIL, TAIL, TAIL, IVMD_3E + TAIL, TAIL]);
  });

  it('predicts the WARN: one IVHD, the finding at the entry, and the first two dmesg lines for 6.1', () => {
    const model = amdBootModel(parseIvrs(A), LINUX_6_1);
    expect(model.lastDevidWarnings).toEqual([0x30]);
    expect(model.findings.map((item) => [item.code, item.offset])).toEqual([['regions.amd.entry-past-ivhd', 0x6c]]);
    expect(model.findings[0]!.message).toContain('from the bytes that follow the IVHD');
    const audit = auditTables({ ivrs: parseIvrs(A) }, { kernel: LINUX_6_1 });
    expect(audit.kernelLog.map((line) => line.text)).toEqual(WARN_DMESG);
    expect(audit.findings.filter((item) => item.code === 'audit.ivhd.entry-past-end').map((item) => item.offset)).toEqual([0x30]);
    // Another release: the WARNING line's source line and offsets are its build's, so only the first line.
    expect(auditTables({ ivrs: parseIvrs(A) }, {}).kernelLog.map((line) => line.text)).toEqual([WARN_DMESG[0]]);
  });
});

describe('an 8-byte alias-select one byte past the IVHD end (boot B)', () => {
  // IVHD Length 0x3f: alias-select 00:04.0 → 00:03.0 at 0x68 (its reserved byte 7 is the IVMD's
  // type); nothing else names 00:03.0. The IVMD names 00:04.0.
  const B = fromHex(
    '495652538f00000001ec424f4348532042585043202020200200000042585043' +
      '0100000000280000000000000000000010d13f00080040000000d8fe00000000' +
      '000000004400000002000000020800000210000002f8000002fa000002fb0000' +
      '4800000000a00001422000000018002107200020000000000000000000000000' +
      '00003e000000000000100000000000',
  );
  it('covers both IDs and puts them in one group with the IVMD of 00:04.0 (boot: group 2 = 00:03.0 + 00:04.0)', () => {
    expect(groupsText(B, [[0x00], [0x10], [0x18, 0x20], [0xf8, 0xfa, 0xfb]])).toEqual([TAIL, TAIL, IVMD_3E + TAIL, TAIL]);
    expect(amdBootModel(parseIvrs(B)).lastDevidWarnings).toEqual([0x30]);
  });
});

describe('a select one byte past the end of the table (boot C2)', () => {
  // The IVHD is the only block and ends the table at 0x6f; the select of 00:04.0 at 0x6c has its
  // device ID inside, its Data Setting byte in memory after the table.
  const C2 = fromHex(
    '495652536f0000000100424f4348532042585043202020200200000042585043' +
      '0100000000280000000000000000000010d13f00080040000000d8fe00000000' +
      '00000000440000000200000002080000021000000218000002f8000002fa0000' +
      '02fb00004800000000a00001022000',
  );
  it('applies it (the IDs are in the table) and says the kernel read past the table (boot: group 3 = 00:04.0)', () => {
    expect(groupsText(C2, [[0x00], [0x10], [0x18], [0x20], [0xf8, 0xfa, 0xfb]])).toEqual([TAIL, TAIL, TAIL, TAIL, TAIL]);
    const model = amdBootModel(parseIvrs(C2), LINUX_6_1);
    expect(model.lastDevidWarnings).toEqual([0x30]);
    expect(model.findings[0]!.message).toContain('from the memory after the table');
  });

  it('leaves out an entry whose device ID lies past the table end, and says the IDs are unknown', () => {
    // The same table cut one more byte: the select's device ID high byte is past the end.
    const cut = C2.slice(0, 0x6e);
    cut[4] = 0x6e;
    cut[0x32] = 0x3e;
    const model = amdBootModel(parseIvrs(cut), LINUX_6_1);
    expect(model.findings.map((item) => [item.code, item.offset])).toEqual([['regions.amd.entry-past-table', 0x6c]]);
    expect(model.findings[0]!.message).toContain('unknown');
    expect(model.findings[0]!.message).toContain('prints a WARN_ON(p != end) backtrace');
    expect(coveringEntry(model.segments.get(0), 0x20)).toBeUndefined();
    // The walk still steps past the IVHD end whatever the memory holds.
    expect(model.lastDevidWarnings).toEqual([0x30]);
    expect(model.segments.get(0)!.lastBdf).toBe(0xfb);
  });

  it('an entry past the table end that names no device ID (special) leaves an IVHD with none: the IOMMU stays off', () => {
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [{ kind: 'special', sourceDeviceId: 0xa0, handle: 0, variety: 1 }])]);
    const cut = bytes.slice(0, bytes.length - 2);
    cut[4] = cut.length;
    cut[0x32] = cut.length - 0x30;
    const model = amdBootModel(parseIvrs(cut));
    expect(model.enabled).toBe(false);
    expect(model.findings.map((item) => item.code)).toEqual(['regions.amd.entry-past-table', 'regions.amd.iommu-off']);
  });

  it('an unknown device ID still counts as a device ID: the IVHD does not fail for naming none', () => {
    // IVHD with a single select whose ID high byte lies past the table end.
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [select(0x20)])]);
    const cut = bytes.slice(0, bytes.length - 2);
    cut[4] = cut.length;
    cut[0x32] = cut.length - 0x30;
    const model = amdBootModel(parseIvrs(cut));
    expect(model.enabled).toBe(true);
    expect(model.segments.get(0)!.lastBdf).toBe(0);
  });
});

describe('the boundary, both ways', () => {
  /** An IVHD of `entries` whose Length is `cut` bytes short, followed by an IVMD, as one table. */
  function cutIvhd(type: number, entries: Parameters<typeof ivhd>[2], cut: number): Uint8Array {
    const whole = ivrsBytes([ivhd(type, 0x08, entries)]);
    const tail = ivrsBytes([ivmd(0x21, 0x7, 0x20, 0, 0x3e000000n, 0x1000n)]).slice(0x30);
    const bytes = new Uint8Array(whole.length - cut + tail.length);
    bytes.set(whole.subarray(0, whole.length - cut));
    bytes.set(tail, whole.length - cut);
    new DataView(bytes.buffer).setUint32(4, bytes.length, true);
    new DataView(bytes.buffer).setUint16(0x32, whole.length - cut - 0x30, true);
    return bytes;
  }

  it('an entry that ends exactly at the IVHD end: no WARN, no finding', () => {
    const model = amdBootModel(parseIvrs(cutIvhd(0x10, [select(0x00), select(0x20)], 0)));
    expect([model.lastDevidWarnings, model.findings]).toEqual([[], []]);
  });

  it('an 8-byte entry cut at 4 bytes is applied with its source ID read from the next block', () => {
    // alias-select 00:04.0 at 0x4c; its bytes 4–7 are the IVMD's type, flags and Length (0x21 0x07 0x20 0x00).
    const model = amdBootModel(parseIvrs(cutIvhd(0x10, [select(0x00), { kind: 'alias-select', deviceId: 0x20, sourceDeviceId: 0x18 }], 4)));
    expect(model.lastDevidWarnings).toEqual([0x30]);
    // 0x2007 lies beyond last_bdf (0x20): the kernel writes its DTE past the table it sized; no device gets it here.
    expect(model.segments.get(0)!.covered.at(-1)).toEqual({ first: 0x2007, last: 0x2007, ivhd: 0x30, entry: 0x4c });
    expect(model.segments.get(0)!.aliases).toEqual([{ first: 0x20, last: 0x20, alias: 0x2007, entry: 0x4c }]);
  });

  it('an "all" entry before it: find_last_devid_from_ivhd returns 0xffff first, so no WARN; the entry is still applied', () => {
    const model = amdBootModel(parseIvrs(cutIvhd(0x10, [{ kind: 'all' }, select(0x120)], 1)));
    expect(model.lastDevidWarnings).toEqual([]);
    expect(model.findings.map((item) => item.code)).toEqual(['regions.amd.entry-past-ivhd']);
    expect(model.findings[0]!.message).toContain('no WARN');
    expect(coveringEntry(model.segments.get(0), 0x120)?.entry).toBe(0x4c);
  });

  it('an ACPI HID entry (IVHD 0x40) whose UID runs past the end is applied; one whose UID length byte is the last IVHD byte too', () => {
    const hid = { kind: 'acpi-hid', deviceId: 0xa5, hid: 'AMDI0020', cid: '', uidFormat: 2, uid: 'ID00' };
    // Entries from 0x58 (40-byte header): the HID entry at 0x5c takes 22 + 4 bytes. Cut 4 bytes, its UID
    // length byte (0x71) is the IVHD's last byte; cut 5, it is the IVMD's type byte (0x21): 22 + 0x21 bytes.
    for (const cut of [4, 5]) {
      const model = amdBootModel(parseIvrs(cutIvhd(0x40, [select(0xff), hid], cut)));
      expect(model.lastDevidWarnings).toEqual([0x30]);
      expect(coveringEntry(model.segments.get(0), 0xa5)?.entry).toBe(0x5c);
    }
  });

  it('the WARNs follow the kernel\'s walk: per segment, in the order the segments first appear', () => {
    // IVHDs on segments 1, 0, 1; the last entry of each runs past its end (cut 1 byte each).
    const block = (segment: number) => {
      const bytes = ivrsBytes([ivhd(0x10, 0x08, [select(0x10), select(0x20)], { pciSegmentGroup: segment })]).slice(0x30);
      bytes[2] = bytes.length - 1;
      return bytes;
    };
    const blocks = [block(1), block(0), block(1)];
    const bytes = new Uint8Array(0x30 + blocks.reduce((sum, item) => sum + item.length, 0));
    bytes.set(ivrsBytes([]).subarray(0, 0x30));
    let at = 0x30;
    const starts: number[] = [];
    for (const item of blocks) {
      starts.push(at);
      bytes.set(item, at);
      at += item.length - 1;
    }
    new DataView(bytes.buffer).setUint32(4, at + 1, true);
    const model = amdBootModel(parseIvrs(bytes.subarray(0, at + 1)));
    expect(model.lastDevidWarnings).toEqual([starts[0], starts[2], starts[1]]);
  });
});

describe('an alias range whose end is below its start (boot E), per release', () => {
  // alias-range-start 00:04.0 → 00:03.0 at 0x6c, range-end 00:02.0 at 0x74; nothing else names 00:03.0,
  // the IVMD after the IVHD names it.
  const covered = (kernel: ReturnType<typeof kernelBehaviour>) => coveringEntry(amdBootModel(parseIvrs(E), kernel).segments.get(0), 0x18);

  it('6.1 gives the alias target no IOMMU: the boot left 00:03.0 without a group', () => {
    expect(covered(LINUX_6_1)).toBeUndefined();
    expect(groupsText(E, [[0x00], [0x10], [0x20], [0xf8, 0xfa, 0xfb]])).toEqual([TAIL, TAIL, TAIL, TAIL]);
  });

  it('6.14 and later give it one (set_dev_entry_from_acpi(devid_to) left the loop), current mainline too', () => {
    for (const kernel of [kernelBehaviour('6.14'), kernelBehaviour('6.16'), kernelBehaviour('6.17'), kernelBehaviour()]) expect(covered(kernel)?.entry).toBe(0x74);
    expect(covered(kernelBehaviour('6.13'))).toBeUndefined();
  });

  it('6.14–6.16 give devid_to (0 before any alias entry) an IOMMU at every range end, alias range or not', () => {
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [{ kind: 'range-start', deviceId: 0x10 }, { kind: 'range-end', deviceId: 0x18 }])]);
    const atZero = (version?: string) => coveringEntry(amdBootModel(parseIvrs(bytes), kernelBehaviour(version)).segments.get(0), 0)?.entry;
    expect([atZero('6.1'), atZero('6.14'), atZero('6.16'), atZero('6.17'), atZero()]).toEqual([undefined, 0x4c, 0x4c, undefined, undefined]);
  });
});

describe('an entry type ivhd_entry_length() does not size (boot H)', () => {
  // A type 0x80 entry (16 bytes by the AMD IOMMU specification) at 0x50, between selects. 6.1 sizes
  // types below 0x80 and 0xF0 only; for the others it returns 0, so `p` never moves. The boot (run
  // with KO_APPEND=loglevel=8 KO_TIMEOUT=45) printed "APIC: Switch to symmetric I/O mode setup" at
  // 0.008 s and nothing more in 45 s; boot A printed the same line and, 4 ms later, its IVRS WARN.
  const H = fromHex(
    '4956525380000000015e424f4348532042585043202020200200000042585043' +
      '0100000000280000000000000000000010d15000080040000000d8fe00000000' +
      '0000000044000000020000000208000080000000000000000000000000000000' +
      '02100000021800000220000002f8000002fa000002fb00004800000000a00001',
  );
  it('the boot hangs: the model brings no IOMMU up and says why', () => {
    const model = amdBootModel(parseIvrs(H));
    expect(model.enabled).toBe(false);
    expect(model.findings.map((item) => [item.code, item.offset])).toEqual([['regions.amd.boot-hang', 0x50]]);
    expect(groupsText(H, [[0x00], [0x10], [0x18], [0x20], [0xf8, 0xfa, 0xfb]]).every((text) => text === '')).toBe(true);
  });

  it('an ACPI HID entry (0xF0) is sized and the walk goes on', () => {
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [{ kind: 'acpi-hid', deviceId: 0xa5, hid: 'AMDI0020', cid: '', uidFormat: 0, uidLength: 0 }, select(0x20)])]);
    const model = amdBootModel(parseIvrs(bytes));
    expect(model.enabled).toBe(true);
    expect(coveringEntry(model.segments.get(0), 0x20)?.entry).toBe(0x5e);
  });
});

describe('which bytes of an entry past the end the model needs (fields past the table end are unknown), both ways', () => {
  /** An IVHD ending the table whose last entry `entry` has only `inside` of its bytes in it. */
  function lastEntryCut(type: number, entry: Parameters<typeof ivhd>[2][number], inside: number): Uint8Array {
    const whole = ivrsBytes([ivhd(type, 0x08, [select(0x00), entry])]);
    const entryAt = 0x30 + (type === 0x10 ? 24 : 40) + 4;
    const bytes = whole.slice(0, entryAt + inside);
    new DataView(bytes.buffer).setUint32(4, bytes.length, true);
    new DataView(bytes.buffer).setUint16(0x32, bytes.length - 0x30, true);
    return bytes;
  }
  const hid = { kind: 'acpi-hid', deviceId: 0xa5, hid: 'AMDI0020', cid: '', uidFormat: 0, uidLength: 0 };
  // [entry, IVHD type, bytes read: type + device ID (3), + source ID at 5–6 (7), + HID at 4–11 (12, IVHD 0x40 only)]
  const cases: [Parameters<typeof ivhd>[2][number], number, number][] = [
    [select(0x20), 0x10, 3],
    [{ kind: 'range-start', deviceId: 0x20 }, 0x10, 3],
    [{ kind: 'range-end', deviceId: 0x20 }, 0x10, 3],
    [{ kind: 'extended-select', deviceId: 0x20, extendedData: 0 }, 0x10, 3],
    [{ kind: 'extended-range-start', deviceId: 0x20, extendedData: 0 }, 0x10, 3],
    [{ kind: 'alias-select', deviceId: 0x20, sourceDeviceId: 0x18 }, 0x10, 7],
    [{ kind: 'alias-range-start', deviceId: 0x20, sourceDeviceId: 0x18 }, 0x10, 7],
    [{ kind: 'special', sourceDeviceId: 0xa0, handle: 0, variety: 1 }, 0x10, 7],
    [hid, 0x40, 12],
    [hid, 0x10, 1],
  ];
  for (const [entry, type, needed] of cases) {
    it(`${String(entry.kind)} in IVHD ${type.toString(16)}: ${needed} bytes in the table are enough, ${needed - 1} are not`, () => {
      const codes = (inside: number) => amdBootModel(parseIvrs(lastEntryCut(type, entry, inside))).findings.map((item) => item.code);
      expect(codes(needed)).toEqual(['regions.amd.entry-past-ivhd']);
      if (needed > 1) expect(codes(needed - 1)).toEqual(['regions.amd.entry-past-table']);
    });
  }
});

describe('the words of the findings', () => {
  it('an entry past the IVHD end, read from the next block, whose IVHD WARNs', () => {
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [select(0x00), select(0x20)]), ivmd(0x21, 0x7, 0x20, 0, 0x3e000000n, 0x1000n)]);
    bytes[0x32] = 0x1f;
    expect(amdBootModel(parseIvrs(bytes)).findings.map((item) => item.message)).toEqual([
      'device entry type 0x2 at 0x4c runs past the end of its IVHD: Linux still applies it, reading its last bytes from the bytes that follow the IVHD, then steps past the end; find_last_devid_from_ivhd ends past the IVHD and prints a WARN_ON(p != end) backtrace ("WARNING: … at drivers/iommu/amd/init.c")',
    ]);
  });

  it('an entry whose last byte is the table\'s last byte reads nothing after the table; one more byte does', () => {
    // IVHD Length 0x1f, then one byte of table (no block): the select's Data Setting byte.
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [select(0x00), select(0x20)])]);
    bytes[0x32] = 0x1f;
    expect(amdBootModel(parseIvrs(bytes)).findings[0]!.message).toContain('from the bytes that follow the IVHD');
    const shorter = bytes.slice(0, bytes.length - 1);
    shorter[4] = shorter.length;
    expect(amdBootModel(parseIvrs(shorter)).findings[0]!.message).toContain('from the memory after the table (bytes that hold none of the IDs it names)');
  });

  it('an ACPI HID entry past the IVHD end: sized by its UID length byte, read in the table or not', () => {
    const hid = { kind: 'acpi-hid', deviceId: 0xa5, hid: 'AMDI0020', cid: '', uidFormat: 2, uid: 'ID00' };
    const whole = ivrsBytes([ivhd(0x40, 0x08, [select(0xff), hid])]);
    // Cut by 1: 25 of its 26 bytes are in the table; the table then holds its UID length byte (4).
    const cut = (by: number) => {
      const bytes = whole.slice(0, whole.length - by);
      bytes[4] = bytes.length;
      bytes[0x32] = bytes.length - 0x30;
      return amdBootModel(parseIvrs(bytes)).findings[0]!.message;
    };
    expect(cut(1)).toContain('from the memory after the table');
    // With the IVHD one byte short but the table one byte longer, the entry is read from the table.
    const longer = new Uint8Array(whole.length);
    longer.set(whole);
    longer[0x32] = whole.length - 0x30 - 1;
    expect(amdBootModel(parseIvrs(longer)).findings[0]!.message).toContain('from the bytes that follow the IVHD');
    // UID length byte past the table end: the length is unknown, the entry still runs past the table.
    expect(cut(5)).toContain('from the memory after the table');
  });

  it('an entry past the table end after an "all" entry: unknown IDs, no WARN', () => {
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [{ kind: 'all' }, select(0x20)])]);
    const cut = bytes.slice(0, bytes.length - 2);
    cut[4] = cut.length;
    cut[0x32] = cut.length - 0x30;
    const model = amdBootModel(parseIvrs(cut));
    expect(model.lastDevidWarnings).toEqual([]);
    expect(model.findings.map((item) => item.message)).toEqual([
      'device entry type 0x2 at 0x4c runs past the end of the table (0x4e) with the IDs it names: Linux reads them from the memory after the table, which the table does not hold, so the IDs it gives an IOMMU (and this segment\'s last device ID) are unknown; they are left out here; no WARN: an "all" entry before it ends find_last_devid_from_ivhd first',
    ]);
  });

  it('the hang', () => {
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [select(0x00), { type: 0xc1, payload: new Array(28).fill(0) }])]);
    expect(amdBootModel(parseIvrs(bytes)).findings.map((item) => item.message)).toEqual([
      "device entry type 0xc1 at 0x4c: Linux's ivhd_entry_length() gives 0 for a type of 0x80 or above other than 0xF0, so its walk over the IVHD entries never moves past it and the boot hangs there (no IOMMU, no groups: nothing after it runs)",
    ]);
  });

  it('audit: the WARN lines by release, and its finding', () => {
    const bytes = ivrsBytes([ivhd(0x10, 0x08, [select(0x00), select(0x20)])]);
    bytes[0x32] = 0x1f;
    const audit = (version?: string) => auditTables({ ivrs: parseIvrs(bytes) }, { kernel: kernelBehaviour(version) });
    for (const version of ['5.1', '6.6', '7.1']) expect(audit(version).kernelLog.map((line) => line.text)).toEqual([WARN_DMESG[0]]);
    expect(audit('6.1').findings.filter((item) => item.code === 'audit.ivhd.entry-past-end').map((item) => [item.table, item.offset, item.severity])).toEqual([['IVRS', 0x30, 'warning']]);
    expect(audit('6.1').findings.filter((item) => item.code === 'audit.ivhd.entry-past-end').map((item) => item.message)).toEqual([
      'IVHD at 0x30: its last device entry runs past the IVHD end; Linux applies it anyway and find_last_devid_from_ivhd steps past the end: WARN_ON(p != end) prints a backtrace starting with "------------[ cut here ]------------" and "WARNING: CPU: 0 PID: 0 at drivers/iommu/amd/init.c:590 get_pci_segment+0x112/0x29d" as Debian\'s 6.1.0-57-amd64 build prints it (the line number, function and offsets differ per build; CPU and PID are those of the booting context)',
    ]);
    expect(audit('6.6').findings.filter((item) => item.code === 'audit.ivhd.entry-past-end').map((item) => item.message)).toEqual([
      'IVHD at 0x30: its last device entry runs past the IVHD end; Linux applies it anyway and find_last_devid_from_ivhd steps past the end: WARN_ON(p != end) prints a backtrace starting with "------------[ cut here ]------------" and a "WARNING: CPU: … at drivers/iommu/amd/init.c:<line> …" line whose line number, function and offsets depend on Linux 6.6\'s build (only 6.1\'s was checked)',
    ]);
  });
});

describe('explain names the alias target per release (boot E)', () => {
  // The same table: under 6.1 no IVHD entry hands 00:03.0 (0x0018) to the IOMMU (the boot gave it no
  // group); under current mainline the range end @0x74 does (alias-target.ts).
  const target = parseExplainTarget('0000:00:03.0')!;
  const named = (kernel?: ReturnType<typeof kernelBehaviour>) => {
    const explanation = explainDevice({ ivrs: parseIvrs(E) }, target, { topology: topology(IDS, [[0x18]]), kernel });
    if (typeof explanation === 'string') throw new Error(explanation);
    return explanation.structures.filter((item) => item.structure.startsWith('IVHD 0x')).map((item) => item.how);
  };

  it('6.1: no IVHD entry hands it to an IOMMU', () => {
    expect(named(LINUX_6_1)).toEqual([]);
  });

  it('current mainline: the range end @0x74 does', () => {
    expect(named()).toEqual([expect.stringContaining('its entry @0x74 hands')]);
    expect(named(kernelBehaviour('6.17'))).toEqual([expect.stringContaining('its entry @0x74 hands')]);
  });
});
