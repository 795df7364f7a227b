/** Type 7 — IWB, interrupt wire bridge (spec §3.13, DEN0049 E.g; layout from ACPICA, Unverified). */
import { IWB_CONFIG_FRAME_BASE, IWB_DEVICE_NAME, IWB_INDEX } from './layout.js';
import { IortNodeBase } from './node.js';
import { deviceNameAt } from './raw.js';

export class IwbNode extends IortNodeBase {
  readonly kind = 'iwb' as const;

  get configFrameBase(): bigint {
    return this.u64(IWB_CONFIG_FRAME_BASE);
  }

  get iwbIndex(): number {
    return this.u16(IWB_INDEX);
  }

  get deviceName(): string {
    return deviceNameAt(this.reader, this.offset, IWB_DEVICE_NAME).text;
  }

  get deviceNameTerminated(): boolean {
    return deviceNameAt(this.reader, this.offset, IWB_DEVICE_NAME).terminated;
  }

  protected fields(): Record<string, unknown> {
    return {
      configFrameBase: this.configFrameBase,
      iwbIndex: this.iwbIndex,
      deviceName: this.deviceName,
      deviceNameTerminated: this.deviceNameTerminated,
    };
  }
}
