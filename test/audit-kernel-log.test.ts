/**
 * `kernelLog`: the lines Linux prints for each RMRR / RMR descriptor. Unit cases state the
 * kernel's text by hand from the 6.1 source (format strings quoted in src/audit/kernel-log.ts);
 * the shared kernel cases compare `audit --json` with what 6.1 really printed, line for line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLines, auditTables, memoryMap } from '../src/audit/index.js';
import { e820EntryAt, rmrNodeKernelLog, rmrrKernelLog } from '../src/audit/kernel-log.js';
import { parseDmar } from '../src/dmar/index.js';
import { kernelBehaviour, CURRENT_KERNEL } from '../src/regions/kernel-versions.js';
import { runCli } from './support/cli.js';
import { buildDmar } from './support/region-tables.js';
import { CORPUS_ROOT, kernelCases } from './support/shared.js';

const temp = mkdtempSync(join(tmpdir(), 'acpi-iommu-kernel-log-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const KERNEL_61 = kernelBehaviour('6.1');
/** usable to 0x7fffffff, reserved 0x80000000–0x80ffffff, ACPI NVS to 0x810fffff, a hole, reserved 0x90000000–0x900fffff. */
const MAP = memoryMap('dmesg', [
  { start: 0n, end: 0x7fffffffn, type: 'usable' },
  { start: 0x80000000n, end: 0x80ffffffn, type: 'reserved' },
  { start: 0x81000000n, end: 0x810fffffn, type: 'ACPI NVS' },
  { start: 0x90000000n, end: 0x900fffffn, type: 'reserved' },
]);

const texts = (base: bigint, limit: bigint, kernel = KERNEL_61, scopeTypes: number[] = [1]) => rmrrKernelLog({ base, limit, scopeTypes }, MAP, kernel).lines.map((line) => line.text);

describe('e820__get_entry_type as the kernel walks it', () => {
  it('consecutive entries cover a range and the last one names the type', () => {
    // usable then reserved: the walk moves past the usable entry and ends in the reserved one.
    expect(e820EntryAt(MAP.entries, 0x7ffff000n, 0x80001000n)?.type).toBe('reserved');
    expect(e820EntryAt(MAP.entries, 0x80fff000n, 0x81001000n)?.type).toBe('ACPI NVS');
    expect(e820EntryAt(MAP.entries, 0x80000000n, 0x81000000n)?.type).toBe('reserved');
  });

  it('an entry nested inside one already passed does not pull the walk back (unsanitised JSON maps)', () => {
    const nested = memoryMap('json', [
      { start: 0n, end: 0x1fffn, type: 'reserved' },
      { start: 0x800n, end: 0xfffn, type: 'usable' },
      { start: 0x2000n, end: 0x2fffn, type: 'reserved' },
    ]).entries;
    expect(e820EntryAt(nested, 0n, 0x3000n)?.start).toBe(0x2000n);
  });

  it('the end is exclusive: one byte short of the range is not coverage', () => {
    const short = memoryMap('json', [{ start: 0x90000000n, end: 0x900ffffen, type: 'reserved' }]);
    expect(rmrrKernelLog({ base: 0x90000000n, limit: 0x900fffffn, scopeTypes: [1] }, short, KERNEL_61).lines).toHaveLength(3);
  });

  it('a hole anywhere in the range: no entry', () => {
    expect(e820EntryAt(MAP.entries, 0x810ff000n, 0x90001000n)).toBeUndefined();
    expect(e820EntryAt(MAP.entries, 0x8ffff000n, 0x90001000n)).toBeUndefined();
    expect(e820EntryAt(MAP.entries, 0xa0000000n, 0xa0001000n)).toBeUndefined();
  });
});

