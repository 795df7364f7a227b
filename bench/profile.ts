/**
 * CPU profiles summarised as top self-time functions: in-process through the inspector (for
 * the parse/regions work, run by bench/child.ts) and through `node --cpu-prof` (CLI start-up).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withScratchDir } from './scratch-dir.js';
import { REPO_ROOT } from './shared.js';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: ProfileRow[];
  /** Self time per source file / module ("where"). */
  files: ProfileRow[];
}

function shortUrl(url: string): string {
  if (url === '') return '';
  if (url.startsWith('file://')) {
    const path = relative(REPO_ROOT, fileURLToPath(url)).replace(/^node_modules\/\.cache\/acpi-iommu-bench\//, '');
    return path.replace(/^node_modules\/(\.pnpm\/)?/, 'npm:');
  }
  return url;
}

/** Nodes under an inspector frame (the profiler's own `Profiler.stop` round trip). */
function inspectorNodes(profile: CpuProfile): Set<number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const excluded = new Set<number>();
  const mark = (id: number) => {
    const stack = [id];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (excluded.has(next)) continue;
      excluded.add(next);
      stack.push(...(byId.get(next)?.children ?? []));
    }
  };
  for (const node of profile.nodes) if (/^node:(internal\/)?inspector/.test(node.callFrame.url)) mark(node.id);
  return excluded;
}

export function summarise(profile: CpuProfile, top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const excluded = inspectorNodes(profile);
  const self = new Map<number, number>();
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index]!;
    if (excluded.has(id)) continue;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  const totalUs = [...self.values()].reduce((sum, value) => sum + value, 0);
  const functions = new Map<string, ProfileRow>();
  const files = new Map<string, ProfileRow>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const where = shortUrl(frame.url);
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const key = `${name}\u0000${where}:${frame.lineNumber}`;
    // Line numbers are left out: under tsx they point into transformed code.
    const row = functions.get(key) ?? { name, where, selfMs: 0, share: 0 };
    row.selfMs += us / 1000;
    functions.set(key, row);
    const fileKey = where === '' ? name : where;
    const fileRow = files.get(fileKey) ?? { name: fileKey, where: '', selfMs: 0, share: 0 };
    fileRow.selfMs += us / 1000;
    files.set(fileKey, fileRow);
  }
  const rank = (rows: Iterable<ProfileRow>) =>
    [...rows]
      .map((row) => ({ ...row, share: totalUs === 0 ? 0 : row.selfMs / (totalUs / 1000) }))
      .sort((left, right) => right.selfMs - left.selfMs)
      .slice(0, top);
  return { totalMs: totalUs / 1000, functions: rank(functions.values()), files: rank(files.values()) };
}

/** Profiles `work` repeated for about `durationMs` in this process (100 µs sampling). */
export async function profileInProcess(work: () => number, durationMs: number, top = 12): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    for (let warm = 0; warm < 20; warm++) work();
    await session.post('Profiler.start');
    const until = performance.now() + durationMs;
    let sink = 0;
    while (performance.now() < until) sink += work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
    return summarise(profile, top);
  } finally {
    session.disconnect();
  }
}

/** `node --cpu-prof` of one process run; undefined when no profile was written. */
export function profileProcess(args: readonly string[], top = 12): ProfileSummary | undefined {
  return withScratchDir('acpi-iommu-bench-prof-', (dir) => {
    spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, ...args], { cwd: REPO_ROOT, stdio: 'ignore' });
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) return undefined;
    return summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, top);
  });
}
