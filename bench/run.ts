/**
 * `npm run bench`: runs every benchmark and writes bench/RESULTS.md.
 * `npm run bench -- --smoke`: a seconds-long run on 1–2 tables, printed, nothing written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBench } from './bench.js';
import { keptAnalysis } from './report.js';
import { REPO_ROOT } from './shared.js';

const smoke = process.argv.includes('--smoke');
const target = join(REPO_ROOT, 'bench', 'RESULTS.md');
const previous = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
const started = performance.now();
const log = (line: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line.trim()}`);
const { markdown, results } = await runBench(smoke ? 'smoke' : 'full', log, keptAnalysis(previous));
if (smoke) {
  console.log(markdown);
} else {
  writeFileSync(target, markdown);
  log(`wrote ${target} in ${results.wallSeconds.toFixed(1)} s`);
}
