/**
 * `encode` output safety and model handling (issue 13 item 6, issue 17 §5 and §6): atomic
 * writes, no symlinks, no overwriting without --force, never over the model; layout fields
 * recomputed from the content unless the model asks for a lie; huge or broken models refused
 * with the field path, never a raw TypeError or RangeError.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { mutateJson } from '../fuzz/mutate-json.js';
import { Random } from '../fuzz/prng.js';
import { SAMPLE_PLATFORMS } from '../fuzz/specimens/samples.js';
import { EncodeError, MAX_ENCODED_BYTES, encodeTable, type TableModel } from '../src/encode/index.js';
import { layoutAsGiven, withComputedLayout } from '../src/encode/layout-fields.js';
import { OutputRefusedError, writeFileAtomic } from '../src/node/write-atomic.js';
import { parseIort } from '../src/iort/index.js';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/shared.js';

const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-encode-out-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const IORT_MODEL = join(REPO_ROOT, 'corpus', 'samples', 'arm-server', 'IORT.model.json');
const IORT_BIN = readFileSync(join(REPO_ROOT, 'corpus', 'samples', 'arm-server', 'IORT.bin'));
const encodeCli = (...args: string[]) => runCli(['encode', ...args]);

describe('writeFileAtomic', () => {
  it('refuses an existing file without force, replaces it with force, and leaves no temporary file', async () => {
    const path = join(work, 'atomic.bin');
    writeFileSync(path, 'old');
    await expect(writeFileAtomic(path, new Uint8Array([1, 2]))).rejects.toThrow(/exists; give --force/);
    expect(readFileSync(path, 'utf8')).toBe('old');
    await writeFileAtomic(path, new Uint8Array([1, 2]), { force: true });
    expect(Array.from(readFileSync(path))).toEqual([1, 2]);
    expect(readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('never writes through a symbolic link, even with force', async () => {
    const target = join(work, 'target.txt');
    const link = join(work, 'link.bin');
    writeFileSync(target, 'precious');
    symlinkSync(target, link);
    await expect(writeFileAtomic(link, new Uint8Array([9]), { force: true })).rejects.toBeInstanceOf(OutputRefusedError);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('never replaces one of the inputs, even with force', async () => {
    const input = join(work, 'model.json');
    writeFileSync(input, '{}');
    await expect(writeFileAtomic(input, new Uint8Array([9]), { force: true, inputs: [input] })).rejects.toThrow(/is an input of this command/);
    expect(readFileSync(input, 'utf8')).toBe('{}');
  });
});

describe('acpi-iommu encode -o', () => {
  it('writes a new file; refuses to replace it without --force (exit 2, file kept); replaces it with --force', async () => {
    const output = join(work, 'IORT-cli.bin');
    expect((await encodeCli(IORT_MODEL, '-o', output)).code).toBe(0);
    expect(readFileSync(output).equals(IORT_BIN)).toBe(true);
    writeFileSync(output, 'previous');
    const refused = await encodeCli(IORT_MODEL, '-o', output);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/exists; give --force to replace it/);
    expect(readFileSync(output, 'utf8')).toBe('previous');
    expect((await encodeCli(IORT_MODEL, '-o', output, '--force')).code).toBe(0);
    expect(readFileSync(output).equals(IORT_BIN)).toBe(true);
  });

  it('refuses to write over its own model, even with --force', async () => {
    const model = join(work, 'self.json');
    writeFileSync(model, readFileSync(IORT_MODEL));
    const result = await encodeCli(model, '-o', model, '--force');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is an input of this command/);
    expect(readFileSync(model).equals(readFileSync(IORT_MODEL))).toBe(true);
  });
});

describe('layout fields', () => {
  it('an edited dump --json model (a node appended, stale length and count) encodes with both recomputed', async () => {
    const dumped = await runCli(['dump', '--json', join(REPO_ROOT, 'corpus', 'samples', 'arm-server', 'IORT.bin')]);
    const json = JSON.parse(dumped.stdout) as { tables: [{ table: { header: { length: number }; nodes: unknown[]; nodeCount: number } }] };
    const table = json.tables[0].table;
    const staleLength = table.header.length;
    table.nodes.push(structuredClone(table.nodes[0]));
    const path = join(work, 'edited.json');
    writeFileSync(path, JSON.stringify(json));
    const output = join(work, 'edited.bin');
    const result = await encodeCli(path, '-o', output);
    expect(result.code).toBe(0);
    const parsed = parseIort(new Uint8Array(readFileSync(output)));
    expect(parsed.header!.length).toBeGreaterThan(staleLength);
    expect(parsed.header!.length).toBe(readFileSync(output).length);
    expect([...parsed.nodes()]).toHaveLength(table.nodes.length);
    expect(parsed.diagnostics.filter((item) => item.severity === 'error')).toEqual([]);
  });

  it('"layout": "as-given" keeps a lying Length: check would find an error, so nothing is written', async () => {
    const model = { ...JSON.parse(readFileSync(IORT_MODEL, 'utf8')), layout: 'as-given' };
    model.header = { ...model.header, length: 1000 };
    const path = join(work, 'lie.json');
    writeFileSync(path, JSON.stringify(model));
    const output = join(work, 'lie.bin');
    const result = await encodeCli(path, '-o', output);
    expect(result.code).toBe(1);
    expect(existsSync(output)).toBe(false);
  });

  it('withComputedLayout drops lengths, counts, offsets and checksum but keeps content named alike', () => {
    const model = {
      signature: 'IORT', layout: 'as-given', nodeCount: 9, header: { length: 5, checksum: 1, oemId: 'X' },
      nodes: [{ kind: 'rmr', length: 3, mappingCount: 7, memoryRanges: [{ base: '0x1000', length: '0x2000' }], idMappings: [{ idCount: 4 }] }],
    };
    expect(layoutAsGiven(model)).toBe(true);
    expect(withComputedLayout(model)).toEqual({
      signature: 'IORT', header: { oemId: 'X' },
      nodes: [{ kind: 'rmr', memoryRanges: [{ base: '0x1000', length: '0x2000' }], idMappings: [{ idCount: 4 }] }],
    });
  });
});

describe('hostile models', () => {
  it(`a model asking for more than ${MAX_ENCODED_BYTES} bytes is refused with an EncodeError`, () => {
    const structures = Array.from({ length: 70_000 }, () => ({ kind: 'unknown', type: 0x7f, length: 65535 }));
    expect(() => encodeTable({ signature: 'DMAR', structures } as TableModel)).toThrow(EncodeError);
    expect(() => encodeTable({ signature: 'DMAR', structures } as TableModel)).toThrow(/above the encoder's limit/);
  });

  it('an IVRS ivinfo of null reads as absent, like any null number, not a TypeError (found by the mutation test on the AMD sample)', () => {
    expect(encodeTable({ signature: 'IVRS', ivinfo: null } as unknown as TableModel)).toEqual(encodeTable({ signature: 'IVRS' }));
  });

  const MODELS = SAMPLE_PLATFORMS.flatMap((platform) => Object.values(platform.tables));
  test.prop([fc.nat({ max: MODELS.length - 1 }), fc.integer()], { seed: 1717, numRuns: 3000 })('a mutated sample model encodes, or fails with an EncodeError naming the field', (index, seed) => {
    const model = mutateJson(MODELS[index], new Random(seed)).value;
    for (const variant of [model, withComputedLayout(model)]) {
      try {
        encodeTable(variant as TableModel);
      } catch (error) {
        expect(error).toBeInstanceOf(EncodeError);
        expect((error as EncodeError).path).not.toBe('');
      }
    }
  });

  it('a model that is not an object, or lists that are not lists, name the field', () => {
    expect(() => encodeTable(null as unknown as TableModel)).toThrow(/\(model\): expected a JSON object/);
    expect(() => encodeTable({ signature: 'DMAR', structures: 5 } as unknown as TableModel)).toThrow(/^structures: expected an array/);
    expect(() => encodeTable({ signature: 'DMAR', structures: [{ kind: 'rmrr', deviceScopes: [null] }] } as unknown as TableModel)).toThrow(/^structures\[0\]\.deviceScopes\[0\]: expected an object/);
    expect(() => encodeTable({ signature: 'IORT', nodes: [{ kind: 'its-group', itsIdentifiers: [1] }, 'x'] } as unknown as TableModel)).toThrow(/^nodes\[1\]: expected an object/);
  });
});
