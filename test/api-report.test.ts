/**
 * The public surface is deliberate: api/acpi-iommu.api.md lists it (regenerate with
 * `npm run api-report` and review the diff), and internals stay out of the root entry.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_REPORT_PATH, renderApiReport } from '../scripts/api-report.js';
import * as root from '../src/index.js';
import * as node from '../src/node/index.js';

describe('API report', () => {
  const report = renderApiReport();

  it('matches the checked-in report (run `npm run api-report` after changing the surface)', () => {
    expect(readFileSync(API_REPORT_PATH, 'utf8')).toBe(report);
  });

  it('counts exactly the run-time exports the entries have', () => {
    const counts = [...report.matchAll(/^(\d+) run-time exports/gm)].map((match) => Number(match[1]));
    expect(counts).toEqual([Object.keys(root).length, Object.keys(node).length]);
  });

  it('keeps internals out of the root entry', () => {
    const internals = ['TableReader', 'DiagnosticList', 'readSdtHeader', 'insertRegion', 'normaliseRegions', 'bindScopes', 'collectUnits', 'matchPciPath', 'typeInMask', 'assembleGroups'];
    expect(internals.filter((name) => name in root)).toEqual([]);
    // Table classes are types only: their constructors take internal readers.
    expect(['DmarTable', 'IortTable', 'MadtTable', 'RmrrStructure', 'SmmuV3Node'].filter((name) => name in root)).toEqual([]);
    expect(report).toContain('type-only class DmarTable {');
  });
});
