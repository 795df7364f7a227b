/**
 * One built specimen per strict lint code (src/lint, `check --strict`), each asserting the code
 * and its exact table offset; the CLI wiring; and the lint counts over the real corpus.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/bytes/diagnostics.js';
import { parseDmar } from '../src/dmar/index.js';
import { parseIort } from '../src/iort/index.js';
import { LINT_CODES, lintTables, type LintCode, type LintTables } from '../src/lint/index.js';
import { parseMadt } from '../src/madt/index.js';
import { parseIvrs } from '../src/ivrs/index.js';
import { runCli } from './support/cli.js';
import { dmar, drhd, rmrr, scope, segmentStructure } from './support/dmar-builder.js';
import { buildIort, itsGroup, namedComponent, rmr, rootComplex, smmuV1V2, smmuV3, type BuildOptions, type NodeSpec } from './support/iort-builder.js';
import { gicIts, gicr, madt } from './support/madt-builder.js';
import { CORPUS_ROOT, HAVE_SHARED, SKIP_REASON, parsedRealTables } from './support/shared.js';
import { QEMU_IVHD, ivmd, ivrsBytes } from './support/ivrs-model.js';
import { publicRef } from '../src/bytes/public-ref.js';

const FULL = { inputBase: 0, idCount: 0xffff, outputBase: 0 };
const ENDPOINT = (device: number, fn = 0, bus = 0) => scope({ type: 1, startBus: bus, path: [[device, fn]] });

/** ITS group (handle 0), SMMUv3 (1), root complex on segment 0 (2), then `more`. */
function arm(options: BuildOptions & { smmu?: Partial<NodeSpec> & { flags?: number }; rc?: Partial<NodeSpec> } = {}, more: NodeSpec[] = []) {
  const { smmu = {}, rc = {}, ...build } = options;
  return buildIort([
    itsGroup([0]),
    smmuV3({ mappings: [{ ...FULL, target: 0 }], ...smmu }),
    rootComplex(0, { mappings: [{ ...FULL, target: 1 }], ...rc }),
    ...more,
  ], build);
}

/** RMR node (handle 3) with one descriptor, mapping stream ID 0x100 of the SMMUv3. */
const rmrNode = (ranges: [bigint, bigint][] = [[0x8000_0000n, 0x1_0000n]], extra: Partial<NodeSpec> & { flags?: number } = {}) =>
  rmr(ranges, { mappings: [{ outputBase: 0x100, target: 1, flags: 1 }], ...extra });

/** Built tables and the offset where the code must be reported. */
type Specimen = () => { tables: LintTables; offset: number };

const iortOnly = (built: { bytes: Uint8Array }, offset: number) => ({ tables: { iort: parseIort(built.bytes) }, offset });
const dmarOnly = (structures: number[][], offset: (at: number[]) => number) => {
  const built = dmar({ structures });
  return { tables: { dmar: parseDmar(built.bytes) }, offset: offset(built.at) };
};

/** QEMU's IVHD (48–112) then IVMDs at 112, 144, …; `offset` is relative to the first IVMD. */
const amdOnly = (ivmds: Parameters<typeof ivrsBytes>[0], offset: number) => ({ tables: { ivrs: parseIvrs(ivrsBytes([QEMU_IVHD, ...ivmds])) }, offset: 112 + offset });

