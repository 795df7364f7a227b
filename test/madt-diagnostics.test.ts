/**
 * One specimen per MADT diagnostic code, each expected at an exact table offset, plus a clean
 * table with no diagnostics at all. A code added to MADT_CODES without a specimen fails here.
 */
import { describe, expect, expectTypeOf, test } from 'vitest';
import {
  MADT_CODES,
  SUBTABLE_KINDS,
  parseMadt,
  type CompleteGicItsEntry,
  type GicItsEntry,
  type MadtEntry,
  type MadtEntryKind,
  type OemEntry,
} from '../src/madt/index.js';
import { gicIts, gicMsiFrame, gicc, gicd, gicr, interruptOverride, ioApic, localApic, localApicNmi, madt, subtable } from './support/madt-builder.js';
import { publicRef } from '../src/bytes/public-ref.js';

interface Specimen {
  /** What the bytes show. */
  about: string;
  bytes: Uint8Array;
  /** Where the diagnostic must be, and (optionally) the only diagnostics expected at all. */
  offset: number;
  only?: boolean;
}

// Offsets: the MADT header is 44 bytes, so the first subtable sits at 0x2c.
const SPECIMENS: Record<keyof typeof MADT_CODES, Specimen[]> = {
  'madt.length.zero': [
    { about: 'zero Length after an I/O APIC', bytes: madt([ioApic(1), subtable(0x00, 0, [[2, 1, 0]]), localApic(0, 0)]), offset: 56, only: true },
  ],
  'madt.length.overrun': [
    { about: 'GICC Length 80 with 40 bytes left', bytes: madt([ioApic(1), gicc({ length: 80 }).subarray(0, 40)]), offset: 56, only: true },
    { about: 'Length 1 (less than the header)', bytes: madt([localApic(0, 0), subtable(0x00, 1), subtable(0x7f, 7)]), offset: 52, only: true },
    { about: 'one byte left for a 2-byte header', bytes: madt([localApic(0, 0), new Uint8Array([0x01])]), offset: 52, only: true },
  ],
  'madt.length.short': [
    { about: 'ACPI 5.0 40-byte GICC', bytes: madt([gicd(), gicc({ length: 40 })], { revision: 3 }), offset: 68, only: true },
    { about: '10-byte GIC ITS', bytes: madt([subtable(0x0f, 10, [[4, 4, 1]])]), offset: 44, only: true },
  ],
  'madt.length.long': [{ about: 'Qualcomm 25-byte GICD', bytes: madt([gicc(), gicd({ length: 25 })]), offset: 124, only: true }],
  'madt.type.reserved': [{ about: 'Gigabyte X299 type 0x7F', bytes: madt([localApic(0, 0), subtable(0x7f, 12)]), offset: 52, only: true }],
  'madt.id.duplicate': [
    { about: 'two GIC ITS with ID 3', bytes: madt([gicIts(3, 0x20000000n), gicIts(3, 0x20100000n)]), offset: 68, only: true },
    { about: 'two GIC MSI frames with ID 0', bytes: madt([gicMsiFrame(0, 0x8020000n), gicMsiFrame(0, 0x8030000n)]), offset: 72, only: true },
    { about: 'three I/O APICs with ID 2', bytes: madt([ioApic(2), ioApic(5), ioApic(2), ioApic(2)]), offset: 70, only: true },
  ],
  'madt.reserved.nonzero': [
    { about: 'GICD System Vector Base 32', bytes: madt([gicd({ systemVectorBase: 32 })]), offset: 60, only: true },
    { about: 'GIC ITS byte 2 set in a revision-5 MADT', bytes: madt([gicIts(0, 0x20000000n, 1)], { revision: 5 }), offset: 46, only: true },
    { about: 'GICR byte 3 set in a revision-7 MADT', bytes: madt([subtable(0x0e, 16, [[3, 1, 1], [4, 8, 0x2f100000n]])], { revision: 7 }), offset: 47, only: true },
    { about: 'MADT Flags bit 1', bytes: madt([localApic(0, 0)], { flags: 3 }), offset: 40, only: true },
  ],
  'madt.gicc.flags-undefined': [
    { about: 'online-capable bit in a revision-5 MADT', bytes: madt([gicc({ flags: 0b1000 })], { revision: 5 }), offset: 56, only: true },
  ],
};

