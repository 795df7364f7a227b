/** The README's library example is examples/library.ts, and its printed output is what the file prints. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const example = readFileSync(join(REPO_ROOT, 'examples', 'library.ts'), 'utf8');

/** The fenced blocks of the README that follow `marker`. */
function blockAfter(marker: string, fence: string): string {
  const start = readme.indexOf(marker);
  expect(start, `README has "${marker}"`).toBeGreaterThanOrEqual(0);
  const open = readme.indexOf(`\`\`\`${fence}\n`, start) + fence.length + 4;
  return readme.slice(open, readme.indexOf('\n```', open) + 1);
}

describe('README library example', () => {
  it('shows examples/library.ts as a user writes it (importing the package)', () => {
    expect(blockAfter('This is `examples/library.ts`', 'ts')).toBe(example.replace("'../src/index.js'", "'acpi-iommu'"));
  });

  it('prints what the README says it prints', async () => {
    const result = await runNode([join(REPO_ROOT, 'examples', 'library.ts')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(blockAfter('Its output on the sample laptop', ''));
  });
});
