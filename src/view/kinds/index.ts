/**
 * The table kinds the page knows, by signature. To add one: write kinds/<name>.ts exporting a
 * `TableKind` and list it here.
 */
import { DMAR_KIND } from './dmar.js';
import { IORT_KIND } from './iort.js';
import { IVRS_KIND } from './ivrs.js';
import type { TableKind } from './kind.js';
import { MADT_KIND } from './madt.js';

export const TABLE_KINDS: readonly TableKind[] = [DMAR_KIND, IORT_KIND, MADT_KIND, IVRS_KIND] as readonly TableKind[];

export function kindOf(signature: string): TableKind | undefined {
  return TABLE_KINDS.find((kind) => kind.signature === signature);
}
