/**
 * The user-visible texts and numbers of src/audit/audit.ts that mutation testing found unasserted
 * (docs/mutation.md, src/audit): claims, every finding message in full, the kernel's reaction per
 * release, the RMR silences, and where each boundary falls. Tables are built with the region-test
 * builder; offsets and messages are worked out by hand from its layout (header 48 bytes, one
 * 16-byte DRHD, so the first RMRR is at 0x40; IORT: ITS 0x30, SMMUv3 0x48, root complex 0xa0,
 * first RMR node 0xd8 with its first descriptor at 0xd8 + 28 + 20 per mapping).
 */
import { describe, expect, it } from 'vitest';
import { auditHasErrors, auditTables, memoryMap, type AuditResult } from '../src/audit/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { fixChecksum } from './support/iort-builder.js';
import { buildDmar, buildIort, type ScopeSpec } from './support/region-tables.js';

const MEMORY = memoryMap('sysfs', [
  { start: 0x0n, end: 0x7fffffffn, type: 'System RAM' },
  { start: 0x80000000n, end: 0x80ffffffn, type: 'Reserved' },
  { start: 0x81000000n, end: 0x810fffffn, type: 'ACPI Non-volatile Storage' },
  { start: 0x81100000n, end: 0x811fffffn, type: 'Reserved' },
]);
const USB: ScopeSpec[] = [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }];
const TAINT = 'Linux logs "[Firmware Bug]: Your BIOS is broken; bad RMRR" and taints, then uses the RMRR anyway';

function rmrrs(list: { base: bigint; end: bigint; scopes?: ScopeSpec[]; segment?: number }[], options: { version?: string; map?: boolean } = {}): AuditResult {
  const dmar = parseDmar(buildDmar({ rmrrs: list.map((item) => ({ scopes: USB, ...item })) }));
  return auditTables({ dmar }, { memoryMap: options.map === false ? undefined : MEMORY, kernel: options.version === undefined ? undefined : kernelBehaviour(options.version) });
}
const messages = (result: AuditResult) => result.findings.filter((item) => item.code !== 'audit.memmap.absent').map((item) => {
  expect(item.table, item.code).toBe('DMAR');
  return [item.code, item.offset, item.message];
});

describe('RMRR claims', () => {
  it('segment in four hex digits, each scope as kind bus:dev.fn, hops joined by "/"', () => {
    const result = rmrrs([{ base: 0x80000000n, end: 0x80000fffn, segment: 1, scopes: [...USB, { kind: 'bridge', bus: 0x10, path: [[0x1c, 4], [0, 1]] }] }]);
    expect(result.ranges[0]!.claims).toEqual(['segment 0x0001: endpoint 00:14.0, bridge 10:1c.4/00.1']);
  });

  it('an RMRR without a device scope says so', () => {
    expect(rmrrs([{ base: 0x80000000n, end: 0x80000fffn, scopes: [] }]).ranges[0]!.claims).toEqual(['segment 0x0000: no device scope']);
  });
});

