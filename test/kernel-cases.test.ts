/**
 * The kernel-truth cases of ../shared/corpus/kernel: for every case and every
 * expected/<g>.reserved_regions, the text computed from the table + sysfs tree must equal what
 * Linux 6.1 printed, byte for byte — through the library (`analyzeRegions`, which picks the
 * provider from the table) and through the command line. arm64 cases take
 * `pci_preserve_boot_config` from case.json.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeRegions, type RegionTables } from '../src/analyze.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { readPciSysfs } from '../src/node/pci-sysfs.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, kernelCases } from './support/shared.js';

const KERNEL = join(CORPUS_ROOT, 'kernel');
/** The IOMMU table of each case, by the file name the corpus uses for it. */
const TABLE_FILES = ['DMAR.bin', 'IORT.bin', 'IVRS.bin'] as const;
const tableFile = (name: string) => TABLE_FILES.find((file) => existsSync(join(KERNEL, name, file)));
const cases = kernelCases();
const withoutTable = cases.filter((name) => tableFile(name) === undefined);

interface CaseJson {
  arch: string;
  pci_preserve_boot_config?: boolean;
}

function expectedGroups(name: string): { group: number; text: string }[] {
  const directory = join(KERNEL, name, 'expected');
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((file) => file.endsWith('.reserved_regions'))
    .map((file) => ({ group: Number(file.split('.')[0]), text: readFileSync(join(directory, file), 'utf8') }))
    .sort((left, right) => left.group - right.group);
}

function tablesOf(name: string): RegionTables {
  const file = tableFile(name)!;
  const bytes = new Uint8Array(readFileSync(join(KERNEL, name, file)));
  if (file === 'DMAR.bin') return { dmar: parseDmar(bytes) };
  if (file === 'IORT.bin') return { iort: parseIort(bytes) };
  return { ivrs: parseIvrs(bytes) };
}

async function computed(name: string) {
  const meta = JSON.parse(readFileSync(join(KERNEL, name, 'case.json'), 'utf8')) as CaseJson;
  const topology = await readPciSysfs(join(KERNEL, name, 'sysfs'));
  return analyzeRegions(tablesOf(name), topology, undefined, meta.pci_preserve_boot_config === undefined ? {} : { preserveBootConfig: meta.pci_preserve_boot_config });
}

describe.skipIf(cases.length === 0)('kernel-truth cases (Linux 6.1 reserved_regions)', () => {
  it('every case has a DMAR, IORT or IVRS table', () => {
    expect(withoutTable).toEqual([]);
  });

  it('covers Intel, Arm and AMD cases', () => {
    expect(new Set(cases.map((name) => analyzePlatform(name)))).toEqual(new Set(['intel', 'arm', 'amd']));
  });

  it.each(cases)('%s: every group byte for byte', async (name) => {
    const analysis = await computed(name);
    const expected = expectedGroups(name);
    expect(expected.length).toBeGreaterThan(0);
    for (const { group, text } of expected) {
      const found = analysis.groups.find((entry) => entry.group === group);
      expect({ group, text: formatSysfs(found?.regions ?? []) }).toEqual({ group, text });
    }
  });

  it('agrees on every group of every case', async () => {
    let identical = 0;
    let total = 0;
    for (const name of cases) {
      const analysis = await computed(name);
      for (const { group, text } of expectedGroups(name)) {
        total++;
        if (formatSysfs(analysis.groups.find((entry) => entry.group === group)?.regions ?? []) === text) identical++;
      }
    }
    expect(`${identical}/${total}`).toBe(`${total}/${total}`);
  });
});

function analyzePlatform(name: string): string {
  const file = tableFile(name);
  return file === 'DMAR.bin' ? 'intel' : file === 'IORT.bin' ? 'arm' : 'amd';
}

/** The command's stdout; a run that does not exit 0 fails the test with its stderr. */
async function cli(args: string[]): Promise<string> {
  const result = await runCli(args);
  if (result.code !== 0) throw new Error(`acpi-iommu ${args.join(' ')}: exit ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** The checker's command line: `regions <case>/<table> --pci <case>/sysfs --group <g> --sysfs`. */
const groupText = (name: string, group: number): Promise<string> => cli(['regions', join(KERNEL, name, tableFile(name)!), '--pci', join(KERNEL, name, 'sysfs'), '--group', String(group), '--sysfs']);

/** Every group of a case in one run: `--sysfs` without `--group` heads each group's text with `# group N`. */
async function allGroupsText(name: string): Promise<Map<number, string>> {
  const meta = JSON.parse(readFileSync(join(KERNEL, name, 'case.json'), 'utf8')) as CaseJson;
  const preserve = meta.pci_preserve_boot_config === undefined ? [] : ['--preserve-boot-config', meta.pci_preserve_boot_config ? 'yes' : 'no'];
  const output = await cli(['regions', join(KERNEL, name, tableFile(name)!), '--pci', join(KERNEL, name, 'sysfs'), '--sysfs', ...preserve]);
  const groups = new Map<number, string>();
  for (const piece of output.split(/^# group /m).slice(1)) {
    const newline = piece.indexOf('\n');
    groups.set(Number(piece.slice(0, newline)), piece.slice(newline + 1));
  }
  return groups;
}

describe.skipIf(cases.length === 0)('kernel-truth cases through the CLI', () => {
  const pick = (platform: string, preferred: (name: string) => boolean) => {
    const ofPlatform = cases.filter((name) => analyzePlatform(name) === platform);
    return ofPlatform.find(preferred) ?? ofPlatform[0];
  };
  const single = [
    pick('intel', (name) => name.includes('bridge')),
    pick('arm', (name) => expectedGroups(name).some((entry) => entry.text.includes('direct'))),
    pick('amd', (name) => name.includes('bridge')),
  ].filter((name) => name !== undefined);

  it.each(single)('%s: every group with --group N --sysfs', async (name) => {
    for (const { group, text } of expectedGroups(name)) expect({ group, text: await groupText(name, group) }).toEqual({ group, text });
  });

  it('every group of every case, one run per case', async () => {
    let identical = 0;
    let total = 0;
    const differing: string[] = [];
    for (const name of cases) {
      const printed = await allGroupsText(name);
      for (const { group, text } of expectedGroups(name)) {
        total++;
        if (printed.get(group) === text) identical++;
        else differing.push(`${name} group ${group}`);
      }
    }
    expect(differing).toEqual([]);
    expect(`${identical}/${total}`).toBe(`${total}/${total}`);
  });
});
