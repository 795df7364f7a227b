/**
 * Intel regions without a PCI topology (src/dmar/regions/unscoped.ts) through `unscopedRegions`:
 * one descriptor per RMRR PCI scope entry in table order, then the kernel's fixed windows, with
 * the release's rules in type and reason. Offsets from the VT-d layout: DRHD at 48 (16 bytes),
 * RMRR at 64 (0x40), its scopes from 88 (0x58).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unscopedRegions } from '../src/analyze.js';
import { jsonReplacer } from '../src/bytes/hex.js';
import { parseDmar, type DmarTable } from '../src/dmar/index.js';
import { kernelBehaviour, type KernelBehaviour } from '../src/regions/kernel-versions.js';
import { plainRegion } from '../src/regions/lazy-region.js';
import { mergeRegions } from '../src/regions/merge.js';
import { regionJson, regionLine } from '../src/regions/render.js';
import type { RegionDescriptor } from '../src/regions/types.js';
import { dmar, drhd, rmrr, scope, type Bytes } from './support/dmar-builder.js';
import { CORPUS_ROOT, HAVE_SHARED, kernelCases, realTables } from './support/shared.js';

const BASE = 0x3e2e0000n;
const LIMIT = 0x3e2fffffn;
const RELAXABLE_RULE = 'direct-relaxable instead if the device is USB (class 0x0c03xx) or display (0x03xxxx)';

function regions(scopes: Bytes[], options: { kernel?: string; relaxRmrr?: boolean; segment?: number } = {}) {
  const table = parseDmar(dmar({ structures: [drhd({ flags: 1, segment: options.segment ?? 0 }), rmrr({ base: BASE, limit: LIMIT, segment: options.segment ?? 0, scopes })] }).bytes);
  const kernel = options.kernel === undefined ? undefined : kernelBehaviour(options.kernel, { relaxRmrr: options.relaxRmrr });
  return unscopedRegions({ dmar: table }, 'intel', { kernel });
}

const MSI = {
  start: 0xfee00000n,
  end: 0xfeefffffn,
  type: 'msi',
  prot: 0,
  source: { table: 'kernel', structure: 'interrupt window', detail: 'every device' },
  reason: 'x86 interrupt address range',
};
const isa = (type: string, reason: string) => ({
  start: 0n,
  end: 0xffffffn,
  type,
  prot: 3,
  source: { table: 'kernel', structure: 'ISA bridge (floppy workaround)', detail: 'every ISA bridge function (class 0x0601xx)' },
  reason,
});

describe('Intel regions without a topology', () => {
  it('each ENDPOINT/BRIDGE scope of an RMRR in table order, IOAPIC scopes skipped, then the ISA and interrupt windows', () => {
    const list = regions([
      scope({ type: 1, startBus: 0, path: [[0x14, 0]] }),
      scope({ type: 3, enumerationId: 2, startBus: 0xf0, path: [[0x1f, 0]] }),
      scope({ type: 2, startBus: 0, path: [[0x1c, 0]] }),
      scope({ type: 1, startBus: 0, path: [[0x1c, 4], [0, 1]] }),
    ]);
    const rmrrRegion = (detail: string, device?: string) => ({
      start: BASE,
      end: LIMIT,
      type: 'direct',
      prot: 3,
      source: { table: 'DMAR', offset: 0x40, structure: 'RMRR', detail },
      reason: RELAXABLE_RULE,
      ...(device === undefined ? {} : { device }),
    });
    // An RMRR scope's descriptor builds its strings on first read: its plain form is the eager descriptor.
    expect(list.map(plainRegion)).toStrictEqual([
      rmrrRegion('endpoint 00:14.0 @0x58: 0000:00:14.0', '0000:00:14.0'),
      rmrrRegion('bridge 00:1c.0 @0x68: 0000:00:1c.0 and every device below it', '0000:00:1c.0'),
      rmrrRegion('endpoint 00:1c.4/00.1 @0x70: device 00.1 1 bridge(s) below bus 0x00 of segment 0x0000 (its bus number needs the topology)'),
      isa('direct-relaxable', 'CONFIG_INTEL_IOMMU_FLOPPY_WA: 0–16 MiB identity map, relaxable'),
      MSI,
    ]);
  });

  it('names the device on the RMRR\'s segment, only when the one hop is a valid device and function', () => {
    expect(regions([scope({ type: 1, startBus: 3, path: [[0x1f, 7]] })], { segment: 2 })[0]!.device).toBe('0002:03:1f.7');
    for (const path of [[[32, 0]], [[3, 8]], []] as [number, number][][]) {
      const [region] = regions([scope({ type: 1, startBus: 0, path })]);
      expect(region!.device).toBeUndefined();
      expect(plainRegion(region!)).not.toHaveProperty('device');
    }
    const empty = regions([scope({ type: 1, startBus: 0, path: [] })])[0]!;
    expect(empty.source.detail).toBe('endpoint 00: @0x58: no path: names no device');
  });

  it('prints out-of-range path bytes as the kernel-style text does: hops in hex, the masked BDF, the last function in decimal', () => {
    const [oneHop, twoHops] = regions([scope({ type: 1, startBus: 0xab, path: [[0x20, 0x0b]] }), scope({ type: 1, startBus: 0, path: [[0x1c, 0], [0x21, 0x0c]] })]);
    expect(oneHop!.source.detail).toBe('endpoint ab:20.b @0x58: 0000:ab:00.3');
    expect(oneHop!.device).toBeUndefined();
    expect(twoHops!.source.detail).toBe('endpoint 00:1c.0/21.c @0x60: device 21.12 1 bridge(s) below bus 0x00 of segment 0x0000 (its bus number needs the topology)');
  });

  it('stops an RMRR\'s scopes at the first one that cannot be framed (Length under 6, or past the RMRR\'s end)', () => {
    const good = scope({ type: 1, startBus: 0, path: [[0x14, 0]] });
    const later = scope({ type: 1, startBus: 0, path: [[0x1a, 0]] });
    // A Length byte of 2 (shorter than a scope header): the 00:1a.0 scope after it is never reached.
    const short = regions([good, scope({ type: 1, length: 2, startBus: 0, path: [[0x1d, 0]] }), later]);
    expect(short.map((region) => region.source.detail)).toEqual(['endpoint 00:14.0 @0x58: 0000:00:14.0', 'every ISA bridge function (class 0x0601xx)', 'every device']);
    // The last scope's Length (0x20) runs 24 bytes past the RMRR: only the first scope gives a region.
    const overrun = regions([good, scope({ type: 1, length: 0x20, startBus: 0, path: [[0x1d, 0]] })]);
    expect(overrun.map((region) => region.device)).toEqual(['0000:00:14.0', undefined, undefined]);
  });

  it('before v5.3: no DIRECT_RELAXABLE, a bridge scope reaches the bridge only, no ISA window', () => {
    const list = regions([scope({ type: 2, startBus: 0, path: [[0x1c, 0]] }), scope({ type: 2, startBus: 0, path: [[0x1c, 0], [0, 0]] })], { kernel: '5.2' });
    expect(list.map((region) => [region.type, region.reason, region.source.detail])).toEqual([
      ['direct', 'Linux 5.2 has no DIRECT_RELAXABLE type (v5.3+): direct for every device', 'bridge 00:1c.0 @0x58: 0000:00:1c.0 only (Linux 5.2: not the devices below it, v5.3+)'],
      ['direct', 'Linux 5.2 has no DIRECT_RELAXABLE type (v5.3+): direct for every device', 'bridge 00:1c.0/00.0 @0x60: device 00.0 1 bridge(s) below bus 0x00 of segment 0x0000 only (Linux 5.2: not the devices below it, v5.3+) (its bus number needs the topology)'],
      ['msi', 'x86 interrupt address range', 'every device'],
    ]);
  });

  it('v5.3–5.4: the ISA window is direct; relax_rmrr makes every RMRR scope direct-relaxable', () => {
    expect(regions([], { kernel: '5.3' })).toStrictEqual([isa('direct', 'CONFIG_INTEL_IOMMU_FLOPPY_WA: 0–16 MiB identity map, direct before ~v5.5'), MSI]);
    const relaxed = regions([scope({ type: 1, startBus: 0, path: [[0x1f, 6]] })], { kernel: '6.1', relaxRmrr: true });
    expect([relaxed[0]!.type, relaxed[0]!.reason]).toEqual(['direct-relaxable', 'direct-relaxable for every device: intel_iommu=relax_rmrr (out-of-tree patch)']);
  });
});

/**
 * The eager descriptors of a DMAR's RMRR scopes, spelled out here from the scope views (the text
 * the derivation printed before its strings became lazy): what the lazy ones must serialise to.
 */
