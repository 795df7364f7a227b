/**
 * `audit` text and JSON (src/audit/render.ts) in process on a DMAR built with the test encoder:
 * the exact lines, with addresses, sizes and percentages worked out by hand. Table layout: header
 * 0x30 bytes, one DRHD (16 bytes) → the first RMRR at 0x40, each RMRR with one endpoint scope is
 * 32 bytes → the second at 0x60.
 */
import { describe, expect, it } from 'vitest';
import { auditJson, auditLines, auditTables, memoryMap } from '../src/audit/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { buildDmar } from './support/region-tables.js';

const scopes = [{ kind: 'endpoint' as const, bus: 0, path: [[0x14, 0]] as [number, number][] }];
const DMAR = parseDmar(buildDmar({ rmrrs: [{ base: 0x80000000n, end: 0x800fffffn, scopes }, { base: 0x80fff000n, end: 0x81000fffn, scopes }] }));
const MAP = memoryMap('dmesg', [
  { start: 0n, end: 0x7fffffffn, type: 'usable' },
  { start: 0x80000000n, end: 0x80ffffffn, type: 'reserved' },
], ['N']);

describe('audit text', () => {
  it('prints the map, each range with its coverage, the kernel\'s lines and our findings, and a summary', () => {
    const result = auditTables({ dmar: DMAR }, { memoryMap: MAP, kernel: kernelBehaviour('6.1') });
    expect(auditLines(result)).toEqual([
      'memory map: 2 entries (dmesg); Linux 6.1 wants each RMRR covered by entries back to back, the last one "reserved" or "ACPI NVS" (e820__get_entry_type)',
      'memory map view: kernel: the kernel\'s e820 table when DMAR was parsed, rebuilt from the log\'s BIOS-e820 table and the e820 changes after it',
      'note: N',
      'DMAR RMRR @0x40 [0x80000000-0x800fffff] 1 MiB: segment 0x0000: endpoint 00:14.0',
      '  memory map: fully inside one firmware-reserved entry',
      '    single entry: 0x80000000-0x80ffffff reserved; union of reserved entries: 100% (1 MiB of 1 MiB)',
      '    overlaps 0x80000000-0x80ffffff reserved (reserved)',
      '  kernel log (Linux 6.1 prints):',
      '    | DMAR: RMRR base: 0x00000080000000 end: 0x000000800fffff',
      '  ok',
      'DMAR RMRR @0x60 [0x80fff000-0x81000fff] 8 KiB: segment 0x0000: endpoint 00:14.0',
      '  memory map: partly inside reserved memory',
      '    single entry: none; union of reserved entries: 50% (4 KiB of 8 KiB)',
      '    overlaps 0x80000000-0x80ffffff reserved (reserved)',
      '    in no entry: 0x81000000-0x81000fff',
      '  kernel log (Linux 6.1 prints):',
      '    | DMAR: RMRR base: 0x00000080fff000 end: 0x00000081000fff',
      '    | DMAR: [Firmware Bug]: No firmware reserved region can cover this RMRR [0x0000000080fff000-0x0000000081000fff], contact BIOS vendor for fixes',
      '    | DMAR: [Firmware Bug]: Your BIOS is broken; bad RMRR [0x0000000080fff000-0x0000000081000fff]',
      '    note: the "bad RMRR" message goes on with a line "BIOS vendor: …; Ver: …; Product Version: …" from DMI, which the tables do not hold',
      '  our findings (acpi-iommu, not kernel messages):',
      '  error: RMRR [0x80fff000-0x81000fff]: only 50% inside reserved memory (entries: 0x80000000-0x80ffffff reserved); Linux logs "[Firmware Bug]: Your BIOS is broken; bad RMRR" and taints, then uses the RMRR anyway [audit.rmrr.partly-reserved]',
      'summary: 2 range(s), 1 error(s), 0 warning(s)',
    ]);
  });

  it('without a map: the audit\'s own info first, no coverage, the e820 line unknown; before 6.1 only "reserved" counts', () => {
    const lines = auditLines(auditTables({ dmar: DMAR }, { kernel: kernelBehaviour('5.15') }));
    expect(lines[0]).toBe('info: no memory map given (--memmap /sys/firmware/memmap, a kernel log with BIOS-e820 lines, or JSON): RMRR, RMR and IVMD ranges were checked for alignment and order only [audit.memmap.absent]');
    expect(lines).toContain('    unknown: whether the e820 test passes: give --memmap (the boot\'s kernel log is best)');
    expect(lines.some((line) => line.startsWith('  memory map:'))).toBe(false);
    expect(lines.at(-1)).toBe('summary: 2 range(s), 0 error(s), 0 warning(s)');
    expect(auditLines(auditTables({ dmar: DMAR }, { memoryMap: MAP, kernel: kernelBehaviour('5.15') }))[0]).toBe('memory map: 2 entries (dmesg); Linux 5.15 wants each RMRR covered by entries back to back, the last one "reserved" (e820__get_entry_type)');
  });

  it('no ranges: says so; a map without RMRRs does not state the RMRR rule', () => {
    const empty = parseDmar(buildDmar({}));
    expect(auditLines(auditTables({ dmar: empty }, { memoryMap: MAP }))).toEqual([
      'memory map: 2 entries (dmesg)',
      'memory map view: kernel: the kernel\'s e820 table when DMAR was parsed, rebuilt from the log\'s BIOS-e820 table and the e820 changes after it',
      'note: N',
      'no RMRR, RMR or IVMD ranges in these tables',
      'summary: 0 range(s), 0 error(s), 0 warning(s)',
    ]);
  });

  it('sizes below 1 KiB or not whole KiB are in bytes; a reversed RMRR has no size', () => {
    const odd = parseDmar(buildDmar({ rmrrs: [{ base: 0x1000n, end: 0x11ffn, scopes }, { base: 0x2000n, end: 0x1fffn, scopes }] }));
    const headers = auditLines(auditTables({ dmar: odd })).filter((line) => line.startsWith('DMAR RMRR'));
    expect(headers).toEqual(['DMAR RMRR @0x40 [0x1000-0x11ff] 512 bytes: segment 0x0000: endpoint 00:14.0', 'DMAR RMRR @0x60 [0x2000-0x1fff]: segment 0x0000: endpoint 00:14.0']);
  });
});

