/**
 * The IOVA aperture the DMAR provider gives (src/dmar/regions/provider.ts): the table's Host
 * Address Width (the byte stores width − 1, spec §2.1), clamped to a 64-bit
 * address, or 48 bits assumed when Linux rejects the width (a byte under 11: fewer than 12 bits).
 */
import { describe, expect, it } from 'vitest';
import { regionProvider } from '../src/analyze.js';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd } from './support/dmar-builder.js';

const AGAW = "; the kernel uses the IOMMU's AGAW from its capability register, give --aperture if they differ";
const providerFor = (hawRaw: number) => regionProvider({ dmar: parseDmar(dmar({ hawRaw, structures: [drhd({ flags: 1 })] }).bytes) })!;

describe('the DMAR provider', () => {
  it('is the Intel provider of the DMAR', () => {
    expect([providerFor(38).platform, providerFor(38).table]).toEqual(['intel', 'DMAR']);
  });

  it('takes the stored width + 1 as the aperture, the same note each time', () => {
    expect(providerFor(38).aperture).toEqual({ bits: 39, note: `39-bit from the DMAR host address width${AGAW}` });
    expect(providerFor(38).aperture).toEqual({ bits: 39, note: `39-bit from the DMAR host address width${AGAW}` });
    expect(providerFor(11).aperture).toEqual({ bits: 12, note: `12-bit from the DMAR host address width${AGAW}` });
    expect(providerFor(63).aperture).toEqual({ bits: 64, note: `64-bit from the DMAR host address width${AGAW}` });
  });

  it('clamps a width above 64 bits to 64 and says what the table said', () => {
    expect(providerFor(64).aperture).toEqual({ bits: 64, note: `64-bit from the DMAR host address width (the table says 65 bits, more than a 64-bit address holds)${AGAW}` });
    expect(providerFor(255).aperture.note).toBe(`64-bit from the DMAR host address width (the table says 256 bits, more than a 64-bit address holds)${AGAW}`);
  });

  it('assumes 48 bits when Linux rejects the width (stored byte under 11)', () => {
    expect(providerFor(10).aperture).toEqual({ bits: 48, note: '48-bit assumed: a usable DMAR host address width is not in the tables, give --aperture' });
  });
});
