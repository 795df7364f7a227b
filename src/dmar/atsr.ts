/** Type 2 — Root Port ATS Capability Reporting (VT-d §8.5, docs/spec.md §2.6). */
import { ATSR_FLAG_ALL_PORTS } from './layout.js';
import { FlaggedScopedStructureView } from './structure.js';

export class AtsrStructure extends FlaggedScopedStructureView<'atsr'> {
  readonly kind = 'atsr' as const;

  /** Flags bit 0 ALL_PORTS: every PCIe root port of the segment supports ATS; else the scopes list them. */
  get allPorts(): boolean {
    return this.hasFlag(ATSR_FLAG_ALL_PORTS);
  }

  toJSON() {
    const { flags, allPorts, reserved, segmentNumber } = this;
    return { ...this.headerJson(), flags, allPorts, reserved, segmentNumber, deviceScopes: this.scopesJson() };
  }
}
