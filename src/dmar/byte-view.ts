/** Base of every lazy DMAR view: an item view whose Length was read once by the walk. */
import { ItemView, type MovableView } from '../bytes/item-view.js';
import type { TableReader } from '../bytes/reader.js';

export abstract class ByteView extends ItemView {
  constructor(
    reader: TableReader,
    offset: number,
    /** The item's Length field, in bytes. */
    readonly length: number,
  ) {
    super(reader, offset);
  }
}

/** A DMAR view reused as a flyweight cursor: its Length moves with it (see `MovableView`). */
export interface MovableByteView extends MovableView {
  length: number;
}

/**
 * A DMAR cursor shared by the walks of every table: the walk moves its reader too. Only the
 * `forEach…` walks write these, each at its own site.
 */
export interface RetargetableByteView extends MovableByteView {
  reader: TableReader;
}
