/**
 * Model values → integers. A model may give any numeric field as a JS number, a bigint, or a
 * string (`"0x…"` as the parsers' JSON writes 64-bit values, or decimal). Bad values throw an
 * `EncodeError` naming the field's path, so a VMM author's typo is reported, not masked.
 */

export type NumberLike = number | bigint | string;

/** A model the encoder cannot turn into bytes; `path` names the field, e.g. `structures[2].length`. */
export class EncodeError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'EncodeError';
  }
}

/** Any accepted numeric form as a bigint, or `undefined` when the value is absent. */
export function optionalBigInt(value: unknown, path: string): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new EncodeError(path, `${value} is not a safe integer (give 64-bit values as "0x…" strings or bigint)`);
    return BigInt(value);
  }
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string' && /^(0x[0-9a-f]+|[0-9]+)$/i.test(value.trim())) return BigInt(value.trim());
  throw new EncodeError(path, `expected a number, bigint or "0x…" string, got ${JSON.stringify(String(value))}`);
}

/** An unsigned field of `bits` bits: the model's value (range-checked) or `fallback`. */
export function unsignedBig(value: unknown, bits: number, path: string, fallback = 0n): bigint {
  const big = optionalBigInt(value, path) ?? fallback;
  if (big < 0n || big >> BigInt(bits) !== 0n) throw new EncodeError(path, `${big} does not fit in an unsigned ${bits}-bit field`);
  return big;
}

/** Same as `unsignedBig` for fields of at most 32 bits, as a number. */
export function unsigned(value: unknown, bits: number, path: string, fallback = 0): number {
  return Number(unsignedBig(value, bits, path, BigInt(fallback)));
}

/** `unsigned` when the value is present, else `undefined` (lengths, counts and offsets the model may omit). */
export function optionalUnsigned(value: unknown, bits: number, path: string): number | undefined {
  return value === undefined || value === null ? undefined : unsigned(value, bits, path);
}

/**
 * Bytes given as a byte list or as a hex string (`"0a0b…"`, optional `0x`), e.g. an unknown
 * structure's body. `undefined` when absent.
 */
export function optionalBytes(value: unknown, path: string): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return Uint8Array.from(value, (byte, index) => unsigned(byte, 8, `${path}[${index}]`));
  if (typeof value === 'string' && /^(0x)?([0-9a-f]{2})*$/i.test(value)) {
    const digits = value.replace(/^0x/i, '');
    return Uint8Array.from({ length: digits.length / 2 }, (_, index) => parseInt(digits.slice(index * 2, index * 2 + 2), 16));
  }
  throw new EncodeError(path, 'expected a byte list or a hex string');
}

/** A flags word: the model's raw value when given, else bits composed from named booleans. */
export function flagsOf(model: Record<string, unknown>, key: string, bits: number, path: string, named: Readonly<Record<string, number>>): number {
  if (model[key] !== undefined) return unsigned(model[key], bits, `${path}.${key}`);
  let word = 0;
  for (const [name, bit] of Object.entries(named)) if (model[name] === true) word |= bit;
  return word >>> 0;
}

/** A list field of the model: absent is empty; anything but an array is an error naming `path`. */
export function listAt<T>(value: readonly T[] | undefined, path: string): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new EncodeError(path, 'expected an array');
  return value;
}

/** A structure, node, entry, scope or path step: must be a JSON object, or the error names `path`. */
export function objectAt<T>(value: T, path: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EncodeError(path, 'expected an object');
  return value;
}
