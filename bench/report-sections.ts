/** RESULTS.md sections for the in-process figures: real corpus (§1–3) and scaling (§6). */
import type { GroupFigures } from './corpus.js';
import type { FuzzRate } from './fuzz-rates.js';
import { ratio, type Results, type YoungPoint } from './report.js';
import type { ScalingSeries } from './scaling.js';
import { fmt, fmtRatio, fmtTime, markdownTable } from './stats.js';

const mbPerSecond = (bytes: number, measured: { ms: number }) => bytes / 1e6 / (measured.ms / 1000);
const perSecond = (count: number, measured: { ms: number }) => count / (measured.ms / 1000);
const kib = (bytes: number) => fmt(bytes / 1024);

export function corpusSection(groups: GroupFigures[]): string[] {
  const out: string[] = ['## 1. Real corpus: parse (validation) and full materialisation', ''];
  out.push(
    'Every DMAR, IORT, APIC and IVRS of `../shared/corpus/real` (MANIFEST.tsv), bytes read into memory once. One operation = one pass over every table of the group. ' +
      '"parse" = `parseTable(bytes)` + reading every diagnostic (what a user pays for validation); "walk" = parse + every item (and its scopes, mappings or device entries) visited through the flyweight cursors of the `forEach…` methods (bench/toolkit.ts `walkItems`); "walk (views)" = the same through the iterators, one view object per item (`walkItemViews`); "toJSON" = parse + `table.toJSON()` (every structure materialised). ' +
      '"× floor" = time ÷ time of a bare byte-sum (checksum) loop over the same bytes, measured in the same rounds.',
    '',
  );
  out.push(
    markdownTable(
      ['group', 'tables', 'KiB', 'floor MB/s', 'parse MB/s', 'parse tables/s', 'parse × floor', 'walk × floor', 'walk (views) × floor', 'toJSON MB/s', 'toJSON tables/s', 'toJSON × floor'],
      groups.map((group) => [
        group.label,
        String(group.tables),
        kib(group.bytes),
        fmt(mbPerSecond(group.bytes, group.checksum)),
        fmt(mbPerSecond(group.bytes, group.parse)),
        fmt(perSecond(group.tables, group.parse)),
        fmtRatio(ratio(group.parse, group.checksum)),
        fmtRatio(ratio(group.walk, group.checksum)),
        fmtRatio(ratio(group.walkViews, group.checksum)),
        fmt(mbPerSecond(group.bytes, group.toJSON)),
        fmt(perSecond(group.tables, group.toJSON)),
        fmtRatio(ratio(group.toJSON, group.checksum)),
      ]),
    ),
    '',
  );
  out.push('Median time per pass: ' + groups.map((group) => `${group.label}: floor ${fmtTime(group.checksum.ms)}, parse ${fmtTime(group.parse.ms)}, walk ${fmtTime(group.walk.ms)}, walk (views) ${fmtTime(group.walkViews.ms)}, toJSON ${fmtTime(group.toJSON.ms)}`).join('; ') + '.', '');

  out.push('## 2. Real corpus: parse + no-topology region derivation', '');
  out.push('Parse + diagnostics + every region the tables produce, with the structure that claims it (no PCI topology). The floor is the checksum loop over exactly the bytes of the units.', '');
  out.push(
    markdownTable(
      ['group', 'unit', 'tables', 'KiB', 'MB/s', 'tables/s', 'time/pass', '× floor'],
      groups.map((group) =>
        group.regions === undefined
          ? [group.label, group.regionsNote ?? 'n/a', '', '', '', '', '', '']
          : [
              group.label,
              group.regions.unit,
              String(group.regions.tables),
              kib(group.regions.bytes),
              fmt(mbPerSecond(group.regions.bytes, group.regions.run)),
              fmt(perSecond(group.regions.tables, group.regions.run)),
              fmtTime(group.regions.run.ms),
              fmtRatio(ratio(group.regions.run, group.regions.floor)),
            ],
      ),
    ),
    '',
  );

  out.push('## 3. Ratio to the binary-parser implementation (fuzz/oracle.ts)', '');
  if (groups.every((group) => group.oracle === undefined)) {
    out.push(`Skipped: ${groups[0]?.oracleNote ?? 'fuzz/oracle.ts absent'}.`, '');
  } else {
    out.push(
      'The binary-parser reading decodes every field eagerly and validates nothing, so it sits between our "parse" (validates, materialises nothing) and our "toJSON" (validates and materialises everything); both ratios are given.',
      '',
      markdownTable(
        ['group', 'binary-parser', 'ours: parse', 'ours: toJSON', 'binary-parser ÷ ours (parse)', 'binary-parser ÷ ours (toJSON)', 'binary-parser × floor', 'note'],
        groups.map((group) => [
          group.label,
          group.oracle === undefined ? 'n/a' : fmtTime(group.oracle.ms),
          fmtTime(group.oracleParse.ms),
          fmtTime(group.oracleToJSON.ms),
          fmtRatio(ratio(group.oracle, group.oracleParse)),
          fmtRatio(ratio(group.oracle, group.oracleToJSON)),
          fmtRatio(ratio(group.oracle, group.checksum)),
          group.oracleNote ?? '',
        ]),
      ),
      '',
    );
  }
  return out;
}

