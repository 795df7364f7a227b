/**
 * `npx tsx bench/cli.ts [runs] [iasl-passes]`: only the process-level figures (RESULTS.md §4–5:
 * CLI cold start, one `check` over every real table, `iasl -d` once per table, each iasl pass
 * followed by its share of the checks), printed, nothing written — the quick before/after tool
 * for CLI start-up work. `npm run bench` runs the same code.
 */
import { benchCli, benchCliBatch, benchIaslAndBatch, typicalDmar } from './processes.js';
import { cliSection, iaslSection } from './report-processes.js';
import { loadRealCorpus } from './shared.js';

const runs = Number(process.argv[2] ?? 20);
const iaslPasses = Number(process.argv[3] ?? 1);
const log = (line: string) => console.error(`[bench cli] ${line.trim()}`);
const corpus = loadRealCorpus();
const dmar = typicalDmar(corpus);
const cli = dmar === undefined ? { skipped: 'no DMAR in the corpus (../shared absent?)' } : benchCli(dmar, runs, log);
// Each iasl pass is followed by checks over the same tables (interleaved: the same load for both).
const batchRuns = Math.max(3, Math.round(runs / 4));
const both = corpus.length > 0 && iaslPasses > 0 ? benchIaslAndBatch(corpus, iaslPasses, Math.ceil(batchRuns / iaslPasses), log) : undefined;
const iasl = both?.iasl ?? { skipped: corpus.length === 0 ? '../shared absent' : 'not asked for (iasl-passes 0)' };
const batch = both === undefined ? benchCliBatch(corpus, batchRuns) : both.batch;
const results = { corpus: [], iasl, cli, cliBatch: batch === undefined ? undefined : { ...batch, tables: corpus.length } };
console.log([...iaslSection(results), ...cliSection(results)].join('\n'));
