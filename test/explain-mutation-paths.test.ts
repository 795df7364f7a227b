/**
 * explainDevice (src/audit/explain.ts) on the paths mutation testing left unasserted: a device a
 * BRIDGE scope makes a bridge (its class then known), a class 0x000000 a topology states, the Arm
 * PCI path without a root complex, which findings are the device's, what relax_rmrr changes in the
 * advice, and doubts the verdicts do not need. Tables from the region-test builder (DMAR: one
 * INCLUDE_PCI_ALL DRHD at 0x30, RMRRs from 0x40, each 0x18 bytes + 8 per one-hop scope; IORT: ITS
 * group, SMMUv3 at 0x48, root complex for segment 0 at 0xa0). Expectations by hand from what each
 * path stands for (docs/kernel-semantics.md §3.3, §3.4, §4.2).
 */
import { describe, expect, it } from 'vitest';
import { explainDevice } from '../src/audit/explain.js';
import { parseExplainTarget, type Explanation } from '../src/audit/explain-model.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { topologyFromJson } from '../src/pci/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { buildDmar, buildIort, type ScopeSpec } from './support/region-tables.js';
import { ivhd, ivrsBytes, select } from './support/ivrs-model.js';

const target = (text: string) => parseExplainTarget(text)!;
const explained = (value: Explanation | string) => {
  expect(typeof value).toBe('object');
  return value as Explanation;
};
const at = (device: number, fn: number, kind: ScopeSpec['kind'] = 'endpoint'): ScopeSpec => ({ kind, bus: 0, path: [[device, fn]] });
const dmar = (...rmrrs: { scopes: ScopeSpec[]; segment?: number }[]) =>
  parseDmar(buildDmar({ rmrrs: rmrrs.map((rmrr, index) => ({ base: 0x80000000n + BigInt(index) * 0x100000n, end: 0x80000fffn + BigInt(index) * 0x100000n, ...rmrr })) }));
const CLASS_UNKNOWN_RMRR = 'relaxable: unknown (class unknown without --pci): modelled as direct; direct-relaxable instead if the device is USB (0x0c03xx) or display (0x03xxxx)';
const NOT_RELAXABLE = 'neither USB (0x0c03xx) nor display (0x03xxxx): not relaxable';

describe('Intel without a topology: a device a BRIDGE scope names is a bridge, so its class is known', () => {
  // Computed inside each test: Stryker's per-test coverage does not see code run while a describe block is collected.
  const explainBridge = () => explained(explainDevice({ dmar: dmar({ scopes: [at(0x1c, 0, 'bridge')] }) }, target('00:1c.0')));

  it('its steps show the class taken (0x060400), not "class unknown"', () => {
    const result = explainBridge();
    expect(result.structures.map((item) => [item.structure, item.steps, item.certainty])).toEqual([
      ['DRHD', [], 'assumed'],
      ['RMRR [0x80000000-0x80000fff]', ['bus 0x00, 1c.0 → 0000:00:1c.0 [060400]'], 'assumed'],
    ]);
  });

  it('a bridge\'s RMRR is not relaxable, and nothing is left open: refused from v3.17, the class in the advice', () => {
    const result = explainBridge();
    expect(result.regions.map((region) => [region.type, region.reason])).toEqual([['direct', NOT_RELAXABLE], ['msi', 'x86 interrupt address range, reported for every device']]);
    expect('unsettled' in result).toBe(false);
    expect(result.passthrough.map((verdict) => [verdict.releases, verdict.outcome])).toEqual([['up to v3.16', 'allowed'], ['v3.17–v6.5', 'refused'], ['v6.6 and later', 'refused']]);
    expect(result.advice).toContain('Only USB (class 0x0c03xx) and display (0x03xxxx) functions get relaxable RMRRs (exempt from the v3.17 lock; direct-relaxable from v5.3); this device\'s class is 0x060400');
  });

  it('a BRIDGE scope of another PCI segment does not make it a bridge', () => {
    const other = explained(explainDevice({ dmar: dmar({ segment: 1, scopes: [at(0x1c, 0, 'bridge')] }) }, target('00:1c.0')));
    expect(other.assumptions[1]).toBe('class unknown: the relaxable rule (USB 0x0c03xx, display 0x03xxxx) and the ISA-bridge region cannot be applied; RMRRs are shown as direct');
  });
});

