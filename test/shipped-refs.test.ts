/**
 * Issue 13: no message, `ref` or doc string shown to users points at a file they do not have.
 * Every reference to the project's notes names a file package.json "files" ships
 * (docs/spec.md, docs/kernel-semantics.md, docs/diagnostics.md) with a section that exists there.
 * Checked over every code's ref and over the text and JSON of the commands on the samples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicRef } from '../src/bytes/public-ref.js';
import { CODE_GROUPS } from '../src/codes.js';
import { parseDmar } from '../src/dmar/index.js';
import { KERNEL_CHANGES } from '../src/regions/kernel-versions.js';
import { runCli } from './support/cli.js';
import { buildDmar } from './support/region-tables.js';
import { REPO_ROOT } from './support/shared.js';

const SHIPPED: string[] = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).files;

function headings(file: string): Set<string> {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  return new Set([...text.matchAll(/^#{2,4} (\d+(?:\.\d+)*)[. ]/gm)].map((match) => match[1]!));
}
const SECTIONS = new Map(['docs/spec.md', 'docs/kernel-semantics.md'].map((file) => [file, headings(file)]));

/** What in `text` names a notes file the user may not have, or a section that file lacks. */
function unshipped(text: string): string[] {
  const problems: string[] = [];
  // A short form that names no file: `kernel-semantics §4.3`, `spec.md §2` without docs/.
  for (const match of text.matchAll(/(?<![\w/])(kernel-semantics(?!\.md)|spec\.md|kernel-semantics\.md)\b/g)) problems.push(`short form "${match[0]}"`);
  for (const match of text.matchAll(/\b((?:docs\/)?[\w-]+\.md)\b(?: ?§ ?(\d+(?:\.\d+)*))?/g)) {
    const [, file, section] = match;
    if (file === 'README.md') continue; // npm ships the README with every package.
    if (!SHIPPED.includes(file!)) problems.push(`"${file}" is not in package.json files`);
    else if (section !== undefined && SECTIONS.has(file!) && !SECTIONS.get(file!)!.has(section)) problems.push(`${file} has no §${section}`);
  }
  return problems;
}

describe('references shown to users name shipped files', () => {
  it('the check catches what users could not open', () => {
    expect(unshipped('kernel-semantics §4.3')).toEqual(['short form "kernel-semantics"']);
    expect(unshipped('see docs/notes.md')).toEqual(['"docs/notes.md" is not in package.json files']);
    // Built from parts: a literal citation of a missing section would fail test/docs-citations.
    const missingSection = ['docs/spec.md', '§99'].join(' ');
    expect(unshipped(missingSection)).toEqual(['docs/spec.md has no §99']);
    expect(unshipped('VT-d §8.4; docs/spec.md §2.5; rmrr_sanity_check()')).toEqual([]);
  });

  it('publicRef turns the tables\' short forms into the shipped paths', () => {
    expect(publicRef('VT-d §8.4; spec.md §2.5; rmrr_sanity_check()')).toBe('VT-d §8.4; docs/spec.md §2.5; rmrr_sanity_check()');
    expect(publicRef('kernel-semantics §4.3')).toBe('docs/kernel-semantics.md §4.3');
    expect(publicRef('AMD IOMMU specification §5.2.2')).toBe('AMD IOMMU specification §5.2.2');
  });

  it('every code\'s ref, as users see it', () => {
    const problems = CODE_GROUPS.flatMap((group) => Object.entries(group.codes).flatMap(([code, info]) => unshipped(publicRef(info.ref) ?? '').map((problem) => `${code}: ${problem}`)));
    expect(problems).toEqual([]);
    // At least the notes citations survive as pointers (they were dropped before).
    expect(CODE_GROUPS.flatMap((group) => Object.values(group.codes)).filter((info) => /docs\/kernel-semantics\.md §/.test(publicRef(info.ref) ?? '')).length).toBeGreaterThan(10);
  });

  it('a diagnostic carries the shipped path (sdt.revision.newer cites docs/spec.md)', () => {
    const newer = buildDmar({});
    newer[8] = 9;
    newer[9] = (newer[9]! - 8) & 0xff;
    const diagnostic = parseDmar(newer).diagnostics.find((item) => item.code === 'sdt.revision.newer');
    expect(diagnostic!.ref).toMatch(/^docs\/spec\.md §/);
  });

  it('the kernel-version table cites shipped sections', () => {
    expect(KERNEL_CHANGES.flatMap((change) => unshipped(change.source.section))).toEqual([]);
  });

  it('docs/diagnostics.md', () => {
    expect(unshipped(readFileSync(join(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8'))).toEqual([]);
  });

  const samples = join(REPO_ROOT, 'corpus', 'samples');
  const laptop = join(samples, 'x86-laptop');
  const arm = join(samples, 'arm-server');
  const amd = join(samples, 'amd-desktop');
  const RUNS: string[][] = [
    ['check', '--strict', laptop, arm, amd], ['check', '--json', '--strict', laptop, arm, amd], ['check', '--format', 'sarif', laptop],
    ['report', laptop], ['report', '--json', arm], ['dump', amd], ['regions', laptop, '--kernel', '5.2'], ['regions', '--json', arm],
    ['iova', amd], ['audit', laptop], ['audit', '--json', amd], ['explain', laptop, '01:00.0'], ['explain', '--json', amd, '00:02.0'], ['explain', amd, '03:00.3'],
    ['explain', arm, '01:00.0'], ['map', arm, '--rid', '0x100'], ['--help'],
  ];
  it.each(RUNS)('%s %s …', async (...args) => {
    const result = await runCli(args);
    expect(unshipped(result.stdout + result.stderr)).toEqual([]);
  });
});
