/**
 * IVMD audit texts (src/audit/ivmd-audit.ts): claims, findings and notes with their numbers. The
 * IVRS is built with the test encoder: header 0x30 bytes, QEMU's IVHD 0x40 bytes → IVMDs at
 * 0x70, 0x90, 0xb0… (32 bytes each). Expected strings are written by hand.
 */
import { describe, expect, it } from 'vitest';
import { auditTables, memoryMap } from '../src/audit/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { ivhd, ivmd, ivrsBytes, QEMU_IVHD } from './support/ivrs-model.js';

const MAP = memoryMap('json', [
  { start: 0n, end: 0x7fffffffn, type: 'usable' },
  { start: 0x80000000n, end: 0x80ffffffn, type: 'reserved' },
]);
const audit = (blocks: Parameters<typeof ivrsBytes>[0], options: Parameters<typeof auditTables>[1] = {}) => auditTables({ ivrs: parseIvrs(ivrsBytes(blocks)) }, options).ranges;

describe('IVMD claims', () => {
  it('one device, a range, all devices; read/write bits, exclusion, neither; the segment', () => {
    const ranges = audit([
      QEMU_IVHD,
      ivmd(0x22, 0x3, 0x10, 0x20, 0x80100000n, 0x1000n),
      ivmd(0x21, 0x5, 0x18, 0, 0x80100000n, 0x1000n),
      ivmd(0x21, 0x6, 0x18, 0, 0x80100000n, 0x1000n),
      ivmd(0x20, 0x9, 0, 0, 0x80100000n, 0x1000n),
      ivmd(0x21, 0x7, 0x0101, 0, 0x80100000n, 0x1000n, 2),
    ]);
    expect(ranges.map((range) => [range.offset, range.claims])).toEqual([
      [0x70, ['segment 0x0000: devices 00:02.0–00:04.0 (unity r-)']],
      [0x90, ['segment 0x0000: device 00:03.0 (unity -w)']],
      [0xb0, ['segment 0x0000: device 00:03.0 (flags 0x6)']],
      [0xd0, ['segment 0x0000: all devices (exclusion range)']],
      [0xf0, ['segment 0x0002: device 01:00.1 (unity rw)']],
    ]);
  });
});

describe('IVMD findings, exact text', () => {
  it('ignored, misaligned (with the window Linux maps), zero length', () => {
    const ranges = audit([QEMU_IVHD, ivmd(0x21, 0x6, 0x18, 0, 0x80000000n, 0x1000n), ivmd(0x21, 0x1, 0x18, 0, 0x80100800n, 0x1800n), ivmd(0x21, 0x1, 0x18, 0, 0x80200000n, 0n)]);
    expect(ranges.flatMap((range) => range.findings.map((item) => [item.code, item.offset, item.message]))).toEqual([
      ['audit.ivmd.ignored', 0x70, 'IVMD @0x70 [0x80000000, length 0x1000]: neither the unity nor the exclusion flag (flags 0x6): Linux ignores it'],
      ['audit.ivmd.misaligned', 0x90, 'IVMD @0x90 [0x80100800, length 0x1800]: not 4 KiB aligned; Linux maps [0x80101000-0x80102fff] instead'],
      ['audit.ivmd.zero-length', 0xb0, 'IVMD @0xb0 [0x80200000, length 0x0]: zero length'],
    ]);
  });

  it('the memory map judges the window Linux maps, and says Linux does not check it', () => {
    // [0x7ffff800, +0x1000) → window [0x80000000, 0x80000fff]: inside reserved memory, though the stated start is in RAM.
    const [moved] = audit([QEMU_IVHD, ivmd(0x21, 0x1, 0x18, 0, 0x7ffff800n, 0x800n)], { memoryMap: MAP });
    expect(moved!.findings.map((item) => item.code)).toEqual(['audit.ivmd.misaligned']);
    expect(moved!.coverage?.verdict).toBe('inside');
    const [hole] = audit([QEMU_IVHD, ivmd(0x21, 0x1, 0x18, 0, 0x90000000n, 0x1000n)], { memoryMap: MAP });
    expect(hole!.findings.map((item) => item.message)).toEqual(['IVMD [0x90000000-0x90000fff]: no firmware reserved region can cover it (entries: no entry); Linux does not check IVMDs against the memory map']);
    // An ignored IVMD is judged as stated.
    const [ignored] = audit([QEMU_IVHD, ivmd(0x21, 0x6, 0x18, 0, 0x7ffff000n, 0x1000n)], { memoryMap: MAP });
    expect(ignored!.findings.map((item) => item.code)).toEqual(['audit.ivmd.ignored', 'audit.ivmd.in-ram', 'audit.ivmd.outside-reserved']);
  });

  it('a window that wraps past 2^64 has no end and is not compared with the map', () => {
    const [wrapped] = audit([QEMU_IVHD, ivmd(0x21, 0x1, 0x18, 0, 0xfffffffffffff000n, 0x2000n)], { memoryMap: MAP });
    expect(wrapped!.end).toBeUndefined();
    expect(wrapped!.coverage).toBeUndefined();
    const [last] = audit([QEMU_IVHD, ivmd(0x21, 0x1, 0x18, 0, 0xfffffffffffff000n, 0x1000n)]);
    expect(last!.end).toBe(0xffffffffffffffffn);
  });
});

describe('IVMD kernel-log notes', () => {
  it('a release other than 6.1 is told the text is 6.1\'s', () => {
    const [range] = audit([QEMU_IVHD, ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)], { kernel: kernelBehaviour('6.6') });
    expect(range!.kernelLogNotes[1]).toBe('the text is 6.1\'s; Linux 6.6 may word it differently (not checked)');
    const [on61] = audit([QEMU_IVHD, ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)], { kernel: kernelBehaviour('6.1.0-57-amd64') });
    expect(on61!.kernelLogNotes).toHaveLength(1);
    const [on51] = audit([QEMU_IVHD, ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)], { kernel: kernelBehaviour('5.1') });
    expect(on51!.kernelLogNotes).toHaveLength(2);
  });

  it('an IOMMU Linux leaves off: the exact note, no dump line', () => {
    const [range] = audit([ivhd(0x10, 0x08, []), ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)]);
    expect(range!.kernelLogNotes).toEqual(['Linux 6.1 does not enable the IOMMU for this table (see `regions`): it never reaches the IVMDs']);
    expect(range!.kernelLog).toEqual([]);
  });
});
