/** `explain` on specimens built in code: targets, group members that block, Arm RMRs, bridges, the CLI's errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalAcpiPath, explainDevice, parseExplainTarget, type Explanation, type ExplainTables } from '../src/audit/index.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { runCli } from './support/cli.js';
import { buildIort as buildIortNodes, itsGroup, namedComponent, rmr, smmuV3 } from './support/iort-builder.js';
import { buildDmar, buildIort } from './support/region-tables.js';

const temp = mkdtempSync(join(tmpdir(), 'acpi-iommu-explain-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function explain(tables: ExplainTables, device: string, options: Parameters<typeof explainDevice>[2] = {}): Explanation {
  const result = explainDevice(tables, parseExplainTarget(device)!, options);
  if (typeof result === 'string') throw new Error(result);
  return result;
}

describe('targets', () => {
  it('parses PCI addresses and ACPI paths', () => {
    expect(parseExplainTarget('0000:00:14.0')).toMatchObject({ kind: 'pci', bdf: '0000:00:14.0' });
    expect(parseExplainTarget('00:14.0')).toMatchObject({ kind: 'pci', bdf: '0000:00:14.0' });
    expect(parseExplainTarget('1:02:1F.7')).toMatchObject({ kind: 'pci', bdf: '0001:02:1f.7' });
    expect(parseExplainTarget('\\_SB.ETH0')).toEqual({ kind: 'named-component', path: '\\_SB.ETH0' });
    for (const bad of ['00:20.0', 'eth0', '\\_SB ETH0', '']) expect(parseExplainTarget(bad), bad).toBeUndefined();
    expect(canonicalAcpiPath('\\_SB.ETH0')).toBe('\\_SB_.ETH0');
    expect(canonicalAcpiPath('\\_sb_.pci0.rp1')).toBe('\\_SB_.PCI0.RP1_');
  });
});

describe('Intel', () => {
  // docs/kernel-semantics.md §7 T4: GPU 03:00.0 and its audio function 03:00.1 in one group behind root port 00:01.0.
  const t4: ExplainTables = {
    dmar: parseDmar(buildDmar({
      rmrrs: [
        { base: 0x9d000000n, end: 0x9d7fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[1, 0], [0, 0]] }] },
        { base: 0x9d800000n, end: 0x9dffffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[1, 0], [0, 1]] }] },
      ],
    })),
  };
  const t4Topology = () => topologyFromJson({
    devices: [
      { bdf: '0000:00:01.0', class: '0x060400', secondaryBus: 3, subordinateBus: 3 },
      { bdf: '0000:03:00.0', class: '0x030000', parent: '0000:00:01.0' },
      { bdf: '0000:03:00.1', class: '0x040300', parent: '0000:00:01.0' },
    ],
    groups: { '1': ['0000:00:01.0'], '7': ['0000:03:00.0', '0000:03:00.1'] },
  });

  it('a relaxable GPU is refused because of the audio function in its group; the advice says so', () => {
    const result = explain(t4, '03:00.0', { topology: t4Topology() });
    expect(result.regions.map((region) => region.type)).toEqual(['direct-relaxable', 'msi']);
    expect(result.group!.members).toEqual(['0000:03:00.0', '0000:03:00.1']);
    expect(result.passthrough.map((verdict) => verdict.refused)).toEqual([false, true, true]);
    expect(result.passthrough[1]!.detail).toMatch(/RMRR-locked: 0000:03:00\.1$/);
    // region-tables.ts layout: DRHD at 48 (16 bytes), RMRR A at 64 (24 + a 10-byte scope), RMRR B at 98 = 0x62.
    expect(result.advice[0]).toMatch(/^Blocking: DMAR RMRR @0x62 \[0x9d800000-0x9dffffff\] on 0000:03:00\.1/);
    expect(result.advice[1]).toMatch(/VFIO assigns whole groups: 0000:03:00\.1/);
  });

  it('a bridge scope reaches the device below it from 5.3; under 5.2 the text says it stops at the bridge', () => {
    const tables: ExplainTables = { dmar: parseDmar(buildDmar({ rmrrs: [{ base: 0x7a000000n, end: 0x7a0fffffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] }] })) };
    const topology = () => topologyFromJson({ devices: [{ bdf: '0000:00:1c.0', class: '0x060400', secondaryBus: 2, subordinateBus: 3 }, { bdf: '0000:02:00.0', class: '0x010802', parent: '0000:00:1c.0' }] });
    const now = explain(tables, '02:00.0', { topology: topology() });
    expect(now.structures[1]!.how).toMatch(/bridge 00:1c\.0 @0x58 names 0000:00:1c\.0, a bridge above the device/);
    expect(now.regions[0]!.type).toBe('direct');
    const old = explain(tables, '02:00.0', { topology: topology(), kernel: kernelBehaviour('5.2') });
    expect(old.structures[1]!.how).toMatch(/Linux 5\.2 applies bridge-scope RMRRs to the bridge only/);
    expect(old.regions.map((region) => region.type)).toEqual(['msi']);
    expect(old.verdict).toMatchObject({ releases: 'Linux 5.2', refused: false });
  });

  it('reports the IOMMU-off error and no group when a scope type does not match at boot', () => {
    const tables: ExplainTables = { dmar: parseDmar(buildDmar({ rmrrs: [{ base: 0x80000000n, end: 0x800fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1c, 0]] }] }] })) };
    const result = explain(tables, '00:1c.0', { topology: topologyFromJson({ devices: [{ bdf: '0000:00:1c.0', class: '0x060400', secondaryBus: 1, subordinateBus: 1 }] }) });
    expect(result.hasIommu).toBe(false);
    expect(result.group).toBeUndefined();
    expect(result.findings.map((item) => item.code)).toContain('regions.intel.iommu-off');
    expect(result.advice[0]).toMatch(/no IOMMU/);
  });
});

describe('Arm', () => {
  // ITS group (handle 0), SMMUv3 (1) → ITS, named component \_SB_.ETH0 with one single mapping → StreamID 0x20,
  // RMR with flags 0 (remapping not permitted) for StreamID 0x20, descriptor [0x90000000, 64 KiB].
  const nodes = (rmrFlags: number) => [
    itsGroup([0]),
    smmuV3({ mappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0, target: 0 }] }),
    namedComponent('\\_SB_.ETH0', { mappings: [{ outputBase: 0x20, target: 1, flags: 1 }] }),
    rmr([[0x90000000n, 0x10000n]], { flags: rmrFlags, mappings: [{ outputBase: 0x20, idCount: 0, target: 1 }] }),
  ];
  const tables = (rmrFlags: number): ExplainTables => ({ iort: parseIort(buildIortNodes(nodes(rmrFlags)).bytes) });

  it('a named component with a direct RMR: refused from v6.6; the advice names flags bit 0', () => {
    const result = explain(tables(0), '\\_SB.ETH0');
    expect(result.title).toMatch(/^\\_SB_\.ETH0 \(IORT named component @0x/);
    expect(result.chains[0]!.result).toMatch(/^StreamID 0x20 on smmu-v3/);
    expect(result.group!.sysfs).toBe('0x0000000008000000 0x00000000080fffff msi\n0x0000000090000000 0x000000009000ffff direct\n');
    expect(result.passthrough.map((verdict) => [verdict.releases, verdict.refused])).toEqual([['up to v6.5', false], ['v6.6 and later', true]]);
    expect(result.advice.join('\n')).toMatch(/flags bit 0 \(remapping permitted\) on RMR @0x/);
    expect(result.advice.join('\n')).not.toMatch(/preserve-boot-config/);
    const relaxable = explain(tables(1), '\\_SB_.ETH0');
    expect(relaxable.passthrough).toEqual([
      // Arm has no check at attach before v6.6 (the RMRR lock is Intel's alone).
      { releases: 'up to v6.5', outcome: 'allowed', refused: false, detail: 'allowed: no reserved-region check at attach in these releases' },
      { releases: 'v6.6 and later', outcome: 'allowed', refused: false, detail: 'allowed: no region of the group blocks it' },
    ]);
  });

  it('unknown names list what the IORT has; a named component needs an IORT', () => {
    expect(explainDevice(tables(0), parseExplainTarget('\\_SB.NOPE')!)).toMatch(/no IORT named component \\_SB\.NOPE; the IORT has \\_SB_\.ETH0/);
    expect(explainDevice({ dmar: parseDmar(buildDmar({})) }, parseExplainTarget('\\_SB.ETH0')!)).toMatch(/need an IORT/);
    expect(explainDevice({}, parseExplainTarget('00:00.0')!)).toMatch(/no DMAR, IORT or IVRS/);
  });

  it('PCI behind a PCIe-to-PCI bridge: one walk per DMA alias; the RMR needs preserve_config', () => {
    const iort = parseIort(buildIort({
      rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }],
      smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
      rmrs: [{ flags: 0, mappings: [{ input: 0, count: 0, output: 0x200, target: 'smmu' }], descriptors: [{ base: 0x80000000n, length: 0x10000n }] }],
    }));
    const topology = () => topologyFromJson({
      devices: [
        { bdf: '0000:00:01.0', class: '0x060400', secondaryBus: 1, subordinateBus: 2, pcieType: 'root-port' },
        { bdf: '0000:01:00.0', class: '0x060400', secondaryBus: 2, subordinateBus: 2, parent: '0000:00:01.0', pcieType: 'pcie-to-pci-bridge' },
        { bdf: '0000:02:01.0', class: '0x020000', parent: '0000:01:00.0' },
      ],
    });
    const result = explain({ iort }, '02:01.0', { topology: topology() });
    expect(result.upstream).toEqual(['0000:00:01.0 [060400] bridge to buses 0x01–0x02', '0000:01:00.0 [060400] bridge to buses 0x02–0x02']);
    expect(result.chains.slice(0, 2).map((chain) => [chain.start, chain.result])).toEqual([
      ['RID 0x208 (own requester ID)', 'StreamID 0x208 on smmu-v3 @0x48'],
      ['RID 0x200 (PCIe-to-PCI bridge (secondary bus, devfn 0) via 0000:01:00.0)', 'StreamID 0x200 on smmu-v3 @0x48'],
    ]);
    expect(result.regions.map((region) => region.type)).toEqual(['sw-msi', 'direct']);
    const off = explain({ iort }, '02:01.0', { topology: topology(), preserveBootConfig: false });
    expect(off.structures.find((item) => item.structure === 'RMR')!.how).toMatch(/does not preserve the boot configuration/);
    expect(off.regions.map((region) => region.type)).toEqual(['sw-msi']);
  });
});

describe('without a topology the verdict is unknown where the tables cannot settle it', () => {
  // DL360 G7 shape (RMRR @0xc6 scope @0x110 of the real table): a two-hop endpoint path 00:03.0/00.0 names the NIC 03:00.0.
  // region-tables.ts layout: DRHD at 48 (16 bytes), the RMRR at 64 = 0x40.
  const dmarBytes = buildDmar({ rmrrs: [{ base: 0xdf61e000n, end: 0xdf61ffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[3, 0], [0, 0]] }] }] });
  const tables: ExplainTables = { dmar: parseDmar(dmarBytes) };
  const topology = () => topologyFromJson({
    devices: [{ bdf: '0000:00:03.0', class: '0x060400', secondaryBus: 3, subordinateBus: 3 }, { bdf: '0000:03:00.0', class: '0x020000', parent: '0000:00:03.0' }],
    groups: { '1': ['0000:00:03.0'], '2': ['0000:03:00.0'] },
  });

  it('an RMRR path that may lead to the device makes every release with an attach check unknown, naming --pci', () => {
    const result = explain(tables, '03:00.0');
    expect(result.passthrough.map((verdict) => [verdict.releases, verdict.outcome, verdict.refused])).toEqual([['up to v3.16', 'allowed', false], ['v3.17 and later', 'unknown', false]]);
    expect(result.verdict.outcome).toBe('unknown');
    expect(result.unsettled!.reasons).toEqual(['RMRR @0x40 may cover the device through a bridge or a multi-hop scope path']);
    expect(result.unsettled!.missing).toMatch(/--pci/);
    expect(result.advice.join('\n')).not.toMatch(/Nothing in these tables blocks/);
  });

  it('with the topology the same device is refused', () => {
    const result = explain(tables, '03:00.0', { topology: topology() });
    expect(result.verdict.outcome).toBe('refused');
    expect(result.unsettled).toBeUndefined();
  });

  it('a device no RMRR can reach stays allowed without a topology', () => {
    const lone: ExplainTables = { dmar: parseDmar(buildDmar({ rmrrs: [{ base: 0x7a000000n, end: 0x7a0fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }] })) };
    const result = explain(lone, '00:02.0');
    expect(result.verdict.outcome).toBe('allowed');
    expect(result.unsettled).toBeUndefined();
  });

  it('another function of the same slot named by an RMRR may share the group: unknown', () => {
    const mates: ExplainTables = { dmar: parseDmar(buildDmar({ rmrrs: [{ base: 0x7a000000n, end: 0x7a0fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1d, 1]] }] }] })) };
    const result = explain(mates, '00:1d.0');
    expect(result.verdict.outcome).toBe('unknown');
    expect(result.unsettled!.reasons).toEqual(['RMRR @0x40 names another function of slot 00:1d, which may share its IOMMU group']);
  });

  it('the CLI exits 4 on unknown, 1 on refused, and says what to give', async () => {
    const file = join(temp, 'DMAR-two-hop.bin');
    writeFileSync(file, dmarBytes);
    const pci = join(temp, 'pci-two-hop.json');
    writeFileSync(pci, JSON.stringify({ devices: [{ bdf: '0000:00:03.0', class: '0x060400', secondaryBus: 3, subordinateBus: 3 }, { bdf: '0000:03:00.0', class: '0x020000', parent: '0000:00:03.0' }] }));
    const unknown = await runCli(['explain', file, '03:00.0']);
    expect(unknown.code).toBe(4);
    expect(unknown.stdout).toMatch(/v3\.17 and later: unknown: RMRR @0x40 may cover the device/);
    expect(unknown.stdout).toMatch(/to settle "unknown": give a PCI topology \(--pci\)/);
    const json = JSON.parse((await runCli(['explain', file, '03:00.0', '--json'])).stdout);
    expect(json.verdict).toMatchObject({ outcome: 'unknown', refused: false });
    expect(json.unsettled.missing).toMatch(/--pci/);
    const refused = await runCli(['explain', file, '03:00.0', '--pci', pci]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/v6\.6 and later: refused/);
    expect((await runCli(['explain', '--help'])).stdout).toMatch(/4 unknown/);
  });
});

describe('advice agrees with the verdict', () => {
  it('splitting the group is not offered as a cure when the device has its own blocking RMRR', () => {
    const tables: ExplainTables = {
      dmar: parseDmar(buildDmar({
        rmrrs: [
          { base: 0x9d000000n, end: 0x9d7fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[1, 0], [0, 0]] }] },
          { base: 0x9d800000n, end: 0x9dffffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[1, 0], [0, 1]] }] },
        ],
      })),
    };
    const topology = topologyFromJson({
      devices: [
        { bdf: '0000:00:01.0', class: '0x060400', secondaryBus: 3, subordinateBus: 3 },
        { bdf: '0000:03:00.0', class: '0x020000', parent: '0000:00:01.0' },
        { bdf: '0000:03:00.1', class: '0x020000', parent: '0000:00:01.0' },
      ],
      groups: { '1': ['0000:00:01.0'], '7': ['0000:03:00.0', '0000:03:00.1'] },
    });
    const advice = explain(tables, '03:00.0', { topology }).advice.join('\n');
    expect(advice).toMatch(/splits the group would not free 0000:03:00\.0: its own RMRR blocks it too/);
    expect(advice).not.toMatch(/would leave 0000:03:00\.0 free/);
  });
});

describe('acpi-iommu explain (CLI)', () => {
  const dmarFile = join(temp, 'DMAR.bin');
  writeFileSync(dmarFile, buildDmar({ rmrrs: [{ base: 0x3e2e0000n, end: 0x3e2fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1f, 6]] }] }] }));
  const pciFile = join(temp, 'pci.json');
  writeFileSync(pciFile, JSON.stringify({ devices: [{ bdf: '0000:00:1f.6', class: '0x020000' }] }));

  it('human text with the release table; --kernel shows that release; --json', async () => {
    const human = await runCli(['explain', dmarFile, '00:1f.6', '--pci', pciFile, '--kernel', '5.10']);
    expect(human.code, 'exit 1: refused under the asked kernel').toBe(1);
    expect(human.stdout).toMatch(/^explain 0000:00:1f\.6 \[020000\] — Intel VT-d/);
    expect(human.stdout).toMatch(/v3\.17–v6\.5: refused: "Device is ineligible/);
    expect(human.stdout).toMatch(/→ Linux 5\.10: refused/);
    // Release notes and advice cite public sources only, never the project's own notes.
    expect(human.stdout).not.toMatch(/kernel-semantics|spec\.md/);
    const json = JSON.parse((await runCli(['explain', dmarFile, '0000:00:1f.6', '--pci', pciFile, '--json'])).stdout);
    expect(json).toMatchObject({ platform: 'intel', kernel: { label: 'current Linux' }, group: { number: 0, sysfs: '0x000000003e2e0000 0x000000003e2fffff direct\n0x00000000fee00000 0x00000000feefffff msi\n' } });
    expect(json.regions[0]).toMatchObject({ start: '0x3e2e0000', type: 'direct' });
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['explain', dmarFile])).stderr).toMatch(/needs at least one table and a device/);
    expect((await runCli(['explain', dmarFile, 'nic0'])).code).toBe(2);
    const missing = await runCli(['explain', dmarFile, '00:1f.5', '--pci', pciFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not in the PCI topology/);
    expect((await runCli(['explain', dmarFile, '\\_SB.ETH0'])).code).toBe(2);
    expect((await runCli(['explain', dmarFile, '00:1f.6', '--device', '00:1f.6'])).code).toBe(2);
  });
});
