/** Building blocks shared by the table arbitraries: header, widths, addresses, ACPI names. */
import fc from 'fast-check';
import type { SdtHeaderModel } from '../../src/encode/index.js';

/** An unsigned integer of `bits` bits (≤ 32) as a number. */
export const uint = (bits: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: 2 ** bits - 1 });

/** A 64-bit value, biased toward the edges the parsers care about. */
export const u64 = (): fc.Arbitrary<bigint> => fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(0n, 1n, 2n ** 63n, 2n ** 64n - 1n));

/** A page-aligned physical address below 2^bits. */
export const pageAddress = (bits = 46, pageShift = 12): fc.Arbitrary<bigint> =>
  fc.bigInt({ min: 1n, max: (1n << BigInt(bits - pageShift)) - 1n }).map((page) => page << BigInt(pageShift));

const PRINTABLE = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));

/** Fixed-width ASCII as tables carry it: printable text; trailing NULs are never part of it. */
export const asciiField = (width: number): fc.Arbitrary<string> =>
  fc.array(PRINTABLE, { minLength: 1, maxLength: width }).map((chars) => chars.join(''));

export function headerArbitrary(signature: string, revisions: readonly number[]): fc.Arbitrary<SdtHeaderModel> {
  return fc.record({
    signature: fc.constant(signature),
    revision: fc.constantFrom(...revisions),
    oemId: asciiField(6),
    oemTableId: asciiField(8),
    oemRevision: uint(32),
    creatorId: asciiField(4),
    creatorRevision: uint(32),
  });
}

const NAME_SEGMENT = fc
  .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ_'), fc.array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'), { minLength: 3, maxLength: 3 }))
  .map(([first, rest]) => first + rest.join(''));

/** A full ACPI namespace path such as `\_SB.PCI0.I2C1`; long ones reach ~200 characters. */
export const acpiPath = (maxSegments = 8): fc.Arbitrary<string> =>
  fc.array(NAME_SEGMENT, { minLength: 1, maxLength: maxSegments }).map((segments) => `\\_SB.${segments.join('.')}`);