const SPECIMENS: Record<LintCode, Specimen> = {
  'lint.iort.node-type-revision': () => {
    // An RMR node in a D table (the ITS group's revision 1 is node-revision-newer, another code).
    const built = arm({ revision: 0, smmu: { revision: 2 }, rc: { revision: 1 } }, [rmrNode()]);
    return iortOnly(built, built.offsets[3]!);
  },
  'lint.iort.node-revision-newer': () => {
    const built = arm({ revision: 5, smmu: { revision: 5 } });
    return iortOnly(built, built.offsets[1]! + 3);
  },
  'lint.iort.node-revision-older': () => {
    const built = arm({ revision: 6 });
    return iortOnly(built, built.offsets[1]! + 3);
  },
  'lint.iort.smmuv3-flags': () => {
    const built = arm({ smmu: { flags: 0x11 } });
    return iortOnly(built, built.offsets[1]! + 24);
  },
  'lint.iort.rc-flags': () => {
    const built = arm({ rc: { revision: 3, fixed: rootComplex(0, { flags: 1 }).fixed! } });
    return iortOnly(built, built.offsets[2]! + 36);
  },
  'lint.iort.rmr-flags': () => {
    const built = arm({}, [rmrNode(undefined, { flags: 0x16, revision: 1 })]);
    return iortOnly(built, built.offsets[3]! + 16);
  },
  'lint.iort.memory-access-flags': () => {
    // Named component: memory access properties at +20, their flags byte at +27 (CANWBS = bit 2).
    const built = arm({}, [namedComponent('\\_SB.DMA0', { mappings: [{ outputBase: 0x10000, target: 1, flags: 1 }], patch32: [[24, 0x0700_0000]] })]);
    return iortOnly(built, built.offsets[3]! + 27);
  },
  'lint.iort.output-overlap': () => {
    // A second root complex (segment 1) sends RIDs 0..0xff to stream IDs 0x80..0x17f: 0x80..0xff are taken.
    const built = arm({ rc: { mappings: [{ inputBase: 0, idCount: 0xff, outputBase: 0, target: 1 }] } }, [
      rootComplex(1, { mappings: [{ inputBase: 0, idCount: 0xff, outputBase: 0x80, target: 1 }] }),
    ]);
    return iortOnly(built, built.offsets[3]! + 40);
  },
  'lint.iort.rmr-zero-range': () => {
    const built = arm({}, [rmrNode([[0x8000_0000n, 0x1_0000n], [0n, 0x1_0000n]])]);
    return iortOnly(built, built.offsets[3]! + 28 + 20 + 20);
  },
  'lint.iort.rmr-ignored': () => iortOnly(arm({ revision: 3 }, [rmrNode()]), 8),
  'lint.its.unreferenced': () => ({
    tables: { iort: parseIort(arm().bytes), madt: parseMadt(madt([gicIts(0, 0x2010_0000n), gicIts(1, 0x2030_0000n)])) },
    offset: 44 + 20 + 4,
  }),
  'lint.madt.gic-flags-revision': () => ({ tables: { madt: parseMadt(madt([gicr(0x2f10_0000n, 0x10_0000), gicIts(0, 0x2010_0000n, 1)], { revision: 5 })) }, offset: 44 + 16 + 2 }),
  'lint.dmar.scope-flags': () => dmarOnly([drhd({ flags: 1, scopes: [scope({ type: 3, enumerationId: 2, flags: 0x1c, startBus: 0xf0, path: [[0x1f, 0]] })] })], (at) => at[0]! + 16 + 2),
  'lint.dmar.rmrr-uncovered': () => dmarOnly([drhd({ scopes: [ENDPOINT(2)] }), rmrr({ scopes: [ENDPOINT(0x14)] })], (at) => at[1]! + 24),
  'lint.dmar.scope-shared': () => dmarOnly([drhd({ scopes: [ENDPOINT(2)] }), drhd({ base: 0xfed91000n, scopes: [ENDPOINT(2)] })], (at) => at[1]! + 16),
  'lint.dmar.atsr-uncovered': () => dmarOnly([drhd({ flags: 1 }), segmentStructure(2, { segment: 1, flags: 1 })], (at) => at[1]! + 6),
  // The second IVMD (00:02.0–00:03.0) overlaps the first (00:02.0) by 0x8000 bytes: reported at its start address.
  'lint.ivrs.ivmd-overlap': () => amdOnly([ivmd(0x21, 0x7, 0x10, 0, 0x3e000000n, 0x10000n), ivmd(0x22, 0x7, 0x10, 0x18, 0x3e008000n, 0x10000n)], 32 + 16),
  // 00:05.0 is in no IVHD entry of QEMU's table.
  'lint.ivrs.ivmd-uncovered': () => amdOnly([ivmd(0x21, 0x7, 0x28, 0, 0x3e000000n, 0x10000n)], 4),
  // Flags 0x6: read and write but neither unity nor exclusion (as in amd-behind-bridge, which Linux ignored).
  'lint.ivrs.ivmd-dropped': () => amdOnly([ivmd(0x21, 0x6, 0x10, 0, 0x3e000000n, 0x10000n)], 1),
  // An IVMD carrying the IOMMU's device ID 00:01.0 (Linux 6.1: "Unsupported IVHD type 0x21", no groups; kernel oracle).
  'lint.ivrs.no-iommu': () => amdOnly([ivmd(0x21, 0x7, 0x08, 0, 0x3e000000n, 0x1000n)], 0),
  'lint.ivrs.ivmd-unaligned': () => amdOnly([ivmd(0x21, 0x7, 0x10, 0, 0x3e000800n, 0x10000n)], 16),
};

