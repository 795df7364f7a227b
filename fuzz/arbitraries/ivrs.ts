/**
 * IVRS models (AMD IOMMU specification §5.2): IVHD blocks of types 0x10, 0x11 and 0x40 holding every
 * device-entry kind (pads, all, select, range start/end, alias select/range, extended
 * select/range, special IOAPIC/HPET, ACPI HID with integer or string UIDs, reserved types),
 * IVMD blocks 0x20–0x22, and blocks of unknown types skipped by their Length.
 */
import fc from 'fast-check';
import type { IvrsBlockModel, IvrsEntryModel, IvrsModel } from '../../src/encode/index.js';
import { asciiField, headerArbitrary, pageAddress, u64, uint } from './common.js';

const header4 = { deviceId: uint(16), dataSetting: uint(8) };

const plainEntry = fc.constantFrom(0x00, 0x01, 0x02, 0x03, 0x04).chain((type) => fc.record({ type: fc.constant(type), ...header4 }));
const extendedEntry = fc.constantFrom(0x40, 0x46, 0x47).chain((type) => fc.record({ type: fc.constant(type), ...header4, extendedData: uint(32) }));
const aliasEntry = fc.constantFrom(0x42, 0x43).chain((type) => fc.record({ type: fc.constant(type), ...header4, sourceDeviceId: uint(16), reservedByte4: fc.constantFrom(0, 0, 0xff), reservedByte7: fc.constantFrom(0, 0, 0x5a) }));
const specialEntry = fc.record({ type: fc.constant(0x48), ...header4, sourceDeviceId: uint(16), handle: uint(8), variety: fc.constantFrom(1, 2, 0, 7) });
/** Reserved types, skipped by the length bits 7:6 give: 4 (0x05–0x3F), 8 (0x41–0x7F), 16 (0x80–0xBF), 32 (0xC0–0xFF, not 0xF0). */
const reservedEntry = fc.oneof(fc.integer({ min: 0x05, max: 0x3f }), fc.integer({ min: 0x49, max: 0x7f }), fc.integer({ min: 0x80, max: 0xef }), fc.integer({ min: 0xf1, max: 0xff })).chain((type) =>
  fc.record({ type: fc.constant(type), ...header4, payload: fc.uint8Array({ minLength: (4 << (type >> 6)) - 4, maxLength: (4 << (type >> 6)) - 4 }) }),
);
const ID = fc.oneof(asciiField(8).filter((text) => text.length === 8 && text.trim() === text), fc.constant(undefined));
const hidEntry: fc.Arbitrary<IvrsEntryModel> = fc
  .record({ ...header4, hid: ID, hidValue: u64(), cid: ID, cidValue: u64(), format: fc.constantFrom(0, 1, 2), uidInteger: fc.bigInt({ min: 0n, max: 0xffffn }), uidText: asciiField(12) })
  .map(({ hid, hidValue, cid, cidValue, format, uidInteger, uidText, ...rest }) => {
    const entry: IvrsEntryModel = { type: 0xf0, ...rest, uidFormat: format };
    if (hid !== undefined) entry.hid = hid;
    else entry.hidValue = hidValue & 0x7f7f7f7f7f7f7f00n; // a non-text HID: byte 0 below 0x20 keeps it from reading as text
    if (cid !== undefined) entry.cid = cid;
    else entry.cidValue = cidValue & 0x7f7f7f7f7f7f7f00n;
    if (format === 1) Object.assign(entry, { uid: uidInteger, uidLength: 2 });
    if (format === 2) Object.assign(entry, { uid: uidText });
    return entry;
  });

function entryArbitrary(ivhdType: number): fc.Arbitrary<IvrsEntryModel> {
  const kinds: fc.WeightedArbitrary<IvrsEntryModel>[] = [
    { weight: 6, arbitrary: plainEntry },
    { weight: 2, arbitrary: extendedEntry },
    { weight: 2, arbitrary: aliasEntry },
    { weight: 3, arbitrary: specialEntry },
    { weight: 1, arbitrary: reservedEntry },
  ];
  if (ivhdType === 0x40) kinds.push({ weight: 2, arbitrary: hidEntry });
  return fc.oneof(...kinds);
}

const ivhdArbitrary: fc.Arbitrary<IvrsBlockModel> = fc.constantFrom(0x10, 0x11, 0x40).chain((type) => {
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    type: fc.constant(type),
    flags: uint(8),
    deviceId: uint(16),
    capabilityOffset: fc.oneof(fc.constantFrom(0x40, 0x44), uint(16)),
    baseAddress: pageAddress(48, 14),
    pciSegmentGroup: fc.constantFrom(0, 0, 1),
    info: uint(16),
    ...(type === 0x10 ? { featureReporting: uint(32) } : { attributes: uint(32), efrRegisterImage: u64(), efrRegisterImage2: u64() }),
    entries: fc.array(entryArbitrary(type), { maxLength: 12 }),
  };
  return fc.record(fields) as fc.Arbitrary<IvrsBlockModel>;
});

const ivmdArbitrary: fc.Arbitrary<IvrsBlockModel> = fc.record({
  type: fc.constantFrom(0x20, 0x21, 0x22),
  flags: uint(8),
  deviceId: uint(16),
  auxiliaryData: uint(16),
  pciSegmentGroup: fc.constantFrom(0, 0, 0, 1),
  reserved: fc.constantFrom(0, 0, 1),
  startAddress: fc.oneof(pageAddress(40), u64()),
  memoryLength: fc.oneof(fc.constantFrom(0n, 0x1000n, 0x100000n), u64()),
});

/** Any other type, with a body: kept as kind "unknown" and skipped by its Length (e.g. Lenovo's 0x51). */
const unknownBlockArbitrary: fc.Arbitrary<IvrsBlockModel> = fc.record({
  type: fc.integer({ min: 0, max: 0xff }).filter((type) => ![0x10, 0x11, 0x40, 0x20, 0x21, 0x22].includes(type)),
  kind: fc.constant('unknown'),
  flags: uint(8),
  payload: fc.uint8Array({ maxLength: 40 }),
});

export const ivrsBlockArbitrary: fc.Arbitrary<IvrsBlockModel> = fc.oneof({ weight: 4, arbitrary: ivhdArbitrary }, { weight: 3, arbitrary: ivmdArbitrary }, { weight: 1, arbitrary: unknownBlockArbitrary });

export const ivrsModelArbitrary: fc.Arbitrary<IvrsModel> = headerArbitrary('IVRS', [1, 2]).chain((header) =>
  fc.record({
    signature: fc.constant('IVRS'),
    header: fc.constant(header),
    ivinfo: fc.record({ raw: uint(32) }),
    reserved: fc.constantFrom(0n, 0n, 1n, 2n ** 64n - 1n),
    blocks: fc.array(ivrsBlockArbitrary, { maxLength: 8 }),
  }),
);
