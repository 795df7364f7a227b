/** Type 4 — SMMUv3 (spec §3.10). */
import {
  SMMU3_BASE_ADDRESS, SMMU3_DEVICE_ID_INDEX, SMMU3_EVENT_GSIV, SMMU3_FLAGS, SMMU3_FLAG_COHACC,
  SMMU3_FLAG_DEVICE_ID_VALID, SMMU3_FLAG_PROXIMITY_VALID, SMMU3_GERR_GSIV, SMMU3_MODEL, SMMU3_OPTIONAL_REVISION,
  SMMU3_PRI_GSIV, SMMU3_PROXIMITY_DOMAIN, SMMU3_SYNC_GSIV, SMMU3_VATOS_ADDRESS,
} from './layout.js';
import { IortNodeBase } from './node.js';
import { deviceIdMappingIndex } from './raw.js';

export class SmmuV3Node extends IortNodeBase {
  readonly kind = 'smmu-v3' as const;

  get baseAddress(): bigint {
    return this.u64(SMMU3_BASE_ADDRESS);
  }

  get flags(): number {
    return this.u32(SMMU3_FLAGS);
  }

  /** Bit 0: table walks and queues are coherent. */
  get cohaccOverride(): boolean {
    return (this.flags & SMMU3_FLAG_COHACC) !== 0;
  }

  /** Bits 2:1 as a 2-bit value: 0 none, 1 access flag, 2 access flag + dirty state (§3.10 Disagreement). */
  get httuOverride(): number {
    return (this.flags >>> 1) & 0x3;
  }

  get proximityDomainValid(): boolean {
    return (this.flags & SMMU3_FLAG_PROXIMITY_VALID) !== 0;
  }

  /** Bit 4 (E.e); Linux consults it from node revision 5 on. */
  get deviceIdMappingIndexValid(): boolean {
    return (this.flags & SMMU3_FLAG_DEVICE_ID_VALID) !== 0;
  }

  get vatosAddress(): bigint {
    return this.u64(SMMU3_VATOS_ADDRESS);
  }

  /** 0 generic, 1 HiSilicon Hi161x, 2 Cavium CN99xx. */
  get model(): number {
    return this.u32(SMMU3_MODEL);
  }

  get eventGsiv(): number {
    return this.u32(SMMU3_EVENT_GSIV);
  }

  get priGsiv(): number {
    return this.u32(SMMU3_PRI_GSIV);
  }

  get gerrGsiv(): number {
    return this.u32(SMMU3_GERR_GSIV);
  }

  get syncGsiv(): number {
    return this.u32(SMMU3_SYNC_GSIV);
  }

  /** Node revision ≥ 1 and space. */
  get proximityDomain(): number | undefined {
    return this.gated(SMMU3_PROXIMITY_DOMAIN, 4, SMMU3_OPTIONAL_REVISION, this.u32);
  }

  /** The stored field (node revision ≥ 1 and space), whether or not it is in effect. */
  get deviceIdMappingIndex(): number | undefined {
    return this.gated(SMMU3_DEVICE_ID_INDEX, 4, SMMU3_OPTIONAL_REVISION, this.u32);
  }

  /**
   * The mapping that gives the SMMU's own MSI DeviceID, as `iort_get_id_mapping_index()` decides:
   * none for revision 0; revisions 1–4 unless all four GSIVs are non-zero; revision ≥ 5 only
   * with flag bit 4; and only when < mappingCount. Linux skips it while translating stream IDs.
   */
  get effectiveDeviceIdMappingIndex(): number | undefined {
    const index = deviceIdMappingIndex(this.reader, this.offset);
    return index < 0 ? undefined : index;
  }

  protected fields(): Record<string, unknown> {
    return {
      baseAddress: this.baseAddress,
      flags: this.flags,
      cohaccOverride: this.cohaccOverride,
      httuOverride: this.httuOverride,
      proximityDomainValid: this.proximityDomainValid,
      deviceIdMappingIndexValid: this.deviceIdMappingIndexValid,
      vatosAddress: this.vatosAddress,
      model: this.model,
      eventGsiv: this.eventGsiv,
      priGsiv: this.priGsiv,
      gerrGsiv: this.gerrGsiv,
      syncGsiv: this.syncGsiv,
      proximityDomain: this.proximityDomain,
      deviceIdMappingIndex: this.deviceIdMappingIndex,
      effectiveDeviceIdMappingIndex: this.effectiveDeviceIdMappingIndex,
    };
  }
}
