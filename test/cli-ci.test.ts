/** CI formats of check and audit: --fail-on, --ignore, SARIF 2.1.0, GitHub annotations, the JSON summary. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { buildDmar } from './support/region-tables.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-ci-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}

// region-tables.ts layout: the DRHD at 48 (its Register Base Address at 48 + 8 = 0x38), the first RMRR at 64 = 0x40
// (its Segment Number at + 6 = 0x46).
/** An RMRR on segment 1, which no DRHD covers: warning dmar.segment.no-drhd at 0x46. */
const warned = file('warned.bin', buildDmar({ rmrrs: [{ segment: 1, base: 0x7a000000n, end: 0x7a0fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }] }));
/** A DRHD at address 0: error dmar.drhd.base-zero at 0x38. */
const broken = file('broken.bin', buildDmar({ drhds: [{ flags: 1, base: 0n }] }));
/** An RMRR based 2 KiB into a page: audit.rmrr.misaligned (error) without any memory map. */
const misaligned = file('misaligned.bin', buildDmar({ rmrrs: [{ base: 0x80000800n, end: 0x80002fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }] }));

describe('check --fail-on and --ignore', () => {
  it('a warning passes by default, fails with --fail-on warning, passes again when its code is ignored', async () => {
    const plain = await runCli(['check', warned]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(new RegExp(`^${warned}:0x0046: warning dmar\\.segment\\.no-drhd `, 'm'));
    expect((await runCli(['check', warned, '--fail-on', 'warning'])).code).toBe(1);
    const ignored = await runCli(['check', warned, '--fail-on', 'warning', '--ignore', 'dmar.segment.no-drhd']);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toBe('checked 1 table: 0 errors, 0 warnings, 0 info; 1 finding ignored (--ignore); failing on warnings\n');
    expect((await runCli(['check', warned, '--fail-on', 'warning', '--ignore', 'dmar.segment.*'])).code).toBe(0);
    expect((await runCli(['check', warned, '--fail-on', 'warning', '--ignore', 'dmar.seg'])).code, 'a prefix without .* is not a family').toBe(1);
  });

  it('--ignore is repeatable and can clear an error', async () => {
    const both = await runCli(['check', broken, warned, '--ignore', 'dmar.drhd.base-zero', '--ignore', 'dmar.segment.no-drhd', '--fail-on', 'warning']);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/2 findings ignored/);
  });

  it('the JSON summary counts kept findings and says whether the run failed', async () => {
    const result = await runCli(['check', '--json', warned, '--fail-on', 'warning']);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document.summary).toEqual({ tables: 1, notChecked: 0, unreadable: 0, error: 0, warning: 1, info: 0, ignored: 0, failOn: 'warning', failed: true });
    expect(document.tables[0].diagnostics[0]).toMatchObject({ code: 'dmar.segment.no-drhd', severity: 'warning', offset: 0x46 });
  });

  it('rejects unknown formats and severities, and --json with another format', async () => {
    for (const args of [['--format', 'xml'], ['--fail-on', 'info'], ['--json', '--format', 'sarif']]) {
      const result = await runCli(['check', warned, ...args]);
      expect([args.join(' '), result.code, result.stdout]).toEqual([args.join(' '), 2, '']);
      expect(result.stderr).toMatch(/^acpi-iommu: --/);
    }
  });
});

describe('check --format sarif / github', () => {
  it('SARIF 2.1.0: one rule per code used, each result at its byte offset, levels mapped', async () => {
    const result = await runCli(['check', '--format', 'sarif', broken, warned]);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('acpi-iommu');
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(['dmar.drhd.base-zero', 'dmar.segment.no-drhd']);
    expect(run.tool.driver.rules[0].defaultConfiguration).toEqual({ level: 'error' });
    const [error, warning] = run.results;
    expect(error).toMatchObject({ ruleId: 'dmar.drhd.base-zero', ruleIndex: 0, level: 'error' });
    expect(error.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: encodeURI(broken) }, region: { startLine: 1, byteOffset: 0x38, byteLength: 8 } });
    expect(error.message.text).toMatch(/byte 0x0038\)$/);
    expect(warning).toMatchObject({ ruleId: 'dmar.segment.no-drhd', ruleIndex: 1, level: 'warning' });
  });

  it('GitHub annotations: ::error file=…,line=1,title=code::byte offset and message', async () => {
    const result = await runCli(['check', '--format', 'github', broken]);
    expect(result.code).toBe(1);
    const [first, ...rest] = result.stdout.trimEnd().split('\n');
    expect(first).toMatch(new RegExp(`^::error file=${broken.replace(/[.]/g, '\\.')},line=1,title=dmar\\.drhd\\.base-zero::byte 0x0038: DRHD Register Base Address is 0`));
    expect(rest.at(-1)).toMatch(/^checked 1 table: 1 error/);
  });
});

describe('audit in CI', () => {
  it('an error-level finding fails; --ignore clears it; SARIF and GitHub carry the audit code', async () => {
    const plain = await runCli(['audit', misaligned]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/audit\.rmrr\.misaligned/);
    const ignored = await runCli(['audit', misaligned, '--ignore', 'audit.rmrr.misaligned']);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).not.toMatch(/audit\.rmrr\.misaligned/);
    const sarif = JSON.parse((await runCli(['audit', misaligned, '--format', 'sarif'])).stdout);
    const result = sarif.runs[0].results.find((item: { ruleId: string }) => item.ruleId === 'audit.rmrr.misaligned');
    expect(result).toMatchObject({ level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(misaligned) }, region: { byteOffset: 0x40 } } }] });
    const github = await runCli(['audit', misaligned, '--format', 'github']);
    expect(github.stdout).toMatch(/^::error file=.*misaligned\.bin,line=1,title=audit\.rmrr\.misaligned::byte 0x0040: /m);
    const json = JSON.parse((await runCli(['audit', misaligned, '--json', '--ignore', 'audit.rmrr.misaligned'])).stdout);
    expect(json).toMatchObject({ schemaVersion: 1, command: 'audit', summary: { error: 0, ignored: 1, failed: false } });
    expect(json.diagnostics.map((item: { code: string }) => item.code)).not.toContain('audit.rmrr.misaligned');
  });
});
