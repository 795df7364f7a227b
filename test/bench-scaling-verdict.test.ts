/**
 * bench/report.ts `scalesFlat`, the verdict of the scaling targets: the fit (exponent, r²) and the
 * per-structure time at the largest size against the lowest over n ≥ 100.
 */
import { describe, expect, it } from 'vitest';
import { scalesFlat } from '../bench/report.js';

describe('scalesFlat', () => {
  it('holds at each limit and fails just past each', () => {
    expect(scalesFlat(1.1, 0.98, 1.5)).toBe(true);
    expect(scalesFlat(1.11, 0.98, 1.5)).toBe(false);
    expect(scalesFlat(1.1, 0.979, 1.5)).toBe(false);
    expect(scalesFlat(1.1, 0.98, 1.51)).toBe(false);
  });

  it('fails a fit that passes while the time per structure rises at the last sizes', () => {
    // A full run on December 5: 78.6 ns per RMRR at its lowest, 184 ns at 100,000; exponent 1.09, r² 0.9823.
    expect(scalesFlat(1.09, 0.9823, 184 / 78.6)).toBe(false);
  });
});
