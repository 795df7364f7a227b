/**
 * The AMD-Vi rules of src/ivrs/regions, boundary by boundary. The sysfs texts marked "Linux 6.1"
 * are what the kernel oracle printed (../shared/tools/kernel-oracle, KO_IOMMU_DEV=amd-iommu,
 * Debian 6.1.0-57-amd64 under QEMU 7.2, devices VGA 02.0, qemu-xhci 03.0, e1000e 04.0) for the
 * same IVHD and IVMD blocks, booted on 2026-12-04; the rest follows drivers/iommu/amd/init.c.
 */
import { describe, expect, it } from 'vitest';
import { parseIvrs } from '../src/ivrs/index.js';
import { amdBootModel, amdDeviceList, amdDeviceRegions, amdDmaAlias, amdUnscopedRegions } from '../src/ivrs/regions/index.js';
import { assembleGroups } from '../src/regions/analysis.js';
import { formatSysfs } from '../src/regions/sysfs.js';
import { QEMU_IVHD, ivhd, ivmd, ivrsBytes, pciDevice, select, topology } from './support/ivrs-model.js';

const TAIL = '0x00000000fee00000 0x00000000feefffff msi\n0x000000fd00000000 0x000000ffffffffff reserved\n';
const IDS = [0x00, 0x08, 0x10, 0x18, 0x20, 0xf8, 0xfa, 0xfb];
/** The groups Linux formed on that machine (00:01.0, the IOMMU, has none). */
const GROUPS = [[0x00], [0x10], [0x18], [0x20], [0xf8, 0xfa, 0xfb]];

function sysfsPerGroup(blocks: Parameters<typeof ivrsBytes>[0]): string[] {
  const table = parseIvrs(ivrsBytes(blocks));
  expect(table.diagnostics).toEqual([]);
  const topo = topology(IDS, GROUPS);
  const list = amdDeviceList(table, topo);
  return assembleGroups(topo, list.devices, []).map((group) => formatSysfs(group.regions));
}

const regionsOf = (blocks: Parameters<typeof ivrsBytes>[0], id: number) => amdDeviceRegions(amdBootModel(parseIvrs(ivrsBytes(blocks))), pciDevice(id));

describe('IVMD rules, as Linux 6.1 applied them (kernel oracle run 1)', () => {
  const probe = [
    QEMU_IVHD,
    ivmd(0x21, 0x1, 0x10, 0, 0x3e001001n, 0x1001n),
    ivmd(0x21, 0x8, 0x18, 0, 0x3e100000n, 0x10000n),
    ivmd(0x22, 0x7, 0x20, 0x10, 0x3e200000n, 0x10000n),
    ivmd(0x21, 0x7, 0x20, 0, 0x3e300000n, 0x10000n, 1),
    ivmd(0x21, 0x7, 0x20, 0, 0x3e400000n, 0n),
    ivmd(0x21, 0x6, 0x20, 0, 0x3e600000n, 0x1000n),
    ivmd(0x22, 0x1, 0xf8, 0xfa, 0x3e500000n, 0x1000n),
  ];

  it('every group byte for byte', () => {
    expect(sysfsPerGroup(probe)).toEqual([
      TAIL,
      // Start 0x3e001001 rounds UP to 0x3e002000, length 0x1001 up to 0x2000 (PAGE_ALIGN both).
      `0x000000003e002000 0x000000003e003fff direct\n${TAIL}`,
      // An exclusion range without the unity flag is a read/write unity map: direct.
      `0x000000003e100000 0x000000003e10ffff direct\n${TAIL}`,
      // 00:04.0: the reversed range, the segment-1 IVMD and the one without unity/exclusion flags
      // reach nothing; the zero-length IVMD prints start, start − 1.
      `0x000000003e400000 0x000000003e3fffff direct\n${TAIL}`,
      // Range 00:1f.0–00:1f.2 reaches two of the group's three members: one region.
      `0x000000003e500000 0x000000003e500fff direct\n${TAIL}`,
    ]);
  });

  it('reports the ignored IVMD and the rounded one', () => {
    const model = amdBootModel(parseIvrs(ivrsBytes(probe)));
    expect(model.findings.map((item) => `${item.code}@${item.offset}`)).toEqual(['regions.amd.ivmd-rounded@112', 'regions.amd.ivmd-ignored@272']);
  });

  it('keeps protection bits: unity-only maps are neither readable nor writeable, exclusion ranges both', () => {
    expect(regionsOf(probe, 0x10)![0]!.prot).toBe(0);
    expect(regionsOf(probe, 0x18)![0]!.prot).toBe(3);
  });
});

