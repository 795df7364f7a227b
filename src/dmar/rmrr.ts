/** Type 1 — Reserved Memory Region Reporting (VT-d §8.4, docs/spec.md §2.5). */
import type { CheckContext } from './check-context.js';
import { PAGE_SIZE, RMRR } from './layout.js';
import { ScopedStructureView } from './structure.js';
import { hex } from '../bytes/hex.js';

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
  const { reader, diagnostics } = context;
  const baseAt = offset + RMRR.baseAddress;
  const limitAt = offset + RMRR.limitAddress;
  const base = reader.u64(baseAt) ?? 0n;
  const limit = reader.u64(limitAt) ?? 0n;
  // Built only when a finding needs it: this check runs on every RMRR of every parse.
  const range = () => `[${hex(base)}, ${hex(limit)}]`;
  if (base >= limit) {
    diagnostics.add('dmar.rmrr.base-after-limit', baseAt, `RMRR ${range()}: Base is not below Limit; Linux reports a bad RMRR and still uses it as given`, 16);
  }
  if (base % PAGE_SIZE !== 0n) {
    diagnostics.add('dmar.rmrr.misaligned', baseAt, `RMRR ${range()}: Base is not 4 KiB aligned`, 8);
  }
  // Limit + 1 is computed modulo 2^64 as the kernel's u64 arithmetic does.
  if (BigInt.asUintN(64, limit + 1n) % PAGE_SIZE !== 0n) {
    diagnostics.add('dmar.rmrr.misaligned', limitAt, `RMRR ${range()}: Limit + 1 is not 4 KiB aligned`, 8);
  }
  const width = context.hostAddressWidth;
  if (width !== undefined && width < 64 && limit >> BigInt(width) !== 0n) {
    diagnostics.add('dmar.rmrr.above-haw', limitAt, `RMRR ${range()} reaches beyond the ${width}-bit host address width; Linux 6.1 crashes at boot if a device present at boot receives it and it ends at or below 2^57 ("iommu width (${width}) is not sufficient for the mapped address")`, 8);
  }
  if (scopeCount === 0) {
    diagnostics.add('dmar.rmrr.no-scope', offset, `RMRR ${range()} lists no device scope, so no device receives it`);
  }
}
