/**
 * Arm GIC subtables: GICC, GICD, GIC MSI frame, GICR, GIC ITS (0x0B–0x0F, ACPI §5.2.12.14–18)
 * and the GICv5 IRS / ITS config frame / ITS translate frame (0x1C–0x1E, ACPICA layout of the
 * code-first ECR, **Unverified** against a published ACPI spec). docs/spec.md §4.3.
 */
import { derived, flag, u16, u32, u64, u8, type FieldMap } from './entry-view.js';
import {
  GICC_NON_COHERENT_SINCE,
  GICC_ONLINE_CAPABLE_SINCE,
  GIC_FLAGS_BYTE_SINCE,
  GITS_TRANSLATER_OFFSET,
  MSI_SETSPI_NS_OFFSET,
} from './layout.js';

/** `base + offset` where the base address at subtable offset 8 is readable. */
const aboveBaseAt8 = (offset: bigint) => derived((entry) => {
  const base = entry.bigint(8);
  return base === undefined ? undefined : base + offset;
});

/** Field maps by kind; see entry-view.ts for the descriptors. */
export const GIC_FIELDS = {
  gicc: {
    cpuInterfaceNumber: u32(4),
    /** ACPI Processor UID. */
    processorUid: u32(8),
    flags: u32(12),
    enabled: flag(12, 4, 0),
    /** Flags bit 1: performance interrupt is edge-triggered (else level). */
    performanceInterruptEdge: flag(12, 4, 1),
    /** Flags bit 2: VGIC maintenance interrupt is edge-triggered (else level). */
    vgicMaintenanceEdge: flag(12, 4, 2),
    /** Flags bit 3 (ACPI 6.5), decoded for MADT revision ≥ 6 as ACPICA does. */
    onlineCapable: flag(12, 4, 3, GICC_ONLINE_CAPABLE_SINCE),
    /** Flags bit 4, decoded for MADT revision ≥ 7. */
    gicrNonCoherent: flag(12, 4, 4, GICC_NON_COHERENT_SINCE),
    parkingProtocolVersion: u32(16),
    performanceInterruptGsiv: u32(20),
    parkedAddress: u64(24),
    /** Physical Base Address of the GICv2 CPU interface; the 40-byte ACPI 5.0 form ends here. */
    baseAddress: u64(32),
    gicvBaseAddress: u64(40),
    gichBaseAddress: u64(48),
    vgicMaintenanceInterrupt: u32(56),
    /** GICR Base Address, when redistributors are not described by GICR subtables. */
    gicrBaseAddress: u64(60),
    mpidr: u64(68),
    /** 80-byte form (ACPI 6.0). */
    processorPowerEfficiencyClass: u8(76),
    /** Statistical Profiling Extension buffer overflow GSIV (ACPI 6.3; 80-byte form). */
    speOverflowInterrupt: u16(78),
    /** Trace Buffer Extension interrupt GSIV (ACPI 6.5; 82-byte form). */
    trbeInterrupt: u16(80),
    /** GICv5 interrupt affinity ID (88-byte form). */
    iaffid: u16(82),
    /** GICv5 IRS ID (88-byte form). */
    irsId: u32(84),
  },
  gicd: {
    gicId: u32(4),
    /** Physical Base Address of the distributor registers. */
    baseAddress: u64(8),
    /** Must be 0. */
    systemVectorBase: u32(16),
    /** 0 = discover from hardware, 1–4 = GICv1–GICv4. */
    gicVersion: u8(20),
  },
  'gic-msi-frame': {
    msiFrameId: u32(4),
    /** Physical Base Address of the 4 KiB GICv2m frame. */
    baseAddress: u64(8),
    flags: u32(16),
    /** Flags bit 0: use SPI Count/Base below instead of the frame's MSI_TYPER register. */
    spiCountBaseSelect: flag(16, 4, 0),
    spiCount: u16(20),
    spiBase: u16(22),
    /** The doorbell: MSI_SETSPI_NS at base + 0x40. */
    setSpiNsAddress: aboveBaseAt8(MSI_SETSPI_NS_OFFSET),
  },
  gicr: {
    /** Flags byte: MADT revision ≥ 7 only; before, bytes 2–3 are reserved. */
    flags: u8(2, GIC_FLAGS_BYTE_SINCE),
    nonCoherent: flag(2, 1, 0, GIC_FLAGS_BYTE_SINCE),
    discoveryRangeBaseAddress: u64(4),
    discoveryRangeLength: u32(12),
  },
  'gic-its': {
    /** Flags byte: MADT revision ≥ 7 only; before, bytes 2–3 are reserved. */
    flags: u8(2, GIC_FLAGS_BYTE_SINCE),
    nonCoherent: flag(2, 1, 0, GIC_FLAGS_BYTE_SINCE),
    /** GIC ITS ID, referenced by IORT ITS-group identifier arrays. */
    translationId: u32(4),
    /** Physical Base Address of the ITS's 128 KiB register space. */
    baseAddress: u64(8),
    /** The doorbell: GITS_TRANSLATER at base + 0x1_0040. */
    translaterAddress: aboveBaseAt8(GITS_TRANSLATER_OFFSET),
  },
  'gicv5-irs': {
    gicVersion: u8(2),
    irsId: u32(4),
    flags: u32(8),
    nonCoherent: flag(8, 4, 0),
    configFrameBaseAddress: u64(16),
    setlpiFrameBaseAddress: u64(24),
  },
  'gicv5-its-config-frame': {
    flags: u8(2),
    nonCoherent: flag(2, 1, 0),
    /** GIC ITS ID of this ITS. */
    itsId: u32(4),
    baseAddress: u64(8),
  },
  'gicv5-its-translate-frame': {
    /** ITS ID of the config frame this translate frame belongs to. */
    linkedItsId: u32(4),
    translateFrameId: u32(8),
    baseAddress: u64(16),
  },
} satisfies Record<string, FieldMap>;
