/**
 * `audit` text lines (src/audit/render.ts) for the range shapes the DMAR-only render tests do not
 * reach: an IORT RMR descriptor (node and descriptor offsets), a range with no valid end, a
 * one-byte range, several claims or none, an IVMD whose only kernel line needs a command-line
 * option, several holes, and sizes at the KiB/MiB edges. Survivors of render.ts's first run that
 * were never analysed (docs/mutation.md, "Coverage audit, December 5 (session 6)"). The results
 * are built by hand; every expected line follows the documented text format of `audit`.
 */
import { describe, expect, it } from 'vitest';
import type { AuditedRange, AuditResult } from '../src/audit/audit.js';
import type { Coverage } from '../src/audit/coverage.js';
import { auditLines, memoryMap } from '../src/audit/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';

const KERNEL = kernelBehaviour('6.1');
const MAP = memoryMap('dmesg', [{ start: 0x8000_0000n, end: 0x80ff_ffffn, type: 'reserved' }], []);

function range(extra: Partial<AuditedRange>): AuditedRange {
  return { table: 'DMAR', structure: 'RMRR', offset: 0x40, start: 0x8000_0000n, end: 0x8000_0fffn, claims: ['segment 0x0000: endpoint 00:14.0'], findings: [], kernelLog: [], kernelLogNotes: [], ...extra };
}

function result(ranges: AuditedRange[], memory = MAP): AuditResult {
  return { kernel: KERNEL, memoryMap: memory, acceptedKinds: ['reserved'], ranges, findings: [], kernelLog: [] };
}

/** The header line of each range (the lines that start at column 0 after the map lines). */
const headers = (lines: string[]) => lines.filter((line) => /^(DMAR|IORT|IVRS) /.test(line));

describe('range header', () => {
  it('an IORT RMR names its node and its descriptor; no claim says "no ID mappings"; two claims are joined by "; "', () => {
    const lines = auditLines(result([
      range({ table: 'IORT', structure: 'RMR', nodeOffset: 0xa4, offset: 0xc0, claims: [] }),
      range({ claims: ['segment 0x0000: endpoint 00:14.0', 'segment 0x0000: endpoint 00:1d.0'] }),
    ]));
    expect(headers(lines)).toEqual([
      'IORT RMR @0xa4 descriptor @0xc0 [0x80000000-0x80000fff] 4 KiB: no ID mappings',
      'DMAR RMRR @0x40 [0x80000000-0x80000fff] 4 KiB: segment 0x0000: endpoint 00:14.0; segment 0x0000: endpoint 00:1d.0',
    ]);
  });

  it('a range without a valid end is "empty or wrapping" and has no size; a one-byte range is 1 bytes', () => {
    expect(headers(auditLines(result([range({ end: undefined }), range({ start: 0x8000_0000n, end: 0x8000_0000n })])))).toEqual([
      'DMAR RMRR @0x40 [0x80000000, empty or wrapping]: segment 0x0000: endpoint 00:14.0',
      'DMAR RMRR @0x40 [0x80000000-0x80000000] 1 bytes: segment 0x0000: endpoint 00:14.0',
    ]);
  });

  it('sizes: whole MiB, whole KiB (1 KiB itself), else bytes — 1 MiB + 4 KiB is 1028 KiB, 1025 bytes stay bytes', () => {
    const sized = (size: bigint) => /\] (.*?): /.exec(headers(auditLines(result([range({ start: 0x1000_0000n, end: 0x1000_0000n + size - 1n })])))[0]!)?.[1];
    expect([0x20_0000n, 0x10_1000n, 1024n, 1025n, 1023n].map(sized)).toEqual(['2 MiB', '1028 KiB', '1 KiB', '1025 bytes', '1023 bytes']);
  });
});

describe('coverage and kernel lines of a range', () => {
  const coverage: Coverage = {
    verdict: 'outside',
    overlapping: [],
    coveredBytes: 0n,
    totalBytes: 0x3000n,
    osMemory: [],
    holes: [{ start: 0x9000_0000n, end: 0x9000_0fffn }, { start: 0x9000_2000n, end: 0x9000_2fffn }],
  };

  it('no reserved byte is "0 bytes"; every hole is listed, comma-separated', () => {
    const lines = auditLines(result([range({ start: 0x9000_0000n, end: 0x9000_2fffn, coverage })]));
    expect(lines).toContain('    single entry: none; union of reserved entries: 0% (0 bytes of 12 KiB)');
    expect(lines).toContain('    in no entry: 0x90000000-0x90000fff, 0x90002000-0x90002fff');
  });

  it('an IVMD the kernel prints only with amd_iommu_dump: "prints nothing for it", then the option and its line', () => {
    const ivmd = range({
      table: 'IVRS', structure: 'IVMD', offset: 0x58, claims: ['segment 0x0000: device 00:03.0 (unity rw)'],
      kernelLogWithOption: { option: 'amd_iommu_dump', lines: [{ level: 'info', from: 'init_unity_map_range', text: 'AMD-Vi: AMD-Vi: IVMD_TYPEi' }] },
      kernelLogNotes: ['N'],
    });
    const lines = auditLines(result([ivmd]));
    const at = lines.indexOf('  kernel log (Linux 6.1 prints nothing for it):');
    expect(lines.slice(at, at + 4)).toEqual([
      '  kernel log (Linux 6.1 prints nothing for it):',
      '    with amd_iommu_dump on the command line:',
      '    | AMD-Vi: AMD-Vi: IVMD_TYPEi',
      '    note: N',
    ]);
  });

  it('a range with kernel lines does not say "nothing"', () => {
    const lines = auditLines(result([range({ kernelLog: [{ level: 'info', from: 'dmar_parse_one_rmrr', text: 'DMAR: RMRR base: 0x00000080000000 end: 0x00000080000fff' }] })]));
    expect(lines).toContain('  kernel log (Linux 6.1 prints):');
  });

  it('the map line states the RMRR rule only when an RMRR is audited (IVMDs and RMRs have no e820 check)', () => {
    expect(auditLines(result([range({ table: 'IVRS', structure: 'IVMD' })]))[0]).toBe('memory map: 1 entries (dmesg)');
    expect(auditLines(result([range({})]))[0]).toBe('memory map: 1 entries (dmesg); Linux 6.1 wants each RMRR covered by entries back to back, the last one "reserved" (e820__get_entry_type)');
  });
});
