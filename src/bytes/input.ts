/**
 * What the parse functions accept, made a Uint8Array without copying: a Uint8Array (a Node
 * Buffer is one), an ArrayBuffer or SharedArrayBuffer (`fetch().arrayBuffer()`), a DataView or
 * any typed array. A plain array of byte values is copied. Nothing here throws: a detached
 * buffer (transferred to a worker) becomes an empty table that `isDetachedInput` recognises,
 * so the parser reports it instead of failing inside DataView's constructor.
 */
export type BytesInput = Uint8Array | ArrayBufferLike | ArrayBufferView | readonly number[];

const DETACHED_STAND_INS = new WeakSet<Uint8Array>();

/** True when `buffer` can no longer be read (transferred or detached). */
export function isDetachedBuffer(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

function standIn(): Uint8Array {
  const empty = new Uint8Array(0);
  DETACHED_STAND_INS.add(empty);
  return empty;
}

export function asBytes(input: BytesInput): Uint8Array {
  if (input instanceof Uint8Array) {
    // A view with bytes is not detached (detaching empties every view): the common case reads no
    // `.buffer`, which for a small array V8 allocates on first access.
    return input.length !== 0 || !isDetachedBuffer(input.buffer) ? input : standIn();
  }
  if (ArrayBuffer.isView(input)) return isDetachedBuffer(input.buffer) ? standIn() : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) {
    return isDetachedBuffer(input) ? standIn() : new Uint8Array(input);
  }
  if (Array.isArray(input)) return Uint8Array.from(input, (value: unknown) => (typeof value === 'number' ? value & 0xff : 0));
  return new Uint8Array(0);
}

/** True for the stand-in `asBytes` returns for a detached input (or a Uint8Array over one). */
export function isDetachedInput(bytes: Uint8Array): boolean {
  // Length first: every stand-in is empty, and a table with bytes needs no WeakSet lookup.
  return bytes.length === 0 && (DETACHED_STAND_INS.has(bytes) || isDetachedBuffer(bytes.buffer));
}