describe('MADT diagnostics specimens', () => {
  test('every MADT code has at least one specimen', () => {
    const missing = Object.keys(MADT_CODES).filter((code) => (SPECIMENS[code as keyof typeof MADT_CODES] ?? []).length === 0);
    expect(missing).toEqual([]);
  });

  for (const [code, specimens] of Object.entries(SPECIMENS)) {
    for (const specimen of specimens) {
      test(`${code}: ${specimen.about} at ${specimen.offset}`, () => {
        const table = parseMadt(specimen.bytes);
        const found = table.diagnostics.map((d) => `${d.code}@${d.offset}`);
        expect(found).toContain(`${code}@${specimen.offset}`);
        if (specimen.only) expect(found).toEqual([`${code}@${specimen.offset}`]);
        const diagnostic = table.diagnostics.find((d) => d.code === code)!;
        expect(diagnostic.severity).toBe(MADT_CODES[code as keyof typeof MADT_CODES].severity);
        // The ref users see keeps the public sources only (src/bytes/public-ref.ts).
        expect(diagnostic.ref).toBe(publicRef(MADT_CODES[code as keyof typeof MADT_CODES].ref));
      });
    }
  }

  test('the duplicate-ID warning lists every offset', () => {
    const table = parseMadt(madt([ioApic(2), ioApic(5), ioApic(2), ioApic(2)]));
    expect(table.diagnostics[0]!.message).toContain('0x2c, 0x44, 0x50');
  });

  test('GICR/ITS byte 2 is a reserved u16 before revision 7 and a flags byte from 7', () => {
    const old = parseMadt(madt([gicr(0x2f100000n, 0x100000, 1)], { revision: 6 }));
    expect(old.diagnostics.map((d) => d.code)).toEqual(['madt.reserved.nonzero']);
    const [oldGicr] = old.entriesOfKind('gicr');
    expect(oldGicr!.flags).toBeUndefined();
    expect(oldGicr!.nonCoherent).toBeUndefined();
    const current = parseMadt(madt([gicr(0x2f100000n, 0x100000, 1), gicIts(1, 0x20000000n, 1)], { revision: 7 }));
    expect(current.diagnostics).toEqual([]);
    const entries = [...current.entries()];
    expect(entries.map((entry) => (entry.kind === 'gicr' || entry.kind === 'gic-its' ? entry.nonCoherent : null))).toEqual([true, true]);
  });
});

describe('a clean MADT', () => {
  const bytes = madt(
    [
      localApic(0, 0),
      localApic(1, 2),
      ioApic(2, 0xfec00000, 0),
      interruptOverride(0, 2),
      localApicNmi(),
      gicc({ uid: 0, flags: 1 }),
      gicd(),
      gicMsiFrame(0, 0x8020000n, { count: 64, base: 64 }),
      gicr(0x2f100000n, 0x200000),
      gicIts(0, 0x2f020000n),
      gicIts(1, 0x2f040000n),
    ],
    { revision: 5 },
  );
  const table = parseMadt(bytes);

  test('has no diagnostics', () => {
    expect(table.diagnostics).toEqual([]);
    expect(table.entryCount).toBe(11);
  });

  test('decodes the header and the doorbell-bearing entries', () => {
    expect(table.localInterruptControllerAddress).toBe(0xfee00000);
    expect(table.pcatCompat).toBe(true);
    expect([...table.gicIts()].map((its) => [its.translationId, its.baseAddress, its.translaterAddress])).toEqual([
      [0, 0x2f020000n, 0x2f030040n],
      [1, 0x2f040000n, 0x2f050040n],
    ]);
    expect([...table.gicMsiFrames()].map((frame) => [frame.msiFrameId, frame.setSpiNsAddress, frame.spiCount, frame.spiBase])).toEqual([
      [0, 0x8020040n, 64, 64],
    ]);
    expect([...table.ioApics()].map((apic) => [apic.ioApicId, apic.ioApicAddress, apic.globalSystemInterruptBase])).toEqual([[2, 0xfec00000, 0]]);
  });

  test('views are zero-copy and the table keeps the caller’s bytes', () => {
    expect(table.bytes).toBe(bytes);
    const first = table.entries().next().value!;
    expect(first.raw.buffer).toBe(bytes.buffer);
    expect(first.raw.byteOffset).toBe(44);
  });
});

