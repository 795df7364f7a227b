/**
 * Generated hostile tables of any size, written straight into one buffer (the number[]
 * builders would need gigabytes): the shapes issue 17 found, scaled down for tests.
 */

function header(bytes: Uint8Array, signature: string, revision: number): DataView {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let index = 0; index < 4; index++) bytes[index] = signature.charCodeAt(index);
  view.setUint32(4, bytes.length, true);
  bytes[8] = revision;
  return view;
}

function fixChecksum(bytes: Uint8Array): Uint8Array {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  bytes[9] = (bytes[9]! - sum) & 0xff;
  return bytes;
}

const DMAR_HEADER = 48;
const RMRR_FIXED = 24;
/** A scope of Length 254: 6-byte header, 124 path entries. */
const SCOPE_LENGTH = 254;
const PATH_ENTRIES_PER_SCOPE = (SCOPE_LENGTH - 6) / 2;
const SCOPES_PER_RMRR = 250;

/**
 * A DMAR of RMRRs whose endpoint scopes are full of path entries (device 0xff, function 0xff)
 * outside PCI's range: one finding per two bytes. Returns the table and the number of bad
 * path entries it holds.
 */
export function dmarOfBadScopes(minimumBytes: number): { bytes: Uint8Array; badPathEntries: number } {
  const rmrrLength = RMRR_FIXED + SCOPES_PER_RMRR * SCOPE_LENGTH;
  const count = Math.max(1, Math.ceil((minimumBytes - DMAR_HEADER) / rmrrLength));
  const bytes = new Uint8Array(DMAR_HEADER + count * rmrrLength);
  const view = header(bytes, 'DMAR', 1);
  bytes[36] = 47; // Host Address Width: 48 bits
  for (let rmrr = 0; rmrr < count; rmrr++) {
    const at = DMAR_HEADER + rmrr * rmrrLength;
    view.setUint16(at, 1, true);
    view.setUint16(at + 2, rmrrLength, true);
    view.setBigUint64(at + 8, 0x7c000000n + BigInt(rmrr) * 0x10000n, true);
    view.setBigUint64(at + 16, 0x7c000fffn + BigInt(rmrr) * 0x10000n, true);
    for (let scope = 0; scope < SCOPES_PER_RMRR; scope++) {
      const start = at + RMRR_FIXED + scope * SCOPE_LENGTH;
      bytes[start] = 1; // PCI endpoint
      bytes[start + 1] = SCOPE_LENGTH;
      bytes.fill(0xff, start + 6, start + SCOPE_LENGTH);
    }
  }
  return { bytes: fixChecksum(bytes), badPathEntries: count * SCOPES_PER_RMRR * PATH_ENTRIES_PER_SCOPE };
}

/** A DMAR whose body is `structures` 4-byte structures of unknown type 0x7f. */
export function dmarOfUnknownStructures(structures: number): Uint8Array {
  const bytes = new Uint8Array(DMAR_HEADER + 4 * structures);
  const view = header(bytes, 'DMAR', 1);
  bytes[36] = 47;
  for (let index = 0; index < structures; index++) {
    view.setUint16(DMAR_HEADER + 4 * index, 0x7f, true);
    view.setUint16(DMAR_HEADER + 4 * index + 2, 4, true);
  }
  return fixChecksum(bytes);
}
