/**
 * Multiprocessor wakeup (0x10, ACPI 6.4/6.6), LoongArch interrupt controllers (0x11–0x17,
 * ACPI 6.5) and RISC-V RINTC/IMSIC/APLIC/PLIC (0x18–0x1B, ACPI 6.6). Layouts as in ACPICA
 * actbl2.h; subtable-relative offsets.
 */
import { array, bytes, flag, u16, u32, u64, u8, type FieldMap } from './entry-view.js';

/** LoongArch and RISC-V controllers start with a version byte; most LoongArch ones then give an MMIO window. */
const version = { version: u8(2) };
const mmioWindow = { ...version, address: u64(3), size: u16(11) };

/** Field maps by kind; see entry-view.ts for the descriptors. */
export const OTHER_FIELDS = {
  'multiprocessor-wakeup': {
    mailboxVersion: u16(2),
    mailboxAddress: u64(8),
    /** Mailbox version 1 (24-byte form, ACPI 6.6) only. */
    resetVector: u64(16),
  },
  'core-pic': { ...version, processorId: u32(3), coreId: u32(7), flags: u32(11), enabled: flag(11, 4, 0) },
  'lio-pic': { ...mmioWindow, cascade: array(13, 1, 2), cascadeMap: array(15, 4, 2) },
  'ht-pic': { ...mmioWindow, cascade: array(13, 1, 8) },
  'eio-pic': { ...version, cascade: u8(3), node: u8(4), nodeMap: u64(5) },
  'msi-pic': { ...version, messageAddress: u64(3), start: u32(11), count: u32(15) },
  'bio-pic': { ...mmioWindow, id: u16(13), gsiBase: u16(15) },
  'lpc-pic': { ...mmioWindow, cascade: u8(13) },
  rintc: {
    ...version,
    flags: u32(4),
    enabled: flag(4, 4, 0),
    hartId: u64(8),
    /** ACPI Processor UID. */
    processorUid: u32(16),
    externalInterruptControllerId: u32(20),
    imsicAddress: u64(24),
    imsicSize: u32(32),
  },
  imsic: {
    ...version,
    flags: u32(4),
    numIds: u16(8),
    numGuestIds: u16(10),
    guestIndexBits: u8(12),
    hartIndexBits: u8(13),
    groupIndexBits: u8(14),
    groupIndexShift: u8(15),
  },
  aplic: {
    ...version,
    aplicId: u8(3),
    flags: u32(4),
    hardwareId: bytes(8, 8),
    numIdcs: u16(16),
    numSources: u16(18),
    gsiBase: u32(20),
    baseAddress: u64(24),
    size: u32(32),
  },
  plic: {
    ...version,
    plicId: u8(3),
    hardwareId: bytes(4, 8),
    numIrqs: u16(12),
    maxPriority: u16(14),
    flags: u32(16),
    size: u32(20),
    baseAddress: u64(24),
    gsiBase: u32(32),
  },
} satisfies Record<string, FieldMap>;
