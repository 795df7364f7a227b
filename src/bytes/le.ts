/**
 * Unchecked little-endian reads, for fields of an item the validation walk has already framed
 * inside the bytes: the framing checked the bounds once, so each field read needs no window
 * check (issue 14: per-read checks were a third of a DMAR's parse). Anything not yet framed
 * goes through TableReader.
 */
export function le16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

export function le32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** A 1- to 4-byte unsigned field (reserved fields come in these widths). */
export function leN(bytes: Uint8Array, at: number, size: 1 | 2 | 3 | 4): number {
  if (size === 1) return bytes[at]!;
  if (size === 2) return le16(bytes, at);
  if (size === 3) return le16(bytes, at) + bytes[at + 2]! * 0x10000;
  return le32(bytes, at);
}
