/**
 * The kernel version table (src/regions/kernel-versions.ts): every row checked against the
 * words of ../shared/docs/kernel-semantics.md, and the same tables + topology derived under
 * --kernel 5.2 / 6.1 / 6.6 (docs/kernel-semantics.md §7 vectors).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { analyzeArm } from '../src/iort/regions/index.js';
import { analyzeIntel } from '../src/dmar/regions/index.js';
import { intelUnscopedRegions } from '../src/dmar/regions/index.js';
import {
  CURRENT_KERNEL, KERNEL_CHANGES, RELAX_RMRR_PATCH, changeInEffect, compareKernelVersions, describeKernel, kernelBehaviour,
  kernelDifferences, parseKernelVersion,
} from '../src/regions/kernel-versions.js';
import { insertRegion, mergeRegions } from '../src/regions/merge.js';
import { evaluatePassthrough } from '../src/regions/passthrough.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { runCli } from './support/cli.js';
import { buildDmar, buildIort, T4_VECTOR, type DmarSpec } from './support/region-tables.js';
import { CORPUS_ROOT, HAVE_SHARED, SHARED_ROOT, SKIP_REASON } from './support/shared.js';

const SEMANTICS = join(SHARED_ROOT, 'docs', 'kernel-semantics.md');
const HAVE_DOC = existsSync(SEMANTICS);
const normalise = (text: string) => text.replace(/\s+/g, ' ');

describe.skipIf(!HAVE_DOC)(`version table rows against kernel-semantics.md${HAVE_DOC ? '' : ` (${SKIP_REASON})`}`, () => {
  const doc = HAVE_DOC ? readFileSync(SEMANTICS, 'utf8') : '';
  const text = normalise(doc);
  const lines = doc.split('\n');
  /** The quote must be in the document; the release must be in the quote or in the (table) line holding it. */
  const releaseStated = (quote: string, release: string) => {
    if (quote.includes(release)) return true;
    const line = lines.find((candidate) => normalise(candidate).includes(quote));
    return line !== undefined && line.includes(release);
  };

  for (const change of KERNEL_CHANGES) {
    it(`${change.id} (${change.since}${change.until === undefined ? '' : `–${change.until}`}): quoted from ${change.source.section}`, () => {
      expect(text, `quote of ${change.id}`).toContain(change.source.quote);
      if (change.source.versionFrom === undefined) expect(releaseStated(change.source.quote, change.since), `${change.since} stated next to the quote`).toBe(true);
      else expect(change.approximate, 'a release not stated by the document is marked approximate').toBe(true);
      if (change.until !== undefined) {
        expect(change.source.untilQuote, `${change.id} needs an untilQuote`).toBeDefined();
        expect(text).toContain(change.source.untilQuote!);
        const untilLine = lines.find((candidate) => normalise(candidate).includes(change.source.untilQuote!));
        const sameCycle = change.source.untilQuote!.includes('same cycle') && untilLine?.includes(change.until) === true;
        expect(change.source.untilQuote!.includes(change.until) || sameCycle, `${change.until} stated`).toBe(true);
      }
      if (change.approximate) expect(text).toMatch(new RegExp(`(~|approx\\. )${change.since.replace('.', '\\.')}|verify`));
    });
  }

  it('the relax_rmrr row cites the out-of-tree patches the document mentions', () => {
    expect(text).toContain(RELAX_RMRR_PATCH.source.quote);
    expect(RELAX_RMRR_PATCH.source.patch).toMatch(/out-of-tree/);
  });

  it('every section the table cites exists', () => {
    for (const change of KERNEL_CHANGES) {
      for (const section of change.source.section.matchAll(/§(\d+(?:\.\d+)?)/g)) expect(doc).toMatch(new RegExp(`^#+ ${section[1]!.replace('.', '\\.')}[ .]`, 'm'));
    }
  });
});

