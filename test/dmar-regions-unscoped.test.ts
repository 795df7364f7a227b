/**
 * Intel regions without a PCI topology (src/dmar/regions/unscoped.ts) through `unscopedRegions`:
 * one descriptor per RMRR PCI scope entry in table order, then the kernel's fixed windows, with
 * the release's rules in type and reason. Offsets from the VT-d layout: DRHD at 48 (16 bytes),
 * RMRR at 64 (0x40), its scopes from 88 (0x58).
 */
import { describe, expect, it } from 'vitest';
import { unscopedRegions } from '../src/analyze.js';
import { parseDmar } from '../src/dmar/index.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { dmar, drhd, rmrr, scope, type Bytes } from './support/dmar-builder.js';

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
    expect(list).toStrictEqual([
      rmrrRegion('endpoint 00:14.0 @0x58: 0000:00:14.0', '0000:00:14.0'),
      rmrrRegion('bridge 00:1c.0 @0x68: 0000:00:1c.0 and every device below it', '0000:00:1c.0'),
      rmrrRegion('endpoint 00:1c.4/00.1 @0x70: device 00.1 1 bridge(s) below bus 0x00 of segment 0x0000 (its bus number needs the topology)'),
      isa('direct-relaxable', 'CONFIG_INTEL_IOMMU_FLOPPY_WA: 0–16 MiB identity map, relaxable'),
      MSI,
    ]);
  });

  it('names the device on the RMRR\'s segment, only when the one hop is a valid device and function', () => {
    expect(regions([scope({ type: 1, startBus: 3, path: [[0x1f, 7]] })], { segment: 2 })[0]!.device).toBe('0002:03:1f.7');
    expect(regions([scope({ type: 1, startBus: 0, path: [[32, 0]] })])[0]).not.toHaveProperty('device');
    expect(regions([scope({ type: 1, startBus: 0, path: [[3, 8]] })])[0]).not.toHaveProperty('device');
    const empty = regions([scope({ type: 1, startBus: 0, path: [] })])[0]!;
    expect(empty).not.toHaveProperty('device');
    expect(empty.source.detail).toBe('endpoint 00: @0x58: no path: names no device');
  });

  it('prints out-of-range path bytes as the kernel-style text does: hops in hex, the masked BDF, the last function in decimal', () => {
    const [oneHop, twoHops] = regions([scope({ type: 1, startBus: 0xab, path: [[0x20, 0x0b]] }), scope({ type: 1, startBus: 0, path: [[0x1c, 0], [0x21, 0x0c]] })]);
    expect(oneHop!.source.detail).toBe('endpoint ab:20.b @0x58: 0000:ab:00.3');
    expect(oneHop).not.toHaveProperty('device');
    expect(twoHops!.source.detail).toBe('endpoint 00:1c.0/21.c @0x60: device 21.12 1 bridge(s) below bus 0x00 of segment 0x0000 (its bus number needs the topology)');
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
