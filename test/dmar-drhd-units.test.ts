/**
 * The DRHD lookups of the rules across structures (src/dmar/drhd-units.ts): up to SCAN_LIMIT (8)
 * units a lookup scans them, the ninth unit indexes every unit so far, and the index answers
 * from then on. Each rule is checked with its unit on either side of that boundary: a repeat
 * asked of 7, 8 and 9 earlier units, a repeat of a unit registered while scanning that is found
 * through the index, and the other way round. Offsets by hand from the builder's layout: header
 * 48 bytes, each DRHD here 16 bytes, so unit i sits at 48 + 16·i.
 */
import { describe, expect, it } from 'vitest';
import { DrhdUnits, SCAN_LIMIT } from '../src/dmar/drhd-units.js';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd, rhsa, rmrr, scope, type Bytes } from './support/dmar-builder.js';

type Row = [code: string, offset: number, message: string];
const findings = (structures: Bytes[]): Row[] => parseDmar(dmar({ structures }).bytes).diagnostics.map((item) => [item.code, item.offset, item.message]);
/** `count` units on segment 0 at bases 0x10000, 0x11000, …: no two alike. */
const distinct = (count: number, flags = 0): Bytes[] => Array.from({ length: count }, (_, index) => drhd({ flags, base: BigInt(0x10000 + 0x1000 * index) }));
const at = (unit: number) => 48 + 16 * unit;
const hex = (value: number) => `0x${value.toString(16)}`;
const repeatOf = (unit: number, repeatUnit: number, segment = 0) =>
  `DRHD for segment 0x000${segment} at register base 0x${(0x10000 + 0x1000 * unit).toString(16)} repeats the DRHD at ${hex(at(repeatUnit))}; Linux ignores the repeat`;

describe('DRHD repeats on both sides of the scan limit', () => {
  it('SCAN_LIMIT is 8 (the offsets below assume it)', () => {
    expect(SCAN_LIMIT).toBe(8);
  });

  for (const earlier of [1, 7, 8, 9, 20]) {
    it(`a repeat of the first unit after ${earlier} units is named against it`, () => {
      expect(findings([...distinct(earlier), drhd({ base: 0x10000n })])).toEqual([['dmar.drhd.duplicate', at(earlier), repeatOf(0, 0)]]);
    });
  }

  it('a unit registered while scanning is found through the index, and one registered through the index too', () => {
    // Units 0–11 distinct; unit 12 repeats unit 3 (scanned in), unit 13 repeats unit 10 (indexed in).
    expect(findings([...distinct(12), drhd({ base: 0x13000n }), drhd({ base: 0x1a000n })])).toEqual([
      ['dmar.drhd.duplicate', at(12), repeatOf(3, 3)],
      ['dmar.drhd.duplicate', at(13), repeatOf(10, 10)],
    ]);
  });

  it('through the index as by scanning: the same base on another segment is no repeat; a repeat is named against the first of its own segment', () => {
    for (const earlier of [2, 10]) {
      const otherSegment = drhd({ segment: 1, base: 0x10000n });
      expect(findings([...distinct(earlier), otherSegment, otherSegment])).toEqual([['dmar.drhd.duplicate', at(earlier + 1), repeatOf(0, earlier, 1)]]);
    }
  });

  it('three units of one key: each repeat names the first, on both sides', () => {
    for (const earlier of [3, 9]) {
      const unit = drhd({ base: 0x10000n });
      expect(findings([...distinct(earlier), unit, unit]).map((row) => row[1])).toEqual([at(earlier), at(earlier + 1)]);
      expect(findings([...distinct(earlier), unit, unit]).every((row) => row[2] === repeatOf(0, 0))).toBe(true);
    }
  });
});

