/**
 * The corpus figures of several child processes, merged into one set: each figure is the median
 * over the processes of its ratio to the floor measured in the same process (and the same rounds),
 * times the median floor. Why: within one process, interleaved rounds and their median hide load
 * and a bad round, but not a bad process — V8's tier-up decisions depend on timing, and in single
 * full runs one task of one group sometimes stayed ≈ 20 % slower in every round (an APIC parse
 * measured slower than the APIC walk that includes it). A median over processes drops that one.
 */
import type { GroupFigures, RegionFigures } from './corpus.js';
import type { Measured } from './measure.js';
import { median } from './stats.js';

/** One set of corpus figures from `runs` (each one process's groups, in the same order). */
export function medianOverProcesses(runs: readonly (readonly GroupFigures[])[]): GroupFigures[] {
  const first = runs[0];
  if (first === undefined) return [];
  return first.map((group, index) => mergeGroup(runs.map((run) => run[index]!)));
}

function mergeGroup(groups: readonly GroupFigures[]): GroupFigures {
  const checksum = mergedFloor(groups.map((group) => group.checksum));
  const relative = (pick: (group: GroupFigures) => Measured) => mergedRelative(groups.map(pick), groups.map((group) => group.checksum), checksum);
  const oracles = groups.map((group) => group.oracle);
  return {
    ...groups[0]!,
    checksum,
    parse: relative((group) => group.parse),
    walk: relative((group) => group.walk),
    walkViews: relative((group) => group.walkViews),
    toJSON: relative((group) => group.toJSON),
    regions: mergeRegions(groups.map((group) => group.regions)),
    oracle: oracles.every((oracle) => oracle !== undefined) ? mergedRelative(oracles as Measured[], groups.map((group) => group.checksum), checksum) : undefined,
    oracleParse: relative((group) => group.oracleParse),
    oracleToJSON: relative((group) => group.oracleToJSON),
  };
}

function mergeRegions(regions: readonly (RegionFigures | undefined)[]): RegionFigures | undefined {
  if (!regions.every((figures) => figures !== undefined)) return undefined;
  const all = regions as RegionFigures[];
  const floor = mergedFloor(all.map((figures) => figures.floor));
  return { ...all[0]!, floor, run: mergedRelative(all.map((figures) => figures.run), all.map((figures) => figures.floor), floor) };
}

/** The median floor; `rounds` are the processes' own figures. */
function mergedFloor(floors: readonly Measured[]): Measured {
  return { ms: median(floors.map((floor) => floor.ms)), rounds: floors.map((floor) => floor.ms), samples: sum(floors.map((floor) => floor.samples)) };
}

/** Median over processes of `measured ÷ its process's floor`, times the merged floor. */
function mergedRelative(measured: readonly Measured[], floors: readonly Measured[], floor: Measured): Measured {
  const ratios = measured.map((one, index) => one.ms / floors[index]!.ms);
  return { ms: median(ratios) * floor.ms, rounds: measured.map((one) => one.ms), samples: sum(measured.map((one) => one.samples)) };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