describe('Intel without a topology, class unknown', () => {
  it('only the RMRR regions get the class-unknown reason; the interrupt range keeps its own', () => {
    const result = explained(explainDevice({ dmar: dmar({ scopes: [at(0x14, 0)] }) }, target('00:14.0')));
    expect(result.regions.map((region) => [region.type, region.reason])).toEqual([['direct', CLASS_UNKNOWN_RMRR], ['msi', 'x86 interrupt address range, reported for every device']]);
    expect(result.structures[1]!.steps).toEqual(['bus 0x00, 14.0 → 0000:00:14.0 [class unknown]']);
    expect(result.notes).toEqual([]);
    expect(result.hasIommu).toBe(true);
  });

  it('with relax_rmrr the class no longer decides anything: nothing is left open', () => {
    const result = explained(explainDevice({ dmar: dmar({ scopes: [at(0x14, 0)] }) }, target('00:14.0'), { kernel: kernelBehaviour('6.1', { relaxRmrr: true }) }));
    expect('unsettled' in result).toBe(false);
  });
});

describe('Intel with a topology that states class 0x000000', () => {
  // A stated class 0x000000 ("device built before class codes") is a class, not an unknown one.
  const topology = () => topologyFromJson({ devices: [{ bdf: '0000:00:14.0', class: '0x000000' }], groups: { '5': ['0000:00:14.0'] } });
  const explainStated = () => explained(explainDevice({ dmar: dmar({ scopes: [at(0x14, 0)] }) }, target('00:14.0'), { topology: topology() }));

  it('its RMRR is simply not relaxable and its steps keep the class', () => {
    const result = explainStated();
    expect(result.title).toBe('0000:00:14.0 [000000]');
    expect(result.topologyGiven).toBe(true);
    expect(result.structures[1]!.steps).toEqual(['bus 0x00, 14.0 → 0000:00:14.0 [000000]']);
    expect(result.regions.map((region) => [region.type, region.reason])).toEqual([['direct', NOT_RELAXABLE], ['msi', 'x86 interrupt address range, reported for every device']]);
    expect('unsettled' in result).toBe(false);
    expect(result.advice).toContain('Only USB (class 0x0c03xx) and display (0x03xxxx) functions get relaxable RMRRs (exempt from the v3.17 lock; direct-relaxable from v5.3); this device\'s class is 0x000000');
  });

  it('real groups: the assumptions are the header-type derivation alone', () => {
    const result = explainStated();
    expect(result.assumptions).toEqual(['header types derived from class codes (0x0604/0x0609 → 1, 0x0607 → 2, else 0)']);
  });

  it('relax_rmrr (asked with --kernel): the current rules see a relaxable RMRR, so no "Blocking" line, and no advice to try relax_rmrr', () => {
    const relaxed = explained(explainDevice({ dmar: dmar({ scopes: [at(0x14, 0)] }) }, target('00:14.0'), { topology: topology(), kernel: kernelBehaviour('6.1', { relaxRmrr: true }) }));
    // v3.17–v5.2 still refuse (the RMRR lock), so the advice is the Intel list without its head.
    expect(relaxed.advice).toEqual([
      'Move the card to a slot no RMRR names. The RMRR scopes here name: endpoint 00:14.0 (RMRR @0x40)',
      'Firmware: some servers can exclude a slot from RMRRs — HPE ProLiant Gen8/Gen9 per-slot RMRR exclusion in the BIOS or with conrep (HPE advisory c04781229)',
      'Only USB (class 0x0c03xx) and display (0x03xxxx) functions get relaxable RMRRs (exempt from the v3.17 lock; direct-relaxable from v5.3); this device\'s class is 0x000000',
    ]);
  });
});

