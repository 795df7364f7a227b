/** RESULTS.md sections for the process-level figures (iasl, CLI start-up) and the profiles. */
import type { Results } from './report.js';
import { fmt, fmtRatio, fmtTime, markdownTable, median } from './stats.js';

/** What §4–5 read: bench/cli.ts fills only these. */
type ProcessResults = Pick<Results, 'corpus' | 'iasl' | 'cli' | 'cliBatch'>;

const perSecond = (count: number, measured: { ms: number }) => count / (measured.ms / 1000);

export function iaslSection(results: ProcessResults): string[] {
  const out = ['## 4. `iasl -d` (one process per table) vs ours', ''];
  const iasl = results.iasl;
  if (iasl === undefined || 'skipped' in iasl) {
    out.push(`Skipped: ${iasl?.skipped ?? 'not run'}.`, '');
    return out;
  }
  const all = results.corpus.find((group) => group.label === 'all');
  const iaslMs = median(iasl.passes);
  const iaslRate = iasl.tables / (iaslMs / 1000);
  const iaslCpu = median(iasl.cpuPasses);
  const rows: string[][] = [[`iasl ${iasl.version} (\`${iasl.path}\`) \`-d\`, one process per table`, fmtTime(iaslMs), fmt(iaslRate), '1×', fmtTime(iaslCpu), '1×']];
  if (all !== undefined) {
    const oursParse = perSecond(all.tables, all.parse);
    const oursJson = perSecond(all.tables, all.toJSON);
    rows.push(['ours, in process: parse + diagnostics', fmtTime(all.parse.ms), fmt(oursParse), fmtRatio(oursParse / iaslRate), '', '']);
    rows.push(['ours, in process: parse + toJSON', fmtTime(all.toJSON.ms), fmt(oursJson), fmtRatio(oursJson / iaslRate), '', '']);
  }
  if (results.cliBatch !== undefined) {
    const rate = results.cliBatch.tables / (results.cliBatch.ms / 1000);
    const cpu = results.cliBatch.cpuMs;
    rows.push([`ours, one \`node dist/cli/main.cjs check <all ${results.cliBatch.tables} files>\` process (exit ${results.cliBatch.status})`, fmtTime(results.cliBatch.ms), fmt(rate), fmtRatio(rate / iaslRate), fmtTime(cpu), fmtRatio(iaslCpu / cpu)]);
  }
  const cli = results.cli !== undefined && !('skipped' in results.cli) ? results.cli : undefined;
  if (cli !== undefined) {
    const perFile = median(cli.commands[cli.commands.length - 1]!.times);
    const cpuPerFile = median(cli.commands[cli.commands.length - 1]!.cpu);
    rows.push(['ours, one `check` process per table (CLI cold start, §5)', `${fmtTime(perFile)} /table`, fmt(1000 / perFile), fmtRatio(1000 / perFile / iaslRate), `${fmtTime(cpuPerFile)} /table`, fmtRatio(iaslCpu / iasl.tables / cpuPerFile)]);
  }
  out.push(
    `${iasl.tables} tables, sequential, ${iasl.passes.length} pass(es), median pass reported (passes: ${iasl.passes.map(fmtTime).join(', ')}); ${iasl.failures} iasl run(s) exited non-zero; CPU time from one more pass per pass (every process's user + system). Each pass is followed by its share of the one-process \`check\` runs of the table below (interleaved, so both see the same load). ` +
      'Note: this is the Debian/Ubuntu acpica-tools build when the path is /usr/bin/iasl; the expected-iasl README anchor (≈ 210–270 files/s) used ACPICA 20260408 built from source.',
    '',
    markdownTable(['what', 'time', 'tables/s', 'vs iasl', 'CPU time', 'vs iasl, CPU'], rows),
    '',
  );
  return out;
}

function signedTime(milliseconds: number): string {
  return `${milliseconds < 0 ? '−' : '+'}${fmtTime(Math.abs(milliseconds))}`;
}

export function cliSection(results: ProcessResults): string[] {
  const out = ['## 5. CLI cold start', ''];
  const cli = results.cli;
  if (cli === undefined || 'skipped' in cli) {
    out.push(`Skipped: ${cli?.skipped ?? 'not run'}.`, '');
    return out;
  }
  if (cli.buildNote !== undefined) out.push(cli.buildNote, '');
  const base = median(cli.commands[0]!.times);
  const baseMin = Math.min(...cli.commands[0]!.times);
  const baseCpu = median(cli.commands[0]!.cpu);
  const check = cli.commands[cli.commands.length - 1]!;
  out.push(
    `\`${cli.table}\`; ${cli.runs} runs of each command, interleaved in the order listed, wall time of the whole process including spawn (verdict on the median ratio; "min ÷ min" is less sensitive to other load on the machine), and CPU time (user + system, from a second run right after each timed one; it moves least with other load). The middle rows split the start-up: an ES module entry, commander alone, the CLI's cheapest path, and the library without the CLI. \`check\` exit status ${check.status}${cli.checkStderr === '' ? '' : ` (stderr: ${cli.checkStderr})`}.`,
    '',
    markdownTable(
      ['command', 'median', 'min', 'max', 'median − node -e 0', 'median ÷ node -e 0', 'min ÷ min', 'CPU median', 'CPU ÷ node -e 0'],
      cli.commands.map((command) => [
        command.label,
        fmtTime(median(command.times)),
        fmtTime(Math.min(...command.times)),
        fmtTime(Math.max(...command.times)),
        signedTime(median(command.times) - base),
        fmtRatio(median(command.times) / base),
        fmtRatio(Math.min(...command.times) / baseMin),
        fmtTime(median(command.cpu)),
        fmtRatio(median(command.cpu) / baseCpu),
      ]),
    ),
    '',
  );
  if (cli.loaded !== undefined) {
    const plain = cli.loaded.codeCached === undefined ? '' : `, and compiles \`dist/cli/check-plain.cjs\` (${fmt(cli.loaded.codeCached.bytes / 1024)} KiB) from its V8 code cache (${fmt(cli.loaded.codeCached.cacheBytes / 1024)} KiB; node:vm, unseen by the load hook)`;
    out.push(`\`check <DMAR>\` loads ${cli.loaded.dist} modules from dist (${fmt(cli.loaded.distBytes / 1024)} KiB of JavaScript) plus ${cli.loaded.other.length === 0 ? 'nothing else' : cli.loaded.other.map((item) => `\`${item}\``).join(', ')}${plain}.`, '');
  }
  return out;
}

export function profileSection(profiles: Results['profiles']): string[] {
  if (profiles.length === 0) return [];
  const out = ['## Profiles (top self time)', ''];
  for (const profile of profiles) {
    out.push(`### ${profile.title}`, '', profile.why, '');
    if (profile.summary === undefined) {
      out.push('No profile was written.', '');
      continue;
    }
    out.push(
      `${fmtTime(profile.summary.totalMs)} sampled.`,
      '',
      markdownTable(
        ['function', 'where', 'self', 'share'],
        profile.summary.functions.map((row) => [`\`${row.name}\``, row.where, fmtTime(row.selfMs), `${fmt(row.share * 100)} %`]),
      ),
      '',
      'By file / module:',
      '',
      markdownTable(['file', 'self', 'share'], profile.summary.files.map((row) => [row.name, fmtTime(row.selfMs), `${fmt(row.share * 100)} %`])),
      '',
    );
  }
  return out;
}