function eagerRmrrRegions(table: DmarTable, kernel: KernelBehaviour, reason: string): RegionDescriptor[] {
  const two = (value: number) => value.toString(16).padStart(2, '0');
  const result: RegionDescriptor[] = [];
  for (const rmrr of table.structuresOfKind('rmrr')) {
    for (const scope of rmrr.deviceScopes()) {
      if (scope.kind !== 'endpoint' && scope.kind !== 'bridge') continue;
      const path = scope.path;
      const last = path[path.length - 1];
      const below = scope.kind === 'endpoint' ? '' : kernel.bridgeScopeDownstream ? ' and every device below it' : ` only (${kernel.label}: not the devices below it, v5.3+)`;
      const bdf = last === undefined ? '' : `${rmrr.segmentNumber.toString(16).padStart(4, '0')}:${two(scope.startBusNumber)}:${two(last.device & 31)}.${last.function & 7}`;
      const target =
        last === undefined
          ? 'no path: names no device'
          : path.length === 1
            ? `${bdf}${below}`
            : `device ${two(last.device)}.${last.function} ${path.length - 1} bridge(s) below bus 0x${two(scope.startBusNumber)} of segment 0x${rmrr.segmentNumber.toString(16).padStart(4, '0')}${below} (its bus number needs the topology)`;
      const label = `${scope.kind} ${two(scope.startBusNumber)}:${path.map((hop) => `${two(hop.device)}.${hop.function.toString(16)}`).join('/')}`;
      const region: RegionDescriptor = {
        start: rmrr.baseAddress,
        end: rmrr.limitAddress,
        type: kernel.relaxRmrr ? 'direct-relaxable' : 'direct',
        prot: 3,
        source: { table: 'DMAR', offset: rmrr.offset, structure: 'RMRR', detail: `${label} @0x${scope.offset.toString(16)}: ${target}` },
        reason,
      };
      if (path.length === 1 && last!.device < 32 && last!.function < 8) region.device = bdf;
      result.push(region);
    }
  }
  return result;
}