describe('device-ID ranges, both boundaries', () => {
  const range = [QEMU_IVHD, ivmd(0x22, 0x1, 0x10, 0x18, 0x10000000n, 0x1000n)];
  const single = [QEMU_IVHD, ivmd(0x21, 0x1, 0x18, 0x99, 0x10000000n, 0x1000n)];
  const hasIvmd = (blocks: typeof range, id: number) => regionsOf(blocks, id)!.some((region) => region.source.table === 'IVRS');

  it('type 0x22 holds its first and last ID, not the IDs around them', () => {
    expect([0x08, 0x10, 0x18, 0x20].map((id) => regionsOf(range, id) === undefined ? 'none' : hasIvmd(range, id))).toEqual(['none', true, true, false]);
  });

  it('type 0x21 holds its device only, whatever the auxiliary field says', () => {
    expect([0x10, 0x18, 0x20].map((id) => hasIvmd(single, id))).toEqual([false, true, false]);
  });

  it('type 0x20 reaches every device up to last_bdf', () => {
    const all = [QEMU_IVHD, ivmd(0x20, 0x1, 0, 0, 0x10000000n, 0x1000n)];
    expect(IDS.filter((id) => id !== 0x08).every((id) => hasIvmd(all, id))).toBe(true);
    expect(amdBootModel(parseIvrs(ivrsBytes(all))).segments.get(0)!.unityMaps[0]).toMatchObject({ first: 0, last: 0xfb });
  });
});

describe('which devices the AMD IOMMU handles', () => {
  it('the IOMMU itself (the IVHD device ID) gets no IOMMU although an entry names it', () => {
    expect(regionsOf([QEMU_IVHD], 0x08)).toBeUndefined();
    expect(regionsOf([QEMU_IVHD], 0x10)).toBeDefined();
  });

  it('a start/end-of-range pair covers both ends and nothing beyond', () => {
    const blocks = [ivhd(0x10, 0x02, [{ kind: 'range-start', deviceId: 0x100 }, { kind: 'range-end', deviceId: 0x1ff }])];
    expect([0xff, 0x100, 0x1ff, 0x200].map((id) => regionsOf(blocks, id) !== undefined)).toEqual([false, true, true, false]);
  });

  it('a device ID above last_bdf has no IOMMU even when an "all" entry is absent', () => {
    const blocks = [ivhd(0x10, 0x02, [select(0x10), { kind: 'range-start', deviceId: 0x18 }, { kind: 'range-end', deviceId: 0x20 }])];
    expect(amdBootModel(parseIvrs(ivrsBytes(blocks))).segments.get(0)!.lastBdf).toBe(0x20);
    expect(regionsOf(blocks, 0x21)).toBeUndefined();
  });

  it('an IVHD "all" entry covers every ID up to 0xffff', () => {
    const blocks = [ivhd(0x10, 0x02, [{ kind: 'all' }])];
    expect(regionsOf(blocks, 0xffff)).toBeDefined();
    expect(regionsOf(blocks, 0x02)).toBeUndefined();
  });

  it('special IOAPIC/HPET entries give their source ID an IOMMU', () => {
    const blocks = [ivhd(0x10, 0x02, [select(0xa1), { kind: 'special', sourceDeviceId: 0xa0, handle: 33, variety: 1 }])];
    expect(regionsOf(blocks, 0xa0)).toBeDefined();
  });

  // select(0xff) raises last_bdf above the HID entry's ID: HID entries do not count for last_bdf.
  it('ACPI HID entries count only in IVHD 0x40 (Linux: "Invalid IVHD device type" otherwise)', () => {
    const hid = { kind: 'acpi-hid', deviceId: 0xa5, hid: 'AMDI0020', cidValue: 0, uidFormat: 2, uid: '\\_SB.FUR0' };
    const extra = { attributes: 0, efrRegisterImage: 0n, efrRegisterImage2: 0n };
    expect(regionsOf([ivhd(0x40, 0x02, [select(0xff), hid], extra)], 0xa5)).toBeDefined();
    expect(regionsOf([ivhd(0x11, 0x02, [select(0xff), hid], extra)], 0xa5)).toBeUndefined();
  });
});

describe('which IVHD type Linux uses', () => {
  const extra = { attributes: 0, efrRegisterImage: 0n, efrRegisterImage2: 0n };
  const v10 = ivhd(0x10, 0x02, [select(0x10)]);
  const v11 = ivhd(0x11, 0x02, [select(0x18)], extra);

  it('the last type seen for the first IVHD\'s device ID: 0x11 after 0x10, whose entries are then unused', () => {
    const model = amdBootModel(parseIvrs(ivrsBytes([v10, v11])));
    expect(model.ivhdType).toBe(0x11);
    expect(amdDeviceRegions(model, pciDevice(0x10))).toBeUndefined();
    expect(amdDeviceRegions(model, pciDevice(0x18))).toBeDefined();
    expect(model.findings.map((item) => item.code)).toEqual(['regions.amd.ivhd-unused']);
  });

  it('the scan stops at a block type above 0x40 (e.g. 0x51)', () => {
    const model = amdBootModel(parseIvrs(ivrsBytes([v10, { type: 0x51, kind: 'unknown', payload: new Uint8Array(28) }, v11])));
    expect(model.ivhdType).toBe(0x10);
  });

  it('an IVMD naming the first IVHD\'s device ID is picked as the "IVHD type": Linux 6.1 then has no IOMMU (oracle run 2: "AMD-Vi: Unsupported IVHD type 0x21", no groups)', () => {
    const model = amdBootModel(parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x21, 0x7, 0x08, 0, 0x3e000000n, 0x1000n)])));
    expect(model.enabled).toBe(false);
    expect(model.findings.map((item) => item.code)).toEqual(['regions.amd.ivhd-unused', 'regions.amd.iommu-off']);
    expect(amdDeviceRegions(model, pciDevice(0x10))).toBeUndefined();
  });

  it('an IVHD that names no device ID makes the whole init fail', () => {
    const model = amdBootModel(parseIvrs(ivrsBytes([ivhd(0x10, 0x02, [{ kind: 'range-start', deviceId: 0x10 }])])));
    expect(model.enabled).toBe(false);
  });
});

