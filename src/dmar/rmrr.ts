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

// The findings `checkRmrr` found, as bits for the cold reporting path.
const BASE_AFTER_LIMIT = 1;
const BASE_MISALIGNED = 2;
const LIMIT_MISALIGNED = 4;
const ABOVE_HAW = 8;
const NO_SCOPE = 16;

/**
 * rmrr_sanity_check() rules (Linux keeps a bad RMRR and uses it verbatim), plus the host
 * address width check of docs/kernel-semantics.md §10. `scopeCount` comes from the scope walk.
 */
export function checkRmrr(context: CheckContext, offset: number, scopeCount: number): void {
  // In the framed fixed part; compared as u32 halves: no BigInt on the path every RMRR of every parse takes.
  const bytes = context.reader.bytes;
  const baseLow = le32(bytes, offset + RMRR.baseAddress);
  const baseHigh = le32(bytes, offset + RMRR.baseAddress + 4);
  const limitLow = le32(bytes, offset + RMRR.limitAddress);
  const limitHigh = le32(bytes, offset + RMRR.limitAddress + 4);
  const width = context.hostAddressWidth;
  const found =
    (baseHigh > limitHigh || (baseHigh === limitHigh && baseLow >= limitLow) ? BASE_AFTER_LIMIT : 0) |
    ((baseLow & PAGE_OFFSET_MASK) !== 0 ? BASE_MISALIGNED : 0) |
    // Limit + 1 (modulo 2^64, as the kernel's u64 arithmetic) is 4 KiB aligned when Limit's low 12 bits are all set.
    ((limitLow & PAGE_OFFSET_MASK) !== PAGE_OFFSET_MASK ? LIMIT_MISALIGNED : 0) |
    (width !== undefined && width < 64 && !fitsInBits(limitHigh, limitLow, width) ? ABOVE_HAW : 0) |
    (scopeCount === 0 ? NO_SCOPE : 0);
  if (found !== 0) reportRmrr(context, offset, found);
}

function reportRmrr(context: CheckContext, offset: number, found: number): void {
  const { diagnostics } = context;
  const baseAt = offset + RMRR.baseAddress;
  const limitAt = offset + RMRR.limitAddress;
  const range = rmrrRange(context, offset);
  if (found & BASE_AFTER_LIMIT) diagnostics.add('dmar.rmrr.base-after-limit', baseAt, `RMRR ${range}: Base is not below Limit; Linux reports a bad RMRR and still uses it as given`, 16);
  if (found & BASE_MISALIGNED) diagnostics.add('dmar.rmrr.misaligned', baseAt, `RMRR ${range}: Base is not 4 KiB aligned`, 8);
  if (found & LIMIT_MISALIGNED) diagnostics.add('dmar.rmrr.misaligned', limitAt, `RMRR ${range}: Limit + 1 is not 4 KiB aligned`, 8);
  if (found & ABOVE_HAW) {
    const width = context.hostAddressWidth;
    diagnostics.add('dmar.rmrr.above-haw', limitAt, `RMRR ${range} reaches beyond the ${width}-bit host address width; Linux 6.1 crashes at boot if a device present at boot receives it and it ends at or below 2^57 ("iommu width (${width}) is not sufficient for the mapped address")`, 8);
  }
  if (found & NO_SCOPE) diagnostics.add('dmar.rmrr.no-scope', offset, `RMRR ${range} lists no device scope, so no device receives it`);
}

/** True when the 64-bit value `high:low` is below 2^bits (0 < bits < 64). */
function fitsInBits(high: number, low: number, bits: number): boolean {
  return bits >= 32 ? high >>> (bits - 32) === 0 : high === 0 && low >>> bits === 0;
}

/** "[base, limit]" for a finding's message, read only when one is raised. */
function rmrrRange(context: CheckContext, offset: number): string {
  return `[${hex(context.reader.u64(offset + RMRR.baseAddress) ?? 0n)}, ${hex(context.reader.u64(offset + RMRR.limitAddress) ?? 0n)}]`;
}