describe('versions and behaviour switches', () => {
  it('parses the usual spellings and compares by major.minor', () => {
    expect(parseKernelVersion('5.2')).toMatchObject({ major: 5, minor: 2 });
    expect(parseKernelVersion('v6.6')).toMatchObject({ major: 6, minor: 6 });
    expect(parseKernelVersion('6.6.12')).toMatchObject({ major: 6, minor: 6 });
    expect(parseKernelVersion('6.1.0-18-amd64')).toMatchObject({ major: 6, minor: 1 });
    expect(parseKernelVersion('6.8.0-rc3')).toMatchObject({ major: 6, minor: 8 });
    for (const bad of ['6', 'six', '6.x', '', '5.2 extra']) expect(parseKernelVersion(bad), bad).toBeUndefined();
    expect(compareKernelVersions(parseKernelVersion('5.10')!, parseKernelVersion('5.9')!)).toBeGreaterThan(0);
    expect(compareKernelVersions(parseKernelVersion('6.6.1')!, parseKernelVersion('6.6.30')!)).toBe(0);
    expect(() => kernelBehaviour('latest')).toThrow(/not a kernel version/);
  });

  it('resolves each release to the rules the table gives', () => {
    const at = (version: string) => kernelBehaviour(version);
    expect(at('4.9')).toMatchObject({ reservedRegionsFile: false, rmrrLocked: true, directRelaxable: false, isaRegion: 'none' });
    expect(at('5.2')).toMatchObject({ reservedRegionsFile: true, directRelaxable: false, adjacentMerge: false, bridgeScopeDownstream: false, isaRegion: 'none', e820Check: 'none', rmrrLocked: true, requireDirect: false });
    expect(at('5.3')).toMatchObject({ directRelaxable: true, adjacentMerge: true, bridgeScopeDownstream: true, isaRegion: 'direct' });
    expect(at('5.5')).toMatchObject({ isaRegion: 'direct-relaxable', e820Check: 'fatal', bridgeScopeAnyBridgeClass: false });
    expect(at('5.6')).toMatchObject({ e820Check: 'taint', bridgeScopeAnyBridgeClass: true, rmr: false });
    expect(at('6.0')).toMatchObject({ rmr: true, e820AcceptsNvs: false, hostBridgeWindows: false });
    expect(at('6.1')).toMatchObject({ e820AcceptsNvs: true, rmrrLocked: true, requireDirect: false });
    expect(at('6.6')).toMatchObject({ rmrrLocked: false, requireDirect: true });
    expect(at('4.20')).toMatchObject({ hostBridgeWindows: true });
    expect(kernelDifferences(at('6.6'))).toEqual([]);
    expect(CURRENT_KERNEL).toMatchObject({ version: undefined, label: 'current Linux', relaxRmrr: false, requireDirect: true, rmrrLocked: false });
    for (const change of KERNEL_CHANGES) expect(changeInEffect(change, undefined), change.id).toBe(change.until === undefined);
  });

  it('honours --relax-rmrr only where device_rmrr_is_relaxable exists (v5.3+)', () => {
    expect(kernelBehaviour('6.6', { relaxRmrr: true }).relaxRmrr).toBe(true);
    const old = kernelBehaviour('5.2', { relaxRmrr: true });
    expect(old.relaxRmrr).toBe(false);
    expect(describeKernel(old, true).join('\n')).toMatch(/--relax-rmrr ignored/);
    expect(describeKernel(kernelBehaviour(undefined, { relaxRmrr: true })).join('\n')).toMatch(/out-of-tree/);
    expect(describeKernel(kernelBehaviour('5.2'), false, 'intel').join('\n')).not.toMatch(/RMR nodes/);
  });
});

// ── Behaviour: the §7 vectors under several releases ─────────────────────────────────────────

type JsonDevice = Record<string, unknown>;
const MSI = '0x00000000fee00000 0x00000000feefffff msi\n';

function intelUnder(version: string | undefined, spec: DmarSpec, devices: JsonDevice[], groups?: Record<string, string[]>, relaxRmrr = false) {
  const topology = topologyFromJson(groups === undefined ? { devices } : { devices, groups });
  return analyzeIntel(parseDmar(buildDmar(spec)), topology, kernelBehaviour(version, { relaxRmrr }));
}

