/** Human output: hex for offsets, IDs and bus numbers; FORCE_COLOR / NO_COLOR; full lists under -v; wrapping only on a terminal. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { terminalWidth, wrapForTerminal, wrapLine } from '../src/cli/shared/style.js';
import { CLI_ENTRY } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';
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

describe('report scopes', () => {
  it('name IOAPIC, HPET and ACPI device IDs in hex', async () => {
    // fuzz/specimens/samples.ts: the laptop DRHD's scopes are IOAPIC 2, HPET 0 and ACPI device 1.
    const result = await runCli(['report', 'corpus/samples/x86-laptop']);
    expect(result.stdout).toMatch(/IOAPIC 0x2 \(f0:1f\.0\), HPET 0x0 \(00:1f\.0\), ACPI device 0x1 \(00:15\.0\)/);
  });
});

describe('wrapping', () => {
  it('breaks at spaces with the continuation indented under the text; short lines stay whole', () => {
    expect(wrapLine('  - one two three four five', 14)).toEqual(['  - one two', '    three four', '    five']);
    expect(wrapLine('short', 14)).toEqual(['short']);
    // A word longer than the line is not cut.
    expect(wrapLine('x'.repeat(20), 14)).toEqual(['x'.repeat(20)]);
  });

  it('takes the width from COLUMNS, else the terminal; none into a pipe or under 40 columns', () => {
    expect(terminalWidth({ isTTY: true, columns: 120 }, {})).toBe(120);
    expect(terminalWidth({ isTTY: true, columns: 120 }, { COLUMNS: '60' })).toBe(60);
    expect(terminalWidth({ isTTY: false, columns: 120 }, { COLUMNS: '60' })).toBeUndefined();
    expect(terminalWidth({ isTTY: true, columns: 30 }, {})).toBeUndefined();
    expect(terminalWidth({ isTTY: true, columns: 120 }, { COLUMNS: 'wide' })).toBe(120);
  });

  it('counts columns without colour codes, and wraps lazily', () => {
    const red = (text: string) => `\u001b[31m${text}\u001b[39m`;
    // 13 visible columns: fits in 14 although the string is 23 characters long.
    expect(wrapLine(`  - ${red('one')} two`, 14)).toEqual([`  - ${red('one')} two`]);
    expect(wrapLine(`  - ${red('one two')} three`, 14)).toEqual([`  - ${red('one two')}`, '    three']);
    function* endless() {
      for (;;) yield 'a b c';
    }
    const first = wrapForTerminal(endless(), { isTTY: true, columns: 80 }, {}).next();
    expect(first.value).toBe('a b c');
  });

  it('wraps a 64k-word line in linear time', () => {
    const line = Array.from({ length: 65536 }, (_, index) => `0x${index.toString(16)}`).join(' ');
    const started = performance.now();
    const wrapped = wrapLine(line, 80);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(wrapped.join(' ').replace(/ +/g, ' ')).toBe(line);
    expect(Math.max(...wrapped.map((part) => part.length))).toBeLessThanOrEqual(80);
  });

  it('output into a pipe is never wrapped', async () => {
    const result = await runCli(['explain', eight, '00:14.0'], { env: { COLUMNS: '40' } });
    expect(result.stdout.split('\n').some((line) => line.length > 120)).toBe(true);
  });
});

/** `script` (util-linux) runs the command on a pseudo-terminal, as a user at a terminal would; stderr (notes) is left out. */
const HAVE_SCRIPT = spawnSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!HAVE_SCRIPT)('on a terminal, check, report, dump and audit wrap at COLUMNS (explain too)', () => {
  const onTerminal = (args: string[]) => {
    const command = ['node', '--import', 'tsx', CLI_ENTRY, ...args].map((word) => `'${word}'`).join(' ') + ' 2>/dev/null';
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, COLUMNS: '60', NO_COLOR: '1' }, input: '' });
    return result.stdout.replace(/\r/g, '').split('\n');
  };
  const laptop = 'corpus/samples/x86-laptop';
  it.each([
    [['check', '--strict', broken, eight]], [['report', laptop]], [['dump', '-v', laptop]], [['audit', laptop]], [['explain', laptop, '00:14.0']],
  ])('%s', async (args) => {
    const piped = await runCli(args);
    // Into a pipe some line is longer than 60 columns, so wrapping has something to do.
    expect(piped.stdout.split('\n').some((line) => line.length > 60)).toBe(true);
    const lines = onTerminal(args);
    // Every line fits, unless it is one word too long to break (a path, a long list without spaces).
    const over = lines.filter((line) => line.length > 60 && /\S \S/.test(line.trim()));
    expect(over).toEqual([]);
    // Nothing is lost: the words are the same as in the pipe.
    expect(lines.join(' ').split(/\s+/).filter(Boolean)).toEqual(piped.stdout.split(/\s+/).filter(Boolean));
  }, 30_000);
});