describe('which findings are the device\'s', () => {
  it('Intel: the IOMMU-off error (no device) is kept; the scope mismatch of another device is not; no regions, no IOMMU', () => {
    // An ENDPOINT scope naming the root port 00:1c.0 (header type 1): "Device scope type does not match", the IOMMU stays off.
    const topology = topologyFromJson({ devices: [{ bdf: '0000:00:1c.0', class: '0x060400', secondaryBus: 1, subordinateBus: 1 }, { bdf: '0000:00:14.0', class: '0x0c0330' }] });
    const result = explained(explainDevice({ dmar: dmar({ scopes: [at(0x1c, 0)] }) }, target('00:14.0'), { topology }));
    expect(result.findings.map((item) => [item.code, item.device])).toEqual([['regions.intel.iommu-off', undefined]]);
    expect(result.hasIommu).toBe(false);
    expect(result.regions).toEqual([]);
    expect(result.group).toBeUndefined();
    expect(result.advice).toEqual(['The tables give this device no IOMMU (see the findings): it has no group and VFIO cannot assign it']);
  });

  it('Intel: a DMAR cut inside its SDT header (no OEM ID to read): the IOMMU is off, said without failing', () => {
    const short = parseDmar(buildDmar({}).subarray(0, 20));
    const result = explained(explainDevice({ dmar: short }, target('00:14.0')));
    expect(result.findings.map((item) => [item.code, item.message])).toEqual([
      ['regions.intel.iommu-off', 'the DMAR header is unusable: no Intel IOMMU'],
      ['regions.intel.no-drhd', '0000:00:14.0: no DRHD covers segment 0x0000 for this device'],
    ]);
    expect(result.hasIommu).toBe(false);
    expect(result.advice).toEqual(['The tables give this device no IOMMU (see the findings): it has no group and VFIO cannot assign it']);
  });

  // RMR with a zero-length descriptor: a warning about no device. Segment 1 has no root complex.
  const iort = parseIort(buildIort({
    rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }],
    smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
    rmrs: [{ flags: 0, mappings: [{ input: 0, count: 0, output: 0x18, target: 'smmu' }], descriptors: [{ base: 0x80000000n, length: 0x10000n }, { base: 0x90000000n, length: 0n }] }],
  }));
  const topology = () => topologyFromJson({ devices: [{ bdf: '0000:00:03.0', class: '0x020000' }, { bdf: '0001:00:03.0', class: '0x020000' }], groups: { '1': ['0000:00:03.0'], '2': ['0001:00:03.0'] } });

  it('Arm: a device on a segment with no root complex has no walk, no IOMMU, and its own findings only', () => {
    const result = explained(explainDevice({ iort }, target('0001:00:03.0'), { topology: topology() }));
    expect(result.structures).toEqual([]);
    expect(result.chains).toEqual([]);
    expect(result.hasIommu).toBe(false);
    expect(result.findings.map((item) => [item.code, item.device])).toEqual([['regions.arm.no-root-complex', '0001:00:03.0'], ['regions.group.no-iommu', '0001:00:03.0']]);
    expect(result.verdict.outcome).toBe('no-iommu');
  });

  it('Arm: the other device\'s findings and a warning about no device are left out', () => {
    const result = explained(explainDevice({ iort }, target('0000:00:03.0'), { topology: topology() }));
    expect(result.findings).toEqual([]);
    // preserve_config not given: assumed on, so the RMR reaches the PCI device without a "but".
    expect(result.structures.find((item) => item.structure === 'RMR')!.how).toBe('its ID mapping reaches a StreamID of the device: descriptors [0x80000000, length 0x10000], [0x90000000, length 0x0] become direct (flags bit 0 clear: remapping not permitted)');
    expect(result.chains.map((chain) => chain.start)).toEqual(['RID 0x18 (own requester ID)', 'MSIs: StreamID 0x18 from smmu-v3 @0x48']);
  });

  it('Arm: a device the root complex maps to no SMMU has no group, even where the topology groups it with one that has', () => {
    const partial = parseIort(buildIort({ rc: [{ input: 0, count: 0xff, output: 0, target: 'smmu' }], smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }] }));
    const grouped = topologyFromJson({
      devices: [{ bdf: '0000:00:03.0', class: '0x060400', secondaryBus: 1, subordinateBus: 1 }, { bdf: '0000:01:00.0', class: '0x020000', parent: '0000:00:03.0' }],
      groups: { '1': ['0000:00:03.0', '0000:01:00.0'] },
    });
    const result = explained(explainDevice({ iort: partial }, target('01:00.0'), { topology: grouped }));
    expect(result.hasIommu).toBe(false);
    expect(result.group).toBeUndefined();
    expect(result.verdict.outcome).toBe('no-iommu');
    expect(result.findings.map((item) => item.code)).toContain('regions.arm.unmapped');
  });

  it('Arm without a topology: the lonely assumptions, then the analysis\'s own (preserve_config assumed)', () => {
    const result = explained(explainDevice({ iort }, target('00:03.0')));
    expect(result.assumptions).toEqual([
      'no PCI topology (--pci): 0000:00:03.0 is taken as the only device, on root bus 0x00 with no bridge above it, so its only DMA alias is its own requester ID',
      'IOMMU group: the device alone (real groups depend on ACS and bridges)',
      'host bridge preserve_config (_DSM function 5) = yes (assumed; not in IORT or sysfs): RMRs apply to PCI devices only when yes',
      'kernel page size 4096 (assumed), used to round RMR descriptors not aligned to 64 KiB',
    ]);
  });
});

