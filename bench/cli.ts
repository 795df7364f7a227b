/**
 * `npx tsx bench/cli.ts [runs] [iasl-passes]`: only the process-level figures (RESULTS.md §4–5:
 * CLI cold start, one `check` over every real table, `iasl -d` once per table), printed, nothing
 * written — the quick before/after tool for CLI start-up work. `npm run bench` runs the same code.
 */
import { benchCli, benchCliBatch, benchIasl, typicalDmar } from './processes.js';
import { cliSection, iaslSection } from './report-processes.js';
import { loadRealCorpus } from './shared.js';

const runs = Number(process.argv[2] ?? 20);
const iaslPasses = Number(process.argv[3] ?? 1);
const log = (line: string) => console.error(`[bench cli] ${line.trim()}`);
const corpus = loadRealCorpus();
const dmar = typicalDmar(corpus);
const cli = dmar === undefined ? { skipped: 'no DMAR in the corpus (../shared absent?)' } : benchCli(dmar, runs, log);
const iasl = corpus.length === 0 ? { skipped: '../shared absent' } : iaslPasses > 0 ? benchIasl(corpus, iaslPasses, log) : { skipped: 'not asked for (iasl-passes 0)' };
const batch = benchCliBatch(corpus, Math.max(3, Math.round(runs / 4)));
const results = { corpus: [], iasl, cli, cliBatch: batch === undefined ? undefined : { ...batch, tables: corpus.length } };
console.log([...iaslSection(results), ...cliSection(results)].join('\n'));
