/**
 * Reading a file that should hold JSON (a --pci topology, an encode model): when it does not,
 * one line says what it is instead and what was expected, never a bare JSON.parse message.
 */

/** Printable ASCII, tab, CR, LF and UTF-8 bytes; a NUL or another control byte means binary. */
function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  return head.some((byte) => byte === 0 || (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d));
}

/** `an ACPI DMAR table` when the first four bytes are an upper-case signature, else `a binary file`. */
function describeBinary(bytes: Uint8Array): string {
  const signature = String.fromCharCode(...bytes.subarray(0, 4));
  return /^[A-Z0-9_]{4}$/.test(signature) ? `a binary file (an ACPI ${signature} table?)` : 'a binary file';
}

/** The parsed value, or a one-line reason naming what `expected` describes. */
export function parseJsonBytes(bytes: Uint8Array, expected: string): { value: unknown } | { reason: string } {
  if (bytes.length === 0) return { reason: `empty file; expected ${expected}` };
  if (looksBinary(bytes)) return { reason: `${describeBinary(bytes)}, not JSON; expected ${expected}` };
  try {
    return { value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch (error) {
    // JSON.parse quotes the text it choked on, newlines included: keep the reason on one line.
    return { reason: `not valid JSON (${(error as Error).message.replace(/\s*\n\s*/g, ' ')}); expected ${expected}` };
  }
}
