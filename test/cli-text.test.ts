/** Human output: hex for offsets, IDs and bus numbers; FORCE_COLOR / NO_COLOR; full lists under -v; wrapping only on a terminal. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wrapLine } from '../src/cli/shared/style.js';
import { runCli } from './support/cli.js';
import { buildIort, itsGroup } from './support/iort-builder.js';
import { buildDmar } from './support/region-tables.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-text-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One ITS group with 20 identifiers 0x10…0x23: longer than the 16 a listing shows. */
const its = join(work, 'IORT.bin');
writeFileSync(its, buildIort([itsGroup(Array.from({ length: 20 }, (_, index) => 0x10 + index))]).bytes);
/** An RMRR naming eight endpoints 00:14.0 … 00:14.7 on start bus 0xf0. */
const eight = join(work, 'DMAR.bin');
writeFileSync(eight, buildDmar({ rmrrs: [{ base: 0x7a000000n, end: 0x7a0fffffn, scopes: Array.from({ length: 8 }, (_, fn) => ({ kind: 'endpoint' as const, bus: 0xf0, path: [[0x14, fn] as [number, number]] })) }] }));
/** A DRHD at address 0: an error finding to colour. */
const broken = join(work, 'BROKEN.bin');
writeFileSync(broken, buildDmar({ drhds: [{ flags: 1, base: 0n }] }));

describe('dump', () => {
  it('prints IDs and bus numbers in hex, lengths and counts in decimal', async () => {
    const result = await runCli(['dump', its]);
    expect(result.stdout).toMatch(/ITS-GROUP len 100 .*identifier=0x0 .*itsCount=20 itsIdentifiers=\[0x10,0x11,/);
    const dmar = await runCli(['dump', eight]);
    expect(dmar.stdout).toMatch(/ENDPOINT len 8 {2}enumerationId=0x0 startBusNumber=0xf0 path=f0:14\.0/);
  });

  it('cuts a long list at 16 saying how to see all; -v shows every element', async () => {
    const short = await runCli(['dump', its]);
    expect(short.stdout).toMatch(/0x1f,…\(20 in all; -v shows all\)\]/);
    const all = await runCli(['-v', 'dump', its]);
    expect(all.stdout).toContain(`itsIdentifiers=[${Array.from({ length: 20 }, (_, index) => `0x${(0x10 + index).toString(16)}`).join(',')}]`);
  });
});

describe('report', () => {
  it('names six scopes and the count of the rest; -v names all eight', async () => {
    const short = await runCli(['report', eight]);
    expect(short.stdout).toMatch(/and 2 more \(-v shows all\)/);
    const all = await runCli(['-v', 'report', eight]);
    expect(all.stdout).not.toMatch(/more \(-v shows all\)/);
    for (let fn = 0; fn < 8; fn++) expect(all.stdout).toContain(`f0:14.${fn}`);
  });
});

describe('colour', () => {
  it('FORCE_COLOR colours a pipe even when NO_COLOR is set; --no-color wins over both; NO_COLOR alone stays plain', async () => {
    const forced = await runCli(['check', broken], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[31merror\u001b[39m');
    const off = await runCli(['--no-color', 'check', broken], { env: { FORCE_COLOR: '1' } });
    expect(off.stdout).not.toContain('\u001b[');
    const zero = await runCli(['check', broken], { env: { FORCE_COLOR: '0' } });
    expect(zero.stdout).not.toContain('\u001b[');
  });
});

describe('wrapping', () => {
  it('breaks at spaces with the continuation indented under the text; short lines stay whole', () => {
    expect(wrapLine('  - one two three four five', 14)).toEqual(['  - one two', '    three four', '    five']);
    expect(wrapLine('short', 14)).toEqual(['short']);
    // A word longer than the line is not cut.
    expect(wrapLine('x'.repeat(20), 14)).toEqual(['x'.repeat(20)]);
  });

  it('output into a pipe is never wrapped', async () => {
    const result = await runCli(['explain', eight, '00:14.0'], { env: { COLUMNS: '40' } });
    expect(result.stdout.split('\n').some((line) => line.length > 120)).toBe(true);
  });
});
