/**
 * `audit` on an IVRS: IVMD blocks against their own rules and the memory map, and what Linux 6.1
 * prints for them (drivers/iommu/amd/init.c: init_memory_definitions → init_unity_map_range,
 * whose only line is a DUMP_printk shown with amd_iommu_dump). Expected values are written from
 * the models and the kernel source's format strings, not from the code's output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditTables, memoryMap } from '../src/audit/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { runCli } from './support/cli.js';
import { ivhd, ivmd, ivrsBytes, QEMU_IVHD } from './support/ivrs-model.js';
import { CORPUS_ROOT, kernelCases, REPO_ROOT } from './support/shared.js';

const temp = mkdtempSync(join(tmpdir(), 'acpi-iommu-ivmd-audit-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const auditOf = (blocks: Parameters<typeof ivrsBytes>[0], map?: ReturnType<typeof memoryMap>) => auditTables({ ivrs: parseIvrs(ivrsBytes(blocks)) }, { memoryMap: map });
const codes = (range: { findings: readonly { code: string }[] }) => range.findings.map((item) => item.code);

/** usable below 0x80000000, reserved 0x80000000–0x80ffffff. */
const MAP = memoryMap('json', [
  { start: 0n, end: 0x7fffffffn, type: 'usable' },
  { start: 0x80000000n, end: 0x80ffffffn, type: 'reserved' },
]);

describe('IVMD audit rules', () => {
  it('a unity IVMD inside reserved memory: no finding, nothing printed by default, the amd_iommu_dump line apart', () => {
    // Type 0x21 on 00:03.0 (requester ID 0x18), flags 0x7, [0x80100000, +0x2000).
    const [range] = auditOf([QEMU_IVHD, ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x2000n)], MAP).ranges;
    expect(range).toMatchObject({ table: 'IVRS', structure: 'IVMD', start: 0x80100000n, end: 0x80101fffn, claims: ['segment 0x0000: device 00:03.0 (unity rw)'] });
    expect(codes(range!)).toEqual([]);
    expect(range!.coverage?.verdict).toBe('inside');
    expect(range!.kernelLog).toEqual([]);
    // "%s devid_start: %04x:%02x:%02x.%x devid_end: … range_start: %016llx range_end: %016llx flags: %x",
    // s = "IVMD_TYPEi\t\t\t", range_end = start + PAGE_ALIGN(length) (exclusive); DUMP_printk adds "AMD-Vi: " to pr_fmt's.
    expect(range!.kernelLogWithOption).toEqual({
      option: 'amd_iommu_dump',
      lines: [{ level: 'info', from: 'init_unity_map_range', text: 'AMD-Vi: AMD-Vi: IVMD_TYPEi\t\t\t devid_start: 0000:00:03.0 devid_end: 0000:00:03.0 range_start: 0000000080100000 range_end: 0000000080102000 flags: 7' }],
    });
  });

  it('misaligned: Linux rounds start and length up (PAGE_ALIGN) and maps the moved window', () => {
    // start 0x80100800 → 0x80101000; length 0x1800 → 0x2000: window [0x80101000, 0x80102fff].
    const [range] = auditOf([QEMU_IVHD, ivmd(0x22, 0x3, 0x10, 0x20, 0x80100800n, 0x1800n)], MAP).ranges;
    expect(codes(range!)).toEqual(['audit.ivmd.misaligned']);
    expect(range!.findings[0]!.message).toContain('Linux maps [0x80101000-0x80102fff] instead');
    expect(range!.kernelLogWithOption!.lines[0]!.text).toBe('AMD-Vi: AMD-Vi: IVMD_TYPE_RANGE\t\t devid_start: 0000:00:02.0 devid_end: 0000:00:04.0 range_start: 0000000080101000 range_end: 0000000080103000 flags: 3');
  });

  it('no unity or exclusion flag: ignored by Linux, no dump line; zero length and System RAM are findings', () => {
    const result = auditOf([QEMU_IVHD, ivmd(0x21, 0x6, 0x18, 0, 0x80000000n, 0x1000n), ivmd(0x21, 0x1, 0x18, 0, 0x80000000n, 0n), ivmd(0x21, 0x5, 0x18, 0, 0x7ffff000n, 0x2000n)], MAP);
    const [ignored, empty, inRam] = result.ranges;
    expect(codes(ignored!)).toEqual(['audit.ivmd.ignored']);
    expect(ignored!.kernelLogWithOption).toBeUndefined();
    expect(codes(empty!)).toEqual(['audit.ivmd.zero-length']);
    expect(empty!.end).toBeUndefined();
    // [0x7ffff000, 0x80000fff]: one page of usable RAM, then reserved.
    expect(codes(inRam!)).toEqual(['audit.ivmd.in-ram', 'audit.ivmd.outside-reserved']);
    expect(result.findings.filter((item) => item.severity === 'error').map((item) => item.code)).toEqual(['audit.ivmd.in-ram']);
  });

  it('type 0x20 reaches to the last device ID the IVHD names (00:1f.3 in QEMU\'s IVHD)', () => {
    const [range] = auditOf([QEMU_IVHD, ivmd(0x20, 0x8, 0, 0, 0x80200000n, 0x1000n)]).ranges;
    expect(range!.claims).toEqual(['segment 0x0000: all devices (exclusion range)']);
    expect(range!.kernelLogWithOption!.lines[0]!.text).toBe('AMD-Vi: AMD-Vi: IVMD_TYPE_ALL\t\t devid_start: 0000:00:00.0 devid_end: 0000:00:1f.3 range_start: 0000000080200000 range_end: 0000000080201000 flags: 8');
  });

  it('an IVRS whose IOMMU Linux does not enable: no dump line (the IVMDs are never reached)', () => {
    // An IVHD that names no device ID: find_last_devid_acpi fails.
    const [range] = auditOf([ivhd(0x10, 0x08, []), ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)]).ranges;
    expect(range!.kernelLogWithOption).toBeUndefined();
    expect(range!.kernelLogNotes[0]).toMatch(/does not enable the IOMMU/);
  });
});

