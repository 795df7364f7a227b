/**
 * Runs the command line from source, without a build. `runCli` runs a command in this process
 * (what main.ts does: the environment's limits, then the program with that command's module),
 * stdout and stderr captured, stdin given, no terminal, NO_COLOR set as for a child: a spawn of
 * `node --import tsx` costs ~0.4 s of CPU, and the suite runs hundreds. `spawnCli` runs
 * `node --import tsx src/cli/main.ts …` for what only a process shows (exit status, streams,
 * the environment, --version); test/cli-process.test.ts keeps the two equal per command.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { REPO_ROOT } from './shared.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const CLI_ENTRY = join(REPO_ROOT, 'src', 'cli', 'main.ts');

export interface RunOptions {
  stdin?: string | Uint8Array;
  env?: NodeJS.ProcessEnv;
}

/** The commands of src/cli/main.ts (test/cli-process.test.ts keeps the list equal). */
export const CLI_COMMANDS = ['report', 'dump', 'check', 'regions', 'iova', 'conflicts', 'map', 'encode', 'audit', 'explain', 'view', 'collect'] as const;

/** Spawns node with tsx; `stdin` is written and closed (or stdin is closed empty). */
export function runNode(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runProgramAs(process.execPath, ['--import', 'tsx', ...args], options);
}

/** Spawns any program from the repository root, without colour. */
export function runProgramAs(program: string, args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    // A child that stops reading early (the input cap) closes its stdin under our write: EPIPE is
    // its answer, not a test error (unhandled, it failed the run under Node 22).
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
    child.stdin.end(options.stdin === undefined ? undefined : Buffer.from(options.stdin));
  });
}

/** The command line as a user starts it: a new node process. */
export function spawnCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runNode([CLI_ENTRY, ...args], options);
}

/**
 * The command line in this process when that is the same run: a command (not --version or a
 * typo), the environment as it is (a test's own variables go to a child) and the repository
 * root as the working directory (where a child starts).
 */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const inProcess = CLI_COMMANDS.some((name) => name === args[0]) && options.env === undefined && process.cwd() === REPO_ROOT;
  return inProcess ? runCliInProcess(args, options) : spawnCli(args, options);
}

/** `args` starts with a command; runs wait for each other (the streams and the exit status are the process's). */
export function runCliInProcess(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const run = queue.then(() => runInProcess(args, options));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<unknown> = Promise.resolve();

async function runInProcess(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const command = CLI_COMMANDS.find((name) => name === args[0]);
  if (command === undefined) throw new Error(`not a command: ${args[0]}`);
  const [{ applyEnvironmentLimits }, { runProgram }, module] = await Promise.all([
    import('../../src/node/limits.js'),
    import('../../src/cli/program.js'),
    import(`../../src/cli/commands/${command}.ts`) as Promise<import('../../src/cli/program.js').CommandModule>,
  ]);
  // A limit the environment gets wrong is main.ts's to report, before any command.
  if (applyEnvironmentLimits() !== undefined) return spawnCli(args, options);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const restore = [
    capture(process.stdout, stdout),
    capture(process.stderr, stderr),
    replaceProperty(process, 'stdin', Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]) as typeof process.stdin),
    replaceProperty(process.stdout, 'isTTY', false),
    replaceProperty(process.env, 'NO_COLOR', '1'),
  ];
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await runProgram(['node', CLI_ENTRY, ...args], [module]);
    return { code: Number(process.exitCode ?? 0), stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
  } finally {
    process.exitCode = exitCode;
    for (const undo of restore.reverse()) undo();
  }
}

/** Writes to `stream` land in `chunks`; returns the undo. */
function capture(stream: NodeJS.WriteStream, chunks: Buffer[]): () => void {
  const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), done?: (error?: Error | null) => void): boolean => {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk));
    const callback = typeof encoding === 'function' ? encoding : done;
    if (callback !== undefined) queueMicrotask(() => callback(null));
    return true;
  };
  return replaceProperty(stream, 'write', write as NodeJS.WriteStream['write']);
}

/** Sets an own property of `target` for the run; returns the undo, which puts back the property as it was (or its absence). */
function replaceProperty<T extends object, K extends keyof T & string>(target: T, key: K, value: T[K]): () => void {
  const before = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: before?.enumerable ?? true });
  return () => {
    if (before === undefined) delete target[key];
    else Object.defineProperty(target, key, before);
  };
}
