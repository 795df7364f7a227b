/**
 * Type 3 — SMMUv1/SMMUv2 (spec §3.9). The three interrupt arrays are found only through their
 * node-relative references (§3.14) and read only when they lie inside the node (§5 #20).
 */
import {
  INTERRUPT_SIZE, SMMU_BASE_ADDRESS, SMMU_CONTEXT_INTERRUPTS_OFFSET, SMMU_CONTEXT_INTERRUPT_COUNT, SMMU_FLAGS,
  SMMU_GLOBAL_INTERRUPTS_OFFSET, SMMU_GLOBAL_INTERRUPTS_SIZE, SMMU_MODEL, SMMU_PMU_INTERRUPTS_OFFSET,
  SMMU_PMU_INTERRUPT_COUNT, SMMU_SPAN,
} from './layout.js';
import { IortNodeBase } from './node.js';
import { arrayInsideNode } from './raw.js';

/** One interrupt entry: GSIV u32 then flags u32 (bit 0: 1 edge, 0 level). */
export interface IortInterrupt {
  /** Absolute table offset of the entry. */
  offset: number;
  gsiv: number;
  flags: number;
  edgeTriggered: boolean;
}

export interface SmmuGlobalInterrupts {
  /** SMMU_NSgIrpt: the one Linux registers. */
  nonSecureGlobal: IortInterrupt;
  /** SMMU_NSgCfgIrpt: ignored by Linux. */
  nonSecureConfigAccess: IortInterrupt;
}

export class SmmuV1V2Node extends IortNodeBase {
  readonly kind = 'smmu-v1v2' as const;

  get baseAddress(): bigint {
    return this.u64(SMMU_BASE_ADDRESS);
  }

  get span(): bigint {
    return this.u64(SMMU_SPAN);
  }

  /** 0 SMMUv1, 1 SMMUv2, 2 MMU-400, 3 MMU-500, 4 MMU-401, 5 Cavium ThunderX SMMUv2. */
  get model(): number {
    return this.u32(SMMU_MODEL);
  }

  /** Bit 0 DVM supported, bit 1 coherent page-table walk. */
  get flags(): number {
    return this.u32(SMMU_FLAGS);
  }

  get globalInterruptArrayOffset(): number {
    return this.u32(SMMU_GLOBAL_INTERRUPTS_OFFSET);
  }

  get contextInterruptCount(): number {
    return this.u32(SMMU_CONTEXT_INTERRUPT_COUNT);
  }

  get contextInterruptArrayOffset(): number {
    return this.u32(SMMU_CONTEXT_INTERRUPTS_OFFSET);
  }

  get pmuInterruptCount(): number {
    return this.u32(SMMU_PMU_INTERRUPT_COUNT);
  }

  get pmuInterruptArrayOffset(): number {
    return this.u32(SMMU_PMU_INTERRUPTS_OFFSET);
  }

  /** The 16-byte global interrupt array, or undefined when it is not inside the node. */
  get globalInterrupts(): SmmuGlobalInterrupts | undefined {
    const ref = this.globalInterruptArrayOffset;
    if (!arrayInsideNode(ref, 1, SMMU_GLOBAL_INTERRUPTS_SIZE, this.length)) return undefined;
    return { nonSecureGlobal: this.interrupt(ref), nonSecureConfigAccess: this.interrupt(ref + INTERRUPT_SIZE) };
  }

  *contextInterrupts(): Generator<IortInterrupt> {
    yield* this.interrupts(this.contextInterruptArrayOffset, this.contextInterruptCount);
  }

  *pmuInterrupts(): Generator<IortInterrupt> {
    yield* this.interrupts(this.pmuInterruptArrayOffset, this.pmuInterruptCount);
  }

  private *interrupts(ref: number, count: number): Generator<IortInterrupt> {
    if (!arrayInsideNode(ref, count, INTERRUPT_SIZE, this.length)) return;
    for (let index = 0; index < count; index++) yield this.interrupt(ref + index * INTERRUPT_SIZE);
  }

  private interrupt(rel: number): IortInterrupt {
    const flags = this.u32(rel + 4);
    return { offset: this.offset + rel, gsiv: this.u32(rel), flags, edgeTriggered: (flags & 0x1) !== 0 };
  }

  protected fields(): Record<string, unknown> {
    return {
      baseAddress: this.baseAddress,
      span: this.span,
      model: this.model,
      flags: this.flags,
      globalInterruptArrayOffset: this.globalInterruptArrayOffset,
      contextInterruptCount: this.contextInterruptCount,
      contextInterruptArrayOffset: this.contextInterruptArrayOffset,
      pmuInterruptCount: this.pmuInterruptCount,
      pmuInterruptArrayOffset: this.pmuInterruptArrayOffset,
      globalInterrupts: this.globalInterrupts,
      contextInterrupts: [...this.contextInterrupts()],
      pmuInterrupts: [...this.pmuInterrupts()],
    };
  }
}
