/**
 * Figures 4 and 5, which time whole processes: CLI cold start (`node dist/cli/main.cjs check
 * <one DMAR>` vs `node -e 0`, interleaved) and `iasl -d` once per table vs ours.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO_ROOT, REAL_ROOT, type CorpusTable } from './shared.js';
import { withScratchDir } from './scratch-dir.js';
import { median } from './stats.js';

export const CLI_ENTRY = join(REPO_ROOT, 'dist', 'cli', 'main.cjs');

/** Wall time of one process run, milliseconds. */
function timeRun(command: string, args: readonly string[], cwd = REPO_ROOT): { ms: number; status: number | null; stderr: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: result.status, stderr: result.stderr ?? '' };
}

/**
 * CPU time (user + system) of one process run and its children, ms, from bash's \`time\` (the
 * children's rusage, to the millisecond): on a machine shared with other work it moves far less
 * than wall time. Undefined when bash is not there.
 */
function cpuOfRun(command: string, args: readonly string[], cwd = REPO_ROOT, loop = false): number | undefined {
  const body = loop ? 'for file in "${@:2}"; do "$1" -d "$file" >/dev/null 2>&1; done' : '"$@" >/dev/null 2>&1';
  const result = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; { time ${body} ; } 2>&1`, 'cpu', command, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const match = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(result.stdout ?? '');
  return match === null ? undefined : (Number(match[1]) + Number(match[2])) * 1000;
}

/** Newest modification time of any file under `dir` (0 when absent). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` when dist/cli/main.cjs is missing or older than src; returns a note saying so. */
export function ensureBuilt(log: (line: string) => void): string | undefined {
  const missing = !existsSync(CLI_ENTRY);
  const stale = !missing && newestMtime(join(REPO_ROOT, 'src')) > statSync(CLI_ENTRY).mtimeMs;
  if (!missing && !stale) return undefined;
  const why = missing ? 'dist/cli/main.cjs was missing' : 'dist/ was older than src/';
  log(`  ${why}: running npm run build`);
  const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (!existsSync(CLI_ENTRY)) {
    return `${why} and \`npm run build\` produced no dist/cli/main.cjs (exit ${result.status}): ${(result.stdout + result.stderr).trim().split('\n').slice(-3).join(' / ')}`;
  }
  const typeErrors = result.status === 0 ? '' : ` (tsc exited ${result.status} — type errors elsewhere in the tree — but emitted dist)`;
  return `${why}: \`npm run build\` was run first${typeErrors}.`;
}

export interface CliCommand {
  label: string;
  args: string[];
  times: number[];
  /** CPU time of each run (a second run of the command, right after the timed one); empty without bash. */
  cpu: number[];
  status: number | null;
}

export interface CliFigures {
  runs: number;
  table: string;
  /** In run order; the first is `node -e 0`, the last `check <table>`. */
  commands: CliCommand[];
  checkStderr: string;
  buildNote: string | undefined;
  /** Modules `check` loads: from dist, and any others (node_modules). */
  loaded: { dist: number; distBytes: number; other: string[]; codeCached?: { bytes: number; cacheBytes: number } } | undefined;
}

const LOAD_HOOK =
  'data:text/javascript,import{register}from"node:module";register("data:text/javascript,export async function load(u,c,n){process._rawDebug(\\"BENCH-LOAD \\"+u);return n(u,c)}")';

/** Every module URL a node run loads (through a load hook). */
function loadedModules(args: readonly string[]): string[] {
  const result = spawnSync(process.execPath, ['--import', LOAD_HOOK, ...args], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  return (result.stderr ?? '')
    .split('\n')
    .filter((line) => line.startsWith('BENCH-LOAD '))
    .map((line) => line.slice('BENCH-LOAD '.length).trim());
}

function describeLoaded(urls: readonly string[]): CliFigures['loaded'] {
  if (urls.length === 0) return undefined;
  const dist = urls.filter((url) => url.startsWith(pathToFileURL(join(REPO_ROOT, 'dist')).href));
  const distBytes = dist.reduce((sum, url) => sum + statSync(fileURLToPath(url)).size, 0);
  const other = urls.filter((url) => !dist.includes(url) && !url.startsWith('node:')).map((url) => url.replace(pathToFileURL(REPO_ROOT).href + '/', ''));
  // The plain check's bundle is compiled through node:vm (src/cli/shared/code-cache.ts), which the load hook does not see.
  const plain = join(REPO_ROOT, 'dist', 'cli', 'check-plain.cjs');
  const codeCached = existsSync(`${plain}.cache`) ? { bytes: statSync(plain).size, cacheBytes: statSync(`${plain}.cache`).size } : undefined;
  return { dist: dist.length, distBytes, other, ...(codeCached === undefined ? {} : { codeCached }) };
}

/**
 * Cold starts, interleaved N times: `node -e 0`, an empty ES module file, importing commander alone, `--version`,
 * the library alone (import dist/dmar + parseDmar of the table), and `check <table>`.
 */
export function benchCli(table: CorpusTable, runs: number, log: (line: string) => void): CliFigures | { skipped: string } {
  const buildNote = ensureBuilt(log);
  if (!existsSync(CLI_ENTRY)) return { skipped: buildNote ?? 'dist/cli/main.cjs missing' };
  const file = join(REAL_ROOT, table.path);
  return withScratchDir('acpi-iommu-bench-cli-', (scratch) => {
    const emptyModule = join(scratch, 'empty.mjs');
    writeFileSync(emptyModule, 'export {};\n');
    return timeCommands(table, runs, file, emptyModule, buildNote, log);
  });
}

function timeCommands(table: CorpusTable, runs: number, file: string, emptyModule: string, buildNote: string | undefined, log: (line: string) => void): CliFigures {
  const library =
    `const { readFileSync } = await import('node:fs'); const { parseDmar } = await import(${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'dmar', 'index.js')).href)}); ` +
    `process.exitCode = parseDmar(readFileSync(${JSON.stringify(file)})).diagnostics.length > 1000 ? 1 : 0;`;
  const commands: CliCommand[] = [
    { label: '`node -e 0`', args: ['-e', '0'], times: [], cpu: [], status: null },
    // An ES module file as the entry: Node reads it through its ES module loader (fs/promises, readline, streams), which main.cjs spares a plain check.
    { label: '`node empty.mjs` (an empty ES module as the entry)', args: [emptyModule], times: [], cpu: [], status: null },
    { label: '`node -e "import(\'commander\')"`', args: ['--input-type=module', '-e', "await import('commander')"], times: [], cpu: [], status: null },
    { label: '`node dist/cli/main.cjs --version`', args: [CLI_ENTRY, '--version'], times: [], cpu: [], status: null },
    { label: 'library only: `import dist/dmar/index.js` + `parseDmar(readFileSync(…))`', args: ['--input-type=module', '-e', library], times: [], cpu: [], status: null },
    { label: '`node dist/cli/main.cjs check <DMAR>`', args: [CLI_ENTRY, 'check', file], times: [], cpu: [], status: null },
  ];
  // One untimed round so the file cache holds node, dist and the table.
  for (const command of commands) timeRun(process.execPath, command.args);
  log(`  cli: ${runs} interleaved runs of ${commands.length} commands`);
  let checkStderr = '';
  for (let run = 0; run < runs; run++) {
    for (const command of commands) {
      const result = timeRun(process.execPath, command.args);
      command.times.push(result.ms);
      command.status = result.status;
      const cpu = cpuOfRun(process.execPath, command.args);
      if (cpu !== undefined) command.cpu.push(cpu);
      if (command === commands[commands.length - 1]) checkStderr = result.stderr.trim().slice(0, 300);
    }
  }
  return { runs, table: table.path, commands, checkStderr, buildNote, loaded: describeLoaded(loadedModules([CLI_ENTRY, 'check', file])) };
}

/** A DMAR of typical size for the CLI figure: the median-length one of the corpus. */
export function typicalDmar(corpus: readonly CorpusTable[]): CorpusTable | undefined {
  const dmars = corpus.filter((table) => table.signature === 'DMAR').sort((left, right) => left.bytes.length - right.bytes.length || left.path.localeCompare(right.path));
  return dmars[dmars.length >> 1];
}

/** One `check` process over every corpus file, timed (wall), and CPU from a second run. */
function batchRun(files: readonly string[]): { ms: number; cpuMs: number | undefined; status: number | null } {
  const result = timeRun(process.execPath, [CLI_ENTRY, 'check', ...files]);
  return { ms: result.ms, cpuMs: cpuOfRun(process.execPath, [CLI_ENTRY, 'check', ...files]), status: result.status };
}

/** All corpus files in one `check` process, `runs` times: what the CLI costs per table once started. */
export function benchCliBatch(tables: readonly CorpusTable[], runs: number): { ms: number; cpuMs: number; status: number | null } | undefined {
  if (!existsSync(CLI_ENTRY) || tables.length === 0) return undefined;
  const files = tables.map((table) => join(REAL_ROOT, table.path));
  return summariseBatch(Array.from({ length: runs }, () => batchRun(files)));
}

function summariseBatch(runs: readonly ReturnType<typeof batchRun>[]): { ms: number; cpuMs: number; status: number | null } | undefined {
  if (runs.length === 0) return undefined;
  const cpu = runs.flatMap((run) => (run.cpuMs === undefined ? [] : [run.cpuMs]));
  return { ms: median(runs.map((run) => run.ms)), cpuMs: median(cpu), status: runs[runs.length - 1]!.status };
}

/**
 * `iasl -d` passes and one-process `check` runs interleaved (each pass followed by `batchRuns`
 * checks), so on a shared machine both see the same load: measured one after the other, a
 * change of load between them moved their ratio by 2× and more. Without iasl, the checks alone.
 */
export function benchIaslAndBatch(tables: readonly CorpusTable[], passes: number, batchRuns: number, log: (line: string) => void): { iasl: IaslFigures | { skipped: string }; batch: ReturnType<typeof benchCliBatch> } {
  const runs: ReturnType<typeof batchRun>[] = [];
  const files = tables.map((table) => join(REAL_ROOT, table.path));
  const canRun = existsSync(CLI_ENTRY) && tables.length > 0;
  const iasl = benchIasl(tables, passes, log, () => {
    if (canRun) for (let run = 0; run < batchRuns; run++) runs.push(batchRun(files));
  });
  if ('skipped' in iasl) return { iasl, batch: benchCliBatch(tables, passes * batchRuns) };
  return { iasl, batch: summariseBatch(runs) };
}

export interface IaslFigures {
  version: string;
  path: string;
  tables: number;
  /** Wall time of one sequential pass over every table, per pass, ms. */
  passes: number[];
  /** CPU time of one more pass (every iasl process), per pass, ms; empty without bash. */
  cpuPasses: number[];
  failures: number;
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** `iasl -d` once per table, sequentially, in a temp dir (tables copied there before timing); `afterPass` runs after each pass. */
export function benchIasl(tables: readonly CorpusTable[], passes: number, log: (line: string) => void, afterPass?: () => void): IaslFigures | { skipped: string } {
  const iasl = process.env.IASL ?? findOnPath('iasl');
  if (iasl === undefined || !existsSync(iasl)) return { skipped: '`iasl` is not on PATH (install acpica-tools or set IASL=/path/to/iasl)' };
  const banner = spawnSync(iasl, ['-v'], { encoding: 'utf8' });
  const version = /version\s+(\d+)/i.exec(banner.stdout + banner.stderr)?.[1] ?? 'unknown';
  return withScratchDir('acpi-iommu-bench-iasl-', (dir) => {
    const names = tables.map((table, index) => {
      const name = `t${index}.${table.signature.toLowerCase()}.dat`;
      copyFileSync(join(REAL_ROOT, table.path), join(dir, name));
      return name;
    });
    const figures: IaslFigures = { version, path: iasl, tables: names.length, passes: [], cpuPasses: [], failures: 0 };
    for (let pass = 0; pass < passes; pass++) {
      log(`  iasl -d: pass ${pass + 1}/${passes} over ${names.length} tables`);
      let total = 0;
      for (const name of names) {
        const run = timeRun(iasl, ['-d', name], dir);
        total += run.ms;
        if (pass === 0 && run.status !== 0) figures.failures++;
      }
      figures.passes.push(total);
      const cpu = cpuOfRun(iasl, names, dir, true);
      if (cpu !== undefined) figures.cpuPasses.push(cpu);
      afterPass?.();
    }
    return figures;
  });
}
