/**
 * The command-level fuzz target: runs the real `acpi-iommu` program in process, one command at
 * a time, on generated inputs (mutated tables, encoder models, PCI topologies, memory maps and
 * hostile option values, fake machine roots for collect), so every library function a command
 * calls is fuzzed along the command's own path. Invariants: an exit status the command documents
 * (never 3, an internal error), no stack trace on stderr, a message with every exit 2, JSON that
 * parses wherever JSON was asked for, and whole files or none from the commands that write them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import * as audit from '../../src/cli/commands/audit.js';
import * as check from '../../src/cli/commands/check.js';
import * as collect from '../../src/cli/commands/collect.js';
import * as conflicts from '../../src/cli/commands/conflicts.js';
import * as dump from '../../src/cli/commands/dump.js';
import * as encode from '../../src/cli/commands/encode.js';
import * as explain from '../../src/cli/commands/explain.js';
import * as iova from '../../src/cli/commands/iova.js';
import * as map from '../../src/cli/commands/map.js';
import * as regions from '../../src/cli/commands/regions.js';
import * as report from '../../src/cli/commands/report.js';
import * as view from '../../src/cli/commands/view.js';
import { runProgram, type CommandModule } from '../../src/cli/program.js';
import type { Violation } from '../invariants.js';

/** Every command of src/cli/main.ts (a test keeps the two lists equal). */
export const COMMAND_MODULES = { report, dump, check, regions, iova, conflicts, map, encode, audit, explain, view, collect } as const satisfies Record<string, CommandModule>;
export type CommandName = keyof typeof COMMAND_MODULES;
export const COMMAND_NAMES = Object.keys(COMMAND_MODULES) as CommandName[];

/**
 * The exit statuses each command documents (its --help, the program's "Exit codes"): 3 is a bug
 * everywhere; only explain says 4 (unknown); dump, report, iova and view never report findings
 * by exit 1; collect exits 2 only when no table could be read.
 */
export const DOCUMENTED_EXITS: Record<CommandName, readonly number[]> = {
  report: [0, 2], dump: [0, 2], check: [0, 1, 2], regions: [0, 1, 2], iova: [0, 2], conflicts: [0, 1, 2],
  map: [0, 1, 2], encode: [0, 1, 2], audit: [0, 1, 2], explain: [0, 1, 2, 4], view: [0, 2], collect: [0, 2],
};

