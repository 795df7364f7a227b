/**
 * Output of any size in bounded memory: text and JSON are handed to stdout in chunks of about
 * 64 KiB, waiting for the stream to drain, instead of one string as large as the output (an
 * 8 MiB hostile DMAR dumps 440 MB of JSON). Write failures (ENOSPC, EIO) reject, so the
 * program reports them in one line.
 */
import { jsonReplacer } from '../../bytes/hex.js';

/** Characters gathered before one write to the stream. */
export const OUTPUT_CHUNK_CHARS = 64 * 1024;
/** Containers this deep or deeper are serialised whole; above, element by element. */
const STREAMED_DEPTH = 4;

export interface OutputSink {
  write(chunk: string): boolean;
  once(event: 'drain' | 'error', listener: (error?: Error) => void): unknown;
  off(event: 'drain' | 'error', listener: (error?: Error) => void): unknown;
}

/** An array for `writeJson` whose elements are made one at a time, as they are written. */
export class LazyJsonArray<T> {
  constructor(readonly items: Iterable<T>) {}
}

export class ChunkedWriter {
  private pending: string[] = [];
  private size = 0;
  /** How many writes reached the stream: a work counter for tests. */
  writes = 0;
  constructor(private readonly sink: OutputSink = process.stdout) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= OUTPUT_CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.size = 0;
    this.writes++;
    if (!this.sink.write(chunk)) await drained(this.sink);
  }
}

function drained(sink: OutputSink): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      sink.off('error', onError);
      resolve();
    };
    const onError = (error?: Error): void => {
      sink.off('drain', onDrain);
      reject(error ?? new Error('output stream failed'));
    };
    sink.once('drain', onDrain);
    sink.once('error', onError);
  });
}

/** Lines, each ending in a newline, streamed. */
export async function writeLines(lines: Iterable<string>, sink?: OutputSink): Promise<void> {
  await writeText(withNewlines(lines), sink);
}

/** Text pieces written as they are (each already ends its own lines), streamed. */
export async function writeText(pieces: Iterable<string>, sink?: OutputSink): Promise<void> {
  const writer = new ChunkedWriter(sink);
  for (const piece of pieces) await writer.write(piece);
  await writer.flush();
}

function* withNewlines(lines: Iterable<string>): Generator<string> {
  for (const line of lines) yield `${line}\n`;
}

/** The same text as `toJsonText(value)` plus a newline, streamed. */
export async function writeJson(value: unknown, sink?: OutputSink): Promise<void> {
  const writer = new ChunkedWriter(sink);
  for (const piece of jsonPieces(prepared('', value), '', 0)) await writer.write(piece);
  await writer.write('\n');
  await writer.flush();
}

/** JSON.stringify's steps for one value: its toJSON, then the project's replacer. */
function prepared(key: string, value: unknown): unknown {
  const withJson = typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function' ? (value as { toJSON(key: string): unknown }).toJSON(key) : value;
  return jsonReplacer(key, withJson);
}

/** The text of a value already through `prepared`. */
function* jsonPieces(value: unknown, indent: string, depth: number): Generator<string> {
  const lazy = value instanceof LazyJsonArray;
  if (!lazy && (depth >= STREAMED_DEPTH || value === null || typeof value !== 'object' || (!Array.isArray(value) && isLeafObject(value)))) {
    // Strings never hold a raw newline, so re-indenting the lines of the text is safe.
    yield (JSON.stringify(value, jsonReplacer, 2) ?? 'null').replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (lazy || Array.isArray(value)) {
    const items: Iterable<unknown> = lazy ? (value as LazyJsonArray<unknown>).items : (value as unknown[]);
    let index = 0;
    for (const item of items) {
      yield index === 0 ? `[\n${inner}` : `,\n${inner}`;
      yield* jsonPieces(prepared(String(index), item), inner, depth + 1);
      index++;
    }
    yield index === 0 ? '[]' : `\n${indent}]`;
    return;
  }
  let written = 0;
  for (const [name, raw] of Object.entries(value)) {
    const member = prepared(name, raw);
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    yield `${written === 0 ? '{' : ','}\n${inner}${JSON.stringify(name)}: `;
    yield* jsonPieces(member, inner, depth + 1);
    written++;
  }
  yield written === 0 ? '{}' : `\n${indent}}`;
}

/** An object none of whose members is an array or object: nothing to gain by streaming it. */
function isLeafObject(value: object): boolean {
  return Object.values(value).every((member) => member === null || typeof member !== 'object');
}
