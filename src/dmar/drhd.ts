/** Type 0 — DMA Remapping Hardware Unit Definition (VT-d §8.3, docs/spec.md §2.3). */
import type { CheckContext } from './check-context.js';
import { DRHD, DRHD_FLAG_INCLUDE_PCI_ALL, DRHD_SIZE_MASK, PAGE_OFFSET_MASK } from './layout.js';
import { ScopedStructureView } from './structure.js';
import { hex } from '../bytes/hex.js';
import { le32 } from '../bytes/le.js';

export class DrhdStructure extends ScopedStructureView<'drhd'> {
  readonly kind = 'drhd' as const;

  get flags(): number {
    return this.u8(DRHD.flags);
  }

  /** The unit covers every PCI device of its segment not claimed by another DRHD. */
  get includePciAll(): boolean {
    return (this.flags & DRHD_FLAG_INCLUDE_PCI_ALL) !== 0;
  }

  /** The raw Size byte; bits 3:0 are log2 of the register-set size in 4 KiB pages. */
  get size(): number {
    return this.u8(DRHD.size);
  }

  /** 2^(Size bits 3:0) pages of 4 KiB. */
  get registerSetPages(): number {
    return 2 ** (this.size & DRHD_SIZE_MASK);
  }

  get registerBaseAddress(): bigint {
    return this.u64(DRHD.registerBaseAddress);
  }

  toJSON() {
    return {
      ...this.headerJson(),
      flags: this.flags,
      includePciAll: this.includePciAll,
      size: this.size,
      registerSetPages: this.registerSetPages,
      segmentNumber: this.segmentNumber,
      registerBaseAddress: this.registerBaseAddress,
      deviceScopes: this.scopesJson(),
    };
  }
}

/** Register-base rules of dmar_parse_one_drhd() and VT-d §8.3 (spec §5 #13). */
export function checkDrhd(context: CheckContext, offset: number): void {
  const at = offset + DRHD.registerBaseAddress;
  // In the framed fixed part, read as u32 halves: no BigInt unless a finding prints the address.
  const low = le32(context.reader.bytes, at);
  if (low === 0 && le32(context.reader.bytes, at + 4) === 0) {
    context.diagnostics.add('dmar.drhd.base-zero', at, 'DRHD Register Base Address is 0; Linux rejects this unit ("Your BIOS is broken; DMAR reported at address 0")', 8);
  } else if ((low & PAGE_OFFSET_MASK) !== 0) {
    context.diagnostics.add('dmar.drhd.misaligned', at, `DRHD Register Base Address ${hex(context.reader.u64(at) ?? 0n)} is not 4 KiB aligned`, 8);
  }
}
