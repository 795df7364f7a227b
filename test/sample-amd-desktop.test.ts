/**
 * The bundled AMD desktop sample (corpus/samples/amd-desktop, built from fuzz/specimens/samples.ts):
 * `regions --sysfs` for three groups, stated by hand from the model with the Linux 6.1 rules the
 * AMD provider follows (amd_iommu_get_resv_regions): each IVMD reaching a group's device as a
 * direct range, then the MSI window and the HyperTransport window for every device.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';
import { AMD_DESKTOP_IVRS } from '../fuzz/specimens/samples.js';
import { encodeTable } from '../src/encode/index.js';

const SAMPLE = join(REPO_ROOT, 'corpus', 'samples', 'amd-desktop');
const IVRS = join(SAMPLE, 'IVRS.bin');
const sysfs = async (group: number) => runCli(['regions', IVRS, '--pci', join(SAMPLE, 'pci.json'), '--group', String(group), '--sysfs']);

// Every AMD group: MSI_RANGE_START..MSI_RANGE_END (msi) and HT_RANGE_START..HT_RANGE_END (reserved).
const MSI = '0x00000000fee00000 0x00000000feefffff msi';
const HT = '0x000000fd00000000 0x000000ffffffffff reserved';

describe('bundled AMD desktop sample', () => {
  it('IVRS.bin is the encoding of the model in fuzz/specimens/samples.ts', () => {
    expect(Buffer.from(encodeTable(AMD_DESKTOP_IVRS)).equals(readFileSync(IVRS))).toBe(true);
  });

  it('group 6 (xHCI 03:00.3): the type-0x21 unity IVMD [0x9d900000, +1 MiB) as direct', async () => {
    const result = await sysfs(6);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(['0x000000009d900000 0x000000009d9fffff direct', MSI, HT, ''].join('\n'));
  });

  it('group 2 (GPU 01:00.0 + audio 01:00.1): the type-0x22 exclusion IVMD over 01:00.0–01:00.1 as direct, not reserved', async () => {
    // 0x9c000000 + 0x20000 − 1; 6.1 rewrites an exclusion range to a read/write unity map.
    const result = await sysfs(2);
    expect(result.stdout).toBe(['0x000000009c000000 0x000000009c01ffff direct', MSI, HT, ''].join('\n'));
  });

  it('group 0 (root complex 00:00.0): no IVMD names it, only the MSI and HyperTransport windows', async () => {
    const result = await sysfs(0);
    expect(result.stdout).toBe([MSI, HT, ''].join('\n'));
  });
});
