/** Type 5 — PMCG, SMMUv3 performance monitor counter group (spec §3.11). */
import { PMCG_NODE_REFERENCE, PMCG_OVERFLOW_GSIV, PMCG_PAGE0_BASE, PMCG_PAGE1_BASE } from './layout.js';
import { IortNodeBase } from './node.js';

export class PmcgNode extends IortNodeBase {
  readonly kind = 'pmcg' as const;

  get page0BaseAddress(): bigint {
    return this.u64(PMCG_PAGE0_BASE);
  }

  /** 0: overflow is signalled by MSI through the node's single mapping. */
  get overflowGsiv(): number {
    return this.u32(PMCG_OVERFLOW_GSIV);
  }

  /** Table offset of the monitored SMMUv3 (or named component / root complex). */
  get nodeReference(): number {
    return this.u32(PMCG_NODE_REFERENCE);
  }

  /** Present when it fits before the ID array / node end (spec §3.11: gate on space only). */
  get page1BaseAddress(): bigint | undefined {
    return this.gated(PMCG_PAGE1_BASE, 8, 0, this.u64);
  }

  protected fields(): Record<string, unknown> {
    return {
      page0BaseAddress: this.page0BaseAddress,
      overflowGsiv: this.overflowGsiv,
      nodeReference: this.nodeReference,
      page1BaseAddress: this.page1BaseAddress,
    };
  }
}
