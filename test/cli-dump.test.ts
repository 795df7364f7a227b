/** `acpi-iommu dump`: the generic listing and `--json`, on the bundled samples (every clone) and a real DMAR. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED, REPO_ROOT, SKIP_REASON, realTables } from './support/shared.js';

const samplePath = (platform: string, signature: string) => join(REPO_ROOT, 'corpus', 'samples', platform, `${signature}.bin`);
const DMAR = samplePath('x86-laptop', 'DMAR');
const APIC = samplePath('x86-laptop', 'APIC');
const IORT = samplePath('arm-server', 'IORT');

describe.skipIf(!HAVE_SHARED)(`acpi-iommu dump on a real DMAR${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  it('lists its header with revision, length and checksum', async () => {
    const row = realTables('DMAR').find((item) => item.checksumOk)!;
    const result = await runCli(['dump', join(CORPUS_ROOT, 'real', row.path)]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(new RegExp(`^DMAR rev ${row.revision} len ${row.length} .*checksum ok`));
  });
});

describe('acpi-iommu dump', () => {
  it('lists the header and every structure at its offset', async () => {
    const result = await runCli(['dump', DMAR]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^DMAR rev 1 len ${readFileSync(DMAR).length} .*checksum ok`));
    // By hand from DMAR.model.json: DRHD 0x30 (24 bytes), DRHD 0x48 (40), RMRRs 0x70, 0x90, 0xb0 (32 each), ANDD 0xd0.
    for (const [offset, kind] of [[0x30, 'DRHD'], [0x48, 'DRHD'], [0x70, 'RMRR'], [0x90, 'RMRR'], [0xb0, 'RMRR'], [0xd0, 'ANDD']] as const) {
      const prefix = `  @0x${offset.toString(16).padStart(4, '0')} ${kind} `;
      expect(lines.some((line) => line.startsWith(prefix)), prefix).toBe(true);
    }
    expect(result.stdout).toMatch(/registerBaseAddress=0x[0-9a-f]+/);
    expect(result.stdout).toMatch(/^ {4}@0x[0-9a-f]{4} [A-Z-]+ len \d+ .*path=[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]/m);
  });

  it('shows IORT ID mappings as "input range → output @node"', async () => {
    const result = await runCli(['dump', IORT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^IORT rev \d+ len \d+ /);
    expect(result.stdout).toMatch(/^ {4}@0x[0-9a-f]{4} idMapping {2}(0x[0-9a-f]+-0x[0-9a-f]+|single ID) → 0x[0-9a-f]+ @node 0x[0-9a-f]+/m);
  });

  it('--json prints one document whose tables are {source, signature, table} with "0x…" hex strings', async () => {
    const result = await runCli(['dump', '--json', DMAR, APIC]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { schemaVersion: number; summary: object; tables: { source: string; table: { signature: string; structures?: { registerBaseAddress?: string }[] } }[] };
    expect(document).toMatchObject({ schemaVersion: 1, command: 'dump', failures: [], summary: { tables: 2, notRead: 0, unreadable: 0 } });
    const items = document.tables;
    expect(items.map((item) => [item.source, item.table.signature])).toEqual([
      [DMAR, 'DMAR'],
      [APIC, 'APIC'],
    ]);
    const bases = items[0]!.table.structures!.flatMap((structure) => structure.registerBaseAddress ?? []);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^0x[0-9a-f]+$/);
  });

  it('reads an acpidump text from stdin and names blocks stdin#N', async () => {
    const bytes = new Uint8Array(readFileSync(DMAR));
    const lines = ['DMAR @ 0x000000007A6E1000'];
    for (let offset = 0; offset < bytes.length; offset += 16) {
      const hex = Array.from(bytes.subarray(offset, offset + 16), (byte) => byte.toString(16).toUpperCase().padStart(2, '0'));
      lines.push(`    ${offset.toString(16).toUpperCase().padStart(4, '0')}: ${hex.join(' ')}  ascii`);
    }
    const result = await runCli(['dump', '--json', '-'], { stdin: `${lines.join('\n')}\n\n` });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { tables: { source: string }[] }).tables.map((item) => item.source)).toEqual(['stdin#1']);
  });

  it('a lone table it does not read is exit 2 with one line naming it; notes only with --verbose', async () => {
    const facp = new Uint8Array(64);
    facp.set([0x46, 0x41, 0x43, 0x50, 64]);
    const quiet = await runCli(['dump', '-'], { stdin: facp });
    expect(quiet.code).toBe(2);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('acpi-iommu: no DMAR, IORT, IVRS or APIC table in the inputs: found only FACP\n');
    const verbose = await runCli(['--verbose', 'dump', '-'], { stdin: facp });
    expect(verbose.stderr).toContain('stdin: FACP is not a table acpi-iommu reads; ignored');
  });

  it('prints no colour when stdout is not a terminal', async () => {
    const result = await runCli(['dump', DMAR], { env: { NO_COLOR: '' } });
    expect(result.stdout).not.toContain('\u001b[');
  });
});
