/**
 * Streamed output (issue 17 §1): writeJson prints exactly what toJsonText prints, in chunks
 * of bounded size, waiting for the stream to drain, and rejects when the stream fails.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { toJsonText } from '../src/bytes/hex.js';
import { parseTable } from '../src/table.js';
import { parseDmar } from '../src/dmar/index.js';
import { LazyJsonArray, OUTPUT_CHUNK_CHARS, writeJson, writeLines, writeText, type OutputSink } from '../src/cli/shared/output.js';
import { dmarOfBadScopes } from './support/hostile-tables.js';
import { REPO_ROOT } from './support/shared.js';
import { lazyTableJson } from '../src/cli/shared/lazy-table.js';

/** Records every chunk; answers `false` (full) every `fullEvery` writes and drains on the next tick. */
class FakeSink extends EventEmitter implements OutputSink {
  chunks: string[] = [];
  constructor(private readonly fullEvery = 0) {
    super();
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    if (this.fullEvery > 0 && this.chunks.length % this.fullEvery === 0) {
      setImmediate(() => this.emit('drain'));
      return false;
    }
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const SAMPLES = ['arm-server/IORT.bin', 'arm-server/APIC.bin', 'x86-laptop/APIC.bin'];

describe('writeJson', () => {
  it.each(SAMPLES)('prints the same text as toJsonText for %s', async (name) => {
    const table = parseTable(new Uint8Array(readFileSync(join(REPO_ROOT, 'corpus', 'samples', name))));
    const value = [{ source: name, table: table!.toJSON() }];
    const sink = new FakeSink(2);
    await writeJson(value, sink);
    expect(sink.text).toBe(`${toJsonText(value)}\n`);
  });

  test.prop([fc.jsonValue(), fc.bigInt(), fc.uint8Array({ maxLength: 4 })], { seed: 17, numRuns: 300 })('matches JSON.stringify on any JSON value with bigint and bytes mixed in', async (json, big, bytes) => {
    const value = { json, nested: [json, { big, bytes, gone: undefined }], empty: [], none: {} };
    const sink = new FakeSink();
    await writeJson(value, sink);
    expect(sink.text).toBe(`${toJsonText(value)}\n`);
  });

  it('writes a LazyJsonArray as an array, making each element only when it is written', async () => {
    const made: number[] = [];
    const sink = new FakeSink();
    const items = (function* () {
      for (let index = 0; index < 3; index++) {
        made.push(index);
        yield { index, sinkChunksBefore: sink.chunks.length };
      }
    })();
    await writeJson(new LazyJsonArray(items), sink);
    expect(JSON.parse(sink.text)).toEqual([0, 1, 2].map((index) => ({ index, sinkChunksBefore: 0 })));
    expect(made).toEqual([0, 1, 2]);
  });

  it('hands the stream bounded chunks for a hostile table (no string as large as the output)', async () => {
    const table = parseDmar(dmarOfBadScopes(256 * 1024).bytes);
    const sink = new FakeSink(3);
    await writeJson([{ source: 'hostile', table: table.toJSON() }], sink);
    const total = sink.text.length;
    const largest = Math.max(...sink.chunks.map((chunk) => chunk.length));
    // One RMRR's JSON (250 scopes of 124 path entries) is the largest piece serialised whole.
    expect(total).toBeGreaterThan(10_000_000);
    expect(largest).toBeLessThan(OUTPUT_CHUNK_CHARS + 4_000_000);
    expect(largest * 3).toBeLessThan(total);
  });

  it('rejects when the stream reports an error while it waits to drain', async () => {
    const sink = new FakeSink();
    sink.write = () => {
      setImmediate(() => sink.emit('error', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })));
      return false;
    };
    await expect(writeLines(['x'.repeat(OUTPUT_CHUNK_CHARS)], sink)).rejects.toMatchObject({ code: 'ENOSPC' });
  });
});

describe('writeLines', () => {
  it('writes each line with a newline, in chunks near OUTPUT_CHUNK_CHARS', async () => {
    const lines = Array.from({ length: 20_000 }, (_, index) => `line ${index}`);
    const sink = new FakeSink(5);
    await writeLines(lines, sink);
    expect(sink.text).toBe(`${lines.join('\n')}\n`);
    expect(sink.chunks.length).toBeGreaterThan(1);
    for (const chunk of sink.chunks.slice(0, -1)) expect(chunk.length).toBeLessThan(OUTPUT_CHUNK_CHARS + 20);
  });
});

describe('writeText', () => {
  it('writes pieces as they are, newlines only where they hold them, in bounded chunks', async () => {
    const pieces = Array.from({ length: 30_000 }, (_, index) => (index % 3 === 2 ? `${index}\n` : `${index} `));
    const sink = new FakeSink(4);
    await writeText(pieces, sink);
    expect(sink.text).toBe(pieces.join(''));
    expect(sink.text.split('\n')[0]).toBe('0 1 2');
    expect(sink.chunks.length).toBeGreaterThan(1);
    for (const chunk of sink.chunks) expect(chunk.length).toBeLessThan(OUTPUT_CHUNK_CHARS + 10);
  });
});

describe('lazyTableJson', () => {
  it.each(SAMPLES)('gives the same JSON text as toJSON() for %s, the item list made while written', async (name) => {
    const table = parseTable(new Uint8Array(readFileSync(join(REPO_ROOT, 'corpus', 'samples', name))))!;
    const sink = new FakeSink();
    const lazy = lazyTableJson(table);
    const listKey = Object.keys(lazy).find((key) => lazy[key] instanceof LazyJsonArray);
    expect(listKey).toBeDefined();
    await writeJson([{ source: name, table: lazy }], sink);
    expect(sink.text).toBe(`${toJsonText([{ source: name, table: table.toJSON() }])}\n`);
  });
});
