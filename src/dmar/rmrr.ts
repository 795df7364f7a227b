/** Type 1 — Reserved Memory Region Reporting (VT-d §8.4, docs/spec.md §2.5). */
import type { CheckContext } from './check-context.js';
import { PAGE_OFFSET_MASK, RMRR } from './layout.js';
import { ScopedStructureView } from './structure.js';
import { hex } from '../bytes/hex.js';
import { le32 } from '../bytes/le.js';

export class RmrrStructure extends ScopedStructureView<'rmrr'> {
  readonly kind = 'rmrr' as const;

  /** Offset 4 is a reserved u16 (ACPICA's ALLOW_ALL mask is not a field; spec §2.5). */
  get reserved(): number {
    return this.u16(RMRR.reserved);
  }

  get baseAddress(): bigint {
    return this.u64(RMRR.baseAddress);
  }

  /** The region's last byte (inclusive). */
  get limitAddress(): bigint {
    return this.u64(RMRR.limitAddress);
  }

  toJSON() {
    return {
      ...this.headerJson(),
      reserved: this.reserved,
      segmentNumber: this.segmentNumber,
      baseAddress: this.baseAddress,
      limitAddress: this.limitAddress,
      deviceScopes: this.scopesJson(),
    };
  }
}

/**
 * rmrr_sanity_check() rules (Linux keeps a bad RMRR and uses it verbatim), plus the host
 * address width check of docs/kernel-semantics.md §10. `scopeCount` comes from the scope walk.
 */
export function checkRmrr(context: CheckContext, offset: number, scopeCount: number): void {
  const { diagnostics } = context;
  const baseAt = offset + RMRR.baseAddress;
  const limitAt = offset + RMRR.limitAddress;
  // In the framed fixed part; compared as u32 halves: no BigInt on the path every RMRR of every parse takes.
  const bytes = context.reader.bytes;
  const baseLow = le32(bytes, baseAt);
  const baseHigh = le32(bytes, baseAt + 4);
  const limitLow = le32(bytes, limitAt);
  const limitHigh = le32(bytes, limitAt + 4);
  if (baseHigh > limitHigh || (baseHigh === limitHigh && baseLow >= limitLow)) {
    diagnostics.add('dmar.rmrr.base-after-limit', baseAt, `RMRR ${rmrrRange(context, offset)}: Base is not below Limit; Linux reports a bad RMRR and still uses it as given`, 16);
  }
  if ((baseLow & PAGE_OFFSET_MASK) !== 0) {
    diagnostics.add('dmar.rmrr.misaligned', baseAt, `RMRR ${rmrrRange(context, offset)}: Base is not 4 KiB aligned`, 8);
  }
  // Limit + 1 (modulo 2^64, as the kernel's u64 arithmetic) is 4 KiB aligned when Limit's low 12 bits are all set.
  if ((limitLow & PAGE_OFFSET_MASK) !== PAGE_OFFSET_MASK) {
    diagnostics.add('dmar.rmrr.misaligned', limitAt, `RMRR ${rmrrRange(context, offset)}: Limit + 1 is not 4 KiB aligned`, 8);
  }
  const width = context.hostAddressWidth;
  if (width !== undefined && width < 64 && !fitsInBits(limitHigh, limitLow, width)) {
    diagnostics.add('dmar.rmrr.above-haw', limitAt, `RMRR ${rmrrRange(context, offset)} reaches beyond the ${width}-bit host address width; Linux 6.1 crashes at boot if a device present at boot receives it and it ends at or below 2^57 ("iommu width (${width}) is not sufficient for the mapped address")`, 8);
  }
  if (scopeCount === 0) {
    diagnostics.add('dmar.rmrr.no-scope', offset, `RMRR ${rmrrRange(context, offset)} lists no device scope, so no device receives it`);
  }
}

/** True when the 64-bit value `high:low` is below 2^bits (0 < bits < 64). */
function fitsInBits(high: number, low: number, bits: number): boolean {
  return bits >= 32 ? high >>> (bits - 32) === 0 : high === 0 && low >>> bits === 0;
}

/** "[base, limit]" for a finding's message, read only when one is raised. */
function rmrrRange(context: CheckContext, offset: number): string {
  return `[${hex(context.reader.u64(offset + RMRR.baseAddress) ?? 0n)}, ${hex(context.reader.u64(offset + RMRR.limitAddress) ?? 0n)}]`;
}
