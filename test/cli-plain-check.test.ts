/**
 * main.ts runs a plain `check FILE…` (paths and boolean flags) without commander
 * (src/cli/check/plain-args.ts). Here that path and commander agree: on the inputs and options
 * they hand the check for every argv of a set of tokens where the plain path takes it, and on
 * exit status, stdout and stderr of whole runs (a spawned `src/cli/main.ts` takes the plain path;
 * runCliInProcess goes through commander).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainCheckArgs } from '../src/cli/check/plain-args.js';
import * as checkCommand from '../src/cli/commands/check.js';
import { buildProgram } from '../src/cli/program.js';
import { runCliInProcess, spawnCli } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

/** What commander hands check's action for `check ...args`, or 'usage' when it refuses the argv. */
function commanderReads(args: readonly string[]): { inputs: string[]; options: Record<string, unknown> } | 'usage' {
  const program = buildProgram([checkCommand]);
  const check = program.commands.find((command) => command.name() === 'check')!;
  const silent = { writeOut: () => {}, writeErr: () => {}, outputError: () => {} };
  program.configureOutput(silent);
  check.configureOutput(silent);
  let seen: { inputs: string[]; options: Record<string, unknown> } | undefined;
  check.action((inputs: string[], _options: unknown, self: typeof check) => {
    seen = { inputs, options: self.optsWithGlobals() };
  });
  try {
    program.parse(['node', 'acpi-iommu', 'check', ...args]);
  } catch {
    return 'usage';
  }
  return seen ?? 'usage';
}

/** Every sequence of up to `length` tokens. */
function sequences(tokens: readonly string[], length: number): string[][] {
  let level: string[][] = [[]];
  const all: string[][] = [];
  for (let step = 0; step < length; step++) {
    level = level.flatMap((prefix) => tokens.map((token) => [...prefix, token]));
    all.push(...level);
  }
  return all;
}

describe('plainCheckArgs reads an argv as commander does', () => {
  const TOKENS = ['DMAR.bin', 'dir/', '-r', '--recursive', '--json', '-q', '--quiet', '--strict', '-v', '--verbose', '--no-color', '-', '--', '-rq', '--format', 'json', '--help', '-x', '--color', 'help', '-j', '2'];

  it('takes paths with boolean flags and hands the check what commander hands it', () => {
    expect(plainCheckArgs(['DMAR.bin'])).toEqual({ inputs: ['DMAR.bin'], options: { color: true } });
    expect(plainCheckArgs(['--no-color', 'a', '-q', 'b', '--strict'])).toEqual({ inputs: ['a', 'b'], options: { color: false, quiet: true, strict: true } });
    let plain = 0;
    for (const args of sequences(TOKENS, 3)) {
      const read = plainCheckArgs(args);
      if (read === undefined) continue;
      plain++;
      expect(read, args.join(' ')).toEqual(commanderReads(args));
    }
    // 5 of the tokens are paths and 9 boolean flags: 14³ − 9³ + 14² − 9² + 5 argvs of them hold a path.
    expect(plain).toBe(2135);
  });

  it('leaves to commander what is not paths and boolean flags', () => {
    for (const args of [[], ['-'], ['--', 'a'], ['-rq', 'a'], ['--format', 'json', 'a'], ['--ignore', 'x', 'a'], ['-j', '2', 'a'], ['--help'], ['a', '--help'], ['-x', 'a'], ['--color', 'a'], ['--fail-on=warning', 'a']]) {
      expect(plainCheckArgs(args), args.join(' ')).toBeUndefined();
    }
  });
});

describe('a plain check prints and exits as through commander', () => {
  const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-plain-check-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const laptop = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop');
  // A folder with a file that is not a table: -v prints a note about it.
  const withNote = join(work, 'tables');
  mkdirSync(withNote);
  copyFileSync(join(laptop, 'DMAR.bin'), join(withNote, 'DMAR'));
  writeFileSync(join(withNote, 'README'), 'not a table\n');
  const malformed = join(REPO_ROOT, 'corpus', 'malformed');

  it.each([
    { args: ['check', join(laptop, 'DMAR.bin'), join(laptop, 'APIC.bin')], code: 0 },
    { args: ['check', join(malformed, 'dmar-drhd-base-zero.bin'), '--strict'], code: 1 },
    { args: ['check', '--quiet', join(malformed, 'dmar-checksum-wrong.bin'), join(work, 'missing.bin')], code: 2 },
    { args: ['check', '--json', '-q', laptop], code: 0 },
    { args: ['check', '-r', '--no-color', join(REPO_ROOT, 'corpus', 'samples')], code: 0 },
    { args: ['check', '-v', withNote], code: 0 },
  ])('$args: exit $code, the same streams', async ({ args, code }) => {
    const spawned = await spawnCli(args);
    const commander = await runCliInProcess(args);
    expect(spawned.code, spawned.stderr).toBe(code);
    expect(spawned.stdout.length + spawned.stderr.length).toBeGreaterThan(0);
    expect(spawned).toEqual(commander);
  });
});
