/**
 * Firmware bytes and output failures never reach an internal error (issue 17 §4, §5): exit
 * 0/1/2 with one line, never 3 or a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, runCli } from './support/cli.js';
import { buildDmar } from './support/region-tables.js';
import { REPO_ROOT } from './support/shared.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A DMAR whose Host Address Width byte is `raw` (the width is raw + 1 bits), checksum fixed. */
function dmarWithHawByte(raw: number): string {
  const bytes = buildDmar({ rmrrs: [] });
  bytes[36] = raw;
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  bytes[9] = (bytes[9]! - sum) & 0xff;
  const path = join(work, `haw-${raw}.bin`);
  writeFileSync(path, bytes);
  return path;
}

describe('DMAR Host Address Width beyond 64 bits', () => {
  it.each([64, 100, 255])('iova with a HAW byte of %i uses a 64-bit aperture and says why', async (raw) => {
    const result = await runCli(['iova', '--json', dmarWithHawByte(raw)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.aperture).toEqual({ start: '0x0', end: '0xffffffffffffffff' });
    expect(json.apertureNote).toContain(`the table says ${raw + 1} bits`);
  });

  it('a 64-bit width (byte 63) is used as it is, with no clamping note', async () => {
    const result = await runCli(['iova', '--json', dmarWithHawByte(63)]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).apertureNote).toMatch(/^64-bit from the DMAR host address width;/);
  });
});

describe.skipIf(!existsSync('/dev/full'))('output to a full disk', () => {
  const sample = join(REPO_ROOT, 'corpus', 'samples', 'arm-server', 'IORT.bin');

  const laptop = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop');
  const streamed = [
    ['dump', sample], ['dump', '--json', sample], ['check', sample], ['regions', sample],
    ['report', sample], ['report', '--json', sample], ['iova', '--format', 'e820', laptop], ['conflicts', laptop, '--guest-ram', '0x0-0xffffffff'],
    ['map', join(REPO_ROOT, 'corpus', 'samples', 'arm-server'), '--node', '\\_SB.ETH0', '--json'], ['explain', laptop, '00:02.0'],
  ];
  it.each(streamed)('%s > /dev/full: one line, exit 2, no stack trace', (...args) => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { cwd: REPO_ROOT, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr).toBe('acpi-iommu: cannot write the output: no space left on device\n');
    } finally {
      closeSync(full);
    }
  });
});

describe('option values that name nothing or overflow: exit 2 with one line', () => {
  const arm = join(REPO_ROOT, 'corpus', 'samples', 'arm-server');
  const laptop = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop');

  it.each([
    [['--node', 'abc'], /no IORT named component is called abc; .*named components: \\_SB\.ETH0/],
    [['--node', '0x31'], /no IORT node starts at 0x31; nodes: 0x30 its-group/],
  ])('map %j', async (args, message) => {
    const result = await runCli(['map', arm, ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it.each(['18446744073709551616', '16384P', '0x10000000000000000'])('iova --ram-size %s (2^64 or more)', async (size) => {
    const result = await runCli(['iova', laptop, '--format', 'e820', '--ram-size', size]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`acpi-iommu: --ram-size ${size} is beyond a 64-bit address space\n`);
  });

  it('iova --ram-size just below 2^64 is still taken', async () => {
    const result = await runCli(['iova', laptop, '--format', 'e820', '--ram-size', '0xfffffffffffff000']);
    expect(result.stderr).not.toMatch(/beyond a 64-bit/);
  });
});
