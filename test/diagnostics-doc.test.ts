import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODE_GROUPS } from '../src/codes.js';
import { renderDiagnosticsDoc } from '../scripts/diagnostics-doc.js';
import { fixFor } from '../scripts/diagnostic-fixes.js';
import { DUMP_CODES } from '../src/node/acpidump-text.js';
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

  it('cites the project notes by the paths the package ships (test/shipped-refs.test.ts checks every one)', () => {
    expect(renderDiagnosticsDoc()).not.toMatch(/(?<!docs\/)kernel-semantics|(?<!docs\/)spec\.md/);
    expect(renderDiagnosticsDoc()).toMatch(/docs\/kernel-semantics\.md §\d/);
  });
});

