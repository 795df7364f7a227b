/**
 * A diagnostic's `ref` as users see it: the public sources only (ACPI, VT-d and IORT spec
 * sections, kernel functions and commits). The code tables also cite the project's own notes
 * (`docs/spec.md`, `kernel-semantics`), which ship with no package; those parts are left out.
 */
const PRIVATE = /^(docs\/)?(spec\.md|kernel-semantics)\b/;

// Refs come from the code tables, a few hundred fixed strings: each is split once, not per finding.
const cache = new Map<string, string | undefined>();

/** `'VT-d §8.4; docs/spec.md §2.5'` → `'VT-d §8.4'`; undefined when nothing public remains. */
export function publicRef(ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  if (cache.has(ref)) return cache.get(ref);
  const kept = publicParts(ref);
  cache.set(ref, kept);
  return kept;
}

function publicParts(ref: string): string | undefined {
  const parts = ref.split(';').map((part) => part.trim()).filter((part) => part.length > 0 && !PRIVATE.test(part));
  return parts.length === 0 ? undefined : parts.join('; ');
}
