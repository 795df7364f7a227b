/**
 * Issue 14 target 6, memory: what a 100,000-node IORT (bench/synthetic.ts, 6.4 MB) costs in
 * memory while parsed, walked and with its regions derived, as a multiple of its input size.
 * Run on the tsc output, each run in a fresh process (module-level scratch space counts):
 * `npx tsc -p bench/tsconfig.bench.json && node node_modules/.cache/acpi-iommu-bench/bench/iort-memory.js [runs] [nodes]`.
 *
 * Per run, with the input and each result kept alive:
 * - "held": V8 heap used + memory outside the heap (array buffers) after a forced full GC, minus
 *   the same before parsing, plus the input: what the process holds for the table at that stage.
 * - "allocated": the same sum right after the step minus before it, measured with a young
 *   generation large enough that no GC runs during the step: every byte the step allocated (typed
 *   arrays included), an upper bound of its peak above what was held before it.
 * Both are divided by the input size; the medians over the runs are printed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { unscopedRegions } from '../src/analyze.js';
import { parseIort, type IortTable } from '../src/iort/index.js';
import { parseMadt, type MadtTable } from '../src/madt/index.js';
import { median } from './stats.js';
import { syntheticArmMadt, syntheticIort } from './synthetic.js';

const STEPS = ['parse', 'walk', 'regions'] as const;
type Step = (typeof STEPS)[number];
interface RunFigures {
  input: number;
  held: Record<Step, number>;
  allocated: Record<Step, number>;
}

const gc = (globalThis as { gc?: () => void }).gc;

function memory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** One run, in this (fresh) process. */
function measureOnce(nodes: number): RunFigures {
  const madt = parseMadt(syntheticArmMadt());
  // Warm-up on a small table, so the figures are those of optimised code (cold code boxes every
  // 32-bit field it reads: garbage a scavenge would take, but counted by "allocated").
  const small = syntheticIort(1000);
  for (let round = 0; round < 20; round++) walkAndDerive(parseIort(small), madt);
  const bytes = syntheticIort(nodes);
  gc!();
  gc!();
  const before = memory();
  const held = {} as Record<Step, number>;
  const allocated = {} as Record<Step, number>;
  let kept: unknown[] = [];
  const step = (name: Step, work: () => unknown) => {
    const start = memory();
    kept.push(work());
    allocated[name] = memory() - start;
    gc!();
    gc!();
    held[name] = memory() - before + bytes.length;
  };
  step('parse', () => parseIort(bytes));
  const table = kept[0] as IortTable;
  step('walk', () => walk(table));
  step('regions', () => unscopedRegions({ iort: table, madt }, 'arm'));
  const figures = { input: bytes.length, held, allocated };
  kept = [];
  return figures;
}

/** Every node and ID mapping through the flyweight cursors (one visitor each, made once: the walk's own allocations are measured, not a closure per node). */
function walk(table: IortTable): number {
  let acc = 0;
  const onMapping = (mapping: { idCount: number }) => (acc += mapping.idCount);
  table.forEachNode((node) => {
    acc += node.length;
    node.forEachIdMapping(onMapping);
  });
  return acc;
}

function walkAndDerive(table: IortTable, madt: MadtTable): number {
  return walk(table) + unscopedRegions({ iort: table, madt }, 'arm').length;
}

if (process.env.ACPI_IOMMU_MEMORY_CHILD !== undefined) {
  if (gc === undefined) throw new Error('run with --expose-gc');
  process.stdout.write(JSON.stringify(measureOnce(Number(process.env.ACPI_IOMMU_MEMORY_CHILD))));
} else {
  const [runs = '5', nodes = '100000'] = process.argv.slice(2);
  const figures: RunFigures[] = [];
  for (let run = 0; run < Number(runs); run++) {
    // A 512 MB young generation: no scavenge during a step, so "allocated" sees every allocation.
    const child = spawnSync(process.execPath, ['--expose-gc', '--min-semi-space-size=512', '--max-semi-space-size=512', fileURLToPath(import.meta.url)], {
      env: { ...process.env, ACPI_IOMMU_MEMORY_CHILD: nodes },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`measurement run failed: ${child.stderr}`);
    figures.push(JSON.parse(child.stdout) as RunFigures);
  }
  const input = figures[0]!.input;
  console.log(`IORT of ${nodes} nodes, ${(input / 2 ** 20).toFixed(2)} MiB; medians of ${runs} runs, × input size`);
  for (const name of STEPS) {
    const held = median(figures.map((run) => run.held[name] / input));
    const allocated = median(figures.map((run) => run.allocated[name] / input));
    console.log(`${name.padEnd(8)} held ${held.toFixed(2)}×   allocated ${allocated.toFixed(2)}×`);
  }
}
