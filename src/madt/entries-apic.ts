/**
 * x86 and IA-64 subtables, types 0x00–0x0A (ACPI §5.2.12.2–§5.2.12.13; ACPICA actbl2.h).
 * Offsets are relative to the subtable start.
 */
import { bytes, flag, intiFlags, text, u32, u64, u8, type FieldMap } from './entry-view.js';

/** Local APIC / x2APIC / SAPIC flags: bit 0 enabled, bit 1 online capable (ACPI 6.3). */
function processorFlags(at: number) {
  return {
    flags: u32(at),
    enabled: flag(at, 4, 0),
    // Linux honours bit 1 only when the firmware is ACPI ≥ 6.3 (FADT version), which the MADT
    // alone cannot tell; the bit is exposed as stored (acpi_is_processor_usable()).
    onlineCapable: flag(at, 4, 1),
  };
}

/** Field maps by kind; see entry-view.ts for the descriptors. */
export const APIC_FIELDS = {
  'local-apic': {
    /** ACPI Processor UID (ACPI 1.0 "ACPI Processor ID"). */
    processorUid: u8(2),
    apicId: u8(3),
    ...processorFlags(4),
  },
  'io-apic': {
    /** Matches DMAR device-scope type 3 Enumeration ID. */
    ioApicId: u8(2),
    /** 32-bit MMIO base. */
    ioApicAddress: u32(4),
    globalSystemInterruptBase: u32(8),
  },
  'interrupt-override': {
    /** 0 = ISA. */
    bus: u8(2),
    /** Bus-relative interrupt source (IRQ). */
    source: u8(3),
    globalSystemInterrupt: u32(4),
    ...intiFlags(8),
  },
  'nmi-source': { ...intiFlags(2), globalSystemInterrupt: u32(4) },
  'local-apic-nmi': {
    /** 0xFF = all processors. */
    processorUid: u8(2),
    ...intiFlags(3),
    localApicLint: u8(5),
  },
  'local-apic-override': { localApicAddress: u64(4) },
  'io-sapic': { ioSapicId: u8(2), globalSystemInterruptBase: u32(4), ioSapicAddress: u64(8) },
  'local-sapic': {
    processorId: u8(2),
    localSapicId: u8(3),
    localSapicEid: u8(4),
    ...processorFlags(8),
    /** ACPI Processor UID Value (ACPI 3.0). */
    processorUid: u32(12),
    /** ACPI Processor UID String, NUL-terminated (ACPI 3.0). */
    processorUidString: text(16),
  },
  'platform-interrupt-sources': {
    ...intiFlags(2),
    /** 1 = PMI, 2 = INIT, 3 = corrected platform error interrupt. */
    interruptType: u8(4),
    processorId: u8(5),
    processorEid: u8(6),
    ioSapicVector: u8(7),
    globalSystemInterrupt: u32(8),
    platformInterruptSourceFlags: u32(12),
    /** Platform Interrupt Source Flags bit 0: CPEI processor override. */
    cpeiProcessorOverride: flag(12, 4, 0),
  },
  'local-x2apic': { x2apicId: u32(4), ...processorFlags(8), processorUid: u32(12) },
  'local-x2apic-nmi': {
    ...intiFlags(2),
    /** 0xFFFFFFFF = all processors. */
    processorUid: u32(4),
    localX2apicLint: u8(8),
  },
  /** Types 0x80–0xFF: OEM-defined; only the payload after the 2-byte header is exposed. */
  oem: { oemData: bytes(2, 'rest') },
  /** Types 0x1F–0x7F: reserved by ACPI; kept with their payload so nothing is dropped silently (design.md). */
  unknown: { payload: bytes(2, 'rest') },
} satisfies Record<string, FieldMap>;
