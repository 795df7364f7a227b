/** Type 3 — Remapping Hardware Static Affinity (VT-d §8.6, docs/spec.md §2.7). No scopes. */
import type { CheckContext } from './check-context.js';
import { RHSA } from './layout.js';
import { StructureView } from './structure.js';

export class RhsaStructure extends StructureView<'rhsa'> {
  readonly kind = 'rhsa' as const;

  get reserved(): number {
    return this.u32(RHSA.reserved);
  }

  /** Must equal the Register Base Address of a DRHD. */
  get registerBaseAddress(): bigint {
    return this.u64(RHSA.registerBaseAddress);
  }

  /** NUMA proximity domain, as in SRAT. */
  get proximityDomain(): number {
    return this.u32(RHSA.proximityDomain);
  }

  toJSON() {
    const { reserved, registerBaseAddress, proximityDomain } = this;
    return { ...this.headerJson(), reserved, registerBaseAddress, proximityDomain };
  }
}

export function checkRhsa(context: CheckContext, offset: number, length: number): void {
  if (length > RHSA.size) {
    context.diagnostics.add('dmar.length.long', offset, `RHSA Length is ${length}; the structure is exactly ${RHSA.size} bytes and the ${length - RHSA.size} extra bytes are ignored`, length);
  }
}
