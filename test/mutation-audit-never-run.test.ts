/**
 * Files of the mutated folders that had never been mutation-run (coverage audit of December 5,
 * docs/mutation.md "Coverage audit, December 5 (session 6)"): the DMAR and IORT layout rules, the
 * parse context, the region providers, IVinfo and the IVRS unknown block. Each expectation comes
 * from the table layouts (docs/spec.md's IORT node layouts, the VT-d remapping structure types, the AMD IOMMU
 * specification's IVRS header and IVHD/IVMD fixed parts) or from Linux's own rule named beside it.
 */
import { describe, expect, it } from 'vitest';
import { NO_BYTES_READER } from '../src/bytes/reader.js';
import { checkContext } from '../src/dmar/check-context.js';
import { parseDmar } from '../src/dmar/index.js';
import { scopeKind, structureKind } from '../src/dmar/layout.js';
import { parseIort } from '../src/iort/index.js';
import { minimumNodeLength, typeInMask } from '../src/iort/layout.js';
import { iortRegionProvider } from '../src/iort/regions/provider.js';
import { decodeIvInfo } from '../src/ivrs/ivinfo.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { entryKindOf } from '../src/ivrs/layout.js';
import { analyzeAmd, ivrsRegionProvider } from '../src/ivrs/regions/provider.js';
import { amdUnscopedRegions } from '../src/ivrs/regions/unscoped.js';
import { UnknownBlock } from '../src/ivrs/unknown-block.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { buildIort, itsGroup, rmr, rootComplex, smmuV3 } from './support/iort-builder.js';
import { QEMU_IVHD, ivhd, ivmd, ivrsBytes, select, topology } from './support/ivrs-model.js';
import { encodeDmar } from '../src/encode/index.js';

describe('DMAR layout and parse context', () => {
  it('a scope type past NAMESPACE (5) is unknown, as is type 0', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 255].map(scopeKind)).toEqual(['unknown', 'endpoint', 'bridge', 'ioapic', 'hpet', 'namespace', 'unknown', 'unknown']);
  });

  it('a structure is of its kind only from its fixed part on (DRHD 16, RMRR 24 bytes); type 7 and up is unknown', () => {
    expect(structureKind(0, 15)).toBe('unknown');
    expect(structureKind(0, 16)).toBe('drhd');
    expect(structureKind(1, 23)).toBe('unknown');
    expect(structureKind(1, 24)).toBe('rmrr');
    expect(structureKind(7, 64)).toBe('unknown');
  });

  it('the shared parse context lets go of the table after each parse', () => {
    const bytes = encodeDmar({ hostAddressWidth: 38, structures: [] } as never);
    parseDmar(bytes);
    expect(checkContext.reader).toBe(NO_BYTES_READER);
  });
});

describe('IORT layout', () => {
  it('the fixed part every node of a type has (spec §5 #2): SMMUv3 68 bytes from revision 1, RMR 28, IWB up to its name at 26, others the 16-byte header', () => {
    expect(minimumNodeLength(4, 0)).toBe(60);
    expect(minimumNodeLength(4, 1)).toBe(68);
    expect(minimumNodeLength(4, 5)).toBe(68);
    expect(minimumNodeLength(6, 3)).toBe(28);
    expect(minimumNodeLength(7, 0)).toBe(26);
    expect(minimumNodeLength(8, 0)).toBe(16);
    expect(minimumNodeLength(255, 0)).toBe(16);
  });

  it('Linux masks node types with an 8-bit mask: no type from 8 on matches, whatever the mask says', () => {
    expect(typeInMask(4, 1 << 4)).toBe(true);
    expect(typeInMask(8, 0x1ff)).toBe(false);
    // 1 << 32 is 1 in JavaScript: type 32 must not pass as type 0.
    expect(typeInMask(32, 0x01)).toBe(false);
  });

  it('the IORT provider names its table and gives the unscoped list: SW MSI, then the RMR descriptor', () => {
    const FULL = { inputBase: 0, idCount: 0xffff };
    const built = buildIort([itsGroup([0]), smmuV3({ mappings: [{ ...FULL, target: 0 }] }), rootComplex(0, { mappings: [{ ...FULL, target: 1 }] }), rmr([[0x6000_0000n, 0x1_0000n]], { mappings: [{ outputBase: 0x10, idCount: 0, target: 1 }] })], { revision: 5 });
    const provider = iortRegionProvider(parseIort(built.bytes), undefined);
    expect(provider.platform).toBe('arm');
    expect(provider.table).toBe('IORT');
    // IOMMU_RESV_SW_MSI at MSI_IOVA_BASE 0x8000000, then the RMR range [0x60000000, +64 KiB).
    expect(provider.unscopedRegions().map((region) => [region.start, region.end, region.type])).toEqual([
      [0x800_0000n, 0x80f_ffffn, 'sw-msi'],
      [0x6000_0000n, 0x6000_ffffn, 'direct'],
    ]);
  });
});

