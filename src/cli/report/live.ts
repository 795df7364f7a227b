/** What to say when the live machine has no DMAR, IORT or IVRS to report. */
import { printable, type ParsedInputs } from '../shared/tables.js';

/** Sample tables shipped with the package (package.json "files"). */
export const SAMPLES_FOLDER = 'corpus/samples/x86-laptop';

/** One plain sentence: why there is no live IOMMU report. */
export function liveFallbackSentence(root: string, live: ParsedInputs): string {
  const found = [...live.parsed, ...live.ignored].map((table) => printable(table.signature));
  if (found.length > 0) {
    const unreadable = live.failures.length > 0 ? `; ${live.failures.length} could not be read` : '';
    return `This machine has no DMAR, IORT or IVRS table (${root} holds ${found.join(', ')}${unreadable}), so there is no ACPI-described IOMMU to report.`;
  }
  const first = live.failures[0];
  if (first === undefined) return `This machine exposes no ACPI tables at ${root}, so there is no live DMAR, IORT or IVRS to report.`;
  const others = live.failures.length > 1 ? ` and ${live.failures.length - 1} more` : '';
  return `Could not read this machine's ACPI tables (${first.path}: ${first.reason}${others}), so there is no live DMAR, IORT or IVRS to report.`;
}