describe('RMRR findings in full', () => {
  it('alignment: which end, the range, and what current Linux does', () => {
    expect(messages(rmrrs([{ base: 0x80000800n, end: 0x80000fffn }], { map: false }))).toEqual([
      ['audit.rmrr.misaligned', 0x40, `RMRR [0x80000800-0x80000fff]: base not 4 KiB aligned; ${TAINT}`],
    ]);
    expect(messages(rmrrs([{ base: 0x80000000n, end: 0x80000ffen }], { map: false }))).toEqual([
      ['audit.rmrr.misaligned', 0x40, `RMRR [0x80000000-0x80000ffe]: limit + 1 not 4 KiB aligned; ${TAINT}`],
    ]);
    expect(messages(rmrrs([{ base: 0x80000800n, end: 0x80000ffen }], { map: false }))[0]![2]).toBe(`RMRR [0x80000800-0x80000ffe]: base and limit + 1 not 4 KiB aligned; ${TAINT}`);
  });

  it('order: limit before base, limit equal to base (then also misaligned)', () => {
    expect(messages(rmrrs([{ base: 0x80001000n, end: 0x80000fffn }], { map: false }))).toEqual([
      ['audit.rmrr.end-not-after-base', 0x40, `RMRR [0x80001000-0x80000fff]: limit before base; ${TAINT}`],
    ]);
    expect(messages(rmrrs([{ base: 0x80001000n, end: 0x80001000n }], { map: false }))).toEqual([
      ['audit.rmrr.misaligned', 0x40, `RMRR [0x80001000-0x80001000]: limit + 1 not 4 KiB aligned; ${TAINT}`],
      ['audit.rmrr.end-not-after-base', 0x40, `RMRR [0x80001000-0x80001000]: limit equal to base; ${TAINT}`],
    ]);
  });

  it('a one-byte RMRR (limit = base) is still compared with the memory map', () => {
    const range = rmrrs([{ base: 0x80001000n, end: 0x80001000n }]).ranges[0]!;
    expect(range.coverage).toMatchObject({ verdict: 'inside', totalBytes: 1n });
  });

  it('the reaction names the release: no check before ~v5.5, fatal on ~v5.5, taint after', () => {
    const outside = (version?: string) => rmrrs([{ base: 0xa0000000n, end: 0xa0000fffn }], { version }).findings[0]!.message;
    const head = 'RMRR [0xa0000000-0xa0000fff]: no firmware reserved region can cover it (entries: no entry); ';
    expect(outside('5.4')).toBe(`${head}Linux 5.4 does not check (the E820 check came ~v5.5)`);
    expect(outside('5.5')).toBe(`${head}Linux 5.5 rejects the DMAR: no IOMMU`);
    expect(outside('5.6')).toBe(`${head}${TAINT}`);
    expect(outside()).toBe(`${head}${TAINT}`);
  });

  it('several reserved entries: the kernel\'s own walk passes it, and the message says so', () => {
    // 0x80fff000–0x81100fff runs through Reserved, ACPI NVS and Reserved: current Linux accepts NVS.
    const result = rmrrs([{ base: 0x80fff000n, end: 0x81100fffn }]);
    expect(messages(result)).toEqual([
      ['audit.rmrr.reserved-union-only', 0x40, 'RMRR [0x80fff000-0x81100fff]: covered by 3 adjacent reserved entries but by no single one (entries: 0x80000000-0x80ffffff Reserved, 0x81000000-0x810fffff ACPI Non-volatile Storage, 0x81100000-0x811fffff Reserved)'],
    ]);
    // Partly in RAM but ending in a Reserved entry: __e820__mapped_all accepts it, and the "partly" message says so.
    const partly = rmrrs([{ base: 0x7ffff000n, end: 0x80000fffn }]);
    expect(partly.findings.map((item) => item.message)).toEqual([
      'RMRR [0x7ffff000-0x80000fff] overlaps memory the OS allocates (0x7ffff000-0x7fffffff; entries: 0x0-0x7fffffff System RAM, 0x80000000-0x80ffffff Reserved)',
      'RMRR [0x7ffff000-0x80000fff]: only 50% inside reserved memory (entries: 0x0-0x7fffffff System RAM, 0x80000000-0x80ffffff Reserved); yet current Linux\'s own check passes it (its e820 lookup accepts consecutive entries ending in an accepted one)',
    ]);
  });

  it('a range whose last entry is accepted passes the kernel\'s walk: "yet … passes it"', () => {
    // Reserved then ACPI NVS: __e820__mapped_all ends in the NVS entry, accepted from ~v6.1 only.
    const result = rmrrs([{ base: 0x80fff000n, end: 0x81000fffn }], { version: '5.10' });
    expect(result.ranges[0]!.kernelLog.map((line) => line.from)).toEqual(['dmar_table_print_dmar_entry', 'arch_rmrr_sanity_check', 'dmar_parse_one_rmrr']);
    const passing = rmrrs([{ base: 0x80fff000n, end: 0x81000fffn }]);
    expect(passing.ranges[0]!.kernelLog.map((line) => line.from)).toEqual(['dmar_table_print_dmar_entry']);
    expect(passing.findings.map((item) => item.message)).toEqual([
      'RMRR [0x80fff000-0x81000fff]: covered by 2 adjacent reserved entries but by no single one (entries: 0x80000000-0x80ffffff Reserved, 0x81000000-0x810fffff ACPI Non-volatile Storage)',
    ]);
    const inRam = rmrrs([{ base: 0x7ffff000n, end: 0x80000fffn }], { version: '6.1' });
    expect(inRam.ranges[0]!.kernelLog).toHaveLength(1);
    expect(inRam.findings[1]!.message).toBe('RMRR [0x7ffff000-0x80000fff]: only 50% inside reserved memory (entries: 0x0-0x7fffffff System RAM, 0x80000000-0x80ffffff Reserved); yet Linux 6.1\'s own check passes it (its e820 lookup accepts consecutive entries ending in an accepted one)');
  });

  it('ACPI NVS before ~v6.1: the extra warning names the entry type; not when one reserved entry covers it, nor when NVS would only make a union', () => {
    expect(messages(rmrrs([{ base: 0x81000000n, end: 0x81000fffn }], { version: '5.10' }))).toEqual([
      ['audit.rmrr.outside-reserved', 0x40, `RMRR [0x81000000-0x81000fff]: no firmware reserved region can cover it (entries: 0x81000000-0x810fffff ACPI Non-volatile Storage); ${TAINT}`],
      ['audit.rmrr.nvs-not-accepted', 0x40, 'RMRR [0x81000000-0x81000fff] lies in ACPI NVS (ACPI Non-volatile Storage): Linux 5.10 accepts only "reserved"; from ~v6.1 NVS passes'],
    ]);
    expect(messages(rmrrs([{ base: 0x80000000n, end: 0x80000fffn }], { version: '5.10' }))).toEqual([]);
    expect(messages(rmrrs([{ base: 0x80fff000n, end: 0x81100fffn }], { version: '5.10' })).map(([code]) => code)).toEqual(['audit.rmrr.partly-reserved']);
  });
});

