/** Type 0 — ITS group (spec §3.6): the MSI target, a list of MADT GIC ITS identifiers. */
import { ITS_COUNT, ITS_IDENTIFIERS } from './layout.js';
import { IortNodeBase } from './node.js';
import { arrayInsideNode } from './raw.js';

export class ItsGroupNode extends IortNodeBase {
  readonly kind = 'its-group' as const;

  get itsCount(): number {
    return this.u32(ITS_COUNT);
  }

  /** True when the identifier array (4 bytes each, right after the count) lies inside the node. */
  get itsIdentifiersInsideNode(): boolean {
    return arrayInsideNode(ITS_IDENTIFIERS, this.itsCount, 4, this.length);
  }

  /** The GIC ITS identifiers; empty when the array does not fit in the node (spec §5 #20). */
  get itsIdentifiers(): number[] {
    if (!this.itsIdentifiersInsideNode) return [];
    return Array.from({ length: this.itsCount }, (_, index) => this.u32(ITS_IDENTIFIERS + 4 * index));
  }

  protected fields(): Record<string, unknown> {
    return { itsCount: this.itsCount, itsIdentifiers: this.itsIdentifiers };
  }
}
