/** What every IVRS block starts with: Type (u8), Flags (u8), Length (u16) (AMD IOMMU specification §5.2.2). */
import { ItemView } from '../bytes/item-view.js';
import { BLOCK_FLAGS, BLOCK_LENGTH } from './layout.js';

export abstract class BlockView extends ItemView {
  get type(): number {
    return this.u8(0);
  }

  /**
   * The block's Length; the walk guarantees the block lies inside the table. Read here rather than
   * through ItemView's u16: that one serves every view class of every table, so in a process that
   * walks all of them its loads of `reader` and `offset` turn megamorphic (a walk reads it per block).
   */
  get length(): number {
    return this.reader.u16(this.offset + BLOCK_LENGTH) ?? 0;
  }

  get flags(): number {
    return this.u8(BLOCK_FLAGS);
  }
}

/** Copies the values that are defined into `json` (optional fields of a view's JSON). */
export function assignDefined(json: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(values)) if (value !== undefined) json[name] = value;
  return json;
}
