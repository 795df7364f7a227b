/**
 * The `amd_iommu_dump` IVMD lines checked against a real boot, not only against the format string.
 *
 * Boot (kernel-oracle, Debian 6.1.0-57-amd64, QEMU 7.2 q35 + amd-iommu, December 2026):
 *   KO_IOMMU_DEV=amd-iommu KO_APPEND=amd_iommu_dump KO_KEEP_LOG=1 KO_RAW=1 \
 *     ../shared/tools/kernel-oracle/run-x86.sh ivmd-dump.ivrs.json \
 *     -device VGA,addr=02.0 -device qemu-xhci,addr=03.0 -device e1000e,addr=04.0
 * with ivmd-dump.ivrs.json = the four IVMDs below (mkivrs.py appends them to QEMU's own IVRS).
 * IVRS_AS_BOOTED is the table the kernel read back from /sys/firmware/acpi/tables/IVRS; DMESG is the
 * boot's dmesg lines with "IVMD" in them, timestamps cut. Boundary cases: a start off a page
 * (0x3e000800 → PAGE_ALIGN 0x3e001000) with a length one byte past a page (0x1001 → 0x2000); a length
 * one byte short of a page (0xfff → 0x1000); type 0x20 ending at the IVHD's last device ID
 * (00:1f.3 = last bdf 0xfb); an IVMD with neither unity nor exclusion flag, which prints nothing.
 */
import { describe, expect, it } from 'vitest';
import { auditTables } from '../src/audit/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { ivmd, ivrsBytes, QEMU_IVHD } from './support/ivrs-model.js';

const IVRS_AS_BOOTED =
  '49565253f0000000010a424f4348532042585043202020200200000042585043' +
  '0100000000280000000000000000000010d14000080040000000d8fe00000000' +
  '0000000044000000020000000208000002100000021800000220000002f80000' +
  '02fa000002fb00004800000000a0000121072000180000000000000000000000' +
  '0008003e00000000011000000000000022032000100020000000000000000000' +
  '0000203e00000000000001000000000020082000000000000000000000000000' +
  '0000403e00000000ff0f00000000000021062000200000000000000000000000' +
  '0000603e000000000010000000000000';

const DMESG = [
  'AMD-Vi: AMD-Vi: IVMD_TYPEi\t\t\t devid_start: 0000:00:03.0 devid_end: 0000:00:03.0 range_start: 000000003e001000 range_end: 000000003e003000 flags: 7',
  'AMD-Vi: AMD-Vi: IVMD_TYPE_RANGE\t\t devid_start: 0000:00:02.0 devid_end: 0000:00:04.0 range_start: 000000003e200000 range_end: 000000003e210000 flags: 3',
  'AMD-Vi: AMD-Vi: IVMD_TYPE_ALL\t\t devid_start: 0000:00:00.0 devid_end: 0000:00:1f.3 range_start: 000000003e400000 range_end: 000000003e401000 flags: 8',
];

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

// The four IVMDs of ivmd-dump.ivrs.json: 0x21 flags 7 on 00:03.0; 0x22 flags 3 over 00:02.0–00:04.0;
// 0x20 flags 8 (exclusion only); 0x21 flags 6 (no unity, no exclusion: init_memory_definitions skips it).
const BLOCKS = [
  QEMU_IVHD,
  ivmd(0x21, 0x7, 0x18, 0, 0x3e000800n, 0x1001n),
  ivmd(0x22, 0x3, 0x10, 0x20, 0x3e200000n, 0x10000n),
  ivmd(0x20, 0x8, 0, 0, 0x3e400000n, 0xfffn),
  ivmd(0x21, 0x6, 0x20, 0, 0x3e600000n, 0x1000n),
];

describe('amd_iommu_dump lines against a Linux 6.1 boot', () => {
  it('the fixture is the IVRS the booted kernel read, byte for byte past the checksum and creator ID', () => {
    // Offsets 9 (checksum) and 28–31 (creator ID: "BXPC" in QEMU's, the encoder's own here) differ.
    const maskHeader = (text: string) => text.slice(0, 18) + text.slice(20, 56) + text.slice(64);
    expect(maskHeader(hex(ivrsBytes(BLOCKS)))).toBe(maskHeader(IVRS_AS_BOOTED));
  });

  it('predicts the boot\'s IVMD lines, in its order, and none for the IVMD Linux skips', () => {
    const { ranges } = auditTables({ ivrs: parseIvrs(ivrsBytes(BLOCKS)) }, {});
    expect(ranges.map((range) => range.kernelLogWithOption?.option)).toEqual(['amd_iommu_dump', 'amd_iommu_dump', 'amd_iommu_dump', undefined]);
    expect(ranges.flatMap((range) => range.kernelLogWithOption?.lines.map((line) => line.text) ?? [])).toEqual(DMESG);
    // Without the option the boot prints nothing per IVMD (kernel-log-ivmd.ts; the amd-basic case).
    expect(ranges.flatMap((range) => range.kernelLog)).toEqual([]);
    // The note says the line was checked against a boot, and why the fourth IVMD has none.
    expect(ranges[0]!.kernelLogNotes).toEqual(['nothing by default: init_unity_map_range prints only with amd_iommu_dump on the kernel command line (the line as a 6.1 boot with that option printed it; kernels from late 2024 drop the doubled "AMD-Vi: "); neither rounding nor the memory map is checked']);
    expect(ranges[3]!.kernelLogNotes).toEqual(['no unity or exclusion flag: init_memory_definitions skips it silently']);
  });
});
