/**
 * bench/process-median.ts: the corpus figures of several child processes merged into one set,
 * each ratio to the floor the median of the per-process ratios (a process in which one task
 * stayed slow does not decide the figure).
 */
import { describe, expect, it } from 'vitest';
import type { GroupFigures } from '../bench/corpus.js';
import type { Measured } from '../bench/measure.js';
import { medianOverProcesses } from '../bench/process-median.js';

const measured = (ms: number): Measured => ({ ms, rounds: [ms], samples: 10 });

/** One process's DMAR group: floor `floor` ms, every other task `ratio` × the floor. */
function group(floor: number, parseRatio: number, regionsFloor?: number, regionsRatio?: number): GroupFigures {
  const at = (ratio: number) => measured(floor * ratio);
  return {
    label: 'DMAR',
    tables: 3,
    bytes: 300,
    checksum: measured(floor),
    parse: at(parseRatio),
    walk: at(2.5),
    walkViews: at(10),
    toJSON: at(200),
    regions: regionsFloor === undefined ? undefined : { unit: 'each DMAR', tables: 3, bytes: 300, floor: measured(regionsFloor), run: measured(regionsFloor * regionsRatio!) },
    regionsNote: undefined,
    oracle: at(150),
    oracleParse: at(parseRatio),
    oracleToJSON: at(200),
    oracleNote: undefined,
  };
}

describe('medianOverProcesses', () => {
  it('takes the median of the per-process ratios, times the median floor', () => {
    // Ratios 1.8, 2.3 (one slow process) and 1.7 over floors 10, 11 and 9 ms.
    const [merged] = medianOverProcesses([[group(10, 1.8, 20, 4)], [group(11, 2.3, 22, 6)], [group(9, 1.7, 18, 3.9)]]);
    expect(merged!.checksum.ms).toBe(10);
    expect(merged!.parse.ms / merged!.checksum.ms).toBeCloseTo(1.8, 12);
    expect(merged!.walk.ms / merged!.checksum.ms).toBeCloseTo(2.5, 12);
    expect(merged!.oracle!.ms / merged!.checksum.ms).toBeCloseTo(150, 12);
    expect(merged!.regions!.floor.ms).toBe(20);
    expect(merged!.regions!.run.ms / merged!.regions!.floor.ms).toBeCloseTo(4, 12);
    // The processes' own figures are kept, and the samples add up.
    expect(merged!.parse.rounds).toEqual([18, 25.3, 15.3].map((ms) => expect.closeTo(ms, 9)));
    expect(merged!.parse.samples).toBe(30);
    expect(merged!.label).toBe('DMAR');
  });

  it('leaves out regions when one process had none, and gives nothing for no processes', () => {
    const [merged] = medianOverProcesses([[group(10, 1.8, 20, 4)], [group(10, 1.9)], [group(10, 2)]]);
    expect(merged!.regions).toBeUndefined();
    expect(merged!.parse.ms).toBeCloseTo(19, 12);
    expect(medianOverProcesses([])).toEqual([]);
  });
});