function textOf(analysis: ReturnType<typeof intelUnder>, member: string): string {
  const group = analysis.groups.find((entry) => entry.devices.includes(member));
  if (group === undefined) throw new Error(`no group holds ${member}`);
  return formatSysfs(group.regions);
}

describe('§7 vectors under --kernel', () => {
  const t4 = (version: string | undefined) =>
    intelUnder(
      version,
      T4_VECTOR.dmar,
      T4_VECTOR.devices,
      { '1': ['0000:00:01.0'], '7': ['0000:03:00.0', '0000:03:00.1'] },
    );

  it('T4 under 5.2: no direct-relaxable (the GPU copy prints direct) and the now same-type adjacent ranges stay apart', () => {
    expect(textOf(t4('5.2'), '0000:03:00.0')).toBe('0x000000009d000000 0x000000009d7fffff direct\n0x000000009d800000 0x000000009dffffff direct\n' + MSI);
    const group = t4('5.2').groups.find((entry) => entry.group === 7)!;
    const verdict = evaluatePassthrough(group.members, kernelBehaviour('5.2'));
    // The display function is exempt from the v3.17 lock; the audio function is not.
    expect(verdict.rmrrLockedDevices).toEqual(['0000:03:00.1']);
    expect(verdict.kernel).toEqual({ label: 'Linux 5.2', refused: true, rule: 'rmrr-locked' });
  });

  it('T4 under 6.1 and 6.6: direct-relaxable + direct (kernel truth); refused by the RMRR lock, then by require_direct', () => {
    const expected = '0x000000009d000000 0x000000009d7fffff direct-relaxable\n0x000000009d800000 0x000000009dffffff direct\n' + MSI;
    expect(textOf(t4('6.1'), '0000:03:00.0')).toBe(expected);
    expect(textOf(t4('6.6'), '0000:03:00.0')).toBe(expected);
    expect(textOf(t4(undefined), '0000:03:00.0')).toBe(expected);
    const members = (version: string) => t4(version).groups.find((entry) => entry.group === 7)!.members;
    expect(evaluatePassthrough(members('6.1'), kernelBehaviour('6.1')).kernel).toEqual({ label: 'Linux 6.1', refused: true, rule: 'rmrr-locked' });
    expect(evaluatePassthrough(members('6.6'), kernelBehaviour('6.6')).kernel).toEqual({ label: 'Linux 6.6', refused: true, rule: 'require-direct' });
  });

  const t5 = (version: string | undefined) =>
    intelUnder(
      version,
      {
        rmrrs: [
          { base: 0x7b800000n, end: 0x7bffffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[2, 0]] }] },
          { base: 0x7c000000n, end: 0x7fffffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[2, 0]] }] },
        ],
      },
      [{ bdf: '0000:00:02.0', class: '0x030000' }],
    );

  it('T5 under 5.2: adjacent RMRRs not merged, relaxable printed as direct; 6.1/6.6: one direct-relaxable run', () => {
    expect(textOf(t5('5.2'), '0000:00:02.0')).toBe('0x000000007b800000 0x000000007bffffff direct\n0x000000007c000000 0x000000007fffffff direct\n' + MSI);
    for (const version of ['6.1', '6.6', undefined]) expect(textOf(t5(version), '0000:00:02.0')).toBe('0x000000007b800000 0x000000007fffffff direct-relaxable\n' + MSI);
    // A graphics RMRR never locks the device, on any release.
    const members = t5('5.2').groups[0]!.members;
    expect(evaluatePassthrough(members, kernelBehaviour('5.2')).kernel?.refused).toBe(false);
  });

  it('T3 under 5.2: a bridge-scope RMRR reaches the bridge only', () => {
    const devices = [
      { bdf: '0000:00:1c.0', class: '0x060400', secondaryBus: 2, subordinateBus: 3 },
      { bdf: '0000:02:00.0', class: '0x010802', parent: '0000:00:1c.0' },
    ];
    const spec: DmarSpec = { rmrrs: [{ base: 0x7a000000n, end: 0x7a0fffffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1c, 0]] }] }] };
    const rmrr = '0x000000007a000000 0x000000007a0fffff direct\n';
    expect(textOf(intelUnder('5.2', spec, devices), '0000:02:00.0')).toBe(MSI);
    expect(textOf(intelUnder('5.2', spec, devices), '0000:00:1c.0')).toBe(rmrr + MSI);
    expect(textOf(intelUnder('5.3', spec, devices), '0000:02:00.0')).toBe(rmrr + MSI);
  });

  it('T8: the ISA region is absent before 5.3, direct on 5.3–5.4, direct-relaxable from ~5.5', () => {
    const devices = [{ bdf: '0000:00:1f.0', class: '0x060100' }, { bdf: '0000:00:1f.3', class: '0x040300' }];
    const groups = { '3': ['0000:00:1f.0', '0000:00:1f.3'] };
    const isa = (type: string) => `0x0000000000000000 0x0000000000ffffff ${type}\n`;
    expect(textOf(intelUnder('5.2', {}, devices, groups), '0000:00:1f.0')).toBe(MSI);
    expect(textOf(intelUnder('5.4', {}, devices, groups), '0000:00:1f.0')).toBe(isa('direct') + MSI);
    expect(textOf(intelUnder('5.5', {}, devices, groups), '0000:00:1f.0')).toBe(isa('direct-relaxable') + MSI);
    const unscoped = (version: string) => intelUnscopedRegions(parseDmar(buildDmar({})), kernelBehaviour(version)).map((region) => region.type);
    expect(unscoped('5.2')).toEqual(['msi']);
    expect(unscoped('5.4')).toEqual(['direct', 'msi']);
  });

  it('a BRIDGE scope on an ISA bridge turns the IOMMU off before ~5.6, not after (kernel-semantics §3.3)', () => {
    const spec: DmarSpec = { rmrrs: [{ base: 0x80000000n, end: 0x800fffffn, scopes: [{ kind: 'bridge', bus: 0, path: [[0x1f, 0]] }] }] };
    const devices = [{ bdf: '0000:00:1f.0', class: '0x060100' }];
    expect(intelUnder('5.5', spec, devices).iommuEnabled).toBe(false);
    expect(intelUnder('5.6', spec, devices).iommuEnabled).toBe(true);
    expect(intelUnder(undefined, spec, devices).iommuEnabled).toBe(true);
  });

  it('relax_rmrr: a NIC RMRR (T2) becomes direct-relaxable and is refused by no release; ignored before 5.3', () => {
    const spec: DmarSpec = { rmrrs: [{ base: 0x3e2e0000n, end: 0x3e2fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x1f, 6]] }] }] };
    const devices = [{ bdf: '0000:00:1f.6', class: '0x020000' }];
    const relaxed = intelUnder('6.6', spec, devices, undefined, true);
    expect(textOf(relaxed, '0000:00:1f.6')).toBe('0x000000003e2e0000 0x000000003e2fffff direct-relaxable\n' + MSI);
    expect(relaxed.devices[0]!.regions[0]!.reason).toMatch(/relax_rmrr.*out-of-tree/);
    expect(evaluatePassthrough(relaxed.groups[0]!.members, kernelBehaviour('6.6', { relaxRmrr: true })).kernel?.refused).toBe(false);
    expect(evaluatePassthrough(intelUnder('6.1', spec, devices, undefined, true).groups[0]!.members, kernelBehaviour('6.1', { relaxRmrr: true })).kernel?.refused).toBe(false);
    expect(textOf(intelUnder('5.2', spec, devices, undefined, true), '0000:00:1f.6')).toBe('0x000000003e2e0000 0x000000003e2fffff direct\n' + MSI);
  });

  it('A2: IORT RMRs only from 6.0 (rev 5 table, preserve_config)', () => {
    const iort = parseIort(buildIort({
      rc: [{ input: 0, count: 0xffff, output: 0, target: 'smmu' }],
      smmu: [{ input: 0, count: 0xffff, output: 0, target: 'its' }],
      rmrs: [{ flags: 0, mappings: [{ input: 0, count: 0, output: 0x100, target: 'smmu' }], descriptors: [{ base: 0x80000000n, length: 0x10000n }] }],
    }));
    const topology = topologyFromJson({ devices: [{ bdf: '0000:01:00.0', class: '0x020000' }] });
    const text = (version: string | undefined) => formatSysfs(analyzeArm(iort, undefined, topology, { kernel: kernelBehaviour(version) }).groups[0]!.regions);
    const swMsi = '0x0000000008000000 0x00000000080fffff msi\n';
    expect(text('5.19')).toBe(swMsi);
    expect(text('6.0')).toBe(swMsi + '0x0000000080000000 0x000000008000ffff direct\n');
    expect(text(undefined)).toBe(text('6.0'));
    expect(analyzeArm(iort, undefined, topology, { kernel: kernelBehaviour('5.19') }).findings.map((item) => item.code)).toContain('regions.arm.rmr-kernel');
  });

  it('the pre-5.3 merge joins overlapping same-type regions, not adjacent ones', () => {
    const region = (start: bigint, end: bigint) => ({ start, end, type: 'direct' as const, prot: 3, source: { table: 'kernel' as const, structure: 'test' } });
    const regions = [region(0x1000n, 0x1fffn), region(0x2000n, 0x2fffn), region(0x2800n, 0x3fffn)];
    expect(mergeRegions(regions, { adjacent: false }).map((item) => [item.start, item.end])).toEqual([[0x1000n, 0x1fffn], [0x2000n, 0x3fffn]]);
    expect(mergeRegions(regions).map((item) => [item.start, item.end])).toEqual([[0x1000n, 0x3fffn]]);
    expect(insertRegion([], region(1n, 2n), { adjacent: false })).toHaveLength(1);
  });
});

