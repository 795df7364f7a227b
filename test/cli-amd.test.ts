/**
 * What users do on Intel, on AMD, through the command line: `iova`, `conflicts` and `explain`
 * on the amd-basic kernel case (its IVRS and sysfs tree). Expected ranges come from what Linux
 * 6.1 printed for group 2 (expected/2.reserved_regions: three direct ranges, the MSI window,
 * the HyperTransport range), subtracted by hand from the 64-bit aperture.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, kernelCases } from './support/shared.js';

const CASE = join(CORPUS_ROOT, 'kernel', 'amd-basic');
const IVRS = join(CASE, 'IVRS.bin');
const PCI = ['--pci', join(CASE, 'sysfs')];

describe.skipIf(!kernelCases().includes('amd-basic'))('CLI on an AMD IVRS', () => {
  it('iova: the 64-bit AMD aperture minus group 2 reserved regions', async () => {
    const result = await runCli(['iova', IVRS, ...PCI, '--group', '2']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^aperture 0x0000000000000000-0xffffffffffffffff \(64-bit: Linux 6\.1's AMD driver/);
    expect(lines.slice(1, 9)).toEqual([
      'group 2: 0000:00:03.0',
      '  VFIO type1 usable IOVA:',
      '    0x0000000000000000-0x000000003dffffff',
      '    0x000000003e180000-0x000000003e1fffff',
      '    0x000000003e210000-0x000000003e3fffff',
      '    0x000000003e600000-0x00000000fedfffff',
      '    0x00000000fef00000-0x000000fcffffffff',
      '    0x0000010000000000-0xffffffffffffffff',
    ]);
  });

  it('conflicts: guest RAM over the IVMD ranges fails VFIO mapping (exit 1), each with its IVMD', async () => {
    const result = await runCli(['conflicts', IVRS, ...PCI, '--group', '2', '--guest-ram', '0x0-0x3fffffff']);
    expect(result.code).toBe(1);
    const sources = result.stdout.split('\n').filter((line) => line.startsWith('0x')).map((line) => /IVRS (IVMD \([a-z ]+\) @0x[0-9a-f]+)/.exec(line)?.[1]);
    expect(sources).toEqual(['IVMD (one device) @0x70', 'IVMD (one device) @0x90', 'IVMD (device range) @0xb0', 'IVMD (all devices) @0xd0']);
  });

  it('explain: an AMD-Vi device, refused from v6.6 for its direct regions', async () => {
    const result = await runCli(['explain', IVRS, '0000:00:03.0', ...PCI]);
    // explain's exit status is the verdict of the rules asked for (current Linux): refused → 1.
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toMatch(/^explain 0000:00:03\.0 \[0c0330\] — AMD-Vi \(/);
    expect(result.stdout).toContain('  v6.6 and later: refused: "Firmware has requested this device have a 1:1 IOMMU mapping');
  });
});
