/**
 * `explain` on Arm (src/audit/explain-arm.ts): ID walks as text and the RMR sentences, with the
 * offsets of the test IORT worked out by hand: ITS group 0x30 (24 bytes), SMMUv3 0x48 (68 + 20
 * per mapping: its mapping at 0x8c), root complex 0xa0 (36 + 20: its mapping at 0xc4), RMR 0xd8
 * (mappings from 0xf4, 20 bytes each).
 */
import { describe, expect, it } from 'vitest';
import { chainOf, msiChain, rmrStructures } from '../src/audit/explain-arm.js';
import { mapId, parseIort } from '../src/iort/index.js';
import type { StreamInfo } from '../src/iort/regions/arm.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { buildIort, type IortSpec } from './support/region-tables.js';

const SPEC: IortSpec = {
  rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }],
  smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
  rmrs: [{ flags: 1, mappings: [{ input: 0, count: 0, output: 0x100, target: 'smmu', single: true }, { input: 0, count: 0xf, output: 0x200, target: 'smmu' }], descriptors: [{ base: 0x50000000n, length: 0x10000n }] }],
};
const STREAMS = (ids: number[]): StreamInfo => ({ smmuOffset: 0x48, smmuKind: 'smmu-v3', streamIds: ids, notes: [], assumptions: [] });
const CURRENT = kernelBehaviour();

describe('ID walks as text', () => {
  const table = parseIort(buildIort(SPEC));

  it('a requester ID from the root complex to the SMMU', () => {
    const chain = chainOf(table, mapId(table, 0xa0, 0x18), 'RID 0x0018', 'StreamID');
    expect(chain.start).toBe('RID 0x0018');
    expect(chain.result).toBe('StreamID 0x18 on smmu-v3 @0x48');
    expect(chain.steps).toHaveLength(1);
    expect(chain.steps[0]).toMatch(/^\S+ @0xa0 mapping 0 @0xc4 \[input 0x0–0xffff\]: 0x18 → 0x18 → smmu-v3 @0x48$/);
  });

  it('the MSI walk on from the SMMU ends at the ITS group and names its ITS', () => {
    const chain = msiChain(table, STREAMS([0x18, 0x19]))!;
    expect(chain.start).toBe('MSIs: StreamID 0x18 from smmu-v3 @0x48');
    expect(chain.result).toBe('DeviceID 0x18 on its-group @0x30 (GIC ITS 0)');
    expect(chain.steps[0]).toMatch(/^smmu-v3 @0x48 mapping 0 @0x8c \[input 0x0–0xffff\]: 0x18 → 0x18 → its-group @0x30$/);
    expect(msiChain(table, STREAMS([]))).toBeUndefined();
  });
});

describe('RMR structures', () => {
  it('the mapping holding the device\'s StreamID, the others counted, the type from flags bit 0', () => {
    const table = parseIort(buildIort(SPEC));
    expect(rmrStructures(table, STREAMS([0x100]), false, false, CURRENT)).toEqual([{
      table: 'IORT', structure: 'RMR', offset: 0xd8, certainty: 'certain',
      how: 'its ID mapping reaches a StreamID of the device: descriptors [0x50000000, length 0x10000] become direct-relaxable (flags bit 0: remapping permitted)',
      steps: ['mapping @0xf4: StreamID 0x100 on smmu-v3 @0x48 holds the device\'s StreamID 0x100', '1 other mapping(s) on that SMMU name other devices\' StreamIDs'],
    }]);
    // The range mapping's last ID (0x200 + 0xf) is in it; one past is not.
    expect(rmrStructures(table, STREAMS([0x20f]), false, false, CURRENT)[0]!.steps).toEqual(['mapping @0x108: StreamIDs 0x200–0x20f on smmu-v3 @0x48 holds the device\'s StreamID 0x20f', '1 other mapping(s) on that SMMU name other devices\' StreamIDs']);
    expect(rmrStructures(table, STREAMS([0x210, 0x1ff]), false, false, CURRENT)).toEqual([]);
    expect(rmrStructures(table, { ...STREAMS([0x100]), smmuOffset: 0x30 }, false, false, CURRENT)).toEqual([]);
  });

  it('why Linux would not use it: revision, release, PCI without preserve_config; flags bit 0 clear is direct', () => {
    const how = (spec: IortSpec, isPci: boolean, preserve: boolean, kernel = CURRENT) => rmrStructures(parseIort(buildIort(spec)), STREAMS([0x100]), isPci, preserve, kernel)[0]!.how;
    const base = 'its ID mapping reaches a StreamID of the device: descriptors [0x50000000, length 0x10000] become direct-relaxable (flags bit 0: remapping permitted)';
    expect(how({ ...SPEC, revision: 4 }, true, false)).toBe(`${base}; but IORT revision 4 < 5: Linux ignores RMR nodes`);
    expect(how(SPEC, true, false, kernelBehaviour('5.19'))).toBe(`${base}; but Linux 5.19 predates RMR support (v6.0)`);
    expect(how(SPEC, true, false)).toBe(`${base}; but the host bridge does not preserve the boot configuration (_DSM #5), so PCI devices do not get it`);
    expect(how(SPEC, true, true)).toBe(base);
    expect(how({ ...SPEC, rmrs: [{ ...SPEC.rmrs![0]!, flags: 0 }] }, false, false)).toBe('its ID mapping reaches a StreamID of the device: descriptors [0x50000000, length 0x10000] become direct (flags bit 0 clear: remapping not permitted)');
  });
});