export function scalingSection(series: ScalingSeries[]): string[] {
  const out = ['## 6. Scaling (synthetic tables)', ''];
  out.push(
    'DMAR: one INCLUDE_PCI_ALL DRHD + n RMRRs, each with one endpoint scope (`encodeDmar`). IORT: n nodes = ITS group + SMMUv3 + (n − 2) named components, each mapping one ID to the SMMUv3 (`encodeIort`), parsed together with an 88-byte GICv3 APIC (`encodeMadt`). ' +
      'Per-structure = time ÷ n. Fit = least squares of time against n over every size; exponent = slope of log(time) against log(n) over n ≥ 100 (1 = linear; below 100 the fixed cost per table dominates). ' +
      'Verdict "flat": exponent ≤ 1.1, r² ≥ 0.98, and the per-structure time at the largest n at most 1.5× the lowest over n ≥ 100 (the fit alone lets a rise at the last sizes pass). Three rounds per size; per-task time grows with n (up to 500 ms) so the large sizes get enough samples.',
    '',
  );
  for (const one of series) {
    out.push(`### ${one.label}, n = ${one.structure}s`, '');
    if (one.note !== undefined) out.push(one.note, '');
    const minimal = one.minimal;
    out.push(
      `Fixed cost per table (${one.minimalLabel}, ${minimal.bytes} B): floor ${fmtTime(minimal.floor.ms)}, parse ${fmtTime(minimal.parse.ms)} (${fmtRatio(ratio(minimal.parse, minimal.floor))} floor)` +
        (minimal.regions === undefined ? '.' : `, parse + regions ${fmtTime(minimal.regions.ms)} (${fmtRatio(ratio(minimal.regions, minimal.floor))} floor).`),
      '',
    );
    out.push(
      markdownTable(
        ['n', 'KiB', 'floor', 'parse', `parse /${one.structure}`, 'parse × floor', 'parse + regions', `regions /${one.structure}`, 'regions × floor'],
        one.points.map((point) => [
          String(point.count),
          kib(point.bytes),
          fmtTime(point.floor.ms),
          fmtTime(point.parse.ms),
          fmtTime(point.parse.ms / point.count),
          fmtRatio(ratio(point.parse, point.floor)),
          point.regions === undefined ? 'n/a' : fmtTime(point.regions.ms),
          point.regions === undefined ? 'n/a' : fmtTime(point.regions.ms / point.count),
          fmtRatio(ratio(point.regions, point.floor)),
        ]),
      ),
      '',
      `- parse: slope ${fmtTime(one.parseFit.slope)} per ${one.structure}, intercept ${fmtTime(one.parseFit.intercept)}, r² ${fmt(one.parseFit.r2, 4)}, exponent ${fmt(one.parseExponent)}; per-${one.structure} time largest/smallest ${fmtRatio(one.parseRatio)}, at the largest n ÷ the lowest over n ≥ 100 ${fmtRatio(one.parseTail)}.`,
    );
    if (one.regionsFit !== undefined) {
      out.push(
        `- parse + regions: slope ${fmtTime(one.regionsFit.slope)} per ${one.structure}, intercept ${fmtTime(one.regionsFit.intercept)}, r² ${fmt(one.regionsFit.r2, 4)}, exponent ${fmt(one.regionsExponent!)}; per-${one.structure} time largest/smallest ${fmtRatio(one.regionsRatio!)}, at the largest n ÷ the lowest over n ≥ 100 ${fmtRatio(one.regionsTail!)}.`,
      );
    }
    out.push('');
  }
  return out;
}

