/**
 * Every --json document validates against its JSON Schema (schemas/*.json, draft 2020-12, shipped
 * in the package), and so do the inputs the tool documents: the --pci topology and encode models.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { buildDmar } from './support/region-tables.js';
import { REPO_ROOT } from './support/shared.js';

const SCHEMAS = join(REPO_ROOT, 'schemas');
// strictRequired is off: the schemas name required keys in anyOf/oneOf branches, where the property is defined one level up.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
for (const name of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')));

function validate(schema: string, value: unknown): string[] {
  const check = ajv.getSchema(`https://unpkg.com/acpi-iommu/schemas/${schema}.json`);
  if (check === undefined) throw new Error(`no schema ${schema}`);
  return check(value) ? [] : (check.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-schemas-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const laptop = join(REPO_ROOT, 'corpus', 'samples', 'x86-laptop');
const arm = join(REPO_ROOT, 'corpus', 'samples', 'arm-server');
const laptopPci = ['--pci', join(laptop, 'pci.json')];
const missing = join(work, 'missing.bin');
const guessedPci = join(work, 'pci.json');
writeFileSync(guessedPci, JSON.stringify({ devices: [{ bdf: '0000:00:14.0', class: '0x0c0330' }] }));
const misaligned = join(work, 'DMAR.bin');
writeFileSync(misaligned, buildDmar({ rmrrs: [{ base: 0x80000800n, end: 0x80002fffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[0x14, 0]] }] }] }));

/** Command lines and the schema of their output; an unreadable input rides along where the command goes on without it. */
const CASES: [string, string[]][] = [
  ['check', ['check', '--json', laptop, arm, missing]],
  ['check', ['check', '--format', 'json', '--fail-on', 'warning', '--ignore', 'sdt.oem-id', misaligned]],
  ['dump', ['dump', '--json', laptop, missing]],
  ['report', ['report', '--json', laptop]],
  ['report', ['report', '--json', arm]],
  ['report', ['report', '--json', '-r', join(REPO_ROOT, 'corpus', 'samples')]],
  ['check', ['check', '--json', '-r', join(REPO_ROOT, 'corpus', 'samples')]],
  ['audit', ['audit', '--json', '-r', join(REPO_ROOT, 'corpus', 'samples')]],
  ['regions', ['regions', '--json', laptop, ...laptopPci]],
  ['regions', ['regions', '--json', laptop]],
  ['regions', ['regions', '--json', misaligned, '--pci', guessedPci]],
  ['regions', ['regions', '--json', arm, '--kernel', '6.1']],
  ['iova', ['iova', '--json', laptop, ...laptopPci, missing]],
  ['iova', ['iova', '--format', 'json', arm]],
  ['conflicts', ['conflicts', '--json', laptop, ...laptopPci, '--guest-ram', '0x0-0x7fffffff']],
  ['explain', ['explain', '--json', laptop, '01:00.0', ...laptopPci]],
  ['explain', ['explain', '--json', laptop, '01:00.0']],
  ['audit', ['audit', '--json', laptop, '--memmap', join(REPO_ROOT, 'examples', 'laptop-e820.log')]],
  ['audit', ['audit', '--json', misaligned]],
  ['audit', ['audit', '--json', join(REPO_ROOT, 'corpus', 'samples', 'amd-desktop', 'IVRS.bin')]],
  ['map', ['map', '--json', arm, '--rid', '0x100']],
];

/**
 * The numbers rule (schemas/common.json description): 32-bit quantities are JSON numbers, 64-bit
 * ones "0x…" strings. A number above 0xffffffff means a 64-bit value slipped out as a number.
 */
