/**
 * The `level` and `from` of every predicted kernel line (audit --json carries both): the printk
 * level and the function are those of the 6.1 source — dmar_table_print_dmar_entry pr_info,
 * arch_rmrr_sanity_check pr_err, dmar_parse_one_rmrr pr_warn (FW_BUG "Your BIOS is broken"),
 * dmar_alloc_dev_scope pr_warn("Unsupported device scope"), iort_rmr_desc_check and
 * iort_rmr_alloc pr_err(FW_BUG …). Written from the source, not from the code's output.
 */
import { describe, expect, it } from 'vitest';
import { memoryMap } from '../src/audit/memmap.js';
import { rmrNodeKernelLog, rmrrKernelLog } from '../src/audit/kernel-log.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';

const USABLE = memoryMap('dmesg', [{ start: 0n, end: 0xffffffffn, type: 'usable' }]);
const fields = (lines: readonly { level: string; from: string }[]) => lines.map((line) => [line.level, line.from]);

describe('kernel line levels and functions', () => {
  it('an RMRR in usable memory with an unsupported scope type, on 6.1', () => {
    const { lines } = rmrrKernelLog({ base: 0x80000000n, limit: 0x800fffffn, scopeTypes: [6] }, USABLE, kernelBehaviour('6.1'));
    expect(fields(lines)).toEqual([
      ['info', 'dmar_table_print_dmar_entry'],
      ['err', 'arch_rmrr_sanity_check'],
      ['warn', 'dmar_parse_one_rmrr'],
      ['warn', 'dmar_alloc_dev_scope'],
    ]);
    // The e820 line and the bad-RMRR line quote the range as %#018Llx: 0x + 16 digits.
    expect(lines[1]!.text).toBe('DMAR: [Firmware Bug]: No firmware reserved region can cover this RMRR [0x0000000080000000-0x00000000800fffff], contact BIOS vendor for fixes');
    expect(lines[2]!.text).toBe('DMAR: [Firmware Bug]: Your BIOS is broken; bad RMRR [0x0000000080000000-0x00000000800fffff]');
  });

  it('an RMRR whose limit equals its base is bad without a memory map (the order test)', () => {
    const prediction = rmrrKernelLog({ base: 0x80000000n, limit: 0x80000000n, scopeTypes: [1] }, undefined, kernelBehaviour('6.1'));
    expect(fields(prediction.lines)).toEqual([['info', 'dmar_table_print_dmar_entry'], ['warn', 'dmar_parse_one_rmrr']]);
    expect(prediction.unknown).toBeUndefined();
  });

  it('an RMRR whose limit + 1 wraps past 2^64 is aligned at 0 and judged by the map', () => {
    // limit 0xffff…ffff: limit + 1 is 0 modulo 2^64 (aligned); no map entry reaches there.
    const prediction = rmrrKernelLog({ base: 0xfffffffffffff000n, limit: 0xffffffffffffffffn, scopeTypes: [1] }, USABLE, kernelBehaviour('6.1'));
    expect(fields(prediction.lines)).toEqual([['info', 'dmar_table_print_dmar_entry'], ['err', 'arch_rmrr_sanity_check'], ['warn', 'dmar_parse_one_rmrr']]);
  });

  it('RMR lines are pr_err from the check and from the allocation', () => {
    const { ordered } = rmrNodeKernelLog([{ baseAddress: 0x10000n, length: 0n }, { baseAddress: 0x20000n, length: 0x20000n }, { baseAddress: 0x30000n, length: 0x800n }], 4096);
    expect(fields(ordered)).toEqual([['err', 'iort_rmr_desc_check'], ['err', 'iort_rmr_desc_check'], ['err', 'iort_rmr_alloc']]);
    expect(ordered[1]!.text).toBe('ACPI: IORT: [Firmware Bug]: RMR descriptor[0x20000 - 0x3ffff] overlaps, continue anyway');
  });
});