describe('RMRR kernel-log fields', () => {
  it('an unsupported scope type reaches the kernel log through the RMRR\'s own scopes', () => {
    // Scope type 7 (reserved): the RMRR is at 0x40, its first scope's type byte at 0x40 + 24.
    const bytes = buildDmar({ rmrrs: [{ base: 0x80000000n, end: 0x80000fffn, scopes: USB }] });
    bytes[0x40 + 24] = 7;
    const range = auditTables({ dmar: parseDmar(fixChecksum(bytes)) }, { memoryMap: MEMORY }).ranges[0]!;
    expect(range.kernelLog.map((line) => [line.level, line.text])).toEqual([['info', 'DMAR: RMRR base: 0x00000080000000 end: 0x00000080000fff'], ['warn', 'DMAR: Unsupported device scope']]);
    expect(range.claims).toEqual(['segment 0x0000: unknown 00:14.0']);
  });

  it('"kernelLogUnknown" only when the e820 test cannot be predicted (no memory map)', () => {
    expect('kernelLogUnknown' in rmrrs([{ base: 0x80000000n, end: 0x80000fffn }]).ranges[0]!).toBe(false);
    expect(rmrrs([{ base: 0x80000000n, end: 0x80000fffn }], { map: false }).ranges[0]!.kernelLogUnknown).toBe('whether the e820 test passes: give --memmap (the boot\'s kernel log is best)');
  });
});