function numbersAgainstRule(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? [] : [`${path} = ${value}`];
  if (typeof value === 'string') return /^0x[0-9a-z]*$/i.test(value) && !/^0x[0-9a-f]+$/.test(value) ? [`${path} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => numbersAgainstRule(item, `${path}/${index}`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => numbersAgainstRule(item, `${path}/${key}`));
  return [];
}

describe('every --json document matches its schema', () => {
  it.each(CASES)('%s: %s', async (schema, args) => {
    const result = await runCli(args);
    // 2 with an unreadable input (the others still answered); else 0 clean or allowed, 1 findings or refused, 4 explain's unknown.
    if (args.includes(missing)) expect(result.code).toBe(2);
    else expect([0, 1, 4], result.stderr).toContain(result.code);
    const document = JSON.parse(result.stdout);
    expect(validate(schema, document)).toEqual([]);
    expect(numbersAgainstRule(document)).toEqual([]);
    // Each document carries its schema's version (schemas/<command>.json: report is at 2, the others at 1).
    expect(document.schemaVersion).toBe(schema === 'report' ? 2 : 1);
    if (args.includes(missing)) expect(document.failures).toEqual([{ source: missing, reason: 'no such file or directory' }]);
  });

  it('audit coverage sizes are hex strings like every size of an address range; a number there is rejected', async () => {
    const document = JSON.parse((await runCli(['audit', '--json', laptop, '--memmap', join(REPO_ROOT, 'examples', 'laptop-e820.log')])).stdout);
    const covered = document.ranges.find((range: { coverage: unknown }) => range.coverage !== null);
    expect(covered.coverage.coveredBytes).toMatch(/^0x[0-9a-f]+$/);
    expect(covered.coverage.totalBytes).toMatch(/^0x[0-9a-f]+$/);
    const asNumber = structuredClone(document);
    asNumber.ranges.find((range: { coverage: unknown }) => range.coverage !== null).coverage.totalBytes = Number.parseInt(covered.coverage.totalBytes, 16);
    expect(validate('audit', asNumber)).not.toEqual([]);
    expect(numbersAgainstRule({ size: 0x1_0000_0000 })).toEqual(['/size = 4294967296']);
  });

  it('a schema rejects what breaks the contract: a number where an address string belongs, an unknown key, a missing head', async () => {
    const document = JSON.parse((await runCli(['conflicts', '--json', laptop, ...laptopPci, '--guest-ram', '0x0-0x7fffffff'])).stdout);
    expect(validate('conflicts', { ...document, guestRam: [{ start: 0, end: 0x7fffffff }] })).not.toEqual([]);
    expect(validate('conflicts', { ...document, findings: [] })).not.toEqual([]);
    const { schemaVersion: _dropped, ...headless } = document;
    expect(validate('conflicts', headless)).not.toEqual([]);
  });
});

describe('documented inputs match their schemas', () => {
  it('the sample topologies and the --pci forms the reader accepts', () => {
    for (const sample of [laptop, arm]) expect(validate('pci-topology', JSON.parse(readFileSync(join(sample, 'pci.json'), 'utf8')))).toEqual([]);
    expect(validate('pci-topology', [{ bdf: '00:1f.6', class: 0x020000 }])).toEqual([]);
    expect(validate('pci-topology', { devices: [{ bdf: '0000:00:1f.6' }] }), 'class is required').not.toEqual([]);
    expect(validate('pci-topology', { devices: [{ bdf: '0000:00:1f.6', class: '0x020000' }], groups: { x: [] } }), 'group names are numbers').not.toEqual([]);
  });

  it('the sample encode models, and dump --json of one table, are encode models', async () => {
    for (const name of ['IORT.model.json', 'APIC.model.json']) expect(validate('encode-model', JSON.parse(readFileSync(join(arm, name), 'utf8'))), name).toEqual([]);
    const dumped = JSON.parse((await runCli(['dump', '--json', join(laptop, 'DMAR.bin')])).stdout);
    expect(validate('encode-model', dumped)).toEqual([]);
    expect(validate('encode-model', dumped.tables[0].table)).toEqual([]);
    expect(validate('encode-model', { signature: 'FACP' }), 'only DMAR, IORT and APIC encode').not.toEqual([]);
  });

  it('ships the schemas in the package', () => {
    const files = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).files as string[];
    expect(files).toContain('schemas');
  });
});