describe('DMAR lines per RMRR (rmrr_sanity_check stops at its first failing test)', () => {
  it('inside one reserved entry: only the RMRR line', () => {
    expect(texts(0x80000000n, 0x800fffffn)).toEqual(['DMAR: RMRR base: 0x00000080000000 end: 0x000000800fffff']);
  });

  it('outside reserved memory: the e820 line, then bad RMRR', () => {
    expect(texts(0x90100000n, 0x9010ffffn)).toEqual([
      'DMAR: RMRR base: 0x00000090100000 end: 0x0000009010ffff',
      'DMAR: [Firmware Bug]: No firmware reserved region can cover this RMRR [0x0000000090100000-0x000000009010ffff], contact BIOS vendor for fixes',
      'DMAR: [Firmware Bug]: Your BIOS is broken; bad RMRR [0x0000000090100000-0x000000009010ffff]',
    ]);
  });

  it('misaligned or limit ≤ base: bad RMRR without the e820 line, even outside reserved memory', () => {
    expect(texts(0x90100800n, 0x9010ffffn)).toEqual([
      'DMAR: RMRR base: 0x00000090100800 end: 0x0000009010ffff',
      'DMAR: [Firmware Bug]: Your BIOS is broken; bad RMRR [0x0000000090100800-0x000000009010ffff]',
    ]);
    expect(texts(0x90100000n, 0x9010fffen)).toHaveLength(2);
    expect(texts(0x90200000n, 0x90100fffn)).toEqual([
      'DMAR: RMRR base: 0x00000090200000 end: 0x00000090100fff',
      'DMAR: [Firmware Bug]: Your BIOS is broken; bad RMRR [0x0000000090200000-0x0000000090100fff]',
    ]);
  });

  it('starting in usable memory and ending in a reserved entry passes the kernel\'s check (our finding stays)', () => {
    expect(texts(0x7ffff000n, 0x80000fffn)).toHaveLength(1);
    const result = auditTables({ dmar: parseDmar(buildDmar({ rmrrs: [{ base: 0x7ffff000n, end: 0x80000fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }] })) }, { memoryMap: MAP, kernel: KERNEL_61 });
    expect(result.ranges[0]!.kernelLog).toHaveLength(1);
    expect(result.findings.map((item) => item.code)).toContain('audit.rmrr.in-ram');
    expect(result.findings.find((item) => item.code === 'audit.rmrr.partly-reserved')?.message).toMatch(/own check passes it/);
  });

  it('in usable memory: the e820 line, then bad RMRR', () => {
    expect(texts(0x10000000n, 0x1000ffffn)).toHaveLength(3);
  });

  it('~5.5 stops parsing at the first bad RMRR: no "bad RMRR" line, a note, nothing for the next ones', () => {
    const prediction = rmrrKernelLog({ base: 0x90100000n, limit: 0x9010ffffn, scopeTypes: [1] }, MAP, kernelBehaviour('5.5'));
    expect(prediction.lines.map((line) => line.from)).toEqual(['dmar_table_print_dmar_entry', 'arch_rmrr_sanity_check']);
    expect(prediction.notes.join()).toMatch(/stops parsing the DMAR/);
    const scopes = [{ kind: 'endpoint' as const, bus: 0, path: [[0x14, 0]] as [number, number][] }];
    const result = auditTables({ dmar: parseDmar(buildDmar({ rmrrs: [{ base: 0x90100000n, end: 0x9010ffffn, scopes }, { base: 0x80000000n, end: 0x800fffffn, scopes }] })) }, { memoryMap: MAP, kernel: kernelBehaviour('5.5') });
    expect(result.ranges[1]!.kernelLog).toEqual([]);
    expect(rmrrKernelLog({ base: 0x80000000n, limit: 0x800fffffn, scopeTypes: [1] }, MAP, kernelBehaviour('5.5')).notes).toEqual(['the text is 6.1\'s; Linux 5.5 may word or format these lines differently (not checked)']);
  });

  it('says the text is 6.1\'s for older releases only', () => {
    const notes = (version: string) => rmrrKernelLog({ base: 0x80000000n, limit: 0x800fffffn, scopeTypes: [1] }, MAP, kernelBehaviour(version)).notes;
    expect(notes('5.15').join()).toMatch(/the text is 6\.1's; Linux 5\.15/);
    expect(notes('6.0').join()).toMatch(/the text is 6\.1's/);
    expect(notes('6.1')).toEqual([]);
    expect(notes('6.6')).toEqual([]);
    expect(notes('7.0')).toEqual([]);
  });

  it('ACPI NVS: accepted by 6.1, bad before ~6.1', () => {
    expect(texts(0x81000000n, 0x810fffffn)).toHaveLength(1);
    expect(texts(0x81000000n, 0x810fffffn, kernelBehaviour('5.15'))).toHaveLength(3);
  });

  it('before the check (~5.5) only the RMRR line; an unsupported scope type adds its own line', () => {
    expect(texts(0x90100000n, 0x9010ffffn, kernelBehaviour('5.4'))).toEqual(['DMAR: RMRR base: 0x00000090100000 end: 0x0000009010ffff']);
    expect(texts(0x80000000n, 0x800fffffn, CURRENT_KERNEL, [1, 3, 7])).toEqual(['DMAR: RMRR base: 0x00000080000000 end: 0x000000800fffff', 'DMAR: Unsupported device scope']);
    // Namespace (5), IOAPIC (3), HPET (4), bridge (2) are counted or skipped silently; type 0 is not.
    expect(texts(0x80000000n, 0x800fffffn, CURRENT_KERNEL, [2, 3, 4, 5])).toHaveLength(1);
    expect(texts(0x80000000n, 0x800fffffn, CURRENT_KERNEL, [0])).toHaveLength(2);
  });

  it('without a memory map the e820 line is unknown, not guessed', () => {
    const prediction = rmrrKernelLog({ base: 0x90100000n, limit: 0x9010ffffn, scopeTypes: [1] }, undefined, KERNEL_61);
    expect(prediction.lines).toHaveLength(1);
    expect(prediction.unknown).toMatch(/--memmap/);
    // A misaligned RMRR is bad whatever the map says.
    expect(rmrrKernelLog({ base: 0x90100800n, limit: 0x9010ffffn, scopeTypes: [1] }, undefined, KERNEL_61).unknown).toBeUndefined();
  });

  it('text output quotes the lines and keeps our findings apart', () => {
    const result = auditTables({ dmar: parseDmar(buildDmar({ rmrrs: [{ base: 0x90100000n, end: 0x9010ffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }] })) }, { memoryMap: MAP, kernel: KERNEL_61 });
    const text = auditLines(result).join('\n');
    expect(text).toContain('  kernel log (Linux 6.1 prints):\n    | DMAR: RMRR base: 0x00000090100000 end: 0x0000009010ffff\n    | DMAR: [Firmware Bug]: No firmware reserved region');
    expect(text).toContain('our findings (acpi-iommu, not kernel messages):');
    expect(text).toContain('memory map view: kernel:');
  });
});

describe('IORT RMR lines per node (iort_rmr_desc_check, then iort_rmr_alloc)', () => {
  it('overlap and zero length first, for every descriptor; then the alignment lines', () => {
    const log = rmrNodeKernelLog([
      { baseAddress: 0x51000000n, length: 0x100000n },
      { baseAddress: 0x51080000n, length: 0x100000n },
      { baseAddress: 0x52000000n, length: 0n },
      { baseAddress: 0x50500800n, length: 0x1000n },
    ], 4096);
    expect(log.ordered.map((line) => line.text)).toEqual([
      'ACPI: IORT: [Firmware Bug]: RMR descriptor[0x51000000 - 0x510fffff] overlaps, continue anyway',
      'ACPI: IORT: [Firmware Bug]: RMR descriptor[0x52000000] with zero length, continue anyway',
      'ACPI: IORT: [Firmware Bug]: RMR descriptor[0x50500800 - 0x505017ff] not aligned to 64K, continue with [0x50500000 - 0x50501fff]',
    ]);
    expect(log.perDescriptor.map((lines) => lines.length)).toEqual([1, 0, 1, 1]);
  });

  it('overlap is inclusive at both ends; adjacent descriptors do not overlap', () => {
    const overlaps = (first: [bigint, bigint], second: [bigint, bigint]) => rmrNodeKernelLog([{ baseAddress: first[0], length: first[1] }, { baseAddress: second[0], length: second[1] }], 4096).ordered.length;
    expect(overlaps([0x20000n, 0x10000n], [0x10000n, 0x10000n])).toBe(0);
    expect(overlaps([0x10000n, 0x10000n], [0x20000n, 0x10000n])).toBe(0);
    expect(overlaps([0x20000n, 0x10000n], [0x10000n, 0x10001n])).toBe(2); // shares byte 0x20000 (and is unaligned)
    expect(overlaps([0x10000n, 0x10000n], [0x1ffffn, 0x10n])).toBe(2); // shares byte 0x1ffff (and is unaligned)
  });
});

interface KernelCase {
  oracle: { dmesg: string[]; firmware_bugs: string[] };
}

const KERNEL_DIR = join(CORPUS_ROOT, 'kernel');
const TABLES = ['DMAR.bin', 'IORT.bin', 'IVRS.bin'];
const allKernelCases = kernelCases();
const stripTime = (line: string) => line.replace(/^\[\s*\d+\.\d+\]\s*/, '');

describe.skipIf(allKernelCases.length === 0)('shared kernel cases: audit --json kernelLog against the dmesg of Linux 6.1', () => {
  it('every case has one table audit reads and a dmesg (none is left out)', () => {
    for (const name of allKernelCases) {
      const meta = JSON.parse(readFileSync(join(KERNEL_DIR, name, 'case.json'), 'utf8')) as KernelCase;
      expect(TABLES.filter((table) => existsSync(join(KERNEL_DIR, name, table))), name).toHaveLength(1);
      expect(meta.oracle.dmesg.length, name).toBeGreaterThan(0);
    }
  });

  it.each(allKernelCases)('%s', async (name) => {
    const meta = JSON.parse(readFileSync(join(KERNEL_DIR, name, 'case.json'), 'utf8')) as KernelCase;
    const table = TABLES.find((file) => existsSync(join(KERNEL_DIR, name, file)))!;
    const args = ['audit', '--json', '--kernel', '6.1', join(KERNEL_DIR, name, table)];
    const dmesg = meta.oracle.dmesg.map(stripTime);
    if (table === 'DMAR.bin') {
      const log = join(temp, `${name}.dmesg`);
      writeFileSync(log, `${meta.oracle.dmesg.join('\n')}\n`);
      args.push('--memmap', log);
    }
    const result = await runCli(args);
    expect(result.stderr).toBe('');
    const body = JSON.parse(result.stdout) as { kernelLog: { text: string }[]; ranges: { kernelLog: { text: string }[] }[]; memoryMap: { view: string } | null };
    const predicted = body.kernelLog.map((line) => line.text);
    const bugs = dmesg.filter((line) => line.includes('[Firmware Bug]'));
    // The case's own list of [Firmware Bug] lines is the same dmesg, filtered.
    expect(meta.oracle.firmware_bugs.map(stripTime)).toEqual(bugs);
    if (table === 'DMAR.bin') {
      expect(body.memoryMap?.view).toBe('kernel');
      // Every RMRR line and every [Firmware Bug] line of the DMAR parse, in order.
      const dmar = dmesg.filter((line) => /^DMAR: (RMRR base|\[Firmware Bug\])/.test(line));
      expect(predicted).toEqual(dmar);
      expect(predicted.filter((line) => line.includes('[Firmware Bug]'))).toEqual(bugs);
      // Per range: each RMRR's own lines, from its "RMRR base" line to the next one.
      const perRmrr: string[][] = [];
      for (const line of dmar) {
        if (line.startsWith('DMAR: RMRR base')) perRmrr.push([]);
        perRmrr[perRmrr.length - 1]!.push(line);
      }
      expect(body.ranges.map((range) => range.kernelLog.map((line) => line.text))).toEqual(perRmrr);
    } else if (table === 'IORT.bin') {
      // The kernel prints a node's lines each time it collects RMRs (at the SMMU's probe, then for
      // each device whose stream IDs the node covers, once or more): the dmesg is k ≥ 1 whole
      // copies of the predicted lines, in their order — k is not predicted.
      expect(body.ranges.flatMap((range) => range.kernelLog.map((line) => line.text))).toEqual(predicted);
      if (predicted.length === 0) {
        expect(bugs).toEqual([]);
      } else {
        expect(bugs.length % predicted.length).toBe(0);
        expect(bugs).toEqual(Array.from({ length: bugs.length / predicted.length }, () => predicted).flat());
      }
    } else {
      // AMD: 6.1 prints nothing per IVMD without amd_iommu_dump (src/audit/kernel-log-ivmd.ts).
      expect(predicted).toEqual(bugs);
      expect(body.ranges.every((range) => range.kernelLog.length === 0)).toBe(true);
    }
  });
});
