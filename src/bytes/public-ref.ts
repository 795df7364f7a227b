/**
 * A diagnostic's `ref` as users see it. The code tables cite the project's own notes in short
 * forms (`spec.md §2.5`, `kernel-semantics §4.3`); users get the path of the file the package
 * ships (`docs/spec.md`, `docs/kernel-semantics.md`, package.json "files") with the section, so
 * no reference points at a file they do not have. Public sources (VT-d §8.4, kernel functions)
 * pass unchanged.
 */
const SHORT_FORMS: readonly [RegExp, string][] = [
  [/^(?:docs\/)?spec(?:\.md)?(?= ?§)/, 'docs/spec.md'],
  [/^(?:docs\/)?kernel-semantics(?:\.md)?(?= ?§)/, 'docs/kernel-semantics.md'],
];

// Refs come from the code tables, a few hundred fixed strings: each is rewritten once, not per finding.
const cache = new Map<string, string | undefined>();

/** `'VT-d §8.4; spec.md §2.5'` → `'VT-d §8.4; docs/spec.md §2.5'`. */
export function publicRef(ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  // One lookup on a hit (every ref rewrites to a string; `has` only tells a miss from an undefined entry).
  const known = cache.get(ref);
  if (known !== undefined || cache.has(ref)) return known;
  const shipped = shippedParts(ref);
  cache.set(ref, shipped);
  return shipped;
}

function shippedParts(ref: string): string | undefined {
  const parts = ref.split(';').map((part) => part.trim()).filter((part) => part.length > 0);
  const shipped = parts.map((part) => SHORT_FORMS.reduce((text, [short, path]) => text.replace(short, path), part));
  return shipped.length === 0 ? undefined : shipped.join('; ');
}
