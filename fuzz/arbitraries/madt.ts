/**
 * MADT models (docs/spec.md §4): every subtable type 0x00–0x1E (GICC in each of its forms,
 * GIC ITS, GIC MSI frame, the GICv5 trio, LoongArch, RISC-V), reserved and OEM types. Field
 * values come from the encoder's own layout table (`madtFields`), so every field is exercised.
 */
import fc from 'fast-check';
import { MADT_FORMS, madtFields, type MadtEntryModel, type MadtField, type MadtModel } from '../../src/encode/index.js';
import { acpiPath, headerArbitrary, u64, uint } from './common.js';

/** MADT revision from which GICR / GIC ITS byte 2 is a Flags byte the parser exposes. */
const GIC_FLAGS_SINCE = 7;

function fieldValue(field: MadtField): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'uint':
      return field.width === 8 ? u64() : uint(field.width * 8);
    case 'array':
      return fc.array(uint(field.width * 8), { minLength: field.count, maxLength: field.count });
    case 'blob':
      return field.width < 0 ? fc.uint8Array({ maxLength: 24 }) : fc.uint8Array({ minLength: field.width, maxLength: field.width });
    case 'string':
      return acpiPath(3).map((text) => text.slice(0, 40));
  }
}

function endOf(field: MadtField): number {
  return field.at + (field.kind === 'array' ? field.width * field.count : field.width);
}

/** One subtable of `type`; for multi-form types a form is picked and only its fields are given. */
function entryOfType(type: number, revision: number): fc.Arbitrary<MadtEntryModel> {
  const forms = MADT_FORMS[type];
  return fc.constantFrom(...(forms ?? [Infinity])).chain((form) => {
    const fields = madtFields(type).filter((field) => endOf(field) <= form && !((type === 0x0e || type === 0x0f) && field.name === 'flags' && revision < GIC_FLAGS_SINCE));
    const record: Record<string, fc.Arbitrary<unknown>> = { type: fc.constant(type) };
    for (const field of fields) record[field.name] = fieldValue(field);
    return fc.record(record) as fc.Arbitrary<MadtEntryModel>;
  });
}

const KNOWN_TYPES = Array.from({ length: 0x1f }, (_, type) => type);

function entryArbitrary(revision: number): fc.Arbitrary<MadtEntryModel> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(...KNOWN_TYPES).chain((type) => entryOfType(type, revision)) },
    { weight: 1, arbitrary: fc.integer({ min: 0x1f, max: 0x7f }).map((type) => ({ type })) },
    { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).chain((type) => entryOfType(type, revision)) },
  );
}

/** A whole MADT; the GIC-flavoured entries (GICD, GIC ITS, MSI frame) are common. */
export const madtModelArbitrary: fc.Arbitrary<MadtModel> = headerArbitrary('APIC', [1, 2, 3, 4, 5, 6, 7]).chain((header) =>
  fc.record({
    signature: fc.constant('APIC'),
    header: fc.constant(header),
    localInterruptControllerAddress: uint(32),
    flags: fc.constantFrom(0, 1),
    entries: fc.array(
      fc.oneof({ weight: 3, arbitrary: entryArbitrary(header.revision ?? 0) }, { weight: 1, arbitrary: fc.constantFrom(0x0b, 0x0c, 0x0d, 0x0f).chain((type) => entryOfType(type, header.revision ?? 0)) }),
      { maxLength: 16 },
    ),
  }),
);

/** Every known subtable type at least once, for coverage tests. */
export const madtAllTypesArbitrary: fc.Arbitrary<MadtModel> = fc
  .tuple(headerArbitrary('APIC', [5, 7]), ...KNOWN_TYPES.map((type) => entryOfType(type, 7)))
  .map(([header, ...entries]) => ({ signature: 'APIC', header: { ...header, revision: 7 }, localInterruptControllerAddress: 0xfee00000, flags: 1, entries }));
