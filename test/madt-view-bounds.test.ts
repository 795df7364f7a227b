/**
 * The space rule of MADT entry views (src/madt/entry-view.ts) at its lower edge: `covers(at, size)`
 * is subtable-relative, so the Type/Length header at +0 is inside every subtable and a negative
 * offset never is. A Local APIC is 8 bytes (ACPI §5.2.12.2); the header is 44 bytes.
 */
import { describe, expect, it } from 'vitest';
import { parseMadt } from '../src/madt/index.js';
import { localApic, madt } from './support/madt-builder.js';

describe('entry views: covers()', () => {
  it('[0, 8) is inside an 8-byte Local APIC, [0, 9) and [-1, 0) are not', () => {
    const [entry] = parseMadt(madt([localApic(0, 0)])).entries();
    expect([entry!.offset, entry!.length]).toEqual([44, 8]);
    expect(entry!.covers(0, 8)).toBe(true);
    expect(entry!.covers(0, 2)).toBe(true);
    expect(entry!.covers(0, 9)).toBe(false);
    expect(entry!.covers(-1, 1)).toBe(false);
    expect(entry!.covers(7, 1)).toBe(true);
    expect(entry!.covers(8, 1)).toBe(false);
  });
});
