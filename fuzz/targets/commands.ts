/**
 * The command-level fuzz target: runs the real `acpi-iommu` program in process, one command at
 * a time, on generated inputs (mutated tables, encoder models, PCI topologies, memory maps and
 * hostile option values), so every library function a command calls is fuzzed along the
 * command's own path. Invariants: exit 0, 1 or 2 (never 3, an internal error), no stack trace
 * on stderr, a message with every exit 2, and JSON that parses wherever --json was asked for.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as audit from '../../src/cli/commands/audit.js';
import * as check from '../../src/cli/commands/check.js';
import * as conflicts from '../../src/cli/commands/conflicts.js';
import * as dump from '../../src/cli/commands/dump.js';
import * as encode from '../../src/cli/commands/encode.js';
import * as explain from '../../src/cli/commands/explain.js';
import * as iova from '../../src/cli/commands/iova.js';
import * as map from '../../src/cli/commands/map.js';
import * as regions from '../../src/cli/commands/regions.js';
import * as report from '../../src/cli/commands/report.js';
import { runProgram, type CommandModule } from '../../src/cli/program.js';
import type { Violation } from '../invariants.js';

/** Every command of src/cli/main.ts (a test keeps the two lists equal). */
export const COMMAND_MODULES = { report, dump, check, regions, iova, conflicts, map, encode, audit, explain } as const satisfies Record<string, CommandModule>;
export type CommandName = keyof typeof COMMAND_MODULES;
export const COMMAND_NAMES = Object.keys(COMMAND_MODULES) as CommandName[];

/** One run: the arguments after the command, where `@name` stands for the path of `files[name]`. */
export interface CommandCase {
  command: CommandName;
  args: string[];
  files: Record<string, Uint8Array>;
}

export interface CommandOutcome {
  exitCode: number;
  stdoutBytes: number;
  stderr: string;
  violations: Violation[];
}

let workDirectory: string | undefined;
let runs = 0;

/** One scratch directory per process, removed at exit. */
function scratch(): string {
  if (workDirectory === undefined) {
    workDirectory = mkdtempSync(join(tmpdir(), 'acpi-iommu-fuzz-commands-'));
    const made = workDirectory;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return workDirectory;
}

/** Runs the case's command in process with stdout and stderr captured. */
export async function runCommandCase(item: CommandCase): Promise<CommandOutcome> {
  const directory = join(scratch(), String(runs++));
  mkdirSync(directory);
  const paths: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(item.files)) writeFileSync((paths[name] = join(directory, name)), bytes);
  const args = item.args.map((arg) => (arg.startsWith('@') ? (paths[arg.slice(1)] ?? join(directory, arg.slice(1))) : arg));
  const captured = { stdout: 0, stdoutText: [] as string[], stderr: [] as string[] };
  const { stdout, stderr } = process;
  const savedOut = stdout.write;
  const savedErr = stderr.write;
  const savedCode = process.exitCode;
  stdout.write = ((chunk: string | Uint8Array) => ((captured.stdout += chunk.length), captured.stdoutText.push(typeof chunk === 'string' ? chunk : ''), true)) as typeof stdout.write;
  stderr.write = ((chunk: string | Uint8Array) => (captured.stderr.push(String(chunk)), true)) as typeof stderr.write;
  process.exitCode = undefined;
  try {
    await runProgram(['node', 'acpi-iommu', item.command, ...args], Object.values(COMMAND_MODULES));
  } catch (error) {
    captured.stderr.push(`escaped runProgram: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 3;
  } finally {
    stdout.write = savedOut;
    stderr.write = savedErr;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = savedCode;
  rmSync(directory, { recursive: true, force: true });
  const text = captured.stderr.join('');
  return { exitCode, stdoutBytes: captured.stdout, stderr: text, violations: violationsOf(item, exitCode, text, captured.stdoutText.join('')) };
}

/** The invariants over one run's exit status and output. */
export function violationsOf(item: CommandCase, exitCode: number, stderr: string, stdout: string): Violation[] {
  const violations: Violation[] = [];
  const where = `${item.command} ${item.args.join(' ')}`;
  if (exitCode !== 0 && exitCode !== 1 && exitCode !== 2) violations.push({ invariant: 'exit-code', detail: `${item.command}: exit ${exitCode} (${where})\n${stderr.slice(0, 600)}` });
  if (/\n\s+at .+[:(]\d+:\d+\)?/.test(stderr)) violations.push({ invariant: 'output', detail: `${item.command}: stack trace on stderr (${where})\n${stderr.slice(0, 600)}` });
  if (exitCode === 2 && stderr.trim() === '') violations.push({ invariant: 'output', detail: `${item.command}: exit 2 without a message (${where})` });
  if (item.args.includes('--json') && stdout.trim() !== '') {
    try {
      JSON.parse(stdout);
    } catch (error) {
      violations.push({ invariant: 'json', detail: `${item.command} --json: stdout is not JSON: ${(error as Error).message} (${where})` });
    }
  }
  return violations;
}
