/**
 * Type 6 — SoC Integrated Device Property (VT-d §8.9, docs/spec.md §2.10). Linux does not
 * parse SIDP; its scopes' Flags carry per-device properties.
 */
import { SIDP } from './layout.js';
import { ScopedStructureView } from './structure.js';

export class SidpStructure extends ScopedStructureView<'sidp'> {
  readonly kind = 'sidp' as const;

  get reserved(): number {
    return this.u16(SIDP.reserved);
  }

  toJSON() {
    const { reserved, segmentNumber } = this;
    return { ...this.headerJson(), reserved, segmentNumber, deviceScopes: this.scopesJson() };
  }
}