/**
 * One run: the arguments after the command, where `@name` stands for the path of `files[name]`
 * (or of a directory those files are in). A name may hold `/`: the file is written with its
 * parent directories, so a case can be a whole tree (a machine root for collect).
 */
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
  for (const [name, bytes] of Object.entries(item.files)) {
    const path = inside(directory, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  const args = item.args.map((arg) => (arg.startsWith('@') ? inside(directory, arg.slice(1)) : arg));
  const written = writtenFile(item, args);
  const before = written === undefined || !existsSync(written) ? undefined : readFileSync(written);
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
  const after = written === undefined || !existsSync(written) ? undefined : readFileSync(written);
  rmSync(directory, { recursive: true, force: true });
  const text = captured.stderr.join('');
  const printed = captured.stdoutText.join('');
  const violations = [...violationsOf(item, exitCode, text, printed), ...(written === undefined ? [] : fileViolations(item, exitCode, before, after, printed))];
  if (item.command === 'collect') violations.push(...archiveViolations(item, exitCode, written === undefined ? printed : after === undefined ? '' : new TextDecoder().decode(after)));
  return { exitCode, stdoutBytes: captured.stdout, stderr: text, violations };
}

/** `name` under the case directory; a stored case naming a path outside it is refused, not followed. */
function inside(directory: string, name: string): string {
  const path = join(directory, name);
  const within = relative(directory, path);
  if (within === '' || within.startsWith('..') || isAbsolute(within)) throw new Error(`case file ${JSON.stringify(name)} leaves the case directory`);
  return path;
}

/** The file a run writes and the invariants judge: view's --out, collect's -o. */
function writtenFile(item: CommandCase, args: readonly string[]): string | undefined {
  const flag = item.command === 'view' ? '--out' : item.command === 'collect' ? '-o' : undefined;
  const at = flag === undefined ? -1 : args.indexOf(flag);
  return at < 0 ? undefined : args[at + 1];
}

/** A whole HTML document: the built page's doctype and closing tag, the inputs element filled. */
const COMPLETE_PAGE = /^<!doctype html>[\s\S]*<script type="application\/json" id="acpi-iommu-inputs">\{[\s\S]*<\/html>\s*$/i;

/**
 * What a command that writes a file must leave. view: a complete page on exit 0; an existing
 * --out replaced only with --force; on any other exit, --out as it was — except the exit 2 of
 * an input that could not be read while the others were (the convention of every command,
 * regions.ts exitFor): then a complete page of the rest, announced on stdout. collect: its
 * archive, as JSON, whenever it wrote one.
 */
export function fileViolations(item: CommandCase, exitCode: number, before: Uint8Array | undefined, after: Uint8Array | undefined, stdout: string): Violation[] {
  const where = `${item.command} ${item.args.join(' ')}`;
  const text = after === undefined ? undefined : new TextDecoder().decode(after);
  if (item.command === 'view') {
    const complete = text !== undefined && COMPLETE_PAGE.test(text);
    const changed = after === undefined ? before !== undefined : before === undefined || !Buffer.from(after).equals(Buffer.from(before));
    if (exitCode === 0 && !complete) return [{ invariant: 'output', detail: `view: exit 0 but --out is ${text === undefined ? 'absent' : `not a complete page (${text.length} chars)`} (${where})` }];
    if (changed && before !== undefined && !item.args.includes('--force')) return [{ invariant: 'output', detail: `view: replaced an existing --out without --force (${where})` }];
    const partialRun = exitCode === 2 && complete && stdout.startsWith('wrote ');
    if (changed && exitCode !== 0 && !partialRun) return [{ invariant: 'output', detail: `view: exit ${exitCode} but --out was ${before === undefined ? 'written' : 'changed'} (${where})` }];
    return [];
  }
  if (text === undefined) return exitCode === 0 || exitCode === 2 ? [{ invariant: 'output', detail: `collect: exit ${exitCode} but no archive at -o (${where})` }] : [];
  try {
    JSON.parse(text);
  } catch (error) {
    return [{ invariant: 'json', detail: `collect: the archive is not JSON: ${(error as Error).message} (${where})` }];
  }
  return stdout === '' ? [] : [{ invariant: 'output', detail: `collect -o: the archive went to stdout too (${where})` }];
}

/** The invariants over one run's exit status and output. */
export function violationsOf(item: CommandCase, exitCode: number, stderr: string, stdout: string): Violation[] {
  const violations: Violation[] = [];
  const where = `${item.command} ${item.args.join(' ')}`;
  if (!DOCUMENTED_EXITS[item.command].includes(exitCode)) violations.push({ invariant: 'exit-code', detail: `${item.command}: exit ${exitCode}, not one it documents (${where})\n${stderr.slice(0, 600)}` });
  if (/\n\s+at .+[:(]\d+:\d+\)?/.test(stderr)) violations.push({ invariant: 'output', detail: `${item.command}: stack trace on stderr (${where})\n${stderr.slice(0, 600)}` });
  if (exitCode === 2 && stderr.trim() === '') violations.push({ invariant: 'output', detail: `${item.command}: exit 2 without a message (${where})` });
  if (asksForJson(item) && stdout.trim() !== '') {
    try {
      JSON.parse(stdout);
    } catch (error) {
      violations.push({ invariant: 'json', detail: `${item.command} --json: stdout is not JSON: ${(error as Error).message} (${where})` });
    }
  }
  return violations;
}

/**
 * collect's archive says what it read: each table's bytes exactly as the case's file under
 * root/ holds them, and exit 2 exactly when it holds no table. (Whether it is JSON at all is
 * judged where it was written.)
 */
export function archiveViolations(item: CommandCase, exitCode: number, archive: string): Violation[] {
  let tables: { source?: unknown; base64?: unknown }[];
  try {
    tables = (JSON.parse(archive) as { tables: { source?: unknown; base64?: unknown }[] }).tables;
  } catch {
    return [];
  }
  const where = `${item.command} ${item.args.join(' ')}`;
  const violations: Violation[] = [];
  if ((exitCode === 2) !== (tables.length === 0)) violations.push({ invariant: 'exit-code', detail: `collect: exit ${exitCode} with ${tables.length} tables in the archive (${where})` });
  for (const table of tables) {
    const source = String(table.source);
    const file = item.files[source.slice(source.lastIndexOf('/root/') + 1)];
    if (file === undefined || Buffer.from(String(table.base64), 'base64').compare(Buffer.from(file)) !== 0) {
      violations.push({ invariant: 'output', detail: `collect: the archive's ${source.slice(source.lastIndexOf('/root/'))} is not the bytes of that file (${where})` });
    }
  }
  return violations;
}

/** --json, --format json|sarif, and collect without -o: stdout must be one JSON document. */
function asksForJson(item: CommandCase): boolean {
  const format = item.args.indexOf('--format');
  if (format >= 0 && ['json', 'sarif'].includes(item.args[format + 1] ?? '')) return true;
  return item.args.includes('--json') || (item.command === 'collect' && !item.args.includes('-o'));
}
