/**
 * The command-level fuzz target (issue 17 §4): a short fixed-seed campaign runs every command
 * of the CLI in process on mutated tables, models, topologies and memory maps, and finds
 * nothing; `npx tsx fuzz/commands-campaign.ts` runs long ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommandCampaign } from '../fuzz/run-command-campaign.js';
import { COMMAND_NAMES, runCommandCase, violationsOf } from '../fuzz/targets/commands.js';
import { REPO_ROOT } from './support/shared.js';

const PER_COMMAND = 20;

describe('command fuzz target', () => {
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
    const item = { command: 'dump' as const, args: ['--json', '@table'], files: {} };
    const kinds = (exit: number, stderr: string, stdout = '') => violationsOf(item, exit, stderr, stdout).map((violation) => violation.invariant);
    expect(kinds(3, 'acpi-iommu: internal error: RangeError: x\n    at f (/a/b.ts:1:2)\n')).toEqual(['exit-code', 'output']);
    expect(kinds(2, '')).toEqual(['output']);
    expect(kinds(0, '', '[{"a": 1}')).toEqual(['json']);
    expect(kinds(1, '', '[]\n')).toEqual([]);
    const usage = await runCommandCase({ command: 'iova', args: ['--no-such-option'], files: {} });
    expect([usage.exitCode, usage.violations]).toEqual([2, []]);
  });
});