const lintOf = (tables: LintTables): Diagnostic[] => {
  const findings = lintTables(tables);
  return [...findings.dmar, ...findings.iort, ...findings.madt, ...findings.ivrs];
};

describe('strict lint specimens', () => {
  it('every lint code has a specimen (add one to SPECIMENS with the code)', () => {
    expect(Object.keys(SPECIMENS).sort()).toEqual(Object.keys(LINT_CODES).sort());
    for (const code of Object.keys(LINT_CODES)) expect(code).toMatch(/^lint\./);
  });

  it.each(Object.keys(SPECIMENS) as LintCode[])('%s at its exact offset, with the table severity and ref', (code) => {
    const { tables, offset } = SPECIMENS[code]();
    const hits = lintOf(tables).filter((item) => item.code === code);
    expect(hits.map((item) => item.offset)).toEqual([offset]);
    // The ref users see keeps the public sources only (src/bytes/public-ref.ts).
    expect(hits[0]!.severity).toBe(LINT_CODES[code].severity);
    expect(hits[0]!.ref).toBe(publicRef(LINT_CODES[code].ref));
  });

  it('a clean E.e table from the cross-walk (ITS 1, SMMUv3 5, RC 4, RMR 3) has no findings', () => {
    const built = arm({ revision: 6, smmu: { revision: 5 } }, [rmrNode()]);
    expect(lintOf({ iort: parseIort(built.bytes), madt: parseMadt(madt([gicIts(0, 0x2010_0000n)], { revision: 7 })) })).toEqual([]);
  });

  it('node revisions: RC rev 4 in a D table is newer; SMMUv3 rev 5 needs table revision 6', () => {
    const d = lintOf({ iort: parseIort(arm({ revision: 0, smmu: { revision: 2 } }).bytes) });
    expect(d.filter((item) => item.code === 'lint.iort.node-revision-newer').map((item) => item.message)).toEqual([
      expect.stringMatching(/ITS group .* revision 1; table revision 0 \(D\) allows at most 0/),
      expect.stringMatching(/root complex .* revision 4; table revision 0 \(D\) allows at most 1/),
    ]);
    const e = lintOf({ iort: parseIort(arm({ revision: 5, smmu: { revision: 5 } }).bytes) });
    expect(e.find((item) => item.code === 'lint.iort.node-revision-newer')?.message).toMatch(/revision 5 needs table revision 6/);
  });

  it('output overlaps: QEMU-style bypass RIDs to the ITS and shared SMMUv2 stream IDs are not reported', () => {
    // SMMUv3 maps all 64Ki SIDs to the ITS, but the RC sends only RIDs 0..0x1ff through it.
    const qemu = buildIort([
      itsGroup([0]),
      smmuV3({ mappings: [{ ...FULL, target: 0 }] }),
      rootComplex(0, { mappings: [{ inputBase: 0, idCount: 0x1ff, outputBase: 0, target: 1 }, { inputBase: 0x200, idCount: 0xfdff, outputBase: 0x200, target: 0 }] }),
    ]);
    expect(lintOf({ iort: parseIort(qemu.bytes) }).filter((item) => item.code === 'lint.iort.output-overlap')).toEqual([]);
    const v2 = buildIort([
      smmuV1V2(),
      namedComponent('\\_SB.GPU0', { mappings: [{ outputBase: 0x540, target: 0, flags: 1 }] }),
      namedComponent('\\_SB.MDP0', { mappings: [{ outputBase: 0x540, target: 0, flags: 1 }] }),
    ]);
    expect(lintOf({ iort: parseIort(v2.bytes) }).filter((item) => item.code === 'lint.iort.output-overlap')).toEqual([]);
  });

  it('DMAR coverage: an RMRR for a segment without DRHD is reported at its segment; bridges may cover deeper buses', () => {
    const noUnit = dmarOnly([drhd({ flags: 1 }), rmrr({ segment: 1, scopes: [ENDPOINT(0x14)] })], (at) => at[1]! + 6);
    expect(lintOf(noUnit.tables).filter((item) => item.code === 'lint.dmar.rmrr-uncovered').map((item) => item.offset)).toEqual([noUnit.offset]);
    const bridge = scope({ type: 2, path: [[0x1c, 0]] });
    const below = dmarOnly([drhd({ scopes: [bridge] }), rmrr({ scopes: [ENDPOINT(0, 0, 3), scope({ type: 1, path: [[0x1c, 0], [0, 0]] })] })], () => 0);
    expect(lintOf(below.tables)).toEqual([]);
  });

  it('DMAR sharing: the same IOAPIC in two units, and an endpoint below another unit\'s bridge', () => {
    const ioapic = scope({ type: 3, enumerationId: 2, startBus: 0xf0, path: [[0x1f, 0]] });
    const built = dmar({ structures: [drhd({ scopes: [ENDPOINT(2), ioapic] }), drhd({ base: 0xfed91000n, scopes: [scope({ type: 2, path: [[0x1c, 0]] })] }), drhd({ base: 0xfed92000n, scopes: [ioapic, scope({ type: 1, path: [[0x1c, 0], [0, 0]] })] })] });
    const hits = lintOf({ dmar: parseDmar(built.bytes) }).filter((item) => item.code === 'lint.dmar.scope-shared');
    expect(hits.map((item) => item.offset)).toEqual([built.at[2]! + 16, built.at[2]! + 24]);
    expect(hits[1]!.message).toMatch(/lies below the bridge/);
  });
});

