/**
 * A growable little-endian byte buffer written at absolute offsets. The encoders lay a table
 * out first and then write each field where it belongs; gaps stay zero.
 */
import { listAt, objectAt } from './values.js';

export type Width = 1 | 2 | 4 | 8;

/**
 * The largest table the encoder makes: 16 MiB, far above any DMAR, IORT or APIC. A model asking
 * for more (70,000 structures of Length 65535 is 4.5 GB) is refused before the buffer grows.
 */
export const MAX_ENCODED_BYTES = 16 * 1024 * 1024;

/** Thrown when a model asks for more than MAX_ENCODED_BYTES; `encodeTable` turns it into an EncodeError. */
export class OutputTooLargeError extends RangeError {
  constructor(readonly end: number) {
    super(`the table would be ${end} bytes or more, above the encoder's limit of ${MAX_ENCODED_BYTES} bytes`);
    this.name = 'OutputTooLargeError';
  }
}

export class ByteWriter {
  #bytes = new Uint8Array(256);
  #view = new DataView(this.#bytes.buffer);
  /** One past the highest byte written or reserved. */
  size = 0;

  /** Makes `[0, end)` part of the output (zero-filled where nothing is written). */
  reserve(end: number): void {
    if (!(end <= MAX_ENCODED_BYTES)) throw new OutputTooLargeError(end);
    if (end > this.#bytes.length) {
      let capacity = this.#bytes.length;
      while (capacity < end) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.#bytes);
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    if (end > this.size) this.size = end;
  }

  /** Writes an unsigned value already range-checked by the caller. */
  uint(at: number, width: Width, value: number | bigint): void {
    this.reserve(at + width);
    if (width === 8) this.#view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true);
    else if (width === 4) this.#view.setUint32(at, Number(value) >>> 0, true);
    else if (width === 2) this.#view.setUint16(at, Number(value) & 0xffff, true);
    else this.#view.setUint8(at, Number(value) & 0xff);
  }

  bytes(at: number, data: Uint8Array): void {
    this.reserve(at + data.length);
    this.#bytes.set(data, at);
  }

  /** Latin-1 text, each character one byte, padded with NULs (or cut) to `width` bytes. */
  text(at: number, value: string, width: number): void {
    this.reserve(at + width);
    for (let index = 0; index < width; index++) this.#bytes[at + index] = index < value.length ? value.charCodeAt(index) & 0xff : 0;
  }

  /** Latin-1 text followed by a NUL unless `terminated` is false; returns the offset after it. */
  cString(at: number, value: string, terminated: boolean): number {
    const width = value.length + (terminated ? 1 : 0);
    this.text(at, value, width);
    return at + width;
  }

  /** The written bytes `[0, size)`, a fresh copy. */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.size);
  }
}

/** Writes `items` one after another from `at` (each writer returns the bytes it occupies); returns the end. */
export function writeSequence<T>(at: number, items: readonly T[] | undefined, label: string, write: (at: number, item: T, path: string) => number): number {
  let cursor = at;
  listAt(items, label).forEach((item, index) => {
    const path = `${label}[${index}]`;
    cursor += write(cursor, objectAt(item, path), path);
  });
  return cursor;
}
