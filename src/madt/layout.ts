/**
 * MADT (signature `APIC`) on-wire layout as pure data: header offsets, subtable type codes,
 * lengths and the revision that gates each late field (docs/spec.md §4, ACPI §5.2.12).
 * Per-field offsets of each subtable live beside its view in `entries-*.ts`.
 */

export const MADT_SIGNATURE = 'APIC';

/** SDT header (36) + local interrupt controller address (4) + flags (4). */
export const MADT_HEADER_SIZE = 44;
export const MADT_LOCAL_INTERRUPT_CONTROLLER_ADDRESS = 36;
export const MADT_FLAGS = 40;
/** MADT Flags bit 0: the system also has a PC-AT dual 8259 setup. */
export const MADT_FLAG_PCAT_COMPAT = 1;

/** Newest MADT revision whose layout is known (ACPI 6.5/6.6: revision 7). */
export const MADT_NEWEST_REVISION = 7;

/** Every subtable starts with Type (u8) and Length (u8, whole subtable). */
export const SUBTABLE_HEADER_SIZE = 2;

export const MADT_TYPE_LOCAL_APIC = 0x00;
export const MADT_TYPE_IO_APIC = 0x01;
export const MADT_TYPE_INTERRUPT_OVERRIDE = 0x02;
export const MADT_TYPE_NMI_SOURCE = 0x03;
export const MADT_TYPE_LOCAL_APIC_NMI = 0x04;
export const MADT_TYPE_LOCAL_APIC_OVERRIDE = 0x05;
export const MADT_TYPE_IO_SAPIC = 0x06;
export const MADT_TYPE_LOCAL_SAPIC = 0x07;
export const MADT_TYPE_PLATFORM_INTERRUPT_SOURCES = 0x08;
export const MADT_TYPE_LOCAL_X2APIC = 0x09;
export const MADT_TYPE_LOCAL_X2APIC_NMI = 0x0a;
export const MADT_TYPE_GICC = 0x0b;
export const MADT_TYPE_GICD = 0x0c;
export const MADT_TYPE_GIC_MSI_FRAME = 0x0d;
export const MADT_TYPE_GICR = 0x0e;
export const MADT_TYPE_GIC_ITS = 0x0f;
export const MADT_TYPE_MULTIPROCESSOR_WAKEUP = 0x10;
/** 0x11–0x17 LoongArch, 0x18–0x1B RISC-V, 0x1C–0x1E GICv5. */
export const MADT_TYPE_GICV5_IRS = 0x1c;
/** 0x1F–0x7F are reserved; 0x80–0xFF belong to the OEM. */
export const MADT_TYPE_FIRST_RESERVED = 0x1f;
export const MADT_TYPE_FIRST_OEM = 0x80;

/**
 * What each known type is called (`kind`) and how long it is: `minimum` is the size below which
 * Linux's BAD_MADT_ENTRY (BAD_MADT_GICC_ENTRY: 76 for GICC) rejects the entry; `maximum` is the
 * longest form any ACPI version defines (`Infinity` for variable-length types).
 */
export const SUBTABLE_KINDS = [
  { type: 0x00, kind: 'local-apic', minimum: 8, maximum: 8 },
  { type: 0x01, kind: 'io-apic', minimum: 12, maximum: 12 },
  { type: 0x02, kind: 'interrupt-override', minimum: 10, maximum: 10 },
  { type: 0x03, kind: 'nmi-source', minimum: 8, maximum: 8 },
  { type: 0x04, kind: 'local-apic-nmi', minimum: 6, maximum: 6 },
  { type: 0x05, kind: 'local-apic-override', minimum: 12, maximum: 12 },
  { type: 0x06, kind: 'io-sapic', minimum: 16, maximum: 16 },
  // 16 fixed bytes + NUL-terminated ACPI processor UID string (ACPI 3.0).
  { type: 0x07, kind: 'local-sapic', minimum: 16, maximum: Infinity },
  { type: 0x08, kind: 'platform-interrupt-sources', minimum: 16, maximum: 16 },
  { type: 0x09, kind: 'local-x2apic', minimum: 16, maximum: 16 },
  { type: 0x0a, kind: 'local-x2apic-nmi', minimum: 12, maximum: 12 },
  // 40 (ACPI 5.0), 76 (5.1), 80 (6.0), 82 (6.5, TRBE), 88 (GICv5 ECR). Linux needs 76.
  { type: 0x0b, kind: 'gicc', minimum: 76, maximum: 88 },
  // 25-byte GICDs are common on Qualcomm laptops (spec §4.2): accepted, reported as info.
  { type: 0x0c, kind: 'gicd', minimum: 24, maximum: 24 },
  { type: 0x0d, kind: 'gic-msi-frame', minimum: 24, maximum: 24 },
  { type: 0x0e, kind: 'gicr', minimum: 16, maximum: 16 },
  { type: 0x0f, kind: 'gic-its', minimum: 20, maximum: 20 },
  // Mailbox version 0: 16 bytes; version 1 (ACPI 6.6) adds the reset vector: 24.
  { type: 0x10, kind: 'multiprocessor-wakeup', minimum: 16, maximum: 24 },
  { type: 0x11, kind: 'core-pic', minimum: 15, maximum: 15 },
  { type: 0x12, kind: 'lio-pic', minimum: 23, maximum: 23 },
  { type: 0x13, kind: 'ht-pic', minimum: 21, maximum: 21 },
  { type: 0x14, kind: 'eio-pic', minimum: 13, maximum: 13 },
  { type: 0x15, kind: 'msi-pic', minimum: 19, maximum: 19 },
  { type: 0x16, kind: 'bio-pic', minimum: 17, maximum: 17 },
  { type: 0x17, kind: 'lpc-pic', minimum: 14, maximum: 14 },
  { type: 0x18, kind: 'rintc', minimum: 36, maximum: 36 },
  { type: 0x19, kind: 'imsic', minimum: 16, maximum: 16 },
  { type: 0x1a, kind: 'aplic', minimum: 36, maximum: 36 },
  { type: 0x1b, kind: 'plic', minimum: 36, maximum: 36 },
  { type: 0x1c, kind: 'gicv5-irs', minimum: 32, maximum: 32 },
  { type: 0x1d, kind: 'gicv5-its-config-frame', minimum: 16, maximum: 16 },
  { type: 0x1e, kind: 'gicv5-its-translate-frame', minimum: 24, maximum: 24 },
] as const;

