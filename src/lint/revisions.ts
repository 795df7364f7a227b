/**
 * Which IORT node revisions belong in a table of a given revision, as pure data (docs/spec.md
 * §3.1). Columns for table revisions 0 (D), 5 (E.d) and 6 (E.e) are the node revisions EDK2's
 * IortGenerator emits; revisions 1–4 (E … E.c, withdrawn or deprecated) get upper bounds only:
 * what E.d introduced (RC rev 4, RMR rev 3) and E.e introduced (SMMUv3 rev 5) cannot appear
 * there. QEMU's E.b table (revision 3) carries ITS rev 1, SMMUv3 rev 4, RC rev 3, which fits.
 * IWB (E.g): ACPICA's template puts node revision 1 in a revision-5 table (Unverified).
 */

/** Node type → revision; `undefined` where the table revision does not define the type. */
export type RevisionRow = readonly (number | undefined)[];

export interface RevisionColumn {
  /** DEN0049 issue of the table revision. */
  issue: string;
  /** The newest node revision allowed, per node type 0..7. */
  newest: RevisionRow;
  /** The node revision a generator emits (EDK2), per type; only where documented. */
  expected?: RevisionRow;
}

const D: RevisionRow = [0, 2, 1, 1, 2, 1, undefined, undefined];
const E_B: RevisionRow = [1, 4, 3, 3, 4, 2, 1, undefined];
const E_D: RevisionRow = [1, 4, 4, 3, 4, 2, 3, 1];
const E_E: RevisionRow = [1, 4, 4, 3, 5, 2, 3, 1];

/** Indexed by table revision; revisions above 6 use the last column. */
export const IORT_REVISION_COLUMNS: readonly RevisionColumn[] = [
  { issue: 'D', newest: D, expected: D },
  { issue: 'E (withdrawn)', newest: [...E_B.slice(0, 6), undefined, undefined] },
  { issue: 'E.a (withdrawn)', newest: [...E_B.slice(0, 6), undefined, undefined] },
  { issue: 'E.b', newest: E_B },
  { issue: 'E.c (deprecated)', newest: [...E_B.slice(0, 6), 2, undefined] },
  { issue: 'E.d', newest: E_D, expected: [...E_D.slice(0, 7), undefined] },
  { issue: 'E.e', newest: E_E, expected: [...E_E.slice(0, 7), undefined] },
];

export function revisionColumn(tableRevision: number): RevisionColumn {
  return IORT_REVISION_COLUMNS[Math.min(tableRevision, IORT_REVISION_COLUMNS.length - 1)]!;
}

/** Table revisions worth recommending: not withdrawn (1, 2) or deprecated (4). */
const USABLE_TABLE_REVISIONS: readonly number[] = [0, 3, 5, 6];

/** The first usable table revision that defines node `type` at `revision` (for messages), or undefined. */
export function firstTableRevisionFor(type: number, revision: number): number | undefined {
  return USABLE_TABLE_REVISIONS.find((table) => (IORT_REVISION_COLUMNS[table]!.newest[type] ?? -1) >= revision);
}

export const NODE_TYPE_NAMES: readonly string[] = ['ITS group', 'named component', 'root complex', 'SMMUv1/v2', 'SMMUv3', 'PMCG', 'RMR', 'IWB'];

/** What a node loses by carrying an older revision than its table implies (for messages). */
export function olderRevisionLoss(type: number, revision: number): string {
  switch (type) {
    case 2:
      return revision < 1 ? 'Linux ignores its memory address size limit (rev ≥ 1) and PASID fields (rev ≥ 4)' : 'its PASID capabilities and Flags (rev ≥ 4) are not read';
    case 4:
      return revision < 1 ? 'Linux ignores its proximity domain and DeviceID mapping index (rev ≥ 1)' : 'flag bit 4 (rev ≥ 5) is not consulted; the GSIVs decide whether the DeviceID index is valid';
    case 6:
      return 'its access privilege and attribute bits (rev ≥ 3) are undefined';
    default:
      return 'fields added by later revisions are not read';
  }
}