describe('audit on the bundled AMD desktop sample (CLI)', () => {
  it('takes an IVRS: both IVMDs, clean, their amd_iommu_dump lines from the model', async () => {
    const result = await runCli(['audit', '--json', join(REPO_ROOT, 'corpus', 'samples', 'amd-desktop', 'IVRS.bin')]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { ranges: { structure: string; start: string; end: string; kernelLog: unknown[]; kernelLogWithOption: { lines: { text: string }[] } }[] };
    // fuzz/specimens/samples.ts: 0x21 flags 0x7 on 03:00.3 [0x9d900000, +1 MiB); 0x22 flags 0x8 over 01:00.0–01:00.1 [0x9c000000, +128 KiB).
    expect(body.ranges.map((range) => [range.structure, range.start, range.end, range.kernelLog.length])).toEqual([['IVMD', '0x9d900000', '0x9d9fffff', 0], ['IVMD', '0x9c000000', '0x9c01ffff', 0]]);
    expect(body.ranges.map((range) => range.kernelLogWithOption.lines[0]!.text)).toEqual([
      'AMD-Vi: AMD-Vi: IVMD_TYPEi\t\t\t devid_start: 0000:03:00.3 devid_end: 0000:03:00.3 range_start: 000000009d900000 range_end: 000000009da00000 flags: 7',
      'AMD-Vi: AMD-Vi: IVMD_TYPE_RANGE\t\t devid_start: 0000:01:00.0 devid_end: 0000:01:00.1 range_start: 000000009c000000 range_end: 000000009c020000 flags: 8',
    ]);
  });
  it('with examples/amd-desktop-e820.log both IVMD windows lie in one reserved entry each: exit 0, no finding', async () => {
    // 0x9d900000–0x9d9fffff in reserved 0x9d900000–0x9dffffff; 0x9c000000–0x9c01ffff in reserved 0x9c000000–0x9c0fffff.
    const result = await runCli(['audit', '--json', join(REPO_ROOT, 'corpus', 'samples', 'amd-desktop'), '--memmap', join(REPO_ROOT, 'examples', 'amd-desktop-e820.log')]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { ranges: { coverage: { verdict: string; singleEntry: { start: string; end: string } } }[]; diagnostics: unknown[] };
    expect(body.ranges.map((range) => [range.coverage.verdict, range.coverage.singleEntry.start, range.coverage.singleEntry.end])).toEqual([['inside', '0x9d900000', '0x9dffffff'], ['inside', '0x9c000000', '0x9c0fffff']]);
    expect(body.diagnostics).toEqual([]);
  });

  it('a boot log of the AMD desktop: the memory map is the one replayed up to the IVRS parse, and the text says so', async () => {
    const example = readFileSync(join(REPO_ROOT, 'examples', 'amd-desktop-e820.log'), 'utf8').trimEnd().split('\n');
    const log = join(temp, 'amd-boot.log');
    writeFileSync(log, [...example, '[    0.057960] AMD-Vi: Using global IVHD EFR:0x0, EFR2:0x0', '[    0.300000] e820: update [mem 0x9c000000-0x9c0fffff] reserved ==> usable', ''].join('\n'));
    const result = await runCli(['audit', join(REPO_ROOT, 'corpus', 'samples', 'amd-desktop'), '--memmap', log]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`note: replayed up to the IVRS parse (line ${example.length + 1})`);
    expect(result.stdout).not.toMatch(/DMAR parse/);
  });
});

interface CaseMeta { input_description: { ivmd: { start: string; length: string }[] }; oracle: { dmesg: string[] } }

describe.skipIf(!kernelCases().includes('amd-basic'))('amd-basic kernel case: audit against the dmesg of Linux 6.1', () => {
  const dir = join(CORPUS_ROOT, 'kernel', 'amd-basic');
  const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseMeta;

  it('predicts the IVMD lines of the boot line for line: none without amd_iommu_dump; flags the IVMDs in usable RAM', async () => {
    const log = join(temp, 'amd-basic.dmesg');
    writeFileSync(log, `${meta.oracle.dmesg.join('\n')}\n`);
    const result = await runCli(['audit', '--json', join(dir, 'IVRS.bin'), '--memmap', log, '--kernel', '6.1']);
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stdout) as { kernelLog: unknown[]; ranges: { start: string; kernelLog: { text: string }[]; diagnostics: { code: string }[] }[] };
    const predicted = body.ranges.flatMap((range) => range.kernelLog.map((line) => line.text));
    expect(predicted).toEqual(meta.oracle.dmesg.filter((line) => /IVMD/.test(line)));
    expect(predicted).toEqual([]);
    expect(meta.oracle.dmesg.some((line) => line.includes('amd_iommu_dump'))).toBe(false);
    // The four IVMDs of case.json, each inside BIOS-e820 "usable" 0x100000-0x3ffdffff.
    expect(body.ranges.map((range) => range.start)).toEqual(meta.input_description.ivmd.map((block) => block.start));
    for (const range of body.ranges) expect(range.diagnostics.map((item) => item.code)).toEqual(['audit.ivmd.in-ram', 'audit.ivmd.outside-reserved']);
  });
});
