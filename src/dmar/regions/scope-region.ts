/**
 * The descriptor of one RMRR PCI scope without a topology: its detail ("endpoint 00:14.0 @0x58:
 * 0000:00:14.0") and device are read from the scope's bytes when first asked for (issue 14:
 * building them for every scope cost more than parsing the table).
 */
import { pathEntryCount } from '../device-scope.js';
import { SCOPE, SCOPE_PATH_ENTRY_SIZE } from '../layout.js';
import { formatBdf } from '../../pci/bdf.js';
import type { KernelBehaviour } from '../../regions/kernel-versions.js';
import { LazyRegion, type RegionText } from '../../regions/lazy-region.js';
import { hex, PROT, type RegionType } from '../../regions/types.js';
import { BYTE_HEX, scopeLabel } from './scope-text.js';

export class RmrrScopeRegion extends LazyRegion {
  readonly #bytes: Uint8Array;
  readonly #at: number;
  readonly #length: number;
  readonly #bridge: boolean;
  readonly #segment: number;
  readonly #kernel: KernelBehaviour;

  /** The scope of `length` bytes at `at` in `bytes`, of the RMRR at `offset` on `segment`. */
  constructor(start: bigint, end: bigint, type: RegionType, reason: string, offset: number, segment: number, bytes: Uint8Array, at: number, length: number, bridge: boolean, kernel: KernelBehaviour) {
    super(start, end, type, PROT.read | PROT.write, 'DMAR', offset, 'RMRR', reason);
    this.#bytes = bytes;
    this.#at = at;
    this.#length = length;
    this.#bridge = bridge;
    this.#segment = segment;
    this.#kernel = kernel;
  }

  /** The detail names the scope and its target; the device is set when the one hop is a valid device and function. */
  protected buildText(): RegionText {
    const bytes = this.#bytes;
    const at = this.#at;
    const segment = this.#segment;
    const kernel = this.#kernel;
    const hops = pathEntryCount(this.#length);
    const bus = bytes[at + SCOPE.startBusNumber]!;
    let target = 'no path: names no device';
    let device: string | undefined;
    if (hops > 0) {
      const last = at + SCOPE.path + (hops - 1) * SCOPE_PATH_ENTRY_SIZE;
      const slot = bytes[last]!;
      const pciFunction = bytes[last + 1]!;
      const below = !this.#bridge ? '' : kernel.bridgeScopeDownstream ? ' and every device below it' : ` only (${kernel.label}: not the devices below it, v5.3+)`;
      if (hops === 1) {
        const bdf = formatBdf({ segment, bus, device: slot & 0x1f, function: pciFunction & 7 });
        target = bdf + below;
        if (slot < 32 && pciFunction < 8) device = bdf;
      } else {
        target = `device ${BYTE_HEX[slot]}.${pciFunction} ${hops - 1} bridge(s) below bus ${hex(bus, 2)} of segment ${hex(segment, 4)}${below} (its bus number needs the topology)`;
      }
    }
    return { detail: `${scopeLabel(this.#bridge ? 'bridge' : 'endpoint', bytes, at, this.#length)} @${hex(at)}: ${target}`, device };
  }
}
