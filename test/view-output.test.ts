/**
 * `view --out` writes through the same safe writer as `encode -o` and `collect -o`
 * (src/node/write-atomic.ts): never through a symbolic link, never over one of its inputs.
 * No browser needed: only the written file is looked at.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'acpi-iommu-view-out-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const DMAR = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop', 'DMAR.bin');

describe('view --out', () => {
  it('refuses a symbolic link even with --force, and leaves its target alone', async () => {
    const target = join(scratch, 'target.html');
    writeFileSync(target, 'mine');
    const link = join(scratch, 'link.html');
    symlinkSync(target, link);
    const result = await runCli(['view', DMAR, '--no-open', '--out', link, '--force']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot write ${link}: is a symbolic link`);
    expect(readFileSync(target, 'utf8')).toBe('mine');
  });

  it('never replaces one of its inputs, even with --force', async () => {
    const input = join(scratch, 'DMAR.bin');
    writeFileSync(input, readFileSync(DMAR));
    const result = await runCli(['view', input, '--no-open', '--out', input, '--force']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is an input of this command');
    expect(readFileSync(input)).toEqual(readFileSync(DMAR));
  });
});
