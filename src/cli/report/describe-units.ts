/** Short descriptions of IOMMU units and reserved ranges (DMAR, IORT, IVRS) from a table item's JSON form. */
import { formatRequesterId } from '../../pci/bdf.js';
import { formatPciPath, type Json, type JsonObject } from '../dump/shapes.js';
import { bigintOf, field, hexText, kindOf, objectsUnder } from './json-fields.js';

export interface UnitRecord {
  source: string;
  signature: string;
  kind: string;
  offset: number;
  summary: string;
  /** Devices the unit names explicitly (DRHD device scopes), as text. */
  scopes: string[];
}

const SEGMENT = ['segmentNumber', 'segment', 'pciSegmentNumber', 'pciSegmentGroup'];
/** A segment as a BDF's domain prints it (`0x0001`), or `?`. */
function segmentText(value: Json | undefined): string {
  const text = hexText(value);
  return text === '?' ? text : `0x${text.slice(2).padStart(4, '0')}`;
}
const BASE = ['registerBaseAddress', 'registerBase', 'baseAddress', 'base', 'physicalBaseAddress'];
const LIMIT = ['endAddressInclusive', 'limitAddress', 'endAddress', 'limit'];
const LENGTH = ['length', 'size'];
const INCLUDE_ALL = ['includePciAll', 'includeAll'];
const ITS_IDS = ['itsIdentifiers', 'itsIds', 'identifiers', 'ids'];
const MEMORY_RANGES = ['memoryRanges', 'ranges', 'rmrDescriptors', 'memoryRangeDescriptors'];
const SCOPES = ['deviceScopes', 'scopes'];
const MAX_SCOPES = 6;

function record(item: JsonObject, signature: string, source: string, kind: string, summary: string, scopes: string[] = []): UnitRecord[] {
  const offset = typeof item.offset === 'number' ? item.offset : 0;
  return [{ source, signature, kind, offset, summary, scopes }];
}

export function describeUnit(item: JsonObject, signature: string, source: string): UnitRecord[] {
  const kind = kindOf(item).toLowerCase();
  if (signature === 'DMAR' && kind === 'drhd') {
    const includeAll = field(item, INCLUDE_ALL) === true ? '  include-all' : '';
    return record(item, signature, source, 'DRHD', `segment ${segmentText(field(item, SEGMENT))} base ${hexText(field(item, BASE))}${includeAll}`, scopesOf(item));
  }
  if (signature === 'IVRS' && kind === 'ivhd') {
    const entries = Array.isArray(item.entries) ? item.entries.length : 0;
    return record(item, signature, source, `IVHD ${hexText(item.type)}`, `segment ${segmentText(field(item, SEGMENT))} base ${hexText(field(item, BASE))}  IOMMU at ${requesterText(item.deviceId)}, ${entries} device entries`);
  }
  if (signature !== 'IORT') return [];
  if (kind.includes('smmu')) {
    const label = kind.includes('3') ? 'SMMUv3' : 'SMMUv1/v2';
    return record(item, signature, source, label, `base ${hexText(field(item, BASE))}`);
  }
  if (kind.includes('its')) {
    const ids = field(item, ITS_IDS);
    return record(item, signature, source, 'ITS group', `ITS ids ${Array.isArray(ids) ? ids.join(',') : '?'}`);
  }
  return [];
}

export function describeReservedMemory(item: JsonObject, signature: string, source: string): UnitRecord[] {
  const kind = kindOf(item).toLowerCase();
  if (signature === 'DMAR' && kind === 'rmrr') {
    const range = `${hexText(field(item, BASE))}-${hexText(field(item, LIMIT))}`;
    return record(item, signature, source, 'RMRR', `segment ${segmentText(field(item, SEGMENT))} ${range}`, scopesOf(item));
  }
  if (signature === 'IVRS' && kind === 'ivmd') return record(item, signature, source, `IVMD ${hexText(item.type)}`, ivmdSummary(item));
  if (signature === 'IORT' && kind === 'rmr') {
    const ranges = objectsUnder(item, MEMORY_RANGES).map(rangeText).join(' ');
    return record(item, signature, source, 'RMR', ranges === '' ? 'no memory ranges' : ranges, streamsOf(objectsUnder(item, ['idMappings'])));
  }
  return [];
}

