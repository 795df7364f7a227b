import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODE_GROUPS } from '../src/codes.js';
import { renderDiagnosticsDoc } from '../scripts/diagnostics-doc.js';
import { fixFor } from '../scripts/diagnostic-fixes.js';
import { publicRef } from '../src/bytes/public-ref.js';
import { DUMP_CODES } from '../src/node/acpidump-text.js';
import { parseDmar } from '../src/dmar/index.js';
import { buildDmar } from './support/region-tables.js';
import { REPO_ROOT } from './support/shared.js';

describe('docs/diagnostics.md', () => {
  it('lists every code with its meaning (regenerate: npx tsx scripts/diagnostics-doc.ts --write)', () => {
    const committed = readFileSync(join(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8');
    expect(committed).toBe(renderDiagnosticsDoc());
  });

  it('never registers one code in two tables', () => {
    const seen = new Map<string, string>();
    for (const group of CODE_GROUPS) {
      for (const code of Object.keys(group.codes)) {
        expect(seen.get(code), `${code} is in "${seen.get(code)}" and "${group.title}"`).toBeUndefined();
        seen.set(code, group.title);
      }
    }
    expect(seen.size).toBeGreaterThan(80);
  });

  it('gives every code a fix', () => {
    const codes = [...CODE_GROUPS.flatMap((group) => Object.keys(group.codes)), ...Object.keys(DUMP_CODES)];
    expect(codes.filter((code) => fixFor(code) === undefined)).toEqual([]);
    expect(fixFor('dmar.drhd.base-zero')).toMatch(/register base/);
    expect(fixFor('dmar.scope.overrun'), 'the family fix').toBe(fixFor('dmar.scope'));
  });

  it('cites no file users do not have (the project notes docs/spec.md, kernel-semantics)', () => {
    expect(renderDiagnosticsDoc()).not.toMatch(/spec\.md|kernel-semantics/);
    expect(publicRef('VT-d §8.4; docs/spec.md §2.5; rmrr_sanity_check()')).toBe('VT-d §8.4; rmrr_sanity_check()');
    expect(publicRef('kernel-semantics §4.3')).toBeUndefined();
    // sdt.revision.newer cites only docs/spec.md in its table: the diagnostic carries no ref at all.
    const newer = buildDmar({});
    newer[8] = 9;
    newer[9] = (newer[9]! - 8) & 0xff;
    const diagnostic = parseDmar(newer).diagnostics.find((item) => item.code === 'sdt.revision.newer');
    expect(diagnostic).toBeDefined();
    expect(diagnostic!.ref).toBeUndefined();
  });
});