describe('IVRS lint boundaries', () => {
  const codes = (ivmds: Parameters<typeof ivrsBytes>[0]) => lintOf({ ivrs: parseIvrs(ivrsBytes([QEMU_IVHD, ...ivmds])) }).map((item) => `${item.code}@${item.offset}`);

  it('adjacent IVMDs for one device, or overlapping ones for different devices, are not overlaps', () => {
    expect(codes([ivmd(0x21, 0x7, 0x10, 0, 0x3e000000n, 0x10000n), ivmd(0x21, 0x7, 0x10, 0, 0x3e010000n, 0x10000n)])).toEqual([]);
    expect(codes([ivmd(0x21, 0x7, 0x10, 0, 0x3e000000n, 0x10000n), ivmd(0x21, 0x7, 0x18, 0, 0x3e000000n, 0x10000n)])).toEqual([]);
    expect(codes([ivmd(0x21, 0x7, 0x10, 0, 0x3e000000n, 0x10000n), ivmd(0x21, 0x7, 0x10, 0, 0x3e00f000n, 0x10000n)])).toEqual(['lint.ivrs.ivmd-overlap@160']);
  });

  it('a range IVMD is uncovered only when none of its IDs has an IOMMU; the IOMMU itself does not count', () => {
    expect(codes([ivmd(0x22, 0x7, 0x21, 0x28, 0x3e000000n, 0x1000n)])).toEqual(['lint.ivrs.ivmd-uncovered@116']);
    expect(codes([ivmd(0x22, 0x7, 0x07, 0x08, 0x3e000000n, 0x1000n)])).toEqual(['lint.ivrs.ivmd-uncovered@116']);
    expect(codes([ivmd(0x22, 0x7, 0x07, 0x10, 0x3e000000n, 0x1000n)])).toEqual([]);
  });

  it('dropped: a reversed range (at its auxiliary field) and a segment no IVHD describes (at its segment); exclusion-only IVMDs are kept', () => {
    expect(codes([ivmd(0x22, 0x7, 0x20, 0x10, 0x3e000000n, 0x1000n)])).toEqual(['lint.ivrs.ivmd-dropped@118']);
    expect(codes([ivmd(0x21, 0x7, 0x10, 0, 0x3e000000n, 0x1000n, 1)])).toEqual(['lint.ivrs.ivmd-dropped@120']);
    expect(codes([ivmd(0x21, 0x8, 0x10, 0, 0x3e000000n, 0x1000n)])).toEqual([]);
  });

  it('an unaligned length alone is reported too', () => {
    expect(codes([ivmd(0x21, 0x7, 0x10, 0, 0x3e000000n, 0x1800n)])).toEqual(['lint.ivrs.ivmd-unaligned@128']);
  });
});

