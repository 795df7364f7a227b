/**
 * What Linux prints when `find_last_devid_from_ivhd` steps past an IVHD's end (an entry runs past
 * it: src/ivrs/regions/kernel-walk.ts): `WARN_ON(p != end)`, a backtrace. A user's dmesg shows, for
 * each such IVHD, first
 *   ------------[ cut here ]------------
 *   WARNING: CPU: 0 PID: 0 at drivers/iommu/amd/init.c:590 get_pci_segment+0x112/0x29d
 * then "Modules linked in:", the CPU/Comm/taint and hardware lines, the registers, the call trace
 * and "---[ end trace 0000000000000000 ]---", all of the machine and the build. The first line is
 * the same on every kernel. The WARNING line names the WARN_ON's source line in that release and
 * the function it was inlined into with this build's offsets: it is predicted as Debian's
 * 6.1.0-57-amd64 (6.1.192) printed it under QEMU (test/ivrs-entry-past-end.test.ts, CPU 0 PID 0: with
 * interrupt remapping the IVRS is parsed from start_kernel) when Linux 6.1 is asked for; other
 * releases get the first line only, and the audit finding says why.
 */
import { hex } from '../bytes/hex.js';
import type { AmdBootModel } from '../ivrs/regions/boot.js';
import type { KernelBehaviour } from '../regions/kernel-versions.js';
import { auditFinding, type AuditFinding } from './codes.js';
import type { KernelLogLine } from './kernel-log.js';

const CUT_HERE: KernelLogLine = { level: 'warn', text: '------------[ cut here ]------------', from: 'find_last_devid_from_ivhd (WARN_ON)' };
const WARNING_6_1: KernelLogLine = { level: 'warn', text: 'WARNING: CPU: 0 PID: 0 at drivers/iommu/amd/init.c:590 get_pci_segment+0x112/0x29d', from: 'find_last_devid_from_ivhd (WARN_ON)' };

const is61 = (kernel: KernelBehaviour) => kernel.version?.major === 6 && kernel.version.minor === 1;

/** The WARN lines of every IVHD the boot model says `find_last_devid_from_ivhd` walks past, in the kernel's order, and a finding for each. */
export function ivhdWarnings(boot: AmdBootModel, kernel: KernelBehaviour): { lines: KernelLogLine[]; findings: AuditFinding[] } {
  const lines: KernelLogLine[] = [];
  const findings: AuditFinding[] = [];
  for (const ivhd of boot.lastDevidWarnings) {
    lines.push(...(is61(kernel) ? [CUT_HERE, WARNING_6_1] : [CUT_HERE]));
    const warning = is61(kernel)
      ? `"${WARNING_6_1.text}" as Debian's 6.1.0-57-amd64 build prints it (the line number, function and offsets differ per build; CPU and PID are those of the booting context)`
      : `a "WARNING: CPU: … at drivers/iommu/amd/init.c:<line> …" line whose line number, function and offsets depend on ${kernel.label}'s build (only 6.1's was checked)`;
    findings.push(auditFinding('audit.ivhd.entry-past-end', 'IVRS', ivhd, `IVHD at ${hex(ivhd)}: its last device entry runs past the IVHD end; Linux applies it anyway and find_last_devid_from_ivhd steps past the end: WARN_ON(p != end) prints a backtrace starting with "${CUT_HERE.text}" and ${warning}`));
  }
  return { lines, findings };
}
