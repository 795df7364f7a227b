/**
 * Replays the whole of corpus/: every hand-named malformed specimen raises the code it exists for
 * at the offset stated by hand below (worked out from the sample layouts, not read from the
 * parser), and every `.bin` — specimens, regressions, samples — passes all fuzz invariants. The
 * `.expected.json` files build-specimens writes are the parser's own output: a record for
 * review, not part of the pass/fail decision. The samples must be clean and rebuild from their models.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, expectedDiagnostics, readCorpus } from '../fuzz/corpus.js';
import { malformedSpecimens } from '../fuzz/specimens/malformed.js';
import { SAMPLE_PLATFORMS } from '../fuzz/specimens/samples.js';
import { readStoredCases } from '../fuzz/run-command-campaign.js';
import { DOCUMENTED_EXITS, runCommandCase } from '../fuzz/targets/commands.js';
import { TARGETS } from '../fuzz/targets/index.js';
import { encodeTable, type TableModel } from '../src/encode/index.js';
import { parseTable } from '../src/table.js';

const corpus = readCorpus();

/*
 * Layouts the offsets come from (fuzz/specimens/samples.ts models):
 * x86-laptop DMAR: header 48; DRHD 0x30 (16 + one 8-byte scope: scopes at 0x40, 0x48), DRHD 0x48
 * (16 + three scopes), RMRR 0x70, 0x90, 0xb0 (24 + one scope each), ANDD 0xd0. Host Address Width
 * byte 36, checksum byte 9, header Length at 4; RMRR Base at +8, DRHD Register Base at +8.
 * arm-server IORT: header 48 (node count at 36, node array offset at 40); ITS group 0x30 (24),
 * SMMUv3 0x48 (68 + 2 mappings of 20: 0x8c, 0xa0; DeviceID mapping index at +64 = 0x88),
 * root complex 0xb4 (40 + 1 mapping at 0xdc; mapping count at +8, array offset at +12 = 0xc0),
 * named component 0xf0 (29 + name "\_SB.ETH0" NUL, padded to 40, + 1 mapping = 60; name at +29),
 * RMR 0x12c (descriptor count at +20). An ID mapping's output reference is at +12.
 * x86-laptop MADT: header 44; Local APICs 0x2c, 0x34, 0x3c, 0x44, I/O APIC 0x4c, overrides 0x58,
 * 0x62, Local APIC NMI 0x6c (6 bytes, table length 114). arm-server MADT: first GICC at 0x2c.
 */
const BY_HAND: Record<string, [code: string, offset: number]> = {
  'dmar-subtable-zero-length': ['dmar.length.zero', 0x48], // the second DRHD
  'dmar-subtable-short': ['dmar.length.short', 0x48], // the 16-byte RMRR after the first DRHD
  'dmar-subtable-overrun': ['dmar.length.overrun', 0x48], // RMRR after the first DRHD, Length 200
  'dmar-scope-zero-length': ['dmar.scope.length', 0x48], // the first DRHD's second scope
  'dmar-scope-overrun': ['dmar.scope.overrun', 0x48], // the first DRHD's second scope, Length 14
  'dmar-scope-no-path': ['dmar.scope.no-path', 0x40], // the first DRHD's only scope
  'dmar-scope-path-odd': ['dmar.scope.path-odd', 0x40],
  'dmar-rmrr-base-after-limit': ['dmar.rmrr.base-after-limit', 0x78], // RMRR 0x70, Base at +8
  'dmar-andd-unterminated': ['dmar.andd.unterminated', 0xd0],
  'dmar-haw-invalid': ['dmar.haw.invalid', 36],
  'dmar-drhd-base-zero': ['dmar.drhd.base-zero', 0x38], // DRHD 0x30, Register Base at +8
  'dmar-truncated': ['sdt.length.truncated', 4], // header Length says more than the 120 bytes
  'dmar-checksum-wrong': ['sdt.checksum', 9],
  'iort-output-ref-cycle': ['iort.graph.cycle', 0xac], // SMMU A's second mapping (0xa0) output reference
  'iort-output-ref-self': ['iort.mapping.target-type', 0xac],
  'iort-output-ref-null': ['iort.mapping.null-ref', 0xe8], // root complex mapping 0xdc + 12
  'iort-output-ref-mid-node': ['iort.mapping.target-not-a-node', 0xe8],
  'iort-node-count-huge': ['iort.node.overflow', 36],
  'iort-node-zero-length': ['iort.length.zero', 0x48], // the SMMUv3 node
  'iort-node-array-offset-in-header': ['iort.node.array-offset', 40],
  'iort-mapping-outside-node': ['iort.mapping.outside-node', 0xc0], // root complex ID array reference
  'iort-mapping-count-overflow': ['iort.mapping.outside-node', 0xc0],
  'iort-nc-unterminated': ['iort.nc.unterminated', 0x10d], // named component 0xf0, name at +29
  'iort-rmr-no-ranges': ['iort.rmr.no-ranges', 0x140], // RMR 0x12c, descriptor count at +20
  'iort-smmuv3-devid-index': ['iort.smmuv3.devid-index', 0x88],
  'madt-subtable-zero-length': ['madt.length.zero', 0x4c], // the I/O APIC entry
  'madt-subtable-overrun': ['madt.length.overrun', 0x6c], // the last entry (Local APIC NMI)
  'madt-gicc-short': ['madt.length.short', 0x2c], // the 40-byte GICC, first entry
  // IVRS (fuzz/specimens/malformed.ts): IVHD 0x10 at 48, entries at 72, 76, 80, 84, special at 88; IVMD at 96.
  'ivrs-block-zero-length': ['ivrs.block.zero-length', 96],
  'ivrs-block-overrun': ['ivrs.block.overrun', 96],
  'ivrs-block-truncated': ['ivrs.block.truncated', 96], // Length 98: two bytes after the IVHD, which ends at 96
  'ivrs-block-short': ['ivrs.block.short', 96],
  'ivrs-block-unknown': ['ivrs.block.unknown', 128], // the block after the 32-byte IVMD
  'ivrs-entry-truncated': ['ivrs.entry.truncated', 88], // retyped 0xF0: its UID length byte is past the IVHD end
  'ivrs-entry-reserved': ['ivrs.entry.reserved', 76],
};

