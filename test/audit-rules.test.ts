/**
 * `audit` outcomes on specimens built in code: RMRR inside / across entries / partly / outside /
 * in RAM / misaligned / limit ≤ base / ACPI NVS by release; RMR descriptors; the CLI's exit codes
 * (0 clean, 1 error-level finding, 2 unreadable input).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_CODES, auditHasErrors, auditJson, auditLines, auditTables, memoryMap, type AuditResult } from '../src/audit/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { runCli } from './support/cli.js';
import { writeFakeMemmap } from './support/fake-memmap.js';
import { buildDmar, buildIort } from './support/region-tables.js';

const temp = mkdtempSync(join(tmpdir(), 'acpi-iommu-audit-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** 0–2 GiB RAM, then reserved 0x80000000–0x80ffffff, ACPI NVS 0x81000000–0x810fffff, reserved 0x81100000–0x811fffff, a hole, ACPI data at 0x90000000. */
const MAP: [string, string, string][] = [
  ['0x0', '0x7fffffff', 'System RAM'],
  ['0x80000000', '0x80ffffff', 'Reserved'],
  ['0x81000000', '0x810fffff', 'ACPI Non-volatile Storage'],
  ['0x81100000', '0x811fffff', 'Reserved'],
  ['0x90000000', '0x9000ffff', 'ACPI Tables'],
];
const MEMORY = memoryMap('sysfs', MAP.map(([start, end, type]) => ({ start: BigInt(start), end: BigInt(end), type })));

const usb = [{ kind: 'endpoint' as const, bus: 0, path: [[0x14, 0]] as [number, number][] }];
const dmarWith = (base: bigint, end: bigint) => parseDmar(buildDmar({ rmrrs: [{ base, end, scopes: usb }] }));
const codesOf = (result: AuditResult) => result.findings.map((item) => item.code);

function auditRmrr(base: bigint, end: bigint, version?: string): AuditResult {
  return auditTables({ dmar: dmarWith(base, end) }, { memoryMap: MEMORY, kernel: version === undefined ? undefined : kernelBehaviour(version) });
}

describe('RMRR against the memory map', () => {
  it('inside one reserved entry: clean', () => {
    const result = auditRmrr(0x80001000n, 0x80002fffn);
    expect(result.ranges[0]!.coverage).toMatchObject({ verdict: 'inside', singleEntry: { type: 'Reserved' } });
    expect(codesOf(result)).toEqual([]);
    expect(auditHasErrors(result)).toBe(false);
  });

  it('partly: error, with the share that is reserved', () => {
    const result = auditRmrr(0x80fff000n, 0x8fffffffn);
    expect(result.ranges[0]!.coverage?.verdict).toBe('partly');
    expect(codesOf(result)).toEqual(['audit.rmrr.partly-reserved']);
    expect(result.findings[0]!.message).toMatch(/only \d+% inside reserved memory.*bad RMRR/);
    expect(result.findings[0]).toMatchObject({ severity: 'error', table: 'DMAR', offset: 48 + 16 });
  });

  it('outside: error "no firmware reserved region can cover it" (a hole, or ACPI Tables)', () => {
    for (const [base, end] of [[0xa0000000n, 0xa0000fffn], [0x90000000n, 0x90000fffn]] as const) {
      const result = auditRmrr(base, end);
      expect(result.ranges[0]!.coverage?.verdict).toBe('outside');
      expect(codesOf(result)).toEqual(['audit.rmrr.outside-reserved']);
      expect(result.findings[0]!.message).toMatch(/no firmware reserved region can cover it/);
    }
  });

  it('in System RAM: two errors (the OS allocates it; not reserved)', () => {
    const result = auditRmrr(0x7ffff000n, 0x80000fffn);
    expect(codesOf(result)).toEqual(['audit.rmrr.in-ram', 'audit.rmrr.partly-reserved']);
    expect(result.ranges[0]!.coverage?.osMemory).toEqual([{ start: 0x7ffff000n, end: 0x7fffffffn }]);
  });

  it('across reserved + NVS + reserved entries: warning, single-entry view fails, union view holds', () => {
    const result = auditRmrr(0x80fff000n, 0x81100fffn);
    expect(result.ranges[0]!.coverage).toMatchObject({ verdict: 'inside-union', coveredBytes: 0x102000n, totalBytes: 0x102000n });
    expect(result.findings.map((item) => [item.code, item.severity])).toEqual([['audit.rmrr.reserved-union-only', 'warning']]);
  });

  it('ACPI NVS: inside on current kernels; before ~6.1 a bad RMRR (error) with the NVS explanation (warning)', () => {
    expect(codesOf(auditRmrr(0x81000000n, 0x81000fffn))).toEqual([]);
    const old = auditRmrr(0x81000000n, 0x81000fffn, '5.10');
    expect(old.acceptedKinds).toEqual(['reserved']);
    expect(codesOf(old)).toEqual(['audit.rmrr.outside-reserved', 'audit.rmrr.nvs-not-accepted']);
  });

  it('says what each release does with a bad RMRR', () => {
    const message = (version?: string) => auditRmrr(0xa0000000n, 0xa0000fffn, version).findings[0]!.message;
    expect(message()).toMatch(/taints, then uses the RMRR anyway/);
    expect(message('5.5')).toMatch(/Linux 5\.5 rejects the DMAR: no IOMMU/);
    expect(message('5.4')).toMatch(/Linux 5\.4 does not check/);
  });
});

