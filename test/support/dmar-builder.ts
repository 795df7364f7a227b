/**
 * A tiny DMAR assembler for hand-built specimens: little-endian fields, structure and scope
 * Lengths computed unless overridden, checksum fixed. Independent of src/ on purpose.
 */

export type Bytes = number[];

export function u16(value: number): Bytes {
  return [value & 0xff, (value >> 8) & 0xff];
}

export function u32(value: number): Bytes {
  return [...u16(value & 0xffff), ...u16((value >>> 16) & 0xffff)];
}

export function u64(value: bigint): Bytes {
  const out: Bytes = [];
  for (let index = 0n; index < 8n; index++) out.push(Number((value >> (8n * index)) & 0xffn));
  return out;
}

export interface ScopeSpec {
  type: number;
  /** Overrides the computed Length byte. */
  length?: number;
  flags?: number;
  reserved?: number;
  enumerationId?: number;
  startBus?: number;
  path?: [number, number][];
  /** Raw bytes appended after the path (e.g. a stray odd byte). */
  extra?: Bytes;
}

export function scope(spec: ScopeSpec): Bytes {
  const path = (spec.path ?? [[2, 0]]).flat();
  const body = [spec.flags ?? 0, spec.reserved ?? 0, spec.enumerationId ?? 0, spec.startBus ?? 0, ...path, ...(spec.extra ?? [])];
  return [spec.type, spec.length ?? body.length + 2, ...body];
}

/** A remapping structure: Type, Length (computed unless given), then `body`. */
export function structure(type: number, body: Bytes, length?: number): Bytes {
  return [...u16(type), ...u16(length ?? body.length + 4), ...body];
}

export function drhd(options: { flags?: number; size?: number; segment?: number; base?: bigint; scopes?: Bytes[]; length?: number } = {}): Bytes {
  const body = [options.flags ?? 0, options.size ?? 0, ...u16(options.segment ?? 0), ...u64(options.base ?? 0xfed90000n), ...(options.scopes ?? []).flat()];
  return structure(0, body, options.length);
}

export function rmrr(options: { reserved?: number; segment?: number; base?: bigint; limit?: bigint; scopes?: Bytes[]; length?: number } = {}): Bytes {
  const body = [...u16(options.reserved ?? 0), ...u16(options.segment ?? 0), ...u64(options.base ?? 0x7c000000n), ...u64(options.limit ?? 0x7c7fffffn), ...(options.scopes ?? [scope({ type: 1 })]).flat()];
  return structure(1, body, options.length);
}

/** ATSR (2), SATC (5) and SIDP (6) share the shape flags/reserved/segment/scopes. */
export function segmentStructure(type: 2 | 5 | 6, options: { flags?: number; reserved?: number; segment?: number; scopes?: Bytes[] } = {}): Bytes {
  const first = type === 6 ? u16(options.reserved ?? 0) : [options.flags ?? 0, options.reserved ?? 0];
  return structure(type, [...first, ...u16(options.segment ?? 0), ...(options.scopes ?? []).flat()]);
}

export function rhsa(options: { base?: bigint; proximityDomain?: number; length?: number; extra?: Bytes } = {}): Bytes {
  return structure(3, [...u32(0), ...u64(options.base ?? 0xfed90000n), ...u32(options.proximityDomain ?? 0), ...(options.extra ?? [])], options.length);
}

export function andd(options: { deviceNumber?: number; name?: string; terminated?: boolean } = {}): Bytes {
  const name = Array.from(options.name ?? '\\_SB.PCI0.I2C0', (character) => character.charCodeAt(0));
  return structure(4, [0, 0, 0, options.deviceNumber ?? 1, ...name, ...(options.terminated === false ? [] : [0])]);
}

export interface TableSpec {
  /** Stored Host Address Width (width − 1); 38 = 39 bits. */
  hawRaw?: number;
  flags?: number;
  reserved?: Bytes;
  revision?: number;
  structures: Bytes[];
  /** Overrides the header Length. */
  length?: number;
}

export interface BuiltTable {
  bytes: Uint8Array;
  /** Absolute offset of each structure in `structures` order. */
  at: number[];
}

export function dmar(spec: TableSpec): BuiltTable {
  const reserved = spec.reserved ?? new Array<number>(10).fill(0);
  const at: number[] = [];
  let cursor = 48;
  for (const item of spec.structures) {
    at.push(cursor);
    cursor += item.length;
  }
  const bytes = [
    ...Array.from('DMAR', (character) => character.charCodeAt(0)),
    ...u32(spec.length ?? cursor),
    spec.revision ?? 1,
    0,
    ...Array.from('TESTOETESTTABL', (character) => character.charCodeAt(0)),
    ...u32(1),
    ...Array.from('TEST', (character) => character.charCodeAt(0)),
    ...u32(1),
    spec.hawRaw ?? 38,
    spec.flags ?? 1,
    ...reserved,
    ...spec.structures.flat(),
  ];
  const sum = bytes.reduce((total, byte) => (total + byte) & 0xff, 0);
  bytes[9] = (0x100 - sum) & 0xff;
  return { bytes: Uint8Array.from(bytes), at };
}
