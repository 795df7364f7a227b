/**
 * `explain` without a topology on AMD and Arm (issue 13): the device's own IVMDs and RMRs are
 * settled by the tables, but VFIO assigns whole groups, and Arm matches RMRs on DMA aliases too
 * (docs/kernel-semantics.md §4.2, §4.3, §6). A direct region on an ID that may share the group —
 * another function of the slot, a device on the same non-root bus (one PCIe-to-PCI bridge above
 * both groups and aliases them), an IVHD alias — makes v6.6+ "unknown", never "allowed".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainDevice, parseExplainTarget, type Explanation, type ExplainTables } from '../src/audit/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { parseMadt } from '../src/madt/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const samples = join(REPO_ROOT, 'corpus', 'samples');
const read = (path: string) => new Uint8Array(readFileSync(join(samples, path)));
// amd-desktop IVRS (dump): IVMD (one device) @0x100 → 03:00.3 [0x9d900000-0x9d9fffff]; IVMD (range) @0x120 → 01:00.0–01:00.1.
const amd: ExplainTables = { ivrs: parseIvrs(read('amd-desktop/IVRS.bin')) };
// arm-server IORT (dump): RMR @0x12c, flags 0x10 (bit 0 clear: direct), mapping StreamID 0x100 on the SMMUv3 @0x48.
const arm: ExplainTables = { iort: parseIort(read('arm-server/IORT.bin')), madt: parseMadt(read('arm-server/APIC.bin')) };

function explain(tables: ExplainTables, bdf: string, options: Parameters<typeof explainDevice>[2] = {}): Explanation {
  const result = explainDevice(tables, parseExplainTarget(bdf)!, options);
  if (typeof result === 'string') throw new Error(result);
  return result;
}
const latest = (result: Explanation) => result.passthrough.at(-1)!;

describe('AMD without a topology', () => {
  it('03:00.0: the IVMD of 03:00.3, another function of its slot, may share its group → unknown from v6.6, allowed before', () => {
    const result = explain(amd, '03:00.0');
    expect(result.passthrough.map((row) => [row.releases, row.outcome])).toEqual([['up to v6.5', 'allowed'], ['v6.6 and later', 'unknown']]);
    expect(latest(result).detail).toBe('unknown: IVMD @0x100 gives a direct region to 03:00.3 (another function of slot 03:00), if that device exists');
    expect(result.unsettled!.missing).toMatch(/^a PCI topology \(--pci\)/);
  });

  it('03:01.0: a device on the same bus 0x03 may sit with it behind one PCIe-to-PCI bridge → unknown', () => {
    expect(latest(explain(amd, '03:01.0')).detail).toMatch(/IVMD @0x100 gives a direct region to 03:00\.3 \(a device on bus 0x03, which a PCIe-to-PCI bridge above both would put in its group\)/);
  });

  it('stays settled where no IVMD can reach a group mate: 00:02.0 (root bus 0, IVMDs on buses 1 and 3) is allowed', () => {
    const result = explain(amd, '00:02.0');
    expect(result.unsettled).toBeUndefined();
    expect(latest(result)).toMatchObject({ outcome: 'allowed' });
  });

  it('its own IVMD is a certain refusal: 01:00.0 is refused from v6.6 without a topology', () => {
    expect(latest(explain(amd, '01:00.0'))).toMatchObject({ outcome: 'refused', refused: true });
  });

  it('with a topology that puts 03:00.0 and 03:00.3 in groups of their own, 03:00.0 is allowed', () => {
    const topology = topologyFromJson({ devices: [{ bdf: '0000:03:00.0', class: '0x130000' }, { bdf: '0000:03:00.3', class: '0x0c0330' }], groups: { 7: ['0000:03:00.0'], 8: ['0000:03:00.3'] } });
    const result = explain(amd, '03:00.0', { topology });
    expect(result.unsettled).toBeUndefined();
    expect(latest(result)).toMatchObject({ outcome: 'allowed' });
  });

  it('the command exits 4 (unknown) and says what would settle it', async () => {
    const result = await runCli(['explain', join(samples, 'amd-desktop'), '03:00.0']);
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/to settle "unknown": give a PCI topology \(--pci\)/);
  });
});

describe('Arm without a topology', () => {
  it('01:00.1: the direct RMR holds StreamID 0x100 of 01:00.0, its slot mate (or a DMA alias) → unknown from v6.6', () => {
    const result = explain(arm, '01:00.1');
    expect(latest(result).outcome).toBe('unknown');
    expect(latest(result).detail).toBe('unknown: RMR @0x12c gives a direct region to StreamID 0x100 of requester ID 01:00.0 (another function of slot 01:00, or a DMA alias of the device), if that device exists');
  });

  it('stays settled where the RMR reaches no possible mate: 02:00.0 is allowed', () => {
    const result = explain(arm, '02:00.0');
    expect(result.unsettled).toBeUndefined();
    expect(latest(result)).toMatchObject({ outcome: 'allowed' });
  });

  it('without preserve_config RMRs do not reach PCI devices, so nothing is open', () => {
    expect(explain(arm, '01:00.1', { preserveBootConfig: false }).unsettled).toBeUndefined();
  });

  it('with a topology (the devices of the sample plus 01:00.1, groups guessed per device) the question is answered by it', () => {
    const sample = JSON.parse(readFileSync(join(samples, 'arm-server', 'pci.json'), 'utf8'));
    const topology = topologyFromJson({ devices: [...sample.devices, { bdf: '0000:01:00.1', class: '0x020000' }] });
    const result = explain(arm, '01:00.1', { topology });
    expect(result.unsettled).toBeUndefined();
    expect(latest(result).outcome).not.toBe('unknown');
  });
});
