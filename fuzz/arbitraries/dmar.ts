/**
 * DMAR models (docs/spec.md §2): every structure type 0–6, every scope type 1–5 with paths of
 * one to four hops (bridges on the way), several PCI segments. Scopes only go where the spec
 * allows them, and addresses are page aligned, so the models are valid tables.
 */
import fc from 'fast-check';
import type { DmarModel, DmarScopeModel, DmarStructureModel } from '../../src/encode/index.js';
import { acpiPath, headerArbitrary, pageAddress, uint } from './common.js';

const segment = fc.integer({ min: 0, max: 3 });
const hop = fc.record({ device: fc.integer({ min: 0, max: 31 }), function: fc.integer({ min: 0, max: 7 }) });
const path = fc.array(hop, { minLength: 1, maxLength: 4 });

function scope(types: readonly number[], flags: fc.Arbitrary<number> = fc.constant(0)): fc.Arbitrary<DmarScopeModel> {
  return fc.record({
    type: fc.constantFrom(...types),
    flags,
    reserved: fc.constant(0),
    enumerationId: uint(8),
    startBusNumber: uint(8),
    path,
  }).map((item) => (item.type <= 2 ? { ...item, enumerationId: 0 } : item));
}

const scopes = (types: readonly number[], flags?: fc.Arbitrary<number>) => fc.array(scope(types, flags), { maxLength: 5 });

const drhd = fc.record({
  type: fc.constant(0),
  flags: fc.constantFrom(0, 1),
  size: fc.integer({ min: 0, max: 15 }),
  segmentNumber: segment,
  registerBaseAddress: pageAddress(46),
  deviceScopes: scopes([1, 2, 3, 4, 5]),
});

const rmrr = fc
  .record({ segmentNumber: segment, baseAddress: pageAddress(36), pages: fc.integer({ min: 1, max: 0x4000 }), deviceScopes: scopes([1, 2]) })
  .map(({ pages, ...rest }): DmarStructureModel => ({
    type: 1,
    reserved: 0,
    ...rest,
    limitAddress: rest.baseAddress + BigInt(pages) * 0x1000n - 1n,
  }));

const atsr = fc.record({ type: fc.constant(2), flags: fc.constantFrom(0, 1), reserved: fc.constant(0), segmentNumber: segment, deviceScopes: scopes([2]) });
const rhsa = fc.record({ type: fc.constant(3), reserved: fc.constant(0), registerBaseAddress: pageAddress(46), proximityDomain: uint(32) });
const andd = fc.record({ type: fc.constant(4), reserved: fc.constant(0), acpiDeviceNumber: uint(8), objectName: acpiPath(6) });
const satc = fc.record({ type: fc.constant(5), flags: fc.constantFrom(0, 1), reserved: fc.constant(0), segmentNumber: segment, deviceScopes: scopes([1, 2, 5]) });
const sidp = fc.record({ type: fc.constant(6), reserved: fc.constant(0), segmentNumber: segment, deviceScopes: scopes([1, 2, 5], fc.integer({ min: 0, max: 0x1f })) });

export const dmarStructureArbitrary: fc.Arbitrary<DmarStructureModel> = fc.oneof(drhd, rmrr, atsr, rhsa, andd, satc, sidp);

/** A whole DMAR: at least one DRHD, structures grouped in ascending type order as the spec asks. */
export const dmarModelArbitrary: fc.Arbitrary<DmarModel> = fc
  .record({
    header: headerArbitrary('DMAR', [1, 2]),
    hostAddressWidthRaw: fc.integer({ min: 38, max: 56 }),
    flags: fc.integer({ min: 0, max: 7 }),
    first: drhd,
    rest: fc.array(dmarStructureArbitrary, { maxLength: 10 }),
  })
  .map(({ first, rest, ...table }) => ({
    signature: 'DMAR',
    ...table,
    structures: [first, ...rest].sort((left, right) => Number(left.type) - Number(right.type)),
  }));
