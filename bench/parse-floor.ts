/**
 * Focused side-by-side measurement for issue 14 targets 1 and 3, quicker than `npm run bench`:
 * per signature and overall, the checksum floor, parse (+ reading every diagnostic), walk
 * (parse + every item through the flyweight cursors) and parse + regions, in the same
 * interleaved CPU-time rounds as bench/corpus.ts. Run on the
 * tsc output: `npx tsc -p bench/tsconfig.bench.json && ACPI_IOMMU_REPO=$PWD node node_modules/.cache/acpi-iommu-bench/bench/parse-floor.js [rounds]`
 * (ACPI_IOMMU_SIGNATURE=IORT: that row only).
 * With `profile <ms>` it prints the top self-time functions of parse over the whole corpus
 * (ACPI_IOMMU_SIGNATURE=DMAR: of one signature), with `profile-regions <ms>` of parse + regions.
 */
import { checksumAll, parseAll, parseAndDerive, walkAll } from './corpus.js';
import { measure } from './measure.js';
import { profileInProcess } from './profile.js';
import { loadRealCorpus, type CorpusTable } from './shared.js';
import { platformUnits } from './child.js';
import { loadToolkit } from './toolkit.js';

const toolkit = await loadToolkit();
const corpus = loadRealCorpus();
const [mode = '5', arg = '3000'] = process.argv.slice(2);

if (mode === 'profile' || mode === 'profile-regions') {
  // ACPI_IOMMU_SIGNATURE=DMAR (etc.) profiles one signature only.
  const only = process.env.ACPI_IOMMU_SIGNATURE;
  const all = corpus.filter((table) => only === undefined || table.signature === only).map((table) => table.bytes);
  const units = platformUnits(corpus.filter((table) => only === undefined || table.signature === only));
  const work = mode === 'profile' ? () => parseAll(toolkit, all) : () => units.reduce((acc, unit) => acc + parseAndDerive(toolkit, unit), 0);
  const summary = await profileInProcess(work, Number(arg), 25);
  for (const row of summary.functions) console.log(`${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}  ${row.where}`);
} else {
  const groups: [string, CorpusTable[]][] = [
    ...(['DMAR', 'IORT', 'APIC', 'IVRS'] as const).map((signature): [string, CorpusTable[]] => [signature, corpus.filter((table) => table.signature === signature)]),
    ['all', corpus],
  ];
  // ACPI_IOMMU_SIGNATURE=IORT (etc.) measures that signature's row only.
  for (const [label, group] of groups.filter(([label]) => process.env.ACPI_IOMMU_SIGNATURE === undefined || label === process.env.ACPI_IOMMU_SIGNATURE)) {
    const bytes = group.map((table) => table.bytes);
    // As bench/corpus.ts: DMAR and IVRS alone, each IORT with its platform's APIC, all by platform.
    const pool = label === 'IORT' ? corpus.filter((table) => table.signature === 'IORT' || table.signature === 'APIC') : group;
    const units = label === 'APIC' ? [] : platformUnits(pool).filter((unit) => label !== 'IORT' || unit.some((table) => table[0] === 0x49));
    // Flattened once, as bench/corpus.ts does: flattening inside the task made the floor slower and the ratio smaller.
    const unitBytes = units.flat();
    const measured = measure(
      [
        { name: 'floor', fn: () => checksumAll(bytes) },
        { name: 'parse', fn: () => parseAll(toolkit, bytes) },
        { name: 'walk', fn: () => walkAll(toolkit, bytes) },
        { name: 'regions', fn: () => units.reduce((acc, unit) => acc + parseAndDerive(toolkit, unit), 0) },
        { name: 'regions floor', fn: () => checksumAll(unitBytes) },
      ],
      { rounds: Number(mode), time: 100, warmupTime: 40, iterations: 10, warmup: true },
    );
    const floor = measured.get('floor')!.ms;
    const regions = units.length === 0 ? '—' : `${(measured.get('regions')!.ms / measured.get('regions floor')!.ms).toFixed(2)}×`;
    console.log(`${label.padEnd(5)} parse ${(measured.get('parse')!.ms / floor).toFixed(2)}× floor   walk ${(measured.get('walk')!.ms / floor).toFixed(2)}×   parse+regions ${regions}`);
  }
}
