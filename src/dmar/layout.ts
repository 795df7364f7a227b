/**
 * DMAR byte layout as pure data (docs/spec.md §2; Intel VT-d spec ch. 8). Offsets are relative
 * to the start of the table (header) or of the enclosing structure / device scope.
 * DMAR revisions 1 and 2 share this layout (spec §1.3).
 */

// §2.1 Table header extension (VT-d §8.1)
export const DMAR_HEADER_SIZE = 48;
export const DMAR_NEWEST_REVISION = 2;
export const DMAR_HOST_ADDRESS_WIDTH_OFFSET = 36;
export const DMAR_FLAGS_OFFSET = 37;
export const DMAR_RESERVED_OFFSET = 38;
export const DMAR_RESERVED_SIZE = 10;

export const DMAR_FLAG_INTR_REMAP = 0x01;
export const DMAR_FLAG_X2APIC_OPT_OUT = 0x02;
/** ACPICA calls bit 2 X2APIC_MODE; VT-d, EDK2 and Linux (DMAR_PLATFORM_OPT_IN) agree on this meaning. */
export const DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN = 0x04;
export const DMAR_FLAGS_RESERVED_MASK = 0xf8;

/** Linux parse_dmar_table(): a stored width below PAGE_SHIFT - 1 rejects the whole table. */
export const DMAR_MIN_HOST_ADDRESS_WIDTH_RAW = 11;
/** Widths above this many bits are reported as implausible (spec §5 #11). */
export const DMAR_MAX_PLAUSIBLE_WIDTH = 63;

/** Low 12 bits: an address with any of them set is not 4 KiB aligned. */
export const PAGE_OFFSET_MASK = 0xfff;

// §2.2 Remapping structure header
export const STRUCTURE_HEADER_SIZE = 4;
export const STRUCTURE_LENGTH_OFFSET = 2;

export const DMAR_TYPE_DRHD = 0;
export const DMAR_TYPE_RMRR = 1;
export const DMAR_TYPE_ATSR = 2;
export const DMAR_TYPE_RHSA = 3;
export const DMAR_TYPE_ANDD = 4;
export const DMAR_TYPE_SATC = 5;
export const DMAR_TYPE_SIDP = 6;

/** Field offsets inside each structure. Every structure with scopes has its segment at +6. */
export const SEGMENT_OFFSET = 6;
export const DRHD = { flags: 4, size: 5, registerBaseAddress: 8, scopes: 16 } as const;
export const RMRR = { reserved: 4, baseAddress: 8, limitAddress: 16, scopes: 24 } as const;
/** ATSR and SATC share this shape. */
export const ATSR = { flags: 4, reserved: 5, scopes: 8 } as const;
export const RHSA = { reserved: 4, registerBaseAddress: 8, proximityDomain: 16, size: 20 } as const;
export const ANDD = { reserved: 4, acpiDeviceNumber: 7, objectName: 8 } as const;
export const SATC = { flags: 4, reserved: 5, scopes: 8 } as const;
export const SIDP = { reserved: 4, scopes: 8 } as const;

export const DRHD_FLAG_INCLUDE_PCI_ALL = 0x01;
export const DRHD_SIZE_MASK = 0x0f;
/** Flags bit 0 of ATSR (ALL_PORTS) and of SATC (ATC_REQUIRED). */
export const ATSR_FLAG_ALL_PORTS = 0x01;
export const SATC_FLAG_ATC_REQUIRED = 0x01;

// §2.4 Device scope (VT-d §8.3.1)
export const SCOPE_HEADER_SIZE = 6;
export const SCOPE_PATH_ENTRY_SIZE = 2;
export const SCOPE = { type: 0, length: 1, flags: 2, reserved: 3, enumerationId: 4, startBusNumber: 5, path: 6 } as const;

export const SCOPE_TYPE_ENDPOINT = 1;
export const SCOPE_TYPE_BRIDGE = 2;
export const SCOPE_TYPE_IOAPIC = 3;
export const SCOPE_TYPE_HPET = 4;
export const SCOPE_TYPE_NAMESPACE = 5;

export type DeviceScopeKind = 'endpoint' | 'bridge' | 'ioapic' | 'hpet' | 'namespace' | 'unknown';
/** Indexed by scope type; the encoder maps a kind back to its type through it. */
export const SCOPE_KINDS: readonly DeviceScopeKind[] = ['unknown', 'endpoint', 'bridge', 'ioapic', 'hpet', 'namespace'];

export function scopeKind(type: number): DeviceScopeKind {
  return SCOPE_KINDS[type] ?? 'unknown';
}

/** PCI device numbers are 5 bits, function numbers 3 bits (Linux compares PCI_SLOT/PCI_FUNC). */
export const PCI_MAX_DEVICE = 31;
export const PCI_MAX_FUNCTION = 7;
/** Path entry bits that no PCI device (≤ 31) or function (≤ 7) has, over the entry's little-endian u16. */
export const PATH_ENTRY_RANGE_BITS = 0xf8e0;

/** Reserved parts of a scope: outside SIDP the Flags byte is wholly reserved (spec §2.10). */
export const SCOPE_RESERVED: readonly ReservedField[] = [
  { name: 'device scope Flags', offset: SCOPE.flags, size: 1 },
  { name: 'device scope Reserved', offset: SCOPE.reserved, size: 1 },
];
/** SIDP scope Flags bits 4:0 carry device properties; bits 7:5 are reserved. */
export const SIDP_SCOPE_RESERVED: readonly ReservedField[] = [
  { name: 'device scope Flags bits 7:5', offset: SCOPE.flags, size: 1, mask: 0xe0 },
  { name: 'device scope Reserved', offset: SCOPE.reserved, size: 1 },
];

