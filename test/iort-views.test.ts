/** nodesOfType: the same views as nodes() filtered by type byte, without building the others. */
import { describe, expect, it } from 'vitest';
import { IORT_NODE_RMR, IORT_NODE_SMMU_V3, parseIort } from '../src/iort/index.js';
import { HAVE_SHARED, SKIP_REASON, readReal, realTables, templateTable } from './support/shared.js';

describe.skipIf(!HAVE_SHARED)(`IortTable.nodesOfType (${HAVE_SHARED ? 'real tables + template' : SKIP_REASON})`, () => {
  it('yields exactly the nodes of that type, in table order', () => {
    const tables = [...realTables('IORT').map((row) => readReal(row.path)), templateTable('IORT')!.bytes];
    let seen = 0;
    for (const bytes of tables) {
      const table = parseIort(bytes);
      for (const type of [IORT_NODE_SMMU_V3, IORT_NODE_RMR, 0, 1, 2, 3]) {
        const expected = [...table.nodes()].filter((node) => node.type === type).map((node) => [node.offset, node.kind]);
        expect([...table.nodesOfType(type)].map((node) => [node.offset, node.kind])).toEqual(expected);
        seen += expected.length;
      }
    }
    expect(seen).toBeGreaterThan(500);
  });
});
