/**
 * Runs the command line from source, without a build: `node --import tsx src/cli/main.ts …`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
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
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
    child.stdin.end(options.stdin === undefined ? undefined : Buffer.from(options.stdin));
  });
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runNode([CLI_ENTRY, ...args], options);
}
