/**
 * Every "docs/spec.md §N" and "docs/kernel-semantics.md §N.M" citation in the sources resolves: the cited
 * section exists in docs/spec.md or docs/kernel-semantics.md, and every cited validation rule
 * ("§5 #N", "§5 rules N–M") is a row of spec §5's table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/shared.js';

const DOCS = { spec: 'spec.md', 'kernel-semantics': 'kernel-semantics.md' } as const;
type Doc = keyof typeof DOCS;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|md)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function headings(doc: Doc): Set<string> {
  const text = readFileSync(join(REPO_ROOT, 'docs', DOCS[doc]), 'utf8');
  return new Set([...text.matchAll(/^#{2,4} (\d+(?:\.\d+)*)[. ]/gm)].map((match) => match[1]!));
}

function specRules(): Set<number> {
  const text = readFileSync(join(REPO_ROOT, 'docs', 'spec.md'), 'utf8');
  const section = text.slice(text.indexOf('\n## 5. '), text.indexOf('\n## 6. '));
  return new Set([...section.matchAll(/^\| (\d+) \|/gm)].map((match) => Number(match[1])));
}

const CITATION = /\b(spec|kernel-semantics)(?:\.md)? ?§ ?(\d+(?:\.\d+)*)((?:(?:,| and|;)? ?§ ?\d+(?:\.\d+)*)*)(?: (?:#|rules? )(\d+)(?:[–-](\d+))?)?/g;

describe('documentation citations', () => {
  const files = ['src', 'test', 'scripts', 'examples', 'fuzz', 'bench'].flatMap(sourceFiles).concat(join(REPO_ROOT, 'docs', 'diagnostics.md'));
  const sections = { spec: headings('spec'), 'kernel-semantics': headings('kernel-semantics') };
  const rules = specRules();
  const cited: { file: string; doc: Doc; section: string; rules: number[] }[] = [];
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(CITATION)) {
      const all = [match[2]!, ...[...match[3]!.matchAll(/\d+(?:\.\d+)*/g)].map((m) => m[0])];
      const first = match[4] === undefined ? [] : [Number(match[4])];
      const range = match[5] === undefined ? first : Array.from({ length: Number(match[5]) - first[0]! + 1 }, (_, i) => first[0]! + i);
      for (const section of all) cited.push({ file: file.slice(REPO_ROOT.length + 1), doc: match[1] as Doc, section, rules: section === all.at(-1) ? range : [] });
    }
  }

  it('finds the citations the sources make (100+)', () => {
    expect(cited.length).toBeGreaterThan(100);
    expect(sections.spec.size).toBeGreaterThan(40);
    expect(rules.size).toBe(38);
  });

  it('resolves every cited section to a heading with that number', () => {
    const missing = cited.filter((citation) => !sections[citation.doc].has(citation.section));
    expect(missing.map((citation) => `${citation.file}: ${citation.doc} §${citation.section}`)).toEqual([]);
  });

  it('resolves every cited spec §5 rule to a row of its table', () => {
    const missing = cited.filter((citation) => citation.doc === 'spec' && citation.section === '5').flatMap((citation) => citation.rules.filter((rule) => !rules.has(rule)).map((rule) => `${citation.file}: spec §5 #${rule}`));
    expect(missing).toEqual([]);
    expect(cited.filter((citation) => citation.rules.length > 0).length).toBeGreaterThan(30);
  });
});
