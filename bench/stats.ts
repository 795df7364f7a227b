/** Small statistics and formatting helpers for the benchmark report. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface LinearFit {
  /** Time per added item (same unit as y per unit of x). */
  slope: number;
  intercept: number;
  /** Coefficient of determination. */
  r2: number;
}

/** Ordinary least squares y = slope·x + intercept. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): LinearFit {
  const count = xs.length;
  let sumX = 0;
  let sumY = 0;
  for (let index = 0; index < count; index++) {
    sumX += xs[index]!;
    sumY += ys[index]!;
  }
  const meanX = sumX / count;
  const meanY = sumY / count;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let index = 0; index < count; index++) {
    const dx = xs[index]! - meanX;
    const dy = ys[index]! - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? Number.NaN : sxy / sxx;
  const intercept = meanY - slope * meanX;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

/** Log–log slope: 1 means linear, 2 quadratic. */
export function powerExponent(xs: readonly number[], ys: readonly number[]): number {
  return leastSquares(xs.map(Math.log), ys.map(Math.log)).slope;
}

/** Three significant figures, no exponent for everyday magnitudes. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 6));
}

export function fmtRatio(value: number): string {
  return Number.isFinite(value) ? `${fmt(value)}×` : 'n/a';
}

/** Milliseconds as µs / ms with sensible units. */
export function fmtTime(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return 'n/a';
  const size = Math.abs(milliseconds);
  if (size < 1e-3) return `${fmt(milliseconds * 1e6)} ns`;
  if (size < 1) return `${fmt(milliseconds * 1e3)} µs`;
  if (size < 1000) return `${fmt(milliseconds)} ms`;
  return `${fmt(milliseconds / 1000)} s`;
}

/** A Markdown table. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `met` / `MISSED` against a target (the bench reports, it never asserts). */
export function verdict(met: boolean | undefined): string {
  if (met === undefined) return 'not measured';
  return met ? 'met' : '**MISSED**';
}