describe('a kernel that stops at the first bad RMRR (~v5.5)', () => {
  const twoBad = [{ base: 0xa0000000n, end: 0xa0000fffn }, { base: 0xa0001000n, end: 0xa0001fffn }];

  it('prints nothing for the RMRRs after it', () => {
    const result = rmrrs(twoBad, { version: '5.5' });
    expect(result.ranges[0]!.kernelLog.map((line) => line.text)).toEqual([
      'DMAR: RMRR base: 0x000000a0000000 end: 0x000000a0000fff',
      'DMAR: [Firmware Bug]: No firmware reserved region can cover this RMRR [0x00000000a0000000-0x00000000a0000fff], contact BIOS vendor for fixes',
    ]);
    expect(result.ranges[1]!.kernelLog).toEqual([]);
    expect(result.ranges[1]!.kernelLogNotes).toEqual(['Linux 5.5 stopped parsing the DMAR at an earlier bad RMRR: nothing is printed for this one']);
    expect(result.kernelLog).toEqual(result.ranges[0]!.kernelLog);
  });

  it('a misaligned RMRR stops it too, and the finding says the DMAR is rejected (not that the check passes)', () => {
    // kernel-versions.ts e820-check-fatal: misaligned or end ≤ base aborts the parse like the E820 test.
    const result = rmrrs([{ base: 0x80000800n, end: 0x80000fffn }, { base: 0x80001000n, end: 0x80000fffn }], { version: '5.5', map: false });
    expect(messages(result)).toEqual([
      ['audit.rmrr.misaligned', 0x40, 'RMRR [0x80000800-0x80000fff]: base not 4 KiB aligned; Linux 5.5 rejects the DMAR: no IOMMU'],
      ['audit.rmrr.end-not-after-base', 0x60, 'RMRR [0x80001000-0x80000fff]: limit before base; Linux 5.5 rejects the DMAR: no IOMMU'],
    ]);
    expect(result.ranges.map((range) => range.kernelLog.length)).toEqual([1, 0]);
  });

  it('a tainting kernel goes on: both RMRRs print, in table order', () => {
    const result = rmrrs(twoBad, { version: '5.6' });
    expect(result.ranges.map((range) => range.kernelLog.length)).toEqual([3, 3]);
    expect(result.kernelLog.map((line) => line.text.slice(0, 37))).toEqual([
      'DMAR: RMRR base: 0x000000a0000000 end',
      'DMAR: [Firmware Bug]: No firmware res',
      'DMAR: [Firmware Bug]: Your BIOS is br',
      'DMAR: RMRR base: 0x000000a0001000 end',
      'DMAR: [Firmware Bug]: No firmware res',
      'DMAR: [Firmware Bug]: Your BIOS is br',
    ]);
  });

  it('a good RMRR first does not stop it', () => {
    const result = rmrrs([{ base: 0x80000000n, end: 0x80000fffn }, ...twoBad], { version: '5.5' });
    expect(result.ranges.map((range) => range.kernelLog.length)).toEqual([1, 2, 0]);
  });
});

/** IORT with one root complex and the given RMR nodes (one mapping each, StreamID 0x100). */
function iortWith(descriptors: { base: bigint; length: bigint }[], options: { revision?: number; mappings?: number; count?: number } = {}) {
  const mapping = { input: 0, count: options.count ?? 0, output: 0x100, target: 'smmu' as const };
  return parseIort(buildIort({
    revision: options.revision ?? 5,
    rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }],
    smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
    rmrs: [{ flags: 0, mappings: options.mappings === 0 ? [] : [mapping], descriptors }],
  }));
}
const RMR = 0xd8;
const DESCRIPTOR = RMR + 28 + 20;