describe('RMRR alignment and order (no memory map needed)', () => {
  const noMap = (base: bigint, end: bigint) => auditTables({ dmar: dmarWith(base, end) });

  it('without --memmap: info that the map was not given, and no coverage', () => {
    const result = noMap(0x80000000n, 0x80000fffn);
    expect(codesOf(result)).toEqual(['audit.memmap.absent']);
    expect(result.ranges[0]!.coverage).toBeUndefined();
    expect(auditHasErrors(result)).toBe(false);
  });

  it('misaligned base, misaligned limit + 1: error', () => {
    expect(noMap(0x80000800n, 0x80000fffn).findings[1]!.message).toMatch(/base not 4 KiB aligned/);
    expect(noMap(0x80000000n, 0x80000ffen).findings[1]!.message).toMatch(/limit \+ 1 not 4 KiB aligned/);
    expect(noMap(0x80000800n, 0x80000ffen).findings[1]!.message).toMatch(/base and limit \+ 1/);
    expect(codesOf(noMap(0x80000800n, 0x80000fffn))).toEqual(['audit.memmap.absent', 'audit.rmrr.misaligned']);
  });

  it('limit ≤ base: error; a wrapped range is not compared with the memory map', () => {
    expect(codesOf(noMap(0x80001000n, 0x80000fffn))).toEqual(['audit.memmap.absent', 'audit.rmrr.end-not-after-base']);
    expect(noMap(0x80001000n, 0x80001000n).findings.at(-1)!.message).toMatch(/limit equal to base/);
    const wrapped = auditRmrr(0x80001000n, 0x80000fffn);
    expect(wrapped.ranges[0]!.coverage).toBeUndefined();
    expect(codesOf(wrapped)).toEqual(['audit.rmrr.end-not-after-base']);
  });
});

describe('IORT RMR descriptors', () => {
  const iortWith = (descriptors: { base: bigint; length: bigint }[], revision = 5) =>
    parseIort(buildIort({
      revision,
      rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }],
      smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
      rmrs: [{ flags: 0, mappings: [{ input: 0, count: 0, output: 0x100, target: 'smmu' }], descriptors }],
    }));

  it('inside reserved memory: clean; names the StreamIDs it is for', () => {
    const result = auditTables({ iort: iortWith([{ base: 0x80000000n, length: 0x10000n }]) }, { memoryMap: MEMORY });
    expect(codesOf(result)).toEqual([]);
    // region-tables.ts: ITS group at 48 (24 bytes), so the SMMUv3 node starts at 72 = 0x48.
    expect(result.ranges[0]!.claims).toEqual(['StreamID 0x100 on smmu-v3 @0x48']);
  });

  it('not 64 KiB aligned, zero length, wrapping, in RAM, outside reserved memory', () => {
    const result = auditTables(
      { iort: iortWith([{ base: 0x80001000n, length: 0x3000n }, { base: 0x80000000n, length: 0n }, { base: 0xffffffffffff0000n, length: 0x20000n }, { base: 0x7fff0000n, length: 0x20000n }, { base: 0xa0000000n, length: 0x10000n }]) },
      { memoryMap: MEMORY },
    );
    expect(result.ranges.map((range) => range.findings.map((item) => item.code))).toEqual([
      ['audit.rmr.misaligned'],
      ['audit.rmr.zero-length'],
      ['audit.rmr.wraps'],
      ['audit.rmr.in-ram', 'audit.rmr.outside-reserved'],
      ['audit.rmr.outside-reserved'],
    ]);
    expect(result.findings.find((item) => item.code === 'audit.rmr.outside-reserved')!.severity).toBe('warning');
  });

  it('notes RMR nodes Linux ignores (table revision < 5, kernel before 6.0) and still audits them', () => {
    const old = auditTables({ iort: iortWith([{ base: 0x80000000n, length: 0x10000n }], 3) }, { memoryMap: MEMORY });
    expect(old.findings[0]).toMatchObject({ code: 'audit.rmr.ignored', severity: 'info' });
    expect(old.findings[0]!.message).toMatch(/revision 3 < 5/);
    const kernel = auditTables({ iort: iortWith([{ base: 0x80000000n, length: 0x10000n }]) }, { memoryMap: MEMORY, kernel: kernelBehaviour('5.15') });
    expect(kernel.findings[0]!.message).toMatch(/Linux 5\.15 predates RMR support/);
    expect(kernel.ranges).toHaveLength(1);
  });
});

