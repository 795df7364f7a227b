/** DMAR on the page: field spans from src/dmar/layout.ts. */
import { parseDmar, type DmarTable } from '../../dmar/index.js';
import {
  ANDD, ATSR, DMAR_FLAGS_OFFSET, DMAR_HOST_ADDRESS_WIDTH_OFFSET, DMAR_RESERVED_OFFSET, DMAR_RESERVED_SIZE, DRHD, RHSA, RMRR,
  SCOPE, SCOPE_HEADER_SIZE, SEGMENT_OFFSET, STRUCTURE_LENGTH_OFFSET,
} from '../../dmar/layout.js';
import type { JsonItem, Span, TableKind } from './kind.js';

/** `hostAddressWidth` (stored value + 1) is derived: the byte holds `hostAddressWidthRaw`. */
const TABLE: Record<string, Span> = {
  hostAddressWidthRaw: [DMAR_HOST_ADDRESS_WIDTH_OFFSET, 1],
  flags: [DMAR_FLAGS_OFFSET, 1],
  interruptRemapping: [DMAR_FLAGS_OFFSET, 1],
  x2apicOptOut: [DMAR_FLAGS_OFFSET, 1],
  dmaControlPlatformOptIn: [DMAR_FLAGS_OFFSET, 1],
  reserved: [DMAR_RESERVED_OFFSET, DMAR_RESERVED_SIZE],
};

const HEADER: Record<string, Span> = { type: [0, STRUCTURE_LENGTH_OFFSET], length: [STRUCTURE_LENGTH_OFFSET, 2] };
const SEGMENT: Record<string, Span> = { segmentNumber: [SEGMENT_OFFSET, 2] };
/** ATSR and SATC share their layout (flags +4, reserved +5). */
const FLAGGED: Record<string, Span> = { ...HEADER, ...SEGMENT, flags: [ATSR.flags, 1], reserved: [ATSR.reserved, 1] };

const STRUCTURES: Readonly<Record<string, Record<string, Span>>> = {
  drhd: {
    ...HEADER, ...SEGMENT, flags: [DRHD.flags, 1], includePciAll: [DRHD.flags, 1], size: [DRHD.size, 1], registerSetPages: [DRHD.size, 1],
    registerBaseAddress: [DRHD.registerBaseAddress, 8],
  },
  rmrr: { ...HEADER, ...SEGMENT, reserved: [RMRR.reserved, 2], baseAddress: [RMRR.baseAddress, 8], limitAddress: [RMRR.limitAddress, 8] },
  atsr: { ...FLAGGED, allPorts: [ATSR.flags, 1] },
  satc: { ...FLAGGED, atcRequired: [ATSR.flags, 1] },
  rhsa: { ...HEADER, reserved: [RHSA.reserved, 4], registerBaseAddress: [RHSA.registerBaseAddress, 8], proximityDomain: [RHSA.proximityDomain, 4] },
  andd: { ...HEADER, reserved: [ANDD.reserved, 3], acpiDeviceNumber: [ANDD.acpiDeviceNumber, 1] },
  sidp: { ...HEADER, ...SEGMENT, reserved: [4, 2] },
  unknown: HEADER,
};

function scopeSpans(item: JsonItem): Record<string, Span> {
  const length = typeof item.length === 'number' ? item.length : SCOPE_HEADER_SIZE;
  return {
    type: [SCOPE.type, 1], length: [SCOPE.length, 1], flags: [SCOPE.flags, 1], reserved: [SCOPE.reserved, 1],
    enumerationId: [SCOPE.enumerationId, 1], startBusNumber: [SCOPE.startBusNumber, 1],
    path: [SCOPE.path, Math.max(0, length - SCOPE.path)],
  };
}

function anddSpans(item: JsonItem): Record<string, Span> {
  const length = typeof item.length === 'number' ? item.length : ANDD.objectName;
  return { ...STRUCTURES.andd, objectName: [ANDD.objectName, Math.max(0, length - ANDD.objectName)] };
}

export const DMAR_KIND: TableKind<DmarTable> = {
  signature: 'DMAR',
  title: 'DMAR (Intel VT-d)',
  parse: parseDmar,
  regionKey: 'dmar',
  fieldSpans(item, arrayName) {
    if (arrayName === undefined) return TABLE;
    if (arrayName === 'deviceScopes') return scopeSpans(item);
    if (item.kind === 'andd') return anddSpans(item);
    return STRUCTURES[String(item.kind)] ?? HEADER;
  },
};