describe('IORT RMR findings in full', () => {
  it('claims: a StreamID range as first-last; the target node by kind and offset', () => {
    const result = auditTables({ iort: iortWith([{ base: 0x80000000n, length: 0x10000n }], { count: 0xf }) });
    expect(result.ranges[0]!.claims).toEqual(['StreamID 0x100-0x10f on smmu-v3 @0x48']);
    expect(result.ranges[0]).toMatchObject({ offset: DESCRIPTOR, nodeOffset: RMR, start: 0x80000000n, end: 0x8000ffffn });
  });

  it('claims: a mapping to no node says so', () => {
    const bytes = buildIort({
      rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }],
      smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
      rmrs: [{ flags: 0, mappings: [{ input: 0, count: 0, output: 0x100, target: 'smmu' }], descriptors: [{ base: 0x80000000n, length: 0x10000n }] }],
    });
    // The mapping's output reference (mapping + 12) names 0x400, past the table.
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(RMR + 28 + 12, 0x400, true);
    const result = auditTables({ iort: parseIort(fixChecksum(bytes)) });
    expect(result.ranges[0]!.claims).toEqual(['StreamID 0x100 on no node @0x400']);
  });

  it('zero length, wrapping, misaligned: the descriptor, its length and what Linux does', () => {
    const result = auditTables({ iort: iortWith([
      { base: 0x80000000n, length: 0n },
      { base: 0xffffffffffff0000n, length: 0x20000n },
      { base: 0x80010000n, length: 0x1000n },
      { base: 0x80021000n, length: 0x10000n },
    ]) });
    expect(result.findings.filter((item) => item.code !== 'audit.memmap.absent').every((item) => item.table === 'IORT')).toBe(true);
    expect(result.ranges.map((range) => [range.end, range.findings.map((item) => [item.code, item.offset, item.message])])).toEqual([
      [undefined, [['audit.rmr.zero-length', DESCRIPTOR, 'RMR @0xd8 descriptor [0x80000000, length 0x0]: zero length']]],
      [undefined, [['audit.rmr.wraps', DESCRIPTOR + 20, 'RMR @0xd8 descriptor [0xffffffffffff0000, length 0x20000]: runs past 2^64 − 1']]],
      [0x80010fffn, [['audit.rmr.misaligned', DESCRIPTOR + 40, 'RMR @0xd8 descriptor [0x80010000, length 0x1000]: not 64 KiB aligned; Linux rounds it to its page size']]],
      [0x80030fffn, [['audit.rmr.misaligned', DESCRIPTOR + 60, 'RMR @0xd8 descriptor [0x80021000, length 0x10000]: not 64 KiB aligned; Linux rounds it to its page size']]],
    ]);
  });

  it('a descriptor ending on the last byte of the address space does not wrap', () => {
    const range = auditTables({ iort: iortWith([{ base: 0xffffffffffff0000n, length: 0x10000n }]) }).ranges[0]!;
    expect(range.end).toBe(0xffffffffffffffffn);
    expect(range.findings).toEqual([]);
  });

  it('against the memory map: the reaction says Linux has no such check on Arm', () => {
    const result = auditTables({ iort: iortWith([{ base: 0xa0000000n, length: 0x10000n }]) }, { memoryMap: MEMORY });
    expect(result.findings.map((item) => [item.code, item.message])).toEqual([
      ['audit.rmr.outside-reserved', 'RMR [0xa0000000-0xa000ffff]: no firmware reserved region can cover it (entries: no entry); Linux does not check RMRs against the memory map'],
    ]);
    expect(result.ranges[0]!.coverage?.verdict).toBe('outside');
  });

  it('ACPI NVS counts as reserved for RMRs; across entries or partly reserved is the one "outside-reserved" warning', () => {
    const codes = (base: bigint, length: bigint) => auditTables({ iort: iortWith([{ base, length }]) }, { memoryMap: MEMORY }).findings.map((item) => [item.code, item.severity, item.message]);
    expect(codes(0x81000000n, 0x10000n)).toEqual([]);
    expect(codes(0x80ff0000n, 0x20000n)).toEqual([
      ['audit.rmr.outside-reserved', 'warning', 'RMR [0x80ff0000-0x8100ffff]: covered by 2 adjacent reserved entries but by no single one (entries: 0x80000000-0x80ffffff Reserved, 0x81000000-0x810fffff ACPI Non-volatile Storage)'],
    ]);
    expect(codes(0x811f0000n, 0x20000n)).toEqual([
      ['audit.rmr.outside-reserved', 'warning', 'RMR [0x811f0000-0x8120ffff]: only 50% inside reserved memory (entries: 0x81100000-0x811fffff Reserved); Linux does not check RMRs against the memory map'],
    ]);
  });

  it('nodes Linux ignores: the finding and the note say why, and no line is predicted', () => {
    const misaligned = [{ base: 0x80001000n, length: 0x1000n }];
    const old = auditTables({ iort: iortWith(misaligned, { revision: 3 }) });
    expect(old.findings[1]).toMatchObject({ code: 'audit.rmr.ignored', offset: RMR, message: 'RMR @0xd8: IORT revision 3 < 5: Linux ignores it' });
    expect(old.ranges[0]!.kernelLogNotes).toEqual(['nothing printed: IORT revision 3 < 5']);
    const early = auditTables({ iort: iortWith(misaligned) }, { kernel: kernelBehaviour('5.19') });
    expect(early.findings[1]).toMatchObject({ code: 'audit.rmr.ignored', offset: RMR, message: 'RMR @0xd8: Linux 5.19 predates RMR support (v6.0): Linux ignores it' });
    expect(early.ranges[0]!.kernelLogNotes).toEqual(['nothing printed: Linux 5.19 predates RMR support (v6.0)']);
    for (const result of [old, early]) {
      expect(result.ranges[0]!.kernelLog).toEqual([]);
      expect(result.kernelLog).toEqual([]);
    }
  });

  it('a node without an ID mapping: nothing printed, and why', () => {
    const result = auditTables({ iort: iortWith([{ base: 0x80001000n, length: 0x1000n }], { mappings: 0 }) });
    expect(result.ranges[0]!.kernelLog).toEqual([]);
    expect(result.kernelLog).toEqual([]);
    expect(result.ranges[0]!.kernelLogNotes).toEqual(['nothing printed: the node has no ID mapping ("Invalid ID mapping, skipping RMR node", with a kernel pointer)']);
    expect(result.findings.map((item) => item.code)).toEqual(['audit.memmap.absent', 'audit.rmr.misaligned']);
  });

  it('a node Linux walks: its lines, with the page size asked, and the repeat note', () => {
    // 0x80001000 + 0x1000 rounded to 4 KiB pages stays; to 64 KiB pages it becomes 0x80000000-0x8000ffff.
    const small = auditTables({ iort: iortWith([{ base: 0x80001000n, length: 0x1000n }]) });
    expect(small.ranges[0]!.kernelLog.map((line) => line.text)).toEqual(['ACPI: IORT: [Firmware Bug]: RMR descriptor[0x80001000 - 0x80001fff] not aligned to 64K, continue with [0x80001000 - 0x80001fff]']);
    expect(small.kernelLog).toEqual(small.ranges[0]!.kernelLog);
    expect(small.ranges[0]!.kernelLogNotes).toEqual(['printed each time the kernel collects this node\'s RMRs (SMMU probe, each device it maps, each reserved_regions read): the count varies, the text does not']);
    const large = auditTables({ iort: iortWith([{ base: 0x80001000n, length: 0x1000n }]) }, { pageSize: 0x10000 });
    expect(large.kernelLog.map((line) => line.text)).toEqual(['ACPI: IORT: [Firmware Bug]: RMR descriptor[0x80001000 - 0x80001fff] not aligned to 64K, continue with [0x80000000 - 0x8000ffff]']);
  });
});

