/** Type 5 — SoC Integrated Address Translation Cache (VT-d §8.8, docs/spec.md §2.9). */
import { SATC_FLAG_ATC_REQUIRED } from './layout.js';
import { FlaggedScopedStructureView } from './structure.js';

export class SatcStructure extends FlaggedScopedStructureView<'satc'> {
  readonly kind = 'satc' as const;

  /** Flags bit 0 ATC_REQUIRED: each listed device needs its ATC (ATS) enabled to work. */
  get atcRequired(): boolean {
    return this.hasFlag(SATC_FLAG_ATC_REQUIRED);
  }

  toJSON() {
    const { flags, atcRequired, reserved, segmentNumber } = this;
    return { ...this.headerJson(), flags, atcRequired, reserved, segmentNumber, deviceScopes: this.scopesJson() };
  }
}
