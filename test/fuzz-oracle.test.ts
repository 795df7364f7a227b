/**
 * Differential test: the binary-parser oracle (fuzz/oracle) and our parsers read the same
 * bytes; on well-formed tables they must agree on every field the oracle decodes. Generated
 * models, the real corpus (tables without error diagnostics), templates and samples.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { dmarModelArbitrary, iortModelArbitrary, ivrsModelArbitrary, madtModelArbitrary } from '../fuzz/arbitraries.js';
import { compareWithOracle } from '../fuzz/oracle.js';
import { SAMPLE_PLATFORMS } from '../fuzz/specimens/samples.js';
import { encodeTable, type TableModel } from '../src/encode/index.js';
import { parseTable } from '../src/table.js';
import { HAVE_SHARED, realTables, readReal, templateTable } from './support/shared.js';

function agree(signature: string, bytes: Uint8Array): number {
  const verdict = compareWithOracle(signature, bytes, parseTable(bytes)!.toJSON());
  expect(verdict.failure).toBeUndefined();
  expect(verdict.disagreements).toEqual([]);
  return verdict.fields;
}

describe('oracle agrees on generated models', () => {
  const options = { numRuns: 200, seed: 0x0c1e };
  const cases: [string, fc.Arbitrary<TableModel>][] = [['DMAR', dmarModelArbitrary], ['IORT', iortModelArbitrary], ['APIC', madtModelArbitrary], ['IVRS', ivrsModelArbitrary]];
  for (const [signature, arbitrary] of cases) {
    test.prop([arbitrary], options)(signature, (model) => {
      expect(agree(signature, encodeTable(model))).toBeGreaterThan(10);
    });
  }
});

describe.skipIf(!HAVE_SHARED)('oracle agrees on real tables without error diagnostics', () => {
  for (const signature of ['DMAR', 'IORT', 'APIC', 'IVRS'] as const) {
    it(signature, () => {
      let tables = 0;
      let fields = 0;
      const rows = realTables(signature).map((row) => readReal(row.path));
      const template = templateTable(signature);
      if (template !== undefined) rows.push(template.bytes);
      for (const bytes of rows) {
        if (parseTable(bytes)!.diagnostics.some((item) => item.severity === 'error')) continue;
        tables++;
        fields += agree(signature, bytes);
      }
      console.log(`${signature}: oracle and parser agree on ${fields} fields of ${tables} tables`);
      expect(tables).toBeGreaterThan(0);
    });
  }
});

it('oracle agrees on the bundled samples', () => {
  for (const platform of SAMPLE_PLATFORMS) for (const [signature, model] of Object.entries(platform.tables)) agree(signature, encodeTable(model));
});
