/**
 * Reading inputs with the size cap counted while reading: `stat` says nothing about stdin, a
 * FIFO, `/dev/zero` or a `/proc` file of size 0, which would otherwise be read until memory
 * runs out. Every table, `--pci` and `--memmap` file goes through here.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** No ACPI table, text dump, topology or memory map comes near this. */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;
/** Environment variable that sets the cap: bytes, or a number with K, M or G (binary units). */
export const MAX_INPUT_ENV = 'ACPI_IOMMU_MAX_INPUT_BYTES';
const CHUNK_BYTES = 64 * 1024;
const UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

export class InputTooLargeError extends Error {
  constructor(readonly cap: number) {
    super(`more than ${cap} bytes, the input size limit (raise it with ${MAX_INPUT_ENV})`);
    this.name = 'InputTooLargeError';
  }
}

/** The cap in use: `ACPI_IOMMU_MAX_INPUT_BYTES` when set (a RangeError names a bad value), else the default. */
export function maxInputBytes(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[MAX_INPUT_ENV];
  if (text === undefined || text === '') return DEFAULT_MAX_INPUT_BYTES;
  const match = /^(\d{1,15})([KMG]?)i?B?$/i.exec(text.trim());
  const bytes = match === null ? Number.NaN : Number(match[1]) * UNITS[match[2]!.toUpperCase()]!;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new RangeError(`${MAX_INPUT_ENV}=${text} is not a size in bytes (e.g. 268435456 or 256M)`);
  return bytes;
}

/** Every chunk of a stream, stopping (and so closing the stream) once more than `cap` bytes came. */
export async function readStreamCapped(stream: AsyncIterable<Uint8Array | string>, cap = maxInputBytes()): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    total += bytes.length;
    if (total > cap) throw new InputTooLargeError(cap);
    chunks.push(bytes);
  }
  return joined(chunks, total);
}

/** A file's bytes, read in 64 KiB steps whatever `stat` claims. */
export async function readFileCapped(path: string, cap = maxInputBytes()): Promise<Uint8Array> {
  // Imported when first needed: loading node:fs/promises loads readline and the stream modules,
  // ≈ 1.6 ms of a `check` start-up that reads only regular files (synchronously, below).
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'r');
  try {
    return await readStreamCapped(fileChunks(handle), cap);
  } finally {
    await handle.close();
  }
}

/** One reusable buffer for the synchronous reads: each file's bytes are copied out at their length. */
let scratch: Uint8Array | undefined;

/**
 * A regular file's bytes, read synchronously and capped as `readFileCapped` caps: a `check`
 * over hundreds of files spent most of its time in the promise round trips of open, read,
 * read and close. Only for what `stat` called a regular file (a /proc file of size 0 included):
 * a FIFO must not block the thread, so it goes through `readFileCapped`.
 */
export function readRegularFileCapped(path: string, cap = maxInputBytes()): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    scratch ??= new Uint8Array(CHUNK_BYTES);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const bytesRead = readSync(fd, scratch, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return joined(chunks, total);
      total += bytesRead;
      if (total > cap) throw new InputTooLargeError(cap);
      chunks.push(scratch.slice(0, bytesRead));
    }
  } finally {
    closeSync(fd);
  }
}

/** A file's text (UTF-8), read as `readFileCapped` reads. */
export async function readTextCapped(path: string, cap = maxInputBytes()): Promise<string> {
  return new TextDecoder().decode(await readFileCapped(path, cap));
}

async function* fileChunks(handle: FileHandle): AsyncGenerator<Uint8Array> {
  for (;;) {
    const buffer = new Uint8Array(CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
    if (bytesRead === 0) return;
    // A short read (FIFO, /proc) keeps only what arrived, not the whole 64 KiB buffer.
    yield bytesRead === CHUNK_BYTES ? buffer : buffer.slice(0, bytesRead);
  }
}

function joined(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
