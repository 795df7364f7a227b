/** The README's library example is examples/library.ts, and its printed output is what the file prints. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const example = readFileSync(join(REPO_ROOT, 'examples', 'library.ts'), 'utf8');

/** The fenced blocks of the README that follow `marker`. */
function blockAfter(marker: string, fence: string): string {
  const start = readme.indexOf(marker);
  expect(start, `README has "${marker}"`).toBeGreaterThanOrEqual(0);
  const open = readme.indexOf(`\`\`\`${fence}\n`, start) + fence.length + 4;
  return readme.slice(open, readme.indexOf('\n```', open) + 1);
}

describe('README library example', () => {
  it('shows examples/library.ts as a user writes it (importing the package)', () => {
    expect(blockAfter('This is `examples/library.ts`', 'ts')).toBe(example.replace("'../src/index.js'", "'acpi-iommu'"));
  });

  it('prints what the README says it prints', async () => {
    const result = await runNode([join(REPO_ROOT, 'examples', 'library.ts')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(blockAfter('Its output on the sample laptop', ''));
  });
});

describe('TypeDoc worked examples (one per package entry)', () => {
  it('acpi-iommu/node: examples/node-library.ts loads a folder and prints the groups the README shows for the same laptop', async () => {
    const result = await runNode([join(REPO_ROOT, 'examples', 'node-library.ts')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [findings, groups] = [result.stdout.slice(0, result.stdout.indexOf('group ')), result.stdout.slice(result.stdout.indexOf('group '))];
    expect(findings.trim().split('\n').sort()).toEqual(['APIC: 0 finding(s)', 'DMAR: 0 finding(s)']);
    expect(groups).toBe(blockAfter('Its output on the sample laptop', '').slice(blockAfter('Its output on the sample laptop', '').indexOf('group ')));
  });

  it('acpi-iommu (Arm): examples/arm-library.ts prints the sample server as its models describe it', async () => {
    const result = await runNode([join(REPO_ROOT, 'examples', 'arm-library.ts')]);
    expect(result.code).toBe(0);
    // corpus/samples/arm-server: IORT.model.json (ITS group of 24 bytes at 0x30, so the SMMUv3 at 0x48,
    // base 0x2b400000; RC maps RIDs 1:1 to the SMMU; RMR on stream 0x100, one flags-0 range
    // 0xe0000000 + 1 MiB), APIC.model.json (ITS 0 at 0x30040000), pci.json (group 0 = 00:00.0 and
    // 01:00.0). Each group starts with the SMMU's SW_MSI window (docs/kernel-semantics.md §4.1).
    expect(result.stdout).toBe([
      'SMMUv3 @0x48: registers at 0x2b400000',
      'GIC ITS 0: 0x30040000',
      'RID 0x100 -> smmu-v3 @0x48 stream ID 0x100',
      'RMR with 1 range(s) reaches 0000:01:00.0',
      'group 0:',
      '0x0000000008000000 0x00000000080fffff msi',
      '0x00000000e0000000 0x00000000e00fffff direct',
      'group 1:',
      '0x0000000008000000 0x00000000080fffff msi',
      '',
    ].join('\n'));
  });
});
