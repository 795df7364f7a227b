/**
 * The kernel-truth cases of ../shared/corpus/kernel: for every case and every
 * expected/<g>.reserved_regions, the text computed from the table + sysfs tree must equal what
 * Linux 6.1 printed, byte for byte (arm64 cases take `pci_preserve_boot_config` from case.json).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { readPciSysfs } from '../src/node/pci-sysfs.js';
import { analyzeArm } from '../src/iort/regions/index.js';
import { analyzeIntel } from '../src/dmar/regions/index.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { CORPUS_ROOT, REPO_ROOT, kernelCases } from './support/shared.js';

const KERNEL = join(CORPUS_ROOT, 'kernel');
/** Cases whose table the region core reads; the others are named once, not silently dropped. */
const cases = kernelCases().filter((name) => existsSync(join(KERNEL, name, 'DMAR.bin')) || existsSync(join(KERNEL, name, 'IORT.bin')));
const unread = kernelCases().filter((name) => !cases.includes(name));
if (unread.length > 0) console.warn(`[acpi-iommu tests] kernel cases without a DMAR or IORT, not checked: ${unread.join(', ')}`);

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

async function computed(name: string) {
  const meta = JSON.parse(readFileSync(join(KERNEL, name, 'case.json'), 'utf8')) as CaseJson;
  const topology = await readPciSysfs(join(KERNEL, name, 'sysfs'));
  if (existsSync(join(KERNEL, name, 'DMAR.bin'))) {
    return analyzeIntel(parseDmar(new Uint8Array(readFileSync(join(KERNEL, name, 'DMAR.bin')))), topology);
  }
  const iort = parseIort(new Uint8Array(readFileSync(join(KERNEL, name, 'IORT.bin'))));
  return analyzeArm(iort, undefined, topology, meta.pci_preserve_boot_config === undefined ? {} : { preserveBootConfig: meta.pci_preserve_boot_config });
}

describe.skipIf(cases.length === 0)('kernel-truth cases (Linux 6.1 reserved_regions)', () => {
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

/** The checker's command line: `regions <case>/<DMAR|IORT>.bin --pci <case>/sysfs --group <g> --sysfs`. */
function cli(name: string, table: string, group: number): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'regions', join(KERNEL, name, table), '--pci', join(KERNEL, name, 'sysfs'), '--group', String(group), '--sysfs'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
}

describe.skipIf(cases.length === 0)('kernel-truth cases through the CLI', () => {
  const x86 = cases.find((name) => existsSync(join(KERNEL, name, 'DMAR.bin')) && name.includes('bridge')) ?? cases.find((name) => existsSync(join(KERNEL, name, 'DMAR.bin')));
  const arm = cases.find((name) => existsSync(join(KERNEL, name, 'IORT.bin')) && expectedGroups(name).some((entry) => entry.text.includes('direct'))) ?? cases.find((name) => existsSync(join(KERNEL, name, 'IORT.bin')));

  it.skipIf(x86 === undefined)(`x86 case ${x86}: every group`, () => {
    for (const { group, text } of expectedGroups(x86!)) expect(cli(x86!, 'DMAR.bin', group)).toBe(text);
  });

  it.skipIf(arm === undefined)(`arm64 case ${arm}: every group`, () => {
    for (const { group, text } of expectedGroups(arm!)) expect(cli(arm!, 'IORT.bin', group)).toBe(text);
  });
});