export type DmarStructureKind = 'drhd' | 'rmrr' | 'atsr' | 'rhsa' | 'andd' | 'satc' | 'sidp' | 'unknown';

/** A reserved field: `mask` selects the reserved bits of a 1-byte field; wider fields are wholly reserved. */
export interface ReservedField {
  name: string;
  offset: number;
  size: 1 | 2 | 3 | 4;
  mask?: number;
}

export interface StructureLayout {
  kind: Exclude<DmarStructureKind, 'unknown'>;
  name: string;
  /** Bytes before the variable part; a shorter Length is `dmar.length.short`. */
  fixedSize: number;
  /** Offset of the first device scope, or undefined when the type has none. */
  scopesOffset: number | undefined;
  /** Scope types the spec allows in this structure (spec §2.2, §2.4, §5 #7). */
  scopeTypes: readonly number[];
  reserved: readonly ReservedField[];
  /** Reserved bits of bytes 4..7 as one little-endian u32 (every type's reserved fields lie there): the walk tests them in one read. */
  reservedBits: number;
  /** Bit `t` set when scope type `t` is allowed. */
  scopeTypeBits: number;
  /** The reserved parts of this structure's scopes (SIDP scopes carry flags), and their bits over the scope's u16 at SCOPE.flags. */
  scopeReserved: readonly ReservedField[];
  scopeReservedBits: number;
}

/** The bits of a little-endian word starting at `base` that `fields` declare reserved. */
export function reservedBitsOf(fields: readonly ReservedField[], base: number): number {
  let bits = 0;
  for (const field of fields) bits += (field.mask ?? 2 ** (8 * field.size) - 1) * 2 ** (8 * (field.offset - base));
  return bits >>> 0;
}

/** Adds the masks derived from a layout's reserved fields and scope types. */
function withMasks(layout: Omit<StructureLayout, 'reservedBits' | 'scopeTypeBits' | 'scopeReserved' | 'scopeReservedBits'>): StructureLayout {
  const scopeReserved = layout.kind === 'sidp' ? SIDP_SCOPE_RESERVED : SCOPE_RESERVED;
  return {
    ...layout,
    reservedBits: reservedBitsOf(layout.reserved, 4),
    scopeTypeBits: layout.scopeTypes.reduce((bits, type) => bits | (1 << type), 0),
    scopeReserved,
    scopeReservedBits: reservedBitsOf(scopeReserved, SCOPE.flags),
  };
}

/**
 * Indexed by structure type. SATC and SIDP list SoC-integrated devices: the scope types Linux's
 * dmar_alloc_dev_scope() gives a slot to (endpoint, bridge, namespace) are accepted there.
 */
export const STRUCTURE_LAYOUTS: readonly StructureLayout[] = [
  withMasks({
    kind: 'drhd', name: 'DRHD', fixedSize: 16, scopesOffset: DRHD.scopes, scopeTypes: [1, 2, 3, 4, 5],
    reserved: [{ name: 'Flags bits 7:1', offset: DRHD.flags, size: 1, mask: 0xfe }, { name: 'Size bits 7:4', offset: DRHD.size, size: 1, mask: 0xf0 }],
  }),
  withMasks({
    kind: 'rmrr', name: 'RMRR', fixedSize: 24, scopesOffset: RMRR.scopes, scopeTypes: [1, 2],
    reserved: [{ name: 'Reserved', offset: RMRR.reserved, size: 2 }],
  }),
  withMasks({
    kind: 'atsr', name: 'ATSR', fixedSize: 8, scopesOffset: ATSR.scopes, scopeTypes: [2],
    reserved: [{ name: 'Flags bits 7:1', offset: ATSR.flags, size: 1, mask: 0xfe }, { name: 'Reserved', offset: ATSR.reserved, size: 1 }],
  }),
  withMasks({
    kind: 'rhsa', name: 'RHSA', fixedSize: RHSA.size, scopesOffset: undefined, scopeTypes: [],
    reserved: [{ name: 'Reserved', offset: RHSA.reserved, size: 4 }],
  }),
  withMasks({
    kind: 'andd', name: 'ANDD', fixedSize: ANDD.objectName, scopesOffset: undefined, scopeTypes: [],
    reserved: [{ name: 'Reserved', offset: ANDD.reserved, size: 3 }],
  }),
  withMasks({
    kind: 'satc', name: 'SATC', fixedSize: 8, scopesOffset: SATC.scopes, scopeTypes: [1, 2, 5],
    reserved: [{ name: 'Flags bits 7:1', offset: SATC.flags, size: 1, mask: 0xfe }, { name: 'Reserved', offset: SATC.reserved, size: 1 }],
  }),
  withMasks({
    kind: 'sidp', name: 'SIDP', fixedSize: 8, scopesOffset: SIDP.scopes, scopeTypes: [1, 2, 5],
    reserved: [{ name: 'Reserved', offset: SIDP.reserved, size: 2 }],
  }),
];

/** The view kind for a framed structure: `unknown` for type ≥ 7 or a Length below the fixed part. */
export function structureKind(type: number, length: number): DmarStructureKind {
  const layout = STRUCTURE_LAYOUTS[type];
  return layout !== undefined && length >= layout.fixedSize ? layout.kind : 'unknown';
}

export function structureName(type: number): string {
  return STRUCTURE_LAYOUTS[type]?.name ?? `type ${type}`;
}