/** `bb:dd.f` of a 16-bit requester ID (IVRS device IDs). */
function requesterText(value: Json | undefined): string {
  if (typeof value !== 'number') return '?';
  return formatRequesterId(value);
}

/** Segment, range, what Linux makes of the flags, and the device IDs (all, one, or a range by type). */
function ivmdSummary(item: JsonObject): string {
  const start = bigintOf(item.startAddress);
  const length = bigintOf(item.memoryLength);
  const range = start === undefined || length === undefined ? '?' : `0x${start.toString(16)}-0x${(start + length - 1n).toString(16)}`;
  const use = item.exclusionRange === true ? 'exclusion range' : item.unity === true ? 'unity map' : 'neither unity nor exclusion: ignored by Linux';
  const devices = item.type === 0x20 ? 'all devices' : item.type === 0x21 ? requesterText(item.deviceId) : `${requesterText(item.deviceId)}–${requesterText(item.auxiliaryData)}`;
  return `segment ${segmentText(field(item, SEGMENT))} ${range} ${use}  for ${devices}`;
}

/** `0x1000-0x1fff` from a base and a length (RMR descriptors) or an inclusive end. */
function rangeText(range: JsonObject): string {
  const base = bigintOf(field(range, BASE));
  const end = bigintOf(field(range, LIMIT));
  const length = bigintOf(field(range, LENGTH));
  if (base === undefined) return '?';
  const last = end ?? (length !== undefined && length > 0n ? base + length - 1n : undefined);
  return `0x${base.toString(16)}-${last === undefined ? '?' : `0x${last.toString(16)}`}`;
}

/** The stream IDs an RMR's mappings name, per SMMU node: `stream IDs 0x0,0x6-0x7 @node 0xdc`. */
function streamsOf(mappings: readonly JsonObject[]): string[] {
  const byNode = new Map<string, string[]>();
  for (const mapping of mappings) {
    const output = field(mapping, ['outputBase']);
    const count = field(mapping, ['idCount']);
    if (typeof output !== 'number') continue;
    const last = mapping.singleMapping === true || typeof count !== 'number' ? output : output + count;
    const node = hexText(field(mapping, ['outputReference']));
    const ids = byNode.get(node) ?? [];
    ids.push(last === output ? hexText(output) : `${hexText(output)}-${hexText(last)}`);
    byNode.set(node, ids);
  }
  return [...byNode].map(([node, ids]) => `stream IDs ${ids.join(',')} @node ${node}`);
}

function scopesOf(item: JsonObject): string[] {
  return objectsUnder(item, SCOPES).map((scope) => {
    const path = formatPciPath(objectsUnder(scope, ['path']), field(scope, ['startBusNumber', 'startBus'])) ?? '?';
    const kind = kindOf(scope).toLowerCase();
    const id = field(scope, ['enumerationId']);
    if (kind.includes('ioapic')) return `IOAPIC ${hexText(id)} (${path})`;
    if (kind.includes('hpet')) return `HPET ${hexText(id)} (${path})`;
    if (kind.includes('namespace') || kind.includes('acpi')) return `ACPI device ${hexText(id)} (${path})`;
    if (kind.includes('bridge') || kind.includes('hierarchy')) return `${path} and below`;
    return path;
  });
}

export function describeScopes(scopes: readonly string[], complete = false): string {
  if (complete) return scopes.join(', ');
  const shown = scopes.slice(0, MAX_SCOPES).join(', ');
  return scopes.length > MAX_SCOPES ? `${shown} and ${scopes.length - MAX_SCOPES} more (-v shows all)` : shown;
}