describe('audit JSON', () => {
  it('per range: offsets, bounds, coverage or null, kernel lines, ours as diagnostics; a summary with infos', () => {
    const body = auditJson(auditTables({ dmar: DMAR }, { memoryMap: MAP, kernel: kernelBehaviour('6.1') }));
    expect(body.kernel).toEqual({ label: 'Linux 6.1', version: '6.1', acceptedKinds: ['reserved', 'nvs'] });
    expect(body.memoryMap).toMatchObject({ source: 'dmesg', view: 'kernel', notes: ['N'] });
    expect(body.ranges[1]).toMatchObject({ table: 'DMAR', structure: 'RMRR', offset: 0x60, nodeOffset: null, start: 0x80fff000n, end: 0x81000fffn, kernelLogUnknown: null, kernelLogWithOption: null });
    expect(body.ranges[1]!.coverage).toMatchObject({ verdict: 'partly', singleEntry: null, coveredBytes: 0x1000n, totalBytes: 0x2000n, holes: [{ start: 0x81000000n, end: 0x81000fffn }] });
    expect(body.ranges[1]!.diagnostics.map((item) => item.code)).toEqual(['audit.rmrr.partly-reserved']);
    expect(body.kernelLog.map((line) => line.from)).toEqual(['dmar_table_print_dmar_entry', 'dmar_table_print_dmar_entry', 'arch_rmrr_sanity_check', 'dmar_parse_one_rmrr']);
    expect(body.summary).toEqual({ ranges: 2, errors: 1, warnings: 0, infos: 0 });
    const bare = auditJson(auditTables({ dmar: DMAR }));
    expect([bare.memoryMap, bare.ranges[0]!.coverage, bare.kernel.version, bare.summary.infos]).toEqual([null, null, null, 1]);
    expect(bare.ranges[0]!.kernelLogUnknown).toMatch(/--memmap/);
  });
});