describe('INCLUDE_PCI_ALL, RHSA and segment lookups on both sides of the scan limit', () => {
  const notLast = (first: number, follower: number) =>
    `INCLUDE_PCI_ALL DRHD for segment 0x0000 is followed by the DRHD at ${hex(at(follower))} of the same segment; the spec wants it last (Linux tolerates this)`;
  const second = (first: number) => `second INCLUDE_PCI_ALL DRHD for segment 0x0000; the first is at ${hex(at(first))}`;

  it('an INCLUDE_PCI_ALL unit scanned in is found through the index: "not last" once, a second one named against it', () => {
    // Unit 2 is INCLUDE_PCI_ALL; units 3–10 follow it (the first follower is reported); unit 11 is a second INCLUDE_PCI_ALL.
    const units = distinct(12);
    units[2] = drhd({ flags: 1, base: 0x12000n });
    units[11] = drhd({ flags: 1, base: 0x1b000n });
    expect(findings(units)).toEqual([
      ['dmar.drhd.include-all-not-last', at(2), notLast(2, 3)],
      ['dmar.drhd.include-all-dup', at(11), second(2)],
    ]);
  });

  it('an INCLUDE_PCI_ALL unit indexed in: the same findings', () => {
    const units = distinct(14);
    units[10] = drhd({ flags: 1, base: 0x1a000n });
    units[13] = drhd({ flags: 1, base: 0x1d000n });
    expect(findings(units)).toEqual([
      ['dmar.drhd.include-all-not-last', at(10), notLast(10, 11)],
      ['dmar.drhd.include-all-dup', at(13), second(10)],
    ]);
  });

  it('the ninth unit, the one that builds the index, is checked against the eight before it', () => {
    const units = distinct(9);
    units[7] = drhd({ flags: 1, base: 0x17000n });
    expect(findings(units)).toEqual([['dmar.drhd.include-all-not-last', at(7), notLast(7, 8)]]);
  });

  for (const count of [8, 9, 16]) {
    it(`an RMRR and an RHSA before ${count} DRHDs are settled against every one of them`, () => {
      // RMRR (24 + 8 bytes) at 48 on segment 1, which only the last unit has; RHSA (20) at 80 naming unit 5's base; the DRHDs
      // from 100, each one out of order after the RHSA (those findings are left out here).
      const units = distinct(count);
      units[count - 1] = drhd({ segment: 1, base: 0x9000n });
      const table = parseDmar(dmar({ structures: [rmrr({ segment: 1, scopes: [scope({ type: 1 })] }), rhsa({ base: 0x15000n }), ...units] }).bytes);
      const settled = (item: { code: string }) => item.code !== 'dmar.order';
      expect(table.diagnostics.filter(settled)).toEqual([]);
      const orphans = parseDmar(dmar({ structures: [rmrr({ segment: 2, scopes: [scope({ type: 1 })] }), rhsa({ base: 0x99000n }), ...units] }).bytes);
      expect(orphans.diagnostics.filter(settled).map((item) => [item.code, item.offset])).toEqual([
        ['dmar.segment.no-drhd', 54],
        ['dmar.rhsa.orphan', 88],
      ]);
    });
  }
});

describe('DrhdUnits against a list searched by hand', () => {
  it('answers every lookup like the list, for 0 to 24 units, before and after each unit is added', () => {
    const units = new DrhdUnits();
    // Units cycle through 3 segments and 5 bases (repeats on purpose); every 4th is INCLUDE_PCI_ALL.
    const made = Array.from({ length: 24 }, (_, index) => ({ offset: 48 + 16 * index, segment: index % 3, low: 0x1000 * (index % 5), high: index % 2, includeAll: index % 4 === 3 }));
    units.clear(made.length);
    for (let count = 0; count <= made.length; count++) {
      const known = made.slice(0, count);
      for (const probe of [...made, { offset: 0, segment: 9, low: 0x7000, high: 0, includeAll: false }]) {
        const same = known.findIndex((unit) => unit.segment === probe.segment && unit.low === probe.low && unit.high === probe.high);
        expect(units.sameUnit(probe.segment, probe.low, probe.high)).toBe(same);
        expect(units.hasBase(probe.low, probe.high)).toBe(known.some((unit) => unit.low === probe.low && unit.high === probe.high));
        expect(units.hasSegment(probe.segment)).toBe(known.some((unit) => unit.segment === probe.segment));
        expect(units.firstIncludeAll(probe.segment)).toBe(known.findIndex((unit) => unit.includeAll && unit.segment === probe.segment));
      }
      const next = made[count];
      if (next !== undefined) units.add(next.offset, next.segment, next.low, next.high, next.includeAll);
    }
    expect(units.count).toBe(24);
    expect(units.includeAllCount).toBe(6);
    expect(units.offsetOf(23)).toBe(48 + 16 * 23);
  });

  it('reports "not last" once per INCLUDE_PCI_ALL unit, never for a plain one, and forgets it at the next table', () => {
    const units = new DrhdUnits();
    units.clear(4);
    units.add(48, 0, 0x1000, 0, true);
    units.add(64, 0, 0x2000, 0, false);
    expect([units.reportNotLast(0), units.reportNotLast(0), units.reportNotLast(1)]).toEqual([true, false, false]);
    units.clear(4);
    expect([units.count, units.includeAllCount]).toEqual([0, 0]);
    units.add(48, 0, 0x1000, 0, true);
    expect(units.reportNotLast(0)).toBe(true);
  });

  it('a table of thousands of units grows the arrays, and the next table starts small and empty', () => {
    const units = new DrhdUnits();
    units.clear(5000);
    for (let index = 0; index < 5000; index++) units.add(48 + 16 * index, index & 0xffff, index, 0, false);
    expect([units.sameUnit(4999, 4999, 0), units.hasBase(4321, 0), units.hasSegment(5001)]).toEqual([4999, true, false]);
    units.clear(2);
    expect([units.count, units.hasBase(4321, 0), units.sameUnit(0, 0, 0)]).toEqual([0, false, -1]);
    units.add(48, 0, 0, 0, false);
    expect(units.sameUnit(0, 0, 0)).toBe(0);
  });
});
