/**
 * The command-level fuzz target (issue 17 §4): a short fixed-seed campaign runs every command
 * of the CLI in process on mutated tables, models, topologies and memory maps, and finds
 * nothing; `npx tsx fuzz/commands-campaign.ts` runs long ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandCase, commandSeeds } from '../fuzz/command-cases.js';
import { Random } from '../fuzz/prng.js';
import { ensureViewPage, runCommandCampaign } from '../fuzz/run-command-campaign.js';
import { archiveViolations, COMMAND_NAMES, fileViolations, runCommandCase, violationsOf, type CommandName } from '../fuzz/targets/commands.js';
import { REPO_ROOT } from './support/shared.js';

const PER_COMMAND = 20;

const text = (value: string) => new TextEncoder().encode(value);
const SAMPLE_DMAR = new Uint8Array(readFileSync(join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop', 'DMAR.bin')));

describe('command fuzz target', () => {
  beforeAll(ensureViewPage, 60_000);

  it('covers every command main.ts registers', () => {
    const main = readFileSync(join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'utf8');
    const registered = [...main.matchAll(/^\s+(\w+): \(\) => import\('\.\/commands\/\w+\.js'\),$/gm)].map((match) => match[1]);
    expect(registered.length).toBeGreaterThanOrEqual(10);
    expect([...COMMAND_NAMES].sort()).toEqual([...registered].sort());
  });

  it(`seed 17: ${PER_COMMAND} executions of each command, no finding`, async () => {
    const stats = await runCommandCampaign({ seed: 17, executions: PER_COMMAND * COMMAND_NAMES.length });
    for (const command of COMMAND_NAMES) expect(stats.perCommand[command].executions, command).toBe(PER_COMMAND);
    expect(stats.findings.map((finding) => `${finding.signature}\n${finding.violation.detail}`)).toEqual([]);
  }, 120_000);

  it('flags exit 3, stack traces, a silent exit 2 and broken JSON; passes usage errors', async () => {
    const item = { command: 'check' as const, args: ['--json', '@table'], files: {} };
    const kinds = (exit: number, stderr: string, stdout = '') => violationsOf(item, exit, stderr, stdout).map((violation) => violation.invariant);
    expect(kinds(3, 'acpi-iommu: internal error: RangeError: x\n    at f (/a/b.ts:1:2)\n')).toEqual(['exit-code', 'output']);
    expect(kinds(2, '')).toEqual(['output']);
    expect(kinds(0, '', '[{"a": 1}')).toEqual(['json']);
    expect(kinds(1, '', '[]\n')).toEqual([]);
    const usage = await runCommandCase({ command: 'iova', args: ['--no-such-option'], files: {} });
    expect([usage.exitCode, usage.violations]).toEqual([2, []]);
  });

  it('allows each command exactly the exit statuses it documents: 4 (unknown) only for explain, 1 never for dump, report, iova, view, collect', () => {
    const exits = (command: CommandName, exit: number) => violationsOf({ command, args: [], files: {} }, exit, exit === 0 ? '' : 'acpi-iommu: why\n', '').map((violation) => violation.invariant);
    expect(exits('explain', 4)).toEqual([]);
    expect(exits('explain', 1)).toEqual([]);
    for (const command of ['check', 'audit', 'regions', 'dump', 'view', 'collect'] as const) expect(exits(command, 4), command).toEqual(['exit-code']);
    for (const command of ['dump', 'report', 'iova', 'view', 'collect'] as const) expect(exits(command, 1), command).toEqual(['exit-code']);
    for (const command of ['check', 'audit', 'map', 'conflicts', 'encode', 'regions'] as const) expect(exits(command, 1), command).toEqual([]);
  });

  it('judges --format json and sarif output and collect stdout as JSON, github as text', () => {
    const kinds = (args: string[], stdout: string) => violationsOf({ command: 'check', args, files: {} }, 0, '', stdout).map((violation) => violation.invariant);
    expect(kinds(['--format', 'sarif', '@table'], 'not json\n')).toEqual(['json']);
    expect(kinds(['--format', 'json', '@table'], '{"a":')).toEqual(['json']);
    expect(kinds(['--format', 'github', '@table'], '::error file=x::y\n')).toEqual([]);
    expect(violationsOf({ command: 'collect', args: ['--root', '@root'], files: {} }, 0, '', '{"kind":').map((violation) => violation.invariant)).toEqual(['json']);
  });

  it('view: a complete page on exit 0, --out replaced only with --force, kept on failure unless a partial run announced a complete page; collect -o: a JSON archive', () => {
    const view = (args: string[]) => ({ command: 'view' as const, args: ['@table', '--no-open', '--out', '@view.html', ...args], files: {} });
    const page = text('<!DOCTYPE html>\n<html><script type="application/json" id="acpi-iommu-inputs">{"files":[]}</script></html>\n');
    const old = text('<p>mine</p>');
    const wrote = 'wrote /tmp/x/view.html (DMAR)\n';
    const judge = (exit: number, before: Uint8Array | undefined, after: Uint8Array | undefined, args: string[] = [], stdout = '') =>
      fileViolations(view(args), exit, before, after, stdout).map((violation) => violation.detail.replace(/ \(view @table[\s\S]*$/, ''));
    expect(judge(0, undefined, page, [], wrote)).toEqual([]);
    expect(judge(0, undefined, undefined)).toEqual(['view: exit 0 but --out is absent']);
    expect(judge(0, undefined, page.slice(0, 60), [], wrote)).toEqual(['view: exit 0 but --out is not a complete page (60 chars)']);
    expect(judge(2, undefined, undefined)).toEqual([]);
    expect(judge(2, old, old)).toEqual([]);
    // Exit 2 with a page: only a complete one the run said it wrote (an unreadable input beside readable ones).
    expect(judge(2, undefined, page, [], wrote)).toEqual([]);
    expect(judge(2, undefined, page)).toEqual(['view: exit 2 but --out was written']);
    expect(judge(2, undefined, page.slice(0, 60), [], wrote)).toEqual(['view: exit 2 but --out was written']);
    expect(judge(1, undefined, page, [], wrote)).toEqual(['view: exit 1 but --out was written']);
    expect(judge(2, old, page, ['--force'])).toEqual(['view: exit 2 but --out was changed']);
    expect(judge(2, old, page, [], wrote)).toEqual(['view: replaced an existing --out without --force']);
    expect(judge(0, old, page, [], wrote)).toEqual(['view: replaced an existing --out without --force']);
    expect(judge(0, old, page, ['--force'], wrote)).toEqual([]);
    const collect = { command: 'collect' as const, args: ['--root', '@root', '-o', '@archive.json'], files: {} };
    expect(fileViolations(collect, 0, undefined, text('{"kind":"acpi-iommu-archive"}\n'), '')).toEqual([]);
    expect(fileViolations(collect, 2, undefined, undefined, '').map((violation) => violation.invariant)).toEqual(['output']);
    expect(fileViolations(collect, 0, undefined, text('{"kind":'), '').map((violation) => violation.invariant)).toEqual(['json']);
  });

  it('runs a case of nested files: collect reads a fake root and archives its tables byte for byte, view writes its page into the case', async () => {
    const root = {
      'root/sys/firmware/acpi/tables/DMAR': SAMPLE_DMAR,
      'root/sys/devices/pci0000:00/0000:00:14.0/class': text('0x0c0330\n'),
      'root/sys/bus/pci/devices/0000:00:14.0': text('../../../devices/pci0000:00/0000:00:14.0\n'),
      'root/proc/version': text('Linux version 6.6.12\n'),
    };
    const collected = await runCommandCase({ command: 'collect', args: ['--root', '@root', '-o', '@archive.json'], files: root });
    expect([collected.exitCode, collected.violations]).toEqual([0, []]);
    expect(collected.stderr).toMatch(/^acpi-iommu collect: 1 tables \(DMAR\); topology read; memory map unreadable; kernel read → /);
    const archive = (tables: object[]) => JSON.stringify({ kind: 'acpi-iommu-archive', tables });
    const source = '/tmp/case/7/root/sys/firmware/acpi/tables/DMAR';
    const base64 = Buffer.from(SAMPLE_DMAR).toString('base64');
    const collectCase = { command: 'collect' as const, args: ['--root', '@root'], files: root };
    expect(archiveViolations(collectCase, 0, archive([{ source, base64 }]))).toEqual([]);
    expect(archiveViolations(collectCase, 0, archive([{ source, base64: Buffer.from(SAMPLE_DMAR.subarray(1)).toString('base64') }])).map((violation) => violation.invariant)).toEqual(['output']);
    expect(archiveViolations(collectCase, 0, archive([{ source: source.replace('DMAR', 'IORT'), base64 }])).map((violation) => violation.invariant)).toEqual(['output']);
    expect(archiveViolations(collectCase, 2, archive([{ source, base64 }])).map((violation) => violation.invariant)).toEqual(['exit-code']);
    expect(archiveViolations(collectCase, 0, archive([])).map((violation) => violation.invariant)).toEqual(['exit-code']);
    const empty = await runCommandCase({ command: 'collect', args: ['--root', '@root'], files: { 'root/proc/version': text('Linux\n') } });
    expect([empty.exitCode, empty.violations]).toEqual([2, []]);
    const viewed = await runCommandCase({ command: 'view', args: ['@DMAR', '--no-open', '--out', '@out/view.html'], files: { DMAR: SAMPLE_DMAR, 'out/.keep': new Uint8Array() } });
    expect([viewed.exitCode, viewed.violations, viewed.stderr]).toEqual([0, [], '']);
    const kept = await runCommandCase({ command: 'view', args: ['@DMAR', '--no-open', '--out', '@view.html'], files: { DMAR: SAMPLE_DMAR, 'view.html': text('mine') } });
    expect([kept.exitCode, kept.violations]).toEqual([2, []]);
    expect(kept.stderr).toMatch(/exists; choose another --out or add --force/);
    // One input not a table, one read: the page of the readable one, exit 2, the reason on stderr.
    const partial = await runCommandCase({ command: 'view', args: ['@DMAR', '@BAD', '--no-open', '--out', '@view.html'], files: { DMAR: SAMPLE_DMAR, BAD: text('no table here\n') } });
    expect([partial.exitCode, partial.violations]).toEqual([2, []]);
    expect(partial.stderr).toMatch(/BAD: not recognised as an ACPI table/);
    await expect(runCommandCase({ command: 'dump', args: ['@x'], files: { '../x': SAMPLE_DMAR } })).rejects.toThrow(/leaves the case directory/);
  });

  it('generates IVRS inputs for every table-reading command, --platform amd, the CI options and -r', () => {
    const seeds = commandSeeds(17, false);
    const random = new Random(17);
    const cases = COMMAND_NAMES.flatMap((command) => Array.from({ length: 60 }, () => commandCase(command, seeds, random).item));
    const isIvrs = (bytes: Uint8Array) => bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === 'IVRS';
    const hasIvrs = (item: (typeof cases)[number]) => Object.values(item.files).some(isIvrs) || /"signature":\s*"IVRS"/.test(new TextDecoder().decode(item.files['model.json'] ?? new Uint8Array()));
    for (const command of COMMAND_NAMES.filter((name) => name !== 'map')) expect(cases.some((item) => item.command === command && hasIvrs(item)), `${command} gets an IVRS`).toBe(true);
    const argsOf = (command: CommandName) => cases.filter((item) => item.command === command).map((item) => item.args.join(' '));
    for (const command of ['regions', 'iova', 'explain'] as const) expect(argsOf(command).some((args) => args.includes('--platform amd')), command).toBe(true);
    for (const command of ['check', 'audit'] as const) {
      for (const option of ['--format sarif', '--format github', '--fail-on warning', '--ignore ']) expect(argsOf(command).some((args) => args.includes(option)), `${command} ${option}`).toBe(true);
    }
    for (const command of ['dump', 'check', 'report'] as const) expect(argsOf(command).some((args) => /(^| )-r .*@tables/.test(args)), `${command} -r`).toBe(true);
    expect(cases.some((item) => item.command === 'collect' && Object.keys(item.files).some((name) => name.startsWith('root/sys/bus/pci/devices/')))).toBe(true);
  });
});
