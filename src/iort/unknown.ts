/**
 * A node kept without a typed decoding: a type ≥ 8 (spec §5 #31), or a known type whose Length
 * is shorter than its fixed part (`truncated`, spec §5 #2). Header, mappings and raw bytes stay
 * available.
 */
import { minimumNodeLength } from './layout.js';
import { IortNodeBase } from './node.js';

export class UnknownNode extends IortNodeBase {
  readonly kind = 'unknown' as const;

  /** True for a known type that is too short for its fixed part. */
  get truncated(): boolean {
    return this.type < 8 && this.length < minimumNodeLength(this.type, this.revision);
  }

  protected fields(): Record<string, unknown> {
    return { truncated: this.truncated };
  }
}