describe('the whole audit', () => {
  it('no memory map: an info saying what was checked instead', () => {
    const result = rmrrs([{ base: 0x80000000n, end: 0x80000fffn }], { map: false });
    expect(result.findings).toEqual([expect.objectContaining({
      code: 'audit.memmap.absent', table: 'memmap', offset: 0, severity: 'info',
      message: 'no memory map given (--memmap /sys/firmware/memmap, a kernel log with BIOS-e820 lines, or JSON): RMRR, RMR and IVMD ranges were checked for alignment and order only',
    })]);
    expect(result.memoryMap).toBeUndefined();
  });

  it('DMAR lines first, then IORT ones; own notes before the ranges\' findings', () => {
    const dmar = parseDmar(buildDmar({ rmrrs: [{ base: 0x80000800n, end: 0x80000fffn, scopes: USB }] }));
    const iort = iortWith([{ base: 0x80001000n, length: 0x1000n }], { revision: 3 });
    const result = auditTables({ dmar, iort });
    expect(result.kernelLog.map((line) => line.from)).toEqual(['dmar_table_print_dmar_entry', 'dmar_parse_one_rmrr']);
    expect(result.findings.map((item) => item.code)).toEqual(['audit.memmap.absent', 'audit.rmr.ignored', 'audit.rmrr.misaligned', 'audit.rmr.misaligned']);
    expect(result.acceptedKinds).toEqual(['reserved', 'nvs']);
    expect(rmrrs([], { version: '5.10' }).acceptedKinds).toEqual(['reserved']);
  });

  it('errors decide the exit status; warnings and infos do not', () => {
    expect(auditHasErrors(rmrrs([{ base: 0x80fff000n, end: 0x81100fffn }]))).toBe(false);
    expect(auditHasErrors(rmrrs([{ base: 0xa0000000n, end: 0xa0000fffn }]))).toBe(true);
  });
});
