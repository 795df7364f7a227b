/**
 * The width findings of src/dmar/regions/intel-width.ts as the user reads them: which RMRR,
 * which devices, which mapped end, which width (kernel-semantics §10). The mapped end is the
 * RMRR's last byte + 1 rounded up to 4 KiB, the start rounded up likewise
 * (`iommu_group_create_direct_mappings`); widths from the DMAR HAW byte (stored width − 1).
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { analyzeIntel } from '../src/dmar/regions/index.js';
import { topologyFromJson } from '../src/pci/json.js';
import { dmar, drhd, rmrr, scope, type Bytes } from './support/dmar-builder.js';

const DEVICES = [
  { bdf: '0000:00:03.0', class: '0x020000', headerType: 0 },
  { bdf: '0000:00:04.0', class: '0x020000', headerType: 0 },
];
const on = (...devices: number[]) => devices.map((device) => scope({ type: 1, startBus: 0, path: [[device, 0]] }));

function widthFindings(unit: Bytes, options: { drhd?: Bytes; hawRaw?: number } = {}) {
  const table = parseDmar(dmar({ hawRaw: options.hawRaw ?? 38, structures: [options.drhd ?? drhd({ flags: 1 }), unit] }).bytes);
  const analysis = analyzeIntel(table, topologyFromJson({ devices: DEVICES }));
  return analysis.findings
    .filter((item) => item.code === 'regions.intel.boot-crash' || item.code === 'regions.intel.above-width')
    .map((item) => ({ code: item.code, offset: item.offset, device: item.device, message: item.message }));
}

describe('RMRR width findings, word for word', () => {
  it('boot crash: every covered device reached is named, the first one is the finding\'s device', () => {
    expect(widthFindings(rmrr({ base: 0x8000000000n, limit: 0x800000ffffn, scopes: on(3, 4) }))).toEqual([
      {
        code: 'regions.intel.boot-crash',
        offset: 0x40,
        device: '0000:00:03.0',
        message: 'RMRR @0x40 [0x8000000000–0x800000ffff] is identity-mapped for 0000:00:03.0, 0000:00:04.0 up to 0x8000010000 > 2^39: Linux 6.1\'s prepare_domain_attach_device logs "iommu width (39) is not sufficient for the mapped address (8000010000)", the attach fails and boot crashes (unless iommu=pt)',
      },
    ]);
  });

  it('only devices an IOMMU covers count as reached', () => {
    const onlyFour = drhd({ base: 0xfed91000n, scopes: on(4) });
    const findings = widthFindings(rmrr({ base: 0x8000000000n, limit: 0x800000ffffn, scopes: on(3, 4) }), { drhd: onlyFour });
    expect(findings.map((item) => [item.code, item.device])).toEqual([['regions.intel.boot-crash', '0000:00:04.0']]);
    expect(findings[0]!.message).toContain('identity-mapped for 0000:00:04.0 up to');
  });

  it('no device reached: a warning that says nothing maps it', () => {
    expect(widthFindings(rmrr({ base: 0x8000000000n, limit: 0x800000ffffn, scopes: on(9) }))).toEqual([
      {
        code: 'regions.intel.above-width',
        offset: 0x40,
        device: undefined,
        message: 'RMRR @0x40 [0x8000000000–0x800000ffff] reaches beyond the 39-bit width but no device present at boot receives it: nothing maps it, boot goes on',
      },
    ]);
  });

  it('above 2^57: intel_iommu_map refuses it, named with the mapped end in the kernel\'s hex', () => {
    expect(widthFindings(rmrr({ base: 0x200000000000000n, limit: 0x20000000000ffffn, scopes: on(3) }))).toEqual([
      {
        code: 'regions.intel.above-width',
        offset: 0x40,
        device: undefined,
        message: 'RMRR @0x40 [0x200000000000000–0x20000000000ffff] ends beyond 2^57: Linux 6.1 logs "DMAR: intel_iommu_map: iommu width (57) is not sufficient for the mapped address (200000000010000)", leaves it unmapped and boots; the region is still listed',
      },
    ]);
  });

  it('the width is the table\'s: 48 bits hold what 39 do not', () => {
    expect(widthFindings(rmrr({ base: 0x8000000000n, limit: 0x800000ffffn, scopes: on(3) }), { hawRaw: 47 })).toEqual([]);
    expect(widthFindings(rmrr({ base: 0xffff_ffff_0000n, limit: 0x1_0000_0000_0fffn, scopes: on(3) }), { hawRaw: 47 }).map((item) => item.message)).toEqual([
      expect.stringContaining('up to 0x1000000001000 > 2^48: '),
    ]);
  });

  it('an RMRR inside one page with an unaligned start maps nothing: no finding however high it is', () => {
    expect(widthFindings(rmrr({ base: 0x8000000800n, limit: 0x8000000fffn, scopes: on(3) }))).toEqual([]);
    // The same page from its start is mapped, and crashes.
    expect(widthFindings(rmrr({ base: 0x8000000000n, limit: 0x8000000fffn, scopes: on(3) })).map((item) => item.code)).toEqual(['regions.intel.boot-crash']);
  });

  it('Limit below Base maps nothing, unless Base lies in the last page below 2^64 and rounds up to 0', () => {
    expect(widthFindings(rmrr({ base: 0x9000000000n, limit: 0x8000000fffn, scopes: on(3) }))).toEqual([]);
    // ALIGN(0xfffffffffffff800) wraps to 0; start + length wraps to Limit + 1: the kernel maps [0, 0x8000001000).
    expect(widthFindings(rmrr({ base: 0xfffffffffffff800n, limit: 0x8000000fffn, scopes: on(3) })).map((item) => [item.code, item.device])).toEqual([['regions.intel.boot-crash', '0000:00:03.0']]);
  });
});