describe('check --strict', () => {
  const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-lint-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  // One machine: an IORT whose SMMUv3 is revision 5 in an E.d table, and an MADT with an extra ITS.
  writeFileSync(join(work, 'IORT.bin'), arm({ revision: 5, smmu: { revision: 5 } }).bytes);
  writeFileSync(join(work, 'APIC.bin'), madt([gicIts(0, 0x2010_0000n), gicIts(7, 0x2030_0000n)]));

  it('prints lint.* lines only with --strict, like any other finding; JSON carries them', async () => {
    const plain = await runCli(['check', work]);
    expect(plain.stdout).not.toMatch(/lint\./);
    const strict = await runCli(['check', '--strict', work]);
    expect(strict.code).toBe(0);
    expect(strict.stdout).toMatch(/IORT\.bin:0x004b: warning lint\.iort\.node-revision-newer SMMUv3 at 0x48 has node revision 5; table revision 5 \(E\.d\) allows at most 4, revision 5 needs table revision 6/);
    expect(strict.stdout).toMatch(/APIC\.bin:0x0044: info lint\.its\.unreferenced GIC ITS 7/);
    const json = (JSON.parse((await runCli(['check', '--strict', '--json', work])).stdout) as { tables: { source: string; diagnostics: Diagnostic[] }[] }).tables;
    const codes = json.flatMap((item) => item.diagnostics.map((diagnostic) => diagnostic.code));
    expect(codes).toEqual(expect.arrayContaining(['lint.iort.node-revision-newer', 'lint.its.unreferenced']));
  });
});

describe.skipIf(!HAVE_SHARED)(`check --strict over the real corpus${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  const paths = parsedRealTables('check --strict over the real corpus').map((row) => join(CORPUS_ROOT, 'real', row.path));

  it('runs over every real table and counts the lint findings per code', async () => {
    const result = await runCli(['check', '--strict', '--json', ...paths]);
    expect(result.stderr).toBe('');
    const items = (JSON.parse(result.stdout) as { tables: { diagnostics: Diagnostic[] }[] }).tables;
    expect(items).toHaveLength(paths.length);
    const counts: Record<string, number> = {};
    for (const item of items) for (const diagnostic of item.diagnostics) if (diagnostic.code.startsWith('lint.')) counts[diagnostic.code] = (counts[diagnostic.code] ?? 0) + 1;
    console.log(`lint findings over ${paths.length} real tables:`, counts);
    for (const code of Object.keys(counts)) expect(LINT_CODES).toHaveProperty(code);
  });

  it('without --strict prints no lint.* line', async () => {
    const result = await runCli(['check', ...paths]);
    expect(result.stdout).not.toMatch(/ lint\./);
  });
});
