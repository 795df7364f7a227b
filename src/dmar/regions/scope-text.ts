/**
 * The text of a device scope entry, `endpoint 00:1c.1/00.0` (start bus, then each hop's dev.fn),
 * read from the scope's bytes: no path array or hop objects, and one table lookup per byte
 * instead of a `toString(16)` and a `padStart` (the unscoped regions print one per RMRR scope).
 */
import { pathEntryCount } from '../device-scope.js';
import { SCOPE, SCOPE_PATH_ENTRY_SIZE } from '../layout.js';

/** Two lower-case hex digits per byte value. */
export const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, value) => value.toString(16).padStart(2, '0'));
/** A byte value in hex without padding (a hop's function number). */
const BYTE_HEX_SHORT: readonly string[] = Array.from({ length: 256 }, (_, value) => value.toString(16));

/** The scope of `kind` at `at` in `bytes`, `length` bytes long, as `kind BB:DD.F/DD.F…`. */
export function scopeLabel(kind: string, bytes: Uint8Array, at: number, length: number): string {
  let text = `${kind} ${BYTE_HEX[bytes[at + SCOPE.startBusNumber]!]}:`;
  const hops = pathEntryCount(length);
  for (let hop = 0, entry = at + SCOPE.path; hop < hops; hop++, entry += SCOPE_PATH_ENTRY_SIZE) {
    text += `${hop === 0 ? '' : '/'}${BYTE_HEX[bytes[entry]!]}.${BYTE_HEX_SHORT[bytes[entry + 1]!]}`;
  }
  return text;
}