const KERNEL_DMARS = kernelCases()
  .map((name) => join(CORPUS_ROOT, 'kernel', name, 'DMAR.bin'))
  .filter((path) => existsSync(path));

describe.skipIf(!HAVE_SHARED)('RMRR scope descriptors over the real DMARs and the kernel cases', () => {
  const files = [...realTables('DMAR').map((row) => join(CORPUS_ROOT, 'real', row.path)), ...KERNEL_DMARS];
  const kernels: [KernelBehaviour, string][] = [
    [kernelBehaviour('6.1'), RELAXABLE_RULE],
    [kernelBehaviour('5.2'), 'Linux 5.2 has no DIRECT_RELAXABLE type (v5.3+): direct for every device'],
  ];

  it('serialise, render and merge as the eager descriptors do', () => {
    expect(files.length).toBeGreaterThan(KERNEL_DMARS.length);
    let scopes = 0;
    for (const file of files) {
      const table = parseDmar(new Uint8Array(readFileSync(file)));
      for (const [kernel, reason] of kernels) {
        const lazy = unscopedRegions({ dmar: table }, 'intel', { kernel }).filter((region) => region.source.structure === 'RMRR');
        const eager = eagerRmrrRegions(table, kernel, reason);
        scopes += eager.length;
        expect(JSON.stringify(lazy, jsonReplacer), file).toBe(JSON.stringify(eager, jsonReplacer));
        expect(lazy.map(regionLine), file).toEqual(eager.map(regionLine));
        expect(JSON.stringify(mergeRegions(lazy).map(regionJson), jsonReplacer), file).toBe(JSON.stringify(mergeRegions(eager).map(regionJson), jsonReplacer));
      }
    }
    expect(scopes).toBeGreaterThan(files.length);
  });

  it.skipIf(KERNEL_DMARS.length === 0)('cover every RMRR range Linux printed for the kernel cases', () => {
    for (const file of KERNEL_DMARS) {
      const lazy = unscopedRegions({ dmar: parseDmar(new Uint8Array(readFileSync(file))) }, 'intel').filter((region) => region.source.structure === 'RMRR');
      const expected = readdirSync(join(dirname(file), 'expected'))
        .flatMap((name) => readFileSync(join(dirname(file), 'expected', name), 'utf8').trim().split('\n'))
        .map((line) => line.split(' '))
        .filter(([start, end, type]) => type!.startsWith('direct') && !(BigInt(start!) === 0n && BigInt(end!) === 0xffffffn));
      for (const [start, end] of expected) {
        expect(lazy.some((region) => region.start === BigInt(start!)), `${file} ${start}`).toBe(true);
        expect(lazy.some((region) => region.end === BigInt(end!)), `${file} ${end}`).toBe(true);
      }
    }
  });
});
