/**
 * AMD-Vi region rules against what Linux 6.1 printed (../shared/corpus/kernel/amd-*): every
 * group of every AMD case byte for byte, from the IVRS + sysfs tree through the region core's
 * assembleGroups / formatSysfs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIvrs } from '../src/ivrs/index.js';
import { amdDeviceList } from '../src/ivrs/regions/index.js';
import { readPciSysfs } from '../src/node/pci-sysfs.js';
import { assembleGroups } from '../src/regions/analysis.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { CORPUS_ROOT, kernelCases } from './support/shared.js';

const KERNEL = join(CORPUS_ROOT, 'kernel');
const AMD_CASES = kernelCases().filter((name) => existsSync(join(KERNEL, name, 'IVRS.bin')));

function expectedGroups(name: string): { group: number; text: string }[] {
  const directory = join(KERNEL, name, 'expected');
  return readdirSync(directory)
    .filter((file) => file.endsWith('.reserved_regions'))
    .map((file) => ({ group: Number(file.split('.')[0]), text: readFileSync(join(directory, file), 'utf8') }))
    .sort((left, right) => left.group - right.group);
}

async function computedGroups(name: string) {
  const table = parseIvrs(new Uint8Array(readFileSync(join(KERNEL, name, 'IVRS.bin'))));
  const topology = await readPciSysfs(join(KERNEL, name, 'sysfs'));
  const list = amdDeviceList(table, topology);
  const findings = [...list.findings];
  return { list, findings, groups: assembleGroups(topology, list.devices, findings) };
}

describe.skipIf(AMD_CASES.length === 0)('AMD kernel-truth cases (Linux 6.1 reserved_regions)', () => {
  it('has both shared AMD cases', () => {
    expect(AMD_CASES).toEqual(['amd-basic', 'amd-behind-bridge']);
  });

  it.each(AMD_CASES)('%s: every group byte for byte', async (name) => {
    const { groups, findings } = await computedGroups(name);
    const expected = expectedGroups(name);
    expect(expected.length).toBeGreaterThan(0);
    for (const { group, text } of expected) {
      const found = groups.find((entry) => entry.group === group);
      expect({ group, text: formatSysfs(found?.regions ?? []) }).toEqual({ group, text });
    }
    // No group member lacks an IOMMU, and every device with an IOMMU has a group.
    expect(findings.filter((item) => item.code.startsWith('regions.group.'))).toEqual([]);
  });

  it('agrees on every group of every AMD case', async () => {
    let identical = 0;
    let total = 0;
    for (const name of AMD_CASES) {
      const { groups } = await computedGroups(name);
      for (const { group, text } of expectedGroups(name)) {
        total++;
        if (formatSysfs(groups.find((entry) => entry.group === group)?.regions ?? []) === text) identical++;
      }
    }
    console.info(`[ivrs-regions] ${identical}/${total} AMD groups byte-identical`);
    expect(`${identical}/${total}`).toBe(`${total}/${total}`);
  });

  it('amd-basic: the IOMMU itself (00:01.0) gets no IOMMU, as Linux printed no group for it', async () => {
    const { list } = await computedGroups('amd-basic');
    expect(list.devices.map((entry) => entry.device)).not.toContain('0000:00:01.0');
    expect(list.findings.filter((item) => item.code === 'regions.amd.no-iommu').map((item) => item.device)).toEqual(['0000:00:01.0']);
  });

  it('amd-behind-bridge: the IVMD without the unity flag (flags 0x6) is ignored, as Linux did', async () => {
    const { list } = await computedGroups('amd-behind-bridge');
    expect(list.findings.filter((item) => item.code === 'regions.amd.ivmd-ignored').map((item) => item.offset)).toEqual([148]);
  });
});