export type KnownKind = (typeof SUBTABLE_KINDS)[number]['kind'];
export type MadtEntryKind = KnownKind | 'unknown' | 'oem';

/** The kind of a type byte: a known kind, `unknown` for 0x1F–0x7F, `oem` for 0x80–0xFF. */
export function kindOfType(type: number): MadtEntryKind {
  if (type >= MADT_TYPE_FIRST_OEM) return 'oem';
  return SUBTABLE_KINDS[type]?.kind ?? 'unknown';
}

/** Minimum / maximum known length of a type (2 / Infinity for reserved and OEM types). */
export function lengthLimits(type: number): { minimum: number; maximum: number } {
  const known = type < MADT_TYPE_FIRST_RESERVED ? SUBTABLE_KINDS[type] : undefined;
  return known ?? { minimum: SUBTABLE_HEADER_SIZE, maximum: Infinity };
}

/** GICC Flags bits and the MADT revision that defines each (ACPICA dmtbinfo2.c, Q5). */
export const GICC_FLAG_ENABLED = 1 << 0;
export const GICC_FLAG_PERFORMANCE_INTERRUPT_EDGE = 1 << 1;
export const GICC_FLAG_VGIC_MAINTENANCE_EDGE = 1 << 2;
export const GICC_FLAG_ONLINE_CAPABLE = 1 << 3; // MADT revision ≥ 6 (ACPI 6.5)
export const GICC_FLAG_GICR_NON_COHERENT = 1 << 4; // MADT revision ≥ 7
export const GICC_ONLINE_CAPABLE_SINCE = 6;
export const GICC_NON_COHERENT_SINCE = 7;

/** GICC Flags bits defined for a MADT revision. */
export function giccDefinedFlags(revision: number): number {
  let mask = GICC_FLAG_ENABLED | GICC_FLAG_PERFORMANCE_INTERRUPT_EDGE | GICC_FLAG_VGIC_MAINTENANCE_EDGE;
  if (revision >= GICC_ONLINE_CAPABLE_SINCE) mask |= GICC_FLAG_ONLINE_CAPABLE;
  if (revision >= GICC_NON_COHERENT_SINCE) mask |= GICC_FLAG_GICR_NON_COHERENT;
  return mask;
}

/**
 * GICR and GIC ITS byte 2 is a Flags byte (bit 0 non-coherent) only from MADT revision 7
 * (ACPICA); before that bytes 2–3 are one reserved u16 (EDK2's ACPI 6.6 header). Spec §4.3.
 */
export const GIC_FLAGS_BYTE_SINCE = 7;

/** GITS_TRANSLATER sits 0x1_0040 above the ITS base (Linux arm-gic-v3.h). */
export const GITS_TRANSLATER_OFFSET = 0x10040n;
/** MSI_SETSPI_NS sits 0x40 above a GICv2m MSI frame's base (Arm SBSA GICv2m appendix). */
export const MSI_SETSPI_NS_OFFSET = 0x40n;

/**
 * Reserved byte ranges per type, `[offset, size]` inside the subtable, checked only where they
 * fit inside the subtable's Length. `fromRevision`/`toRevision` limit a range to MADT revisions.
 */
export interface ReservedRange {
  offset: number;
  size: number;
  fromRevision?: number;
  toRevision?: number;
  /** What the range is, when it is a named field that must be zero rather than plain Reserved. */
  label?: string;
}

export const RESERVED_RANGES: Readonly<Record<number, readonly ReservedRange[]>> = {
  0x01: [{ offset: 3, size: 1 }],
  0x05: [{ offset: 2, size: 2 }],
  0x06: [{ offset: 3, size: 1 }],
  0x07: [{ offset: 5, size: 3 }],
  0x09: [{ offset: 2, size: 2 }],
  0x0a: [{ offset: 9, size: 3 }],
  0x0b: [{ offset: 2, size: 2 }, { offset: 77, size: 1 }],
  0x0c: [{ offset: 2, size: 2 }, { offset: 16, size: 4, label: 'System Vector Base (must be 0)' }, { offset: 21, size: 3 }],
  0x0d: [{ offset: 2, size: 2 }],
  0x0e: [{ offset: 2, size: 2, toRevision: 6 }, { offset: 3, size: 1, fromRevision: 7 }],
  0x0f: [{ offset: 2, size: 2, toRevision: 6 }, { offset: 3, size: 1, fromRevision: 7 }, { offset: 16, size: 4 }],
  0x10: [{ offset: 4, size: 4 }],
  0x18: [{ offset: 3, size: 1 }],
  0x19: [{ offset: 3, size: 1 }],
  0x1c: [{ offset: 3, size: 1 }, { offset: 12, size: 4 }],
  0x1d: [{ offset: 3, size: 1 }],
  0x1e: [{ offset: 2, size: 2 }, { offset: 12, size: 4 }],
};
