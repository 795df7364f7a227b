/**
 * The descriptor of one RMRR PCI scope without a topology: its bounds, detail ("endpoint
 * 00:14.0 @0x58: 0000:00:14.0") and device are read from the table's bytes when first asked for
 * (issue 14: building them for every scope cost more than parsing the table).
 */
import { pathEntryCount } from '../device-scope.js';
import { RMRR, SCOPE, SCOPE_PATH_ENTRY_SIZE, SCOPE_TYPE_BRIDGE, SEGMENT_OFFSET } from '../layout.js';
import type { TableReader } from '../../bytes/reader.js';
import { formatBdf } from '../../pci/bdf.js';
import type { KernelBehaviour } from '../../regions/kernel-versions.js';
import { LazyRegion, type RegionText } from '../../regions/lazy-region.js';
import { hex, PROT, type RegionType } from '../../regions/types.js';
import { BYTE_HEX, scopeLabel } from './scope-text.js';

/** What the scope descriptors of one derivation share: the table's bytes and the kernel's rules. */
export interface ScopeContext {
  reader: TableReader;
  kernel: KernelBehaviour;
}

export class RmrrScopeRegion extends LazyRegion {
  // Two fields, what is read again from the bytes is not kept: with 100,000 RMRRs larger
  // descriptors no longer fitted the young generation.
  readonly #context: ScopeContext;
  readonly #at: number;

  /**
   * The framed ENDPOINT or BRIDGE scope at `at` in the RMRR at `offset`: the RMRR's addresses and
   * segment, the scope's type and Length are read again from the bytes when asked for.
   */
  constructor(type: RegionType, reason: string, offset: number, context: ScopeContext, at: number) {
    super(type, PROT.read | PROT.write, offset, reason);
    this.#context = context;
    this.#at = at;
  }

  protected get sourceTable(): 'DMAR' {
    return 'DMAR';
  }

  protected get sourceStructure(): string {
    return 'RMRR';
  }

  protected readStart(): bigint {
    return this.#context.reader.u64(this.structureOffset + RMRR.baseAddress) ?? 0n;
  }

  protected readEnd(): bigint {
    return this.#context.reader.u64(this.structureOffset + RMRR.limitAddress) ?? 0n;
  }

  /** The detail names the scope and its target; the device is set when the one hop is a valid device and function. */
  protected buildText(): RegionText {
    const { reader, kernel } = this.#context;
    const bytes = reader.bytes;
    const at = this.#at;
    const length = bytes[at + SCOPE.length]!;
    const bridge = bytes[at + SCOPE.type] === SCOPE_TYPE_BRIDGE;
    const segment = reader.u16(this.structureOffset + SEGMENT_OFFSET) ?? 0;
    const hops = pathEntryCount(length);
    const bus = bytes[at + SCOPE.startBusNumber]!;
    let target = 'no path: names no device';
    let device: string | undefined;
    if (hops > 0) {
      const last = at + SCOPE.path + (hops - 1) * SCOPE_PATH_ENTRY_SIZE;
      const slot = bytes[last]!;
      const pciFunction = bytes[last + 1]!;
      const below = !bridge ? '' : kernel.bridgeScopeDownstream ? ' and every device below it' : ` only (${kernel.label}: not the devices below it, v5.3+)`;
      if (hops === 1) {
        const bdf = formatBdf({ segment, bus, device: slot & 0x1f, function: pciFunction & 7 });
        target = bdf + below;
        if (slot < 32 && pciFunction < 8) device = bdf;
      } else {
        target = `device ${BYTE_HEX[slot]}.${pciFunction} ${hops - 1} bridge(s) below bus ${hex(bus, 2)} of segment ${hex(segment, 4)}${below} (its bus number needs the topology)`;
      }
    }
    return { detail: `${scopeLabel(bridge ? 'bridge' : 'endpoint', bytes, at, length)} @${hex(at)}: ${target}`, device };
  }
}
