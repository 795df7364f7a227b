/**
 * Report section: how many findings of each severity every table has, and which codes. In JSON
 * (one contract with the other commands) `diagnostics` is the array of findings, each with the
 * table it belongs to; the counts go to the document's `summary`.
 */
import type { ReportSection, ReportContext } from './sections.js';
import { printable, type ParsedInput } from '../shared/tables.js';
import { severitySummary } from '../shared/style.js';

function countsOf(input: ParsedInput) {
  const counts = { error: 0, warning: 0, info: 0 };
  const codes = new Map<string, number>();
  for (const item of input.table.diagnostics) {
    // A capped code's summary item stands for itself and every finding it omits.
    const count = 1 + (item.omitted ?? 0);
    counts[item.severity] += count;
    codes.set(item.code, (codes.get(item.code) ?? 0) + count);
  }
  return { ...counts, codes: Object.fromEntries(codes) };
}

/**
 * `summary` of `report --json`: totals and the number of tables (as in check's summary), then
 * the counts per table.
 */
export function reportSummary(context: ReportContext) {
  const byTable = context.parsed.map((input) => ({ source: input.source, signature: input.signature, ...countsOf(input) }));
  const total = (severity: 'error' | 'warning' | 'info') => byTable.reduce((sum, table) => sum + table[severity], 0);
  return { error: total('error'), warning: total('warning'), info: total('info'), tables: byTable.length, byTable };
}

export const diagnosticsSection: ReportSection = {
  id: 'diagnostics',
  title: 'Diagnostics',
  lines(context: ReportContext, paint) {
    return context.parsed.map((input) => {
      const counts = countsOf(input);
      const summary = severitySummary(counts);
      const codes = Object.entries(counts.codes).map(([code, count]) => (count > 1 ? `${code} ×${count}` : code));
      const painted = counts.error > 0 ? paint.red(summary) : counts.warning > 0 ? paint.yellow(summary) : paint.green(summary);
      return `${printable(input.signature)}  ${painted}${codes.length > 0 ? `  (${codes.join(', ')})` : ''}  ${paint.dim(input.source)}`;
    });
  },
  json(context) {
    return context.parsed.flatMap((input) => input.table.diagnostics.map((item) => ({ source: input.source, table: input.signature, ...item })));
  },
};
