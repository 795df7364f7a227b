/** Comparing our field values with iasl's JSON: numbers by value whatever their form, booleans as 0/1. */

function normalize(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'string' && /^0x[0-9a-f]+$/i.test(value)) return BigInt(value);
  return value;
}

export function sameValue(ours: unknown, theirs: unknown): boolean {
  const [a, b] = [normalize(ours), normalize(theirs)];
  if (typeof a === 'bigint' || typeof b === 'bigint') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

export const showValue = (value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : JSON.stringify(value));
