/** Renders docs/diagnostics.md from the code tables; `npx tsx scripts/diagnostics-doc.ts --write` updates it. */
import { writeFileSync } from 'node:fs';
import { CODE_GROUPS } from '../src/codes.js';
import { publicRef } from '../src/bytes/public-ref.js';
import { DUMP_CODES } from '../src/node/acpidump-text.js';
import { fixFor } from './diagnostic-fixes.js';

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderDiagnosticsDoc(): string {
  const lines = [
    '# Diagnostic codes',
    '',
    'Every finding is `{code, severity, offset, length?, message, ref?}` with `offset` the byte offset in the table.',
    '`error`: the item is unusable or the kernel rejects it; `warning`: the spec is violated but the kernel tolerates it;',
    '`info`: notable, nothing wrong. The fix says who acts: Firmware (the table\'s authors), Table generator (VMMs, EDK2), or you.',
    'Generated from the code tables in `src/**/codes.ts` and the fixes in `scripts/diagnostic-fixes.ts` by `scripts/diagnostics-doc.ts`;',
    'a test keeps this file in step with the code.',
    '',
  ];
  const groups = [...CODE_GROUPS, { title: 'acpidump text input (reported per line, not per byte)', codes: DUMP_CODES }];
  for (const group of groups) {
    lines.push(`## ${group.title}`, '', '| code | severity | meaning | fix | source |', '|---|---|---|---|---|');
    for (const [code, info] of Object.entries(group.codes).sort(([a], [b]) => a.localeCompare(b))) {
      const ref = publicRef('ref' in info ? info.ref : undefined) ?? '';
      lines.push(`| \`${code}\` | ${info.severity} | ${cell(info.summary)} | ${cell(fixFor(code) ?? '')} | ${cell(ref)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv.includes('--write')) {
  writeFileSync(new URL('../docs/diagnostics.md', import.meta.url), renderDiagnosticsDoc());
}