describe('IVRS header and blocks', () => {
  it('IVinfo flags: EFRSup bit 0, DMA guard opt-in bit 1, HtAtsResv bit 22, each alone', () => {
    expect(decodeIvInfo(0)).toMatchObject({ efrSupported: false, dmaGuardOptIn: false, htAtsReserved: false });
    expect(decodeIvInfo(1 << 1)).toMatchObject({ efrSupported: false, dmaGuardOptIn: true, htAtsReserved: false });
    expect(decodeIvInfo(1 << 22)).toMatchObject({ efrSupported: false, dmaGuardOptIn: false, htAtsReserved: true });
  });

  it('entry types past a byte are unknown', () => {
    expect(entryKindOf(0x42)).toBe('alias-select');
    expect(entryKindOf(0x100)).toBe('unknown');
    expect(entryKindOf(-1)).toBe('unknown');
  });

  it('an unknown block type keeps its bytes after the 4-byte header; an IVHD or IVMD below its fixed part is truncated', () => {
    const table = parseIvrs(ivrsBytes([
      { type: 0x51, kind: 'unknown', flags: 0x5a, payload: new Uint8Array([1, 2, 3, 4, 5, 6]) },
      { type: 0x10, kind: 'unknown', payload: new Uint8Array([7, 8, 9, 10]) },
      { type: 0x21, kind: 'unknown', payload: new Uint8Array([11, 12, 13, 14]) },
    ]));
    const blocks = [...table.blocks()];
    expect(blocks.every((block) => block instanceof UnknownBlock)).toBe(true);
    const [other, shortIvhd, shortIvmd] = blocks as UnknownBlock[];
    expect([other!.truncated, shortIvhd!.truncated, shortIvmd!.truncated]).toEqual([false, true, true]);
    expect([...other!.payload]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...shortIvmd!.payload]).toEqual([11, 12, 13, 14]);
    const json = other!.toJSON();
    expect({ ...json, payload: [...(json.payload as Uint8Array)] }).toEqual({ type: 0x51, kind: 'unknown', offset: 0x30, length: 10, flags: 0x5a, truncated: false, payload: [1, 2, 3, 4, 5, 6] });
  });
});

describe('AMD region provider', () => {
  it('names its table; without a topology an IOMMU Linux leaves off (no IVHD device ID) has no region at all', () => {
    const off = parseIvrs(ivrsBytes([ivhd(0x10, 0x08, []), ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)]));
    expect(ivrsRegionProvider(off).table).toBe('IVRS');
    expect(amdUnscopedRegions(off)).toEqual([]);
    expect(ivrsRegionProvider(off).unscopedRegions()).toEqual([]);
  });

  it('the provider\'s unscoped list is the unity map, then the MSI and HyperTransport windows', () => {
    const on = parseIvrs(ivrsBytes([QEMU_IVHD, ivmd(0x21, 0x7, 0x18, 0, 0x80100000n, 0x1000n)]));
    expect(ivrsRegionProvider(on).unscopedRegions().map((region) => [region.start, region.end, region.type])).toEqual([
      [0x8010_0000n, 0x8010_0fffn, 'direct'],
      [0xfee0_0000n, 0xfeef_ffffn, 'msi'],
      [0xfd_0000_0000n, 0xff_ffff_ffffn, 'reserved'],
    ]);
  });

  it('an IVHD alias naming the device itself adds no guessed group mate (setup_aliases skips alias == devid)', () => {
    const table = parseIvrs(ivrsBytes([ivhd(0x10, 0x08, [select(0x08), select(0x20), { kind: 'alias-select', deviceId: 0x10, sourceDeviceId: 0x10 }, { kind: 'alias-select', deviceId: 0x21, sourceDeviceId: 0x20 }])]));
    const analysis = analyzeAmd(table, { ...topology([0x10, 0x20, 0x21], []), groupsGuessed: true });
    const guessed = analysis.assumptions.filter((text) => text.startsWith('groups guessed:'));
    expect(guessed).toHaveLength(1);
    expect(guessed[0]).toMatch(/^groups guessed: 0000:00:04\.1 shares the group of 0000:00:04\.0/);
  });

  it('analyzeAmd applies the asked kernel: an older release is told the AMD rules are 6.1\'s', () => {
    const table = parseIvrs(ivrsBytes([QEMU_IVHD]));
    const older = analyzeAmd(table, topology([0x10], [[0x10]]), kernelBehaviour('5.15')).assumptions;
    expect(older.some((text) => text.startsWith("AMD-Vi rules are Linux 6.1's; for Linux 5.15"))).toBe(true);
    expect(analyzeAmd(table, topology([0x10], [[0x10]])).assumptions.some((text) => text.startsWith('AMD-Vi rules'))).toBe(false);
  });
});