describe.skipIf(!HAVE_SHARED)(`regions --kernel on a kernel case${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  const base = join(CORPUS_ROOT, 'kernel', 'x86-laptop-latitude-e6230');

  it('prints the 5.2 text (direct, no ISA region) and the default text unchanged', async () => {
    const old = await runCli(['regions', join(base, 'DMAR.bin'), '--pci', join(base, 'sysfs'), '--sysfs', '--group', '1', '--kernel', '5.2']);
    expect(old.code).toBe(0);
    expect(old.stdout).toBe('0x00000000dd800000 0x00000000df9fffff direct\n' + MSI);
    const current = await runCli(['regions', join(base, 'DMAR.bin'), '--pci', join(base, 'sysfs'), '--sysfs', '--group', '1']);
    expect(current.stdout).toBe(readFileSync(join(base, 'expected', '1.reserved_regions'), 'utf8'));
    const isa = await runCli(['regions', join(base, 'DMAR.bin'), '--pci', join(base, 'sysfs'), '--sysfs', '--group', '8', '--kernel', '5.2']);
    expect(isa.stdout).toBe(MSI);
  });

  it('explains the release in human text and JSON; refuses --sysfs before 4.11 and bad versions', async () => {
    const human = await runCli(['regions', join(base, 'DMAR.bin'), '--pci', join(base, 'sysfs'), '--kernel', '6.1']);
    expect(human.stdout).toMatch(/kernel: Linux 6\.1 behaviour/);
    expect(human.stdout).toMatch(/device assignment on Linux 6\.1: not blocked/);
    const json = JSON.parse((await runCli(['regions', join(base, 'DMAR.bin'), '--pci', join(base, 'sysfs'), '--kernel', '5.2', '--json'])).stdout);
    expect(json.kernel).toMatchObject({ label: 'Linux 5.2', version: '5.2', relaxRmrr: false, reservedRegionsFile: true });
    expect(json.groups.find((group: { group: number }) => group.group === 1).passthrough.kernel).toEqual({ label: 'Linux 5.2', refused: false });
    const old = await runCli(['regions', join(base, 'DMAR.bin'), '--pci', join(base, 'sysfs'), '--sysfs', '--kernel', '4.9']);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/no reserved_regions file/);
    const bad = await runCli(['regions', join(base, 'DMAR.bin'), '--kernel', 'newest']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--kernel takes a Linux version/);
  });
});