describe('corpus/ replay', () => {
  it('has specimens to replay', () => {
    expect(corpus.filter((entry) => entry.expected !== undefined).length).toBeGreaterThanOrEqual(malformedSpecimens().length);
  });

  it('states a hand-made expectation for every hand-named specimen', () => {
    expect(malformedSpecimens().map((specimen) => specimen.name).sort()).toEqual(Object.keys(BY_HAND).sort());
  });

  it.each(Object.entries(BY_HAND))('%s: %s at the offset stated by hand', (name, [code, offset]) => {
    const stored = corpus.find((entry) => entry.name === name);
    expect(stored, `${name}: run npx tsx fuzz/build-specimens.ts`).toBeDefined();
    expect(expectedDiagnostics(stored!.table, stored!.bytes).map((item) => [item.code, item.offset])).toContainEqual([code, offset]);
  });

  it.each(corpus.map((entry) => [entry.path, entry] as const))('%s passes every fuzz invariant', (_path, entry) => {
    expect(TARGETS[entry.table].run(entry.bytes).violations).toEqual([]);
  });

  it('each hand-named specimen still shows the codes it exists for, and matches what build-specimens writes', () => {
    for (const specimen of malformedSpecimens()) {
      const stored = corpus.find((entry) => entry.name === specimen.name);
      expect(stored, `${specimen.name}: run npx tsx fuzz/build-specimens.ts`).toBeDefined();
      expect(Buffer.from(stored!.bytes).equals(Buffer.from(specimen.bytes)), `${specimen.name} is stale: rebuild`).toBe(true);
      const codes = expectedDiagnostics(specimen.table, specimen.bytes).map((item) => item.code);
      expect(codes).toEqual(expect.arrayContaining(specimen.expect));
    }
  });
});

describe('corpus/samples', () => {
  for (const platform of SAMPLE_PLATFORMS) {
    for (const signature of Object.keys(platform.tables)) {
      it(`${platform.folder}/${signature}.bin is clean and is encode(${signature}.model.json)`, () => {
        const dir = join(CORPUS_DIR, 'samples', platform.folder);
        const bytes = new Uint8Array(readFileSync(join(dir, `${signature}.bin`)));
        const model = JSON.parse(readFileSync(join(dir, `${signature}.model.json`), 'utf8')) as TableModel;
        expect(Buffer.from(encodeTable(model)).equals(Buffer.from(bytes))).toBe(true);
        expect(Buffer.from(encodeTable(platform.tables[signature]!)).equals(Buffer.from(bytes)), 'stale: rebuild with fuzz/build-specimens.ts').toBe(true);
        expect(parseTable(bytes)!.diagnostics.filter((item) => item.severity !== 'info')).toEqual([]);
      });
    }
    it(`${platform.folder}/pci.json exists`, () => expect(existsSync(join(CORPUS_DIR, 'samples', platform.folder, 'pci.json'))).toBe(true));
  }
});

describe('corpus/regressions command cases', () => {
  const cases = readStoredCases();

  it('holds the command findings (at least the DMAR Host Address Width one)', () => {
    expect(cases.map((entry) => entry.name)).toContain('commands-iova-exit-code-5b051483.case.json');
  });

  it.each(cases.map((entry) => [entry.name, entry.stored] as const))('%s now runs without a violation', async (_name, stored) => {
    const outcome = await runCommandCase(stored);
    expect(outcome.violations).toEqual([]);
    expect(DOCUMENTED_EXITS[stored.command]).toContain(outcome.exitCode);
  });
});
