/**
 * Lower-case `0x…` hex, the project's JSON form for 64-bit values (design.md), zero-padded to
 * `digits` hex digits when asked (`hex(0xfee00000n, 16)` is the sysfs form).
 */
export function hex(value: bigint | number, digits = 0): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** Zero-padded lower-case hex without prefix, e.g. `pad(0xfee00000n, 16)`. */
export function padHex(value: bigint | number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/** JSON.stringify replacer that writes bigint as `"0x…"` and typed arrays as byte lists. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return hex(value);
  if (value instanceof Uint8Array) return Array.from(value);
  return value;
}

export function toJsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, jsonReplacer, indent);
}