describe('rendering', () => {
  it('prints both views and a summary; JSON is serialisable with bigint as text', () => {
    const result = auditRmrr(0x80fff000n, 0x81100fffn);
    const text = auditLines(result).join('\n');
    expect(text).toMatch(/single entry: none; union of reserved entries: 100%/);
    expect(text).toMatch(/summary: 1 range\(s\), 0 error\(s\), 1 warning\(s\)/);
    const json = JSON.parse(JSON.stringify(auditJson(result), (_key, value) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value)));
    expect(json.ranges[0].coverage.verdict).toBe('inside-union');
    expect(json.summary).toEqual({ ranges: 1, errors: 0, warnings: 1, infos: 0 });
  });

  it('every code is documented with a severity that matches the policy', () => {
    for (const [code, info] of Object.entries(AUDIT_CODES)) {
      expect(code).toMatch(/^audit\./);
      if (/rmrr\.(misaligned|end-not-after-base|in-ram|outside-reserved|partly-reserved)|rmr\.(in-ram|wraps)/.test(code)) expect(info.severity, code).toBe('error');
    }
  });
});

describe('acpi-iommu audit (CLI)', () => {
  const dmarFile = join(temp, 'DMAR.bin');
  const cleanFile = join(temp, 'clean', 'DMAR.bin');
  writeFileSync(dmarFile, buildDmar({ rmrrs: [{ base: 0x80001000n, end: 0x80002fffn, scopes: usb }, { base: 0xa0000000n, end: 0xa0000fffn, scopes: usb }] }));
  const memmap = writeFakeMemmap(join(temp, 'memmap'), MAP);

  it('exit 1 on an error-level finding, from a fake /sys/firmware/memmap', async () => {
    const result = await runCli(['audit', dmarFile, '--memmap', memmap]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/memory map: 5 entries \(sysfs\)/);
    expect(result.stdout).toMatch(/audit\.rmrr\.outside-reserved/);
  });

  it('exit 0 when clean (dmesg and JSON maps); without --memmap alignment only', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(temp, 'clean'), { recursive: true });
    writeFileSync(cleanFile, buildDmar({ rmrrs: [{ base: 0x80001000n, end: 0x80002fffn, scopes: usb }] }));
    const dmesg = join(temp, 'dmesg.txt');
    writeFileSync(dmesg, MAP.map(([start, end, type]) => `[    0.000000] BIOS-e820: [mem ${start}-${end}] ${type === 'System RAM' ? 'usable' : type === 'Reserved' ? 'reserved' : type}`).join('\n'));
    expect((await runCli(['audit', cleanFile, '--memmap', dmesg])).code).toBe(0);
    const json = join(temp, 'memmap.json');
    writeFileSync(json, JSON.stringify(MAP.map(([start, end, type]) => ({ start, end, type }))));
    const result = await runCli(['audit', cleanFile, '--memmap', json, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ memoryMap: { source: 'json' }, summary: { errors: 0 }, ranges: [{ start: '0x80001000', coverage: { verdict: 'inside' } }] });
    const bare = await runCli(['audit', dmarFile]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/no memory map given/);
  });

  it('exit 2 when an input cannot be read', async () => {
    expect((await runCli(['audit', join(temp, 'missing.bin')])).code).toBe(2);
    const badMap = await runCli(['audit', dmarFile, '--memmap', join(temp, 'nope')]);
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toMatch(/--memmap .*no such file/);
    writeFileSync(join(temp, 'garbage.txt'), 'hello\n');
    expect((await runCli(['audit', dmarFile, '--memmap', join(temp, 'garbage.txt')])).stderr).toMatch(/BIOS-e820/);
    expect((await runCli(['audit', dmarFile, '--kernel', 'x'])).code).toBe(2);
  });
});
