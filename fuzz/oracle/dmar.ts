/** Oracle DMAR reading (VT-d ch. 8 as restated in docs/spec.md §2), written with binary-parser. */
import { Parser, latin1, omit, sdtHeader, tableWindow, untilNul } from './common.js';

type This = { length: number };

const hop = new Parser().uint8('device').uint8('function');

const deviceScope = new Parser()
  .endianness('little')
  .saveOffset('offset')
  .uint8('type')
  .uint8('length')
  .uint8('flags')
  .uint8('reserved')
  .uint8('enumerationId')
  .uint8('startBusNumber')
  .array('path', { type: hop, length: function (this: This) { return (this.length - 6) >> 1; } })
  .seek(function (this: This) { return (this.length - 6) & 1; });

const scopesAfter = (fixed: number) => ({ type: deviceScope, lengthInBytes: function (this: This) { return this.length - fixed; } });

const drhd = new Parser().endianness('little').uint8('flags').uint8('size').uint16('segmentNumber').uint64('registerBaseAddress').array('deviceScopes', scopesAfter(16));
const rmrr = new Parser().endianness('little').uint16('reserved').uint16('segmentNumber').uint64('baseAddress').uint64('limitAddress').array('deviceScopes', scopesAfter(24));
const flaggedWithScopes = new Parser().endianness('little').uint8('flags').uint8('reserved').uint16('segmentNumber').array('deviceScopes', scopesAfter(8));
const rhsa = new Parser()
  .endianness('little')
  .uint32('reserved')
  .uint64('registerBaseAddress')
  .uint32('proximityDomain')
  .seek(function (this: This) { return this.length - 20; });
const andd = new Parser()
  .endianness('little')
  .buffer('reserved', { length: 3, formatter: (bytes: unknown) => { const b = bytes as Uint8Array; return b[0]! | (b[1]! << 8) | (b[2]! << 16); } })
  .uint8('acpiDeviceNumber')
  .buffer('objectName', { length: function (this: This) { return this.length - 8; }, formatter: (bytes: unknown) => untilNul(bytes as Uint8Array) });
const sidp = new Parser().endianness('little').uint16('reserved').uint16('segmentNumber').array('deviceScopes', scopesAfter(8));
const skipBody = new Parser().seek(function (this: This) { return this.length - 4; });

const structure = new Parser()
  .endianness('little')
  .saveOffset('offset')
  .uint16('type')
  .uint16('length')
  .choice({ tag: 'type', choices: { 0: drhd, 1: rmrr, 2: flaggedWithScopes, 3: rhsa, 4: andd, 5: flaggedWithScopes, 6: sidp }, defaultChoice: skipBody });

const dmar = new Parser()
  .endianness('little')
  .nest('header', { type: sdtHeader })
  .uint8('hostAddressWidthRaw')
  .uint8('flags')
  .buffer('reserved', { length: 10, formatter: (bytes: unknown) => Array.from(bytes as Uint8Array) })
  .array('structures', { type: structure, lengthInBytes: function (this: { header: This }) { return this.header.length - 48; } });

/** The oracle's reading: the fields it decodes, under the parser's JSON names. */
export function oracleDmar(bytes: Uint8Array): Record<string, unknown> {
  const table = dmar.parse(tableWindow(bytes)) as { hostAddressWidthRaw: number; structures: Record<string, unknown>[] } & Record<string, unknown>;
  return {
    ...table,
    hostAddressWidth: table.hostAddressWidthRaw + 1,
    structures: table.structures.map((item) => (Number(item.type) > 6 ? omit(item) : item)),
  };
}

export { latin1 };
