/**
 * `audit` on an IVRS: every IVMD block checked against its own rules (flags, 4 KiB alignment)
 * and, with a memory map, the window Linux maps 1:1 for it against the firmware's reserved
 * memory. Linux itself checks neither (drivers/iommu/amd/init.c, `init_unity_map_range`): it
 * rounds silently and prints only under `amd_iommu_dump` (kernel-log-ivmd.ts). Platform-free.
 */
import { hex } from '../bytes/hex.js';
import { formatRequesterId } from '../pci/bdf.js';
import type { IvmdBlock } from '../ivrs/ivmd.js';
import { IVMD_TYPE_ALL, IVMD_TYPE_SELECT } from '../ivrs/layout.js';
import { amdBootModel, ivmdAligned, unityWindow, type AmdBootModel, type UnityMap } from '../ivrs/regions/boot.js';
import type { IvrsTable } from '../ivrs/table.js';
import type { KernelBehaviour } from '../regions/kernel-versions.js';
import type { AuditedRange, AuditOptions } from './audit.js';
import { auditFinding, type AuditFinding } from './codes.js';
import { rangeCoverage } from './coverage.js';
import { ivhdWarnings } from './kernel-log-ivhd.js';
import { ivmdDumpLine } from './kernel-log-ivmd.js';
import type { KernelLogLine } from './kernel-log.js';
import { memoryFindings } from './memory-findings.js';

const DUMP_OPTION = 'amd_iommu_dump';
const U64_MAX = (1n << 64n) - 1n;

function claimsOf(ivmd: IvmdBlock): string {
  const devices = ivmd.type === IVMD_TYPE_ALL ? 'all devices' : ivmd.type === IVMD_TYPE_SELECT ? `device ${formatRequesterId(ivmd.deviceId)}` : `devices ${formatRequesterId(ivmd.deviceId)}–${formatRequesterId(ivmd.auxiliaryData)}`;
  const how = ivmd.exclusionRange ? 'exclusion range' : ivmd.unity ? `unity ${ivmd.readable ? 'r' : '-'}${ivmd.writeable ? 'w' : '-'}` : `flags ${hex(ivmd.flags)}`;
  return `segment ${hex(ivmd.pciSegmentGroup, 4)}: ${devices} (${how})`;
}

/** What 6.1 prints for the IVMD, and why it prints nothing on a default boot. */
function kernelLogOf(map: UnityMap | undefined, boot: AmdBootModel, kernel: KernelBehaviour): Pick<AuditedRange, 'kernelLog' | 'kernelLogNotes' | 'kernelLogWithOption'> {
  const notes: string[] = [];
  if (!boot.enabled) notes.push('Linux 6.1 does not enable the IOMMU for this table (see `regions`): it never reaches the IVMDs');
  else if (map === undefined) notes.push('no unity or exclusion flag: init_memory_definitions skips it silently');
  else notes.push(`nothing by default: init_unity_map_range prints only with ${DUMP_OPTION} on the kernel command line (the line as a 6.1 boot with that option printed it; kernels from late 2024 drop the doubled "AMD-Vi: "); neither rounding nor the memory map is checked`);
  if (kernel.version !== undefined && !(kernel.version.major === 6 && kernel.version.minor === 1)) notes.push(`the text is 6.1's; ${kernel.label} may word it differently (not checked)`);
  return { kernelLog: [], kernelLogNotes: notes, ...(map === undefined ? {} : { kernelLogWithOption: { option: DUMP_OPTION, lines: [ivmdDumpLine(map)] } }) };
}

/** The IVMD ranges, and the lines and findings of the IVHD walk's WARNs (kernel-log-ivhd.ts), which belong to no range. */
export function auditIvrs(table: IvrsTable, options: AuditOptions, kernel: KernelBehaviour): { ranges: AuditedRange[]; kernelLog: KernelLogLine[]; findings: AuditFinding[] } {
  const boot = amdBootModel(table, kernel);
  const { lines, findings } = ivhdWarnings(boot, kernel);
  return { ranges: auditIvmds(table, boot, options, kernel), kernelLog: lines, findings };
}

function auditIvmds(table: IvrsTable, boot: AmdBootModel, options: AuditOptions, kernel: KernelBehaviour): AuditedRange[] {
  const maps = new Map([...boot.segments.values()].flatMap((segment) => segment.unityMaps.map((map) => [map.ivmd.offset, map] as const)));
  const ranges: AuditedRange[] = [];
  for (const ivmd of table.ivmds()) {
    const map = maps.get(ivmd.offset);
    const last = ivmd.startAddress + ivmd.memoryLength - 1n;
    const findings: AuditFinding[] = [];
    const range: AuditedRange = {
      table: 'IVRS', structure: 'IVMD', offset: ivmd.offset, start: ivmd.startAddress,
      end: ivmd.memoryLength === 0n || last > U64_MAX ? undefined : last,
      claims: [claimsOf(ivmd)], findings, ...kernelLogOf(map, boot, kernel),
    };
    const where = `IVMD @${hex(ivmd.offset)} [${hex(ivmd.startAddress)}, length ${hex(ivmd.memoryLength)}]`;
    if (!ivmd.unity && !ivmd.exclusionRange) findings.push(auditFinding('audit.ivmd.ignored', 'IVRS', ivmd.offset, `${where}: neither the unity nor the exclusion flag (flags ${hex(ivmd.flags)}): Linux ignores it`));
    const window = unityWindow(ivmd);
    if (ivmd.memoryLength === 0n) findings.push(auditFinding('audit.ivmd.zero-length', 'IVRS', ivmd.offset, `${where}: zero length`));
    else if (!ivmdAligned(ivmd)) findings.push(auditFinding('audit.ivmd.misaligned', 'IVRS', ivmd.offset, `${where}: not 4 KiB aligned; Linux maps [${hex(window.start)}-${hex(window.end)}] instead`));
    // The window Linux maps (or, for an ignored IVMD, the range as stated) against the memory map.
    const checked = map === undefined ? (range.end === undefined ? undefined : { start: range.start, end: range.end }) : ivmd.memoryLength === 0n || window.end < window.start ? undefined : window;
    if (options.memoryMap !== undefined && checked !== undefined) {
      const coverage = rangeCoverage(checked, options.memoryMap, ['reserved', 'nvs']);
      range.coverage = coverage;
      const reaction = 'Linux does not check IVMDs against the memory map';
      findings.push(...memoryFindings({ ...range, ...checked }, coverage, { inRam: 'audit.ivmd.in-ram', outside: 'audit.ivmd.outside-reserved', partly: 'audit.ivmd.outside-reserved', union: 'audit.ivmd.outside-reserved' }, reaction));
    }
    ranges.push(range);
  }
  return ranges;
}