describe('space and revision gating', () => {
  test('a 40-byte GICC decodes up to its physical base address only', () => {
    const [entry] = parseMadt(madt([gicc({ length: 40, uid: 7 })], { revision: 3 })).entriesOfKind('gicc');
    expect(entry!.processorUid).toBe(7);
    expect(entry!.baseAddress).toBe(0x2c000000n);
    expect(entry!.gicvBaseAddress).toBeUndefined();
    expect(entry!.mpidr).toBeUndefined();
    expect(entry!.onlineCapable).toBeUndefined();
  });

  test('GICC online-capable and GICR-non-coherent bits follow the revision', () => {
    const flags = 0b11001;
    const read = (revision: number) => {
      const [entry] = parseMadt(madt([gicc({ length: 82, flags })], { revision })).entriesOfKind('gicc');
      return [entry!.enabled, entry!.onlineCapable, entry!.gicrNonCoherent, entry!.trbeInterrupt, entry!.iaffid];
    };
    expect(read(5)).toEqual([true, undefined, undefined, 0, undefined]);
    expect(read(6)).toEqual([true, true, undefined, 0, undefined]);
    expect(read(7)).toEqual([true, true, true, 0, undefined]);
  });

  test('a short ITS is an entry but not one of gicIts()', () => {
    const table = parseMadt(madt([subtable(0x0f, 12, [[4, 4, 9]])]));
    const [entry] = table.entriesOfKind('gic-its');
    expect(entry!.translationId).toBe(9);
    expect(entry!.baseAddress).toBeUndefined();
    expect(entry!.translaterAddress).toBeUndefined();
    expect([...table.gicIts()]).toEqual([]);
  });

  test('OEM and reserved types are kept with their bytes', () => {
    const table = parseMadt(madt([subtable(0x80, 5, [[2, 1, 0xaa], [4, 1, 0xbb]]), subtable(0x20, 4)]));
    expect([...table.entries()].map((entry) => entry.toJSON())).toEqual([
      { type: 0x80, kind: 'oem', offset: 44, length: 5, oemData: new Uint8Array([0xaa, 0, 0xbb]) },
      { type: 0x20, kind: 'unknown', offset: 49, length: 4, payload: new Uint8Array([0, 0]) },
    ]);
  });
});

test('entry field types follow their descriptors', () => {
  expectTypeOf<GicItsEntry['translaterAddress']>().toEqualTypeOf<bigint | undefined>();
  expectTypeOf<GicItsEntry['translationId']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<GicItsEntry['nonCoherent']>().toEqualTypeOf<boolean | undefined>();
  expectTypeOf<CompleteGicItsEntry['baseAddress']>().toEqualTypeOf<bigint>();
  expectTypeOf<OemEntry['oemData']>().toEqualTypeOf<Uint8Array | undefined>();
  expectTypeOf<MadtEntry['kind']>().toEqualTypeOf<MadtEntryKind>();
});

test('layout: SUBTABLE_KINDS is indexed by type, and every kind has a view', () => {
  SUBTABLE_KINDS.forEach((entry, index) => expect(entry.type).toBe(index));
  expect(SUBTABLE_KINDS).toHaveLength(0x1f);
  for (const { type, kind, minimum } of SUBTABLE_KINDS) {
    const [entry] = parseMadt(madt([subtable(type, Math.max(minimum, 2))])).entries();
    expect(entry!.kind).toBe(kind);
  }
});
