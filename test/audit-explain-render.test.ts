/**
 * src/audit/explain-render.ts in process: the lines `explain` prints and its JSON shape, for a
 * hand-built explanation (the CLI tests spawn dist, so no mutation run sees the text). Every
 * expected line is written by hand from the layout the module prints.
 */
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../src/audit/explain-model.js';
import { explanationJson, explanationLines } from '../src/audit/explain-render.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import type { RegionDescriptor } from '../src/regions/types.js';

const RMRR: RegionDescriptor = { start: 0x3e2e0000n, end: 0x3e2fffffn, type: 'direct', prot: 3, device: '0000:00:1f.6', source: { table: 'DMAR', offset: 0x40, structure: 'RMRR' } };

function explanation(extra: Partial<Explanation> = {}): Explanation {
  return {
    target: { kind: 'pci', bdf: '0000:00:1f.6', address: { segment: 0, bus: 0, device: 0x1f, function: 6 } },
    title: '0000:00:1f.6 [020000]',
    platform: 'intel',
    kernel: kernelBehaviour('6.6'),
    topologyGiven: true,
    assumptions: ['A1'],
    notes: ['N1'],
    upstream: [],
    structures: [
      { table: 'DMAR', structure: 'DRHD', offset: 0x30, how: 'INCLUDE_PCI_ALL', steps: [], certainty: 'certain' },
      { table: 'DMAR', structure: 'RMRR', offset: 0x40, how: 'endpoint 00:1f.6', steps: ['bus 0x00 → 1f.6'], certainty: 'assumed' },
      { table: 'DMAR', structure: 'RMRR', offset: 0x80, how: 'bridge 00:1c.0', steps: [], certainty: 'needs-topology' },
    ],
    chains: [],
    hasIommu: true,
    regions: [RMRR],
    group: { number: 4, guessed: false, members: ['0000:00:1f.6'], regions: [{ ...RMRR, parts: [RMRR] }], sysfs: '0x000000003e2e0000 0x000000003e2fffff direct\n' },
    passthrough: [{ releases: 'v6.6 and later', outcome: 'refused', refused: true, detail: 'require_direct (-EINVAL)' }],
    verdict: { releases: 'v6.6 and later', outcome: 'refused', refused: true, detail: 'require_direct (-EINVAL)' },
    advice: ['ask the vendor'],
    findings: [],
    ...extra,
  } as Explanation;
}

describe('explain text', () => {
  it('a PCI device on a root bus with a group, under 6.6', () => {
    expect(explanationLines(explanation(), 'DMAR.bin')).toEqual([
      'explain 0000:00:1f.6 [020000] — Intel VT-d (DMAR.bin); rules of Linux 6.6',
      'assumed: A1',
      'note: N1',
      'upstream: none (on a root bus)',
      'named by:',
      '  DMAR DRHD @0x30: INCLUDE_PCI_ALL',
      '  DMAR RMRR @0x40 (under the assumptions above): endpoint 00:1f.6',
      '      bus 0x00 → 1f.6',
      '  DMAR RMRR @0x80 (needs the topology): bridge 00:1c.0',
      'regions (the device\'s own list, driver order):',
      '  0x000000003e2e0000-0x000000003e2fffff direct           DMAR RMRR @0x40 for 0000:00:1f.6',
      'group 4: 0000:00:1f.6',
      '  reserved_regions:',
      '    0x000000003e2e0000 0x000000003e2fffff direct',
      'passthrough (VFIO / iommufd):',
      '  v6.6 and later: require_direct (-EINVAL)',
      '  → v6.6 and later: require_direct (-EINVAL)',
      'what you can do:',
      '  - ask the vendor',
    ]);
  });

  it('no IOMMU, no structure, ID walks, a guessed own group before v4.11, relax_rmrr, unsettled, findings', () => {
    const kernel = { ...kernelBehaviour('4.9'), relaxRmrr: true };
    const lines = explanationLines(explanation({
      platform: 'arm', kernel, assumptions: [], notes: [], upstream: ['0000:00:1c.0 [060400] secondary bus 0x01', '0000:01:00.0 [060400]'], structures: [],
      chains: [{ start: 'RID 0x0100', steps: ['RC @0x30 → SMMU @0x80'], result: 'StreamID 0x100' }],
      hasIommu: false, regions: [],
      group: { guessed: true, members: ['a', 'b'], regions: [], sysfs: '' },
      unsettled: { reasons: [], classDecides: false, missing: '--pci' },
      findings: [{ code: 'regions.group.no-iommu', severity: 'warning', offset: 0, message: 'M' }] as Explanation['findings'],
    }), 'IORT.bin');
    expect(lines).toEqual([
      'explain 0000:00:1f.6 [020000] — Arm SMMU (IORT.bin); rules of Linux 4.9 with intel_iommu=relax_rmrr',
      'upstream: 0000:00:1c.0 [060400] secondary bus 0x01 → 0000:01:00.0 [060400]',
      'named by:',
      '  no structure names it',
      'ID walks:',
      '  RID 0x0100: StreamID 0x100',
      '      RC @0x30 → SMMU @0x80',
      'regions (the device\'s own list, driver order): none — no IOMMU',
      'own group (guessed): a, b',
      '  reserved_regions (no such file before v4.11; as v4.11 would print it):',
      'passthrough (VFIO / iommufd):',
      '  v6.6 and later: require_direct (-EINVAL)',
      '  → v6.6 and later: require_direct (-EINVAL)',
      '  to settle "unknown": give --pci',
      'what you can do:',
      '  - ask the vendor',
      'findings:',
      '  warning: M [regions.group.no-iommu]',
    ]);
  });

  it('a named component: no upstream line; the default kernel prints no arrow line; AMD named as such', () => {
    const lines = explanationLines(explanation({ target: { kind: 'named-component', path: '\\_SB_.ETH0' }, kernel: kernelBehaviour(), group: undefined }), 'x');
    expect(lines.some((line) => line.startsWith('upstream:'))).toBe(false);
    expect(lines.some((line) => line.startsWith('  →'))).toBe(false);
    expect(lines.some((line) => /^(own )?group/.test(line))).toBe(false);
    expect(explanationLines(explanation({ platform: 'amd' }), 'IVRS.bin')[0]).toBe('explain 0000:00:1f.6 [020000] — AMD-Vi (IVRS.bin); rules of Linux 6.6');
  });
});

describe('explain JSON', () => {
  it('findings become diagnostics, the kernel its label, version text and relax flag, regions their JSON shape', () => {
    const findings = [{ code: 'regions.group.no-iommu', severity: 'warning', offset: 0, message: 'M' }] as Explanation['findings'];
    const json = explanationJson(explanation({ findings, kernel: kernelBehaviour('6.1.0-18-amd64') }));
    expect(json.diagnostics).toBe(findings);
    expect('findings' in json).toBe(false);
    expect(json.kernel).toEqual({ label: 'Linux 6.1', version: '6.1.0-18-amd64', relaxRmrr: false });
    expect(json.regions[0]).toMatchObject({ start: 0x3e2e0000n, sysfsType: 'direct', sources: [{ device: '0000:00:1f.6', table: 'DMAR', offset: 0x40 }] });
    expect(json.group).toMatchObject({ number: 4, regions: [{ type: 'direct' }], sysfs: '0x000000003e2e0000 0x000000003e2fffff direct\n' });
    expect(json.title).toBe('0000:00:1f.6 [020000]');
    expect(explanationJson(explanation({ group: undefined, kernel: kernelBehaviour() })).group).toBeNull();
    expect(explanationJson(explanation({ kernel: kernelBehaviour() })).kernel.version).toBeNull();
  });
});
