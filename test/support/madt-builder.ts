/**
 * Builds MADT (APIC) bytes for tests: a header plus subtables given as field lists, with the
 * checksum fixed up. Deliberately independent of src/madt: offsets are written out here.
 */

/** `[offset inside the subtable, width in bytes, value]`. */
export type FieldWrite = readonly [offset: number, width: 1 | 2 | 4 | 8, value: number | bigint];

/** One subtable: Type, Length and the fields to write (everything else is 0). */
export function subtable(type: number, length: number, fields: readonly FieldWrite[] = []): Uint8Array {
  const bytes = new Uint8Array(Math.max(length, 2));
  bytes[0] = type;
  bytes[1] = length & 0xff;
  for (const [offset, width, value] of fields) writeLittleEndian(bytes, offset, width, value);
  return bytes;
}

export interface MadtOptions {
  revision?: number;
  localInterruptControllerAddress?: number;
  flags?: number;
  /** Header Length to write; default: the real size. */
  length?: number;
  /** Leave the checksum byte 0 instead of fixing it. */
  badChecksum?: boolean;
}

export function madt(entries: readonly Uint8Array[], options: MadtOptions = {}): Uint8Array {
  const size = 44 + entries.reduce((sum, entry) => sum + entry.length, 0);
  const bytes = new Uint8Array(size);
  bytes.set([0x41, 0x50, 0x49, 0x43], 0); // "APIC"
  writeLittleEndian(bytes, 4, 4, options.length ?? size);
  bytes[8] = options.revision ?? 5;
  bytes.set(Array.from('TESTID', (c) => c.charCodeAt(0)), 10);
  bytes.set(Array.from('MADTSPEC', (c) => c.charCodeAt(0)), 16);
  writeLittleEndian(bytes, 24, 4, 1);
  bytes.set(Array.from('TEST', (c) => c.charCodeAt(0)), 28);
  writeLittleEndian(bytes, 32, 4, 1);
  writeLittleEndian(bytes, 36, 4, options.localInterruptControllerAddress ?? 0xfee00000);
  writeLittleEndian(bytes, 40, 4, options.flags ?? 1);
  let at = 44;
  for (const entry of entries) {
    bytes.set(entry, at);
    at += entry.length;
  }
  if (!options.badChecksum) fixChecksum(bytes);
  return bytes;
}

export function fixChecksum(bytes: Uint8Array): void {
  bytes[9] = 0;
  const stop = Math.min(bytes.length, readU32(bytes, 4));
  let sum = 0;
  for (let index = 0; index < stop; index++) sum = (sum + bytes[index]!) & 0xff;
  bytes[9] = (0x100 - sum) & 0xff;
}

export const localApic = (processorUid: number, apicId: number, flags = 1) =>
  subtable(0x00, 8, [[2, 1, processorUid], [3, 1, apicId], [4, 4, flags]]);

export const ioApic = (id: number, address = 0xfec00000, gsiBase = 0) =>
  subtable(0x01, 12, [[2, 1, id], [4, 4, address], [8, 4, gsiBase]]);

export const interruptOverride = (source: number, gsi: number, flags = 0) =>
  subtable(0x02, 10, [[3, 1, source], [4, 4, gsi], [8, 2, flags]]);

export const localApicNmi = (processorUid = 0xff, flags = 5, lint = 1) =>
  subtable(0x04, 6, [[2, 1, processorUid], [3, 2, flags], [5, 1, lint]]);

/** GICC in one of its lengths (40, 76, 80, 82, 88). */
export function gicc(options: { length?: number; uid?: number; flags?: number; mpidr?: bigint; extra?: FieldWrite[] } = {}) {
  const uid = options.uid ?? 0;
  return subtable(0x0b, options.length ?? 80, [
    [4, 4, uid],
    [8, 4, uid],
    [12, 4, options.flags ?? 1],
    [32, 8, 0x2c000000n],
    ...((options.length ?? 80) >= 76 ? ([[68, 8, options.mpidr ?? BigInt(uid)]] as const) : []),
    ...(options.extra ?? []),
  ]);
}

export const gicd = (options: { length?: number; base?: bigint; version?: number; systemVectorBase?: number } = {}) =>
  subtable(0x0c, options.length ?? 24, [[8, 8, options.base ?? 0x2f000000n], [16, 4, options.systemVectorBase ?? 0], [20, 1, options.version ?? 3]]);

export const gicMsiFrame = (id: number, base: bigint, spi?: { count: number; base: number }) =>
  subtable(0x0d, 24, [[4, 4, id], [8, 8, base], [16, 4, spi ? 1 : 0], [20, 2, spi?.count ?? 0], [22, 2, spi?.base ?? 0]]);

export const gicr = (base: bigint, length: number, flagsByte = 0) => subtable(0x0e, 16, [[2, 1, flagsByte], [4, 8, base], [12, 4, length]]);

export const gicIts = (id: number, base: bigint, flagsByte = 0) => subtable(0x0f, 20, [[2, 1, flagsByte], [4, 4, id], [8, 8, base]]);

export function writeLittleEndian(bytes: Uint8Array, offset: number, width: number, value: number | bigint): void {
  let remaining = BigInt(value);
  for (let index = 0; index < width && offset + index < bytes.length; index++) {
    bytes[offset + index] = Number(remaining & 0xffn);
    remaining >>= 8n;
  }
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}
