/**
 * The campaign over the command target: commands in turn (so each gets its share), a case
 * generated per execution from a fixed seed, findings deduplicated by signature, minimised
 * file by file (ddmin) and saved to corpus/regressions/commands-*.case.json for replay.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readPageTemplate } from '../src/cli/view/page.js';
import { CORPUS_DIR, shortHash } from './corpus.js';
import { commandCase, commandSeeds } from './command-cases.js';
import type { Violation } from './invariants.js';
import { ddminAsync } from './minimize.js';
import { Random } from './prng.js';
import { findingSignature } from './run-campaign.js';
import { COMMAND_NAMES, runCommandCase, type CommandCase, type CommandName } from './targets/commands.js';

export interface CommandFinding {
  signature: string;
  violation: Violation;
  item: CommandCase;
  operators: string[];
  execution: number;
}

export interface CommandStats {
  executions: number;
  /** Exit status → runs. */
  exits: Record<number, number>;
}

export interface CommandCampaignStats {
  seed: number;
  executions: number;
  seconds: number;
  perCommand: Record<CommandName, CommandStats>;
  findings: CommandFinding[];
}

/**
 * `view` embeds into the built page (dist/view/index.html); without it every view run would stop
 * at "not built". `npm test` builds it first; a lone campaign or test file builds it here.
 */
export async function ensureViewPage(): Promise<void> {
  if ((await readPageTemplate()) !== undefined) return;
  const built = spawnSync(process.execPath, [resolve(CORPUS_DIR, '..', 'scripts', 'build-view.mjs')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cannot build the view page: ${built.stderr}`);
}

export async function runCommandCampaign(options: { seed: number; executions?: number; seconds?: number; real?: boolean; commands?: readonly CommandName[] }): Promise<CommandCampaignStats> {
  const commands = options.commands ?? COMMAND_NAMES;
  if (commands.includes('view')) await ensureViewPage();
  const random = new Random(options.seed);
  const seeds = commandSeeds(options.seed, options.real ?? true);
  const perCommand = Object.fromEntries(COMMAND_NAMES.map((name) => [name, { executions: 0, exits: {} }])) as Record<CommandName, CommandStats>;
  const stats: CommandCampaignStats = { seed: options.seed, executions: 0, seconds: 0, perCommand, findings: [] };
  const seen = new Set<string>();
  const started = performance.now();
  const limit = options.executions ?? (options.seconds === undefined ? 1000 : Infinity);
  const deadline = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  while (stats.executions < limit && performance.now() < deadline) {
    const command = commands[stats.executions % commands.length]!;
    const { item, operators } = commandCase(command, seeds, random);
    const outcome = await runCommandCase(item);
    stats.executions++;
    const counts = perCommand[command];
    counts.executions++;
    counts.exits[outcome.exitCode] = (counts.exits[outcome.exitCode] ?? 0) + 1;
    for (const violation of outcome.violations) {
      const signature = `${command}/${findingSignature(violation)}`;
      if (seen.has(signature)) continue;
      seen.add(signature);
      stats.findings.push({ signature, violation, item, operators, execution: stats.executions });
    }
  }
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

/** Whether `item` still shows the finding's defect. */
async function reproduces(finding: CommandFinding, item: CommandCase): Promise<boolean> {
  const outcome = await runCommandCase(item);
  return outcome.violations.some((violation) => `${item.command}/${findingSignature(violation)}` === finding.signature);
}

/** The finding's case with each file shrunk by ddmin while the defect stays. */
export async function minimiseCase(finding: CommandFinding, budgetPerFile = 400): Promise<CommandCase> {
  const item: CommandCase = { ...finding.item, files: { ...finding.item.files } };
  for (const name of Object.keys(item.files)) {
    item.files[name] = await ddminAsync(item.files[name]!, (bytes) => reproduces(finding, { ...item, files: { ...item.files, [name]: bytes } }), budgetPerFile);
  }
  return item;
}

const REGRESSIONS = join(CORPUS_DIR, 'regressions');

export interface StoredCase extends CommandCase {
  violation: Violation;
  operators: string[];
  seed: number;
}

/** Writes corpus/regressions/commands-<command>-<invariant>-<hash>.case.json; files as base64. */
export function saveCase(item: CommandCase, finding: CommandFinding, seed: number): string {
  const files = Object.fromEntries(Object.entries(item.files).map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')]));
  const hash = shortHash(new TextEncoder().encode(JSON.stringify([item.command, item.args, files])));
  const name = `commands-${item.command}-${finding.violation.invariant}-${hash}.case.json`;
  mkdirSync(REGRESSIONS, { recursive: true });
  // The checkout's location means nothing to a reader of the record.
  const violation = { ...finding.violation, detail: finding.violation.detail.replaceAll(resolve(CORPUS_DIR, '..'), '.') };
  const record = { command: item.command, args: item.args, files, violation, operators: finding.operators, seed };
  writeFileSync(join(REGRESSIONS, name), `${JSON.stringify(record, null, 2)}\n`);
  return `corpus/regressions/${name}`;
}

/** Every stored command case, for replay. */
export function readStoredCases(dir = REGRESSIONS): { name: string; stored: StoredCase }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith('commands-') && name.endsWith('.case.json'))
    .sort()
    .map((name) => {
      const raw = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Omit<StoredCase, 'files'> & { files: Record<string, string> };
      const files = Object.fromEntries(Object.entries(raw.files).map(([file, base64]) => [file, new Uint8Array(Buffer.from(base64, 'base64'))]));
      return { name, stored: { ...raw, files } };
    });
}