describe('DMA aliases from IVHD alias entries', () => {
  const blocks = [
    ivhd(0x10, 0x02, [
      select(0x10),
      { kind: 'alias-select', deviceId: 0x118, sourceDeviceId: 0x100 },
      { kind: 'alias-range-start', deviceId: 0x300, sourceDeviceId: 0x2a5 },
      { kind: 'range-end', deviceId: 0x30f },
    ]),
  ];
  const model = amdBootModel(parseIvrs(ivrsBytes(blocks)));

  it('alias select: same bus, so Linux adds it to the PCI aliases; the alias ID gets an IOMMU too', () => {
    expect(amdDmaAlias(model, pciDevice(0x118))).toMatchObject({ aliasId: 0x100, sameBus: true });
    expect(amdDeviceRegions(model, pciDevice(0x100))).toBeDefined();
  });

  it('alias range: every ID of the range, and only those; another bus, so Linux ignores it for grouping', () => {
    expect([0x2ff, 0x300, 0x30f, 0x310].map((id) => amdDmaAlias(model, pciDevice(id))?.aliasId)).toEqual([undefined, 0x2a5, 0x2a5, undefined]);
    expect(amdDmaAlias(model, pciDevice(0x300))!.sameBus).toBe(false);
  });

  it('a device without an alias entry has none', () => {
    expect(amdDmaAlias(model, pciDevice(0x10))).toBeUndefined();
  });
});

describe('an IVHD alias on the same bus, as Linux 6.1 grouped it (kernel oracle run 3)', () => {
  const entries = [select(0x00), select(0x08), select(0x10), select(0x18), { kind: 'alias-select', deviceId: 0x20, sourceDeviceId: 0x18 }, select(0xf8), select(0xfa), select(0xfb), { kind: 'special', sourceDeviceId: 0xa0, handle: 0, variety: 1 }];
  const blocks = [ivhd(0x10, 0x08, entries), ivmd(0x21, 0x7, 0x20, 0, 0x3e000000n, 0x1000n), ivmd(0x21, 0x7, 0x18, 0, 0x3e100000n, 0x1000n)];
  const table = parseIvrs(ivrsBytes(blocks));

  it('names 00:03.0 as the DMA alias of 00:04.0, on the same bus: the fact that puts both in one group', () => {
    expect(amdDmaAlias(amdBootModel(table), pciDevice(0x20))).toMatchObject({ device: '0000:00:04.0', aliasId: 0x18, sameBus: true });
  });

  it('each member keeps the IVMD of its own ID; the shared group merges both (Linux: group 2 = 00:03.0 + 00:04.0)', () => {
    const topo = topology(IDS, [[0x00], [0x10], [0x18, 0x20], [0xf8, 0xfa, 0xfb]]);
    const list = amdDeviceList(table, topo);
    expect(list.devices.find((entry) => entry.device === '0000:00:04.0')!.regions[0]!.start).toBe(0x3e000000n);
    expect(assembleGroups(topo, list.devices, []).map((group) => formatSysfs(group.regions))).toEqual([
      TAIL,
      TAIL,
      `0x000000003e000000 0x000000003e000fff direct\n0x000000003e100000 0x000000003e100fff direct\n${TAIL}`,
      TAIL,
    ]);
  });
});

describe('without a topology', () => {
  it('lists every unity map with its device-ID range, then the two fixed windows', () => {
    const regions = amdUnscopedRegions(parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x22, 0x7, 0x10, 0x20, 0x3e200000n, 0x10000n), ivmd(0x21, 0x2, 0x10, 0, 0x3e300000n, 0x1000n)])));
    expect(regions.map((region) => [region.start, region.end, region.type, region.source.detail])).toEqual([
      [0x3e200000n, 0x3e20ffffn, 'direct', 'device IDs 00:02.0–00:04.0'],
      [0xfee00000n, 0xfeefffffn, 'msi', 'MSI_RANGE_START–MSI_RANGE_END'],
      [0xfd00000000n, 0xffffffffffn, 'reserved', 'HT_RANGE_START–HT_RANGE_END'],
    ]);
  });
});