describe('AMD', () => {
  it('the IVHD that serves the device is named through explain', () => {
    const result = explained(explainDevice({ ivrs: parseIvrs(ivrsBytes([ivhd(0x10, 0x08, [select(0x08), select(0x20)])])) }, target('00:04.0')));
    expect(result.structures.map((item) => [item.table, item.structure])).toEqual([['IVRS', 'IVHD 0x10']]);
  });
});

describe('group doubts the verdicts do not need', () => {
  it('a refusal of the device\'s own RMRR does not depend on a guessed mate: no open question', () => {
    // 00:14.0 (NIC, own RMRR) and 00:14.1 (another function of its slot, own RMRR); groups not given.
    const topology = topologyFromJson({ devices: [{ bdf: '0000:00:14.0', class: '0x020000' }, { bdf: '0000:00:14.1', class: '0x020000' }] });
    const result = explained(explainDevice({ dmar: dmar({ scopes: [at(0x14, 0)] }, { scopes: [at(0x14, 1)] }) }, target('00:14.0'), { topology }));
    // -EPERM under the RMRR lock, -EINVAL under v6.6's require_direct: two rows, both refused.
    expect(result.passthrough.map((verdict) => [verdict.releases, verdict.outcome])).toEqual([['up to v3.16', 'allowed'], ['v3.17–v6.5', 'refused'], ['v6.6 and later', 'refused']]);
    expect('unsettled' in result).toBe(false);
  });

  it('a guessed mate alone leaves it open, and the class does not decide it', () => {
    const topology = topologyFromJson({ devices: [{ bdf: '0000:00:14.0', class: '0x020000' }, { bdf: '0000:00:14.1', class: '0x020000' }] });
    const result = explained(explainDevice({ dmar: dmar({ scopes: [at(0x14, 1)] }) }, target('00:14.0'), { topology }));
    expect(result.unsettled).toMatchObject({ classDecides: false });
    expect(result.unsettled!.reasons).toEqual(['group guessed: 0000:00:14.1 (another function of slot 00:14) has direct region(s) RMRR @0x40 [0x80000000-0x80000fff]; Linux may put it in the group of 0000:00:14.0']);
  });
});
