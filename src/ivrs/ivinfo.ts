/** IVinfo, the IVRS header's u32 at 36 (AMD IOMMU spec "IVRS header"; masks as ACPICA actbl2.h `ACPI_IVRS_*`): what the IOMMUs share. */
import { IVINFO_DMA_GUARD_OPT_IN, IVINFO_EFR_SUPPORTED, IVINFO_HT_ATS_RESERVED } from './layout.js';

export interface IvInfo {
  raw: number;
  /** Bit 0 (EFRSup): the EFR images of IVHD 0x11/0x40 are valid. */
  efrSupported: boolean;
  /** Bit 1 (ACPICA `ACPI_IVRS_PREBOOT_DMA_REMAP`): pre-boot DMA remapping in use (DMA guard opt-in). */
  dmaGuardOptIn: boolean;
  /** Bits 7:5 (GVASize): guest virtual address size code (2 = 48 bits). */
  guestVirtualAddressSize: number;
  /** Bits 14:8 (PASize): physical address bits the IOMMU supports. */
  physicalAddressSize: number;
  /** Bits 21:15 (VASize): virtual address bits the IOMMU supports. */
  virtualAddressSize: number;
  /** Bit 22 (HtAtsResv): ATS must not translate into the HyperTransport range. */
  htAtsReserved: boolean;
}

export function decodeIvInfo(raw: number): IvInfo {
  return {
    raw,
    efrSupported: (raw & IVINFO_EFR_SUPPORTED) !== 0,
    dmaGuardOptIn: (raw & IVINFO_DMA_GUARD_OPT_IN) !== 0,
    guestVirtualAddressSize: (raw >>> 5) & 0x7,
    physicalAddressSize: (raw >>> 8) & 0x7f,
    virtualAddressSize: (raw >>> 15) & 0x7f,
    htAtsReserved: (raw & IVINFO_HT_ATS_RESERVED) !== 0,
  };
}