/** Growth of the per-structure time from the smaller to the larger size, ours next to the object floor's. */
function objectFloorNote(structure: string, ours: readonly YoungPoint[], floor: readonly YoungPoint[]): string[] {
  const growth = (points: readonly YoungPoint[]) => points[points.length - 1]!.msPerStructure / points[0]!.msPerStructure;
  return [
    `Object floor: the table parsed, then one plain four-field object per ${structure} kept in an array (bench/child.ts \`parseWithObjectPerRmrr\`), the least any result holding a JavaScript object per region can allocate. ` +
      `Per-${structure} time, largest size ÷ smaller: ours ${fmtRatio(growth(ours))}, object floor ${fmtRatio(growth(floor))}. ` +
      'When the floor grows as much, the growth is the cost of keeping that many objects alive through scavenges, not of the derivation.',
    '',
  ];
}

export function youngSection(checks: Results['youngGeneration']): string[] {
  if (checks.length === 0) return [];
  const out = ['### Scaling and the young generation', ''];
  out.push(
    'Scaling missed the flat criterion, so parse + regions per structure was measured again, one fresh child process per size and setting: V8 defaults, and a young generation (semi-space) large enough for one table\'s garbage. ' +
      'If the per-structure time stays flat with the large young generation, the growth comes from objects surviving scavenges (GC), not from the algorithm.',
    '',
  );
  for (const check of checks) {
    const floor = check.objectFloor;
    const headers = [`${check.label}: n`, `per ${check.structure}, defaults`, `per ${check.structure}, ${check.flag}`];
    if (floor !== undefined) headers.push(`object floor: parse + one plain object per ${check.structure}, defaults`);
    out.push(
      markdownTable(
        headers,
        check.normal.map((point, index) => {
          const row = [String(point.count), fmtTime(point.msPerStructure), fmtTime(check.large[index]?.msPerStructure ?? Number.NaN)];
          if (floor !== undefined) row.push(fmtTime(floor[index]?.msPerStructure ?? Number.NaN));
          return row;
        }),
      ),
      '',
    );
    if (floor !== undefined) out.push(...objectFloorNote(check.structure, check.normal, floor));
  }
  return out;
}

export function fuzzSection(rates: FuzzRate[]): string[] {
  if (rates.length === 0) return [];
  const out = ['## 7. Fuzzer throughput', ''];
  out.push(
    `Per table, the same ${rates[0]!.mutants} fixed-seed mutants (seed 1) through the fast target (parse + no throw + diagnostic and item offsets inside the input + item types; fuzz/targets/fast.ts) and through the full invariant suite (toJSON, serialisation, regions, ID walks, cross checks), side by side in CPU time. ` +
      '"campaign loop" = `runCampaign` (mutation, coverage bookkeeping, fast target on every input, full suite on a sampled 1 in 64) for a few seconds, executions ÷ CPU seconds.',
    '',
    markdownTable(
      ['table', 'fast target exec/s', 'full suite exec/s', 'full ÷ fast time', 'campaign loop exec/s', 'loop executions', 'of which full suite'],
      rates.map((rate) => [
        rate.table,
        fmt(rate.fastPerSecond),
        fmt(rate.fullPerSecond),
        fmtRatio(rate.fastPerSecond / rate.fullPerSecond),
        fmt(rate.loopExecutions / Math.max(rate.loopCpuSeconds, 1e-9)),
        String(rate.loopExecutions),
        String(rate.loopFullExecutions),
      ]),
    ),
    '',
  );
  return out;
}
