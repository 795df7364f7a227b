/**
 * The suite runs commands in process (support/cli.ts runCli) to spare a node start per case;
 * here each command runs both ways, a real `node src/cli/main.ts` child and in process, and the
 * two agree on exit status, stdout and stderr (stdin, a failing input and each exit status
 * among the cases), so what the other files assert in process holds for the program.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_COMMANDS, runCliInProcess, spawnCli } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-cli-process-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const samples = join(REPO_ROOT, 'corpus', 'samples');
const laptop = join(samples, 'x86-laptop');
const arm = join(samples, 'arm-server');
const amd = join(samples, 'amd-desktop');
const missing = join(work, 'missing.bin');

/** One run per command, with the exit status the command documents for it. */
const CASES: { args: string[]; code: number; stdin?: Uint8Array }[] = [
  { args: ['report', laptop], code: 0 },
  { args: ['dump', '--json', join(laptop, 'DMAR.bin'), missing], code: 2 },
  { args: ['check', '-'], code: 0, stdin: readFileSync(join(arm, 'IORT.bin')) },
  { args: ['regions', laptop, '--pci', join(laptop, 'pci.json')], code: 0 },
  { args: ['iova', '--format', 'e820', laptop], code: 0 },
  { args: ['conflicts', laptop, '--pci', join(laptop, 'pci.json'), '--guest-ram', '0x0-0xffffffffff'], code: 1 },
  { args: ['map', arm, '--rid', '0x100'], code: 0 },
  { args: ['encode', join(arm, 'IORT.model.json')], code: 0 },
  { args: ['audit', '--json', join(amd, 'IVRS.bin')], code: 0 },
  // No --pci: whether an RMRR covers the device cannot be settled (exit 4).
  { args: ['explain', laptop, '01:00.0'], code: 4 },
  { args: ['view', missing, '--no-open', '--out', join(work, 'page.html')], code: 2 },
  { args: ['collect', '--root', work], code: 2 },
];

describe('in process and spawned, each command the same', () => {
  it('the cases cover every command main.ts registers', () => {
    const main = readFileSync(join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'utf8');
    const registered = [...main.matchAll(/^\s+(\w+): \(\) => import\('\.\/commands\/\w+\.js'\),$/gm)].map((match) => match[1]);
    expect([...CLI_COMMANDS].sort()).toEqual([...registered].sort());
    expect(CASES.map((item) => item.args[0]).sort()).toEqual([...CLI_COMMANDS].sort());
  });

  it.each(CASES)('$args.0: exit $code, the same streams', async ({ args, code, stdin }) => {
    const options = stdin === undefined ? {} : { stdin };
    const [spawned, inProcess] = [await spawnCli(args, options), await runCliInProcess(args, options)];
    expect(spawned.code, spawned.stderr).toBe(code);
    expect(spawned.stdout.length + spawned.stderr.length).toBeGreaterThan(0);
    expect(inProcess).toEqual(spawned);
  });
});
