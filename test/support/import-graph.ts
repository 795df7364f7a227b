/**
 * The static import graph of TypeScript sources, for architecture tests: every `import`,
 * `import type`, `export … from` and literal `import('…')` specifier, followed transitively.
 * Paths are POSIX and relative to the root given to `importViolations`.
 */
import { posix } from 'node:path';

/** Module specifiers a source text imports (comments removed first). */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const match of code.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\bfrom\s*)?['"]([^'"]+)['"]/g)) found.push(match[1]!);
  for (const match of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1]!);
  return found;
}

export interface ImportViolation {
  /** The chain from a starting file to the offending import, last element the import. */
  chain: string[];
}

/**
 * Walks from every file under `start` (a folder, relative to the root) and reports each import
 * that leaves `allowed` (folders), with the chain that reached it. `read` gives a file's text,
 * `list` the `.ts` files under a folder.
 */
export function importViolations(start: string, allowed: readonly string[], read: (path: string) => string | undefined, list: (folder: string) => string[]): ImportViolation[] {
  const inside = (path: string) => allowed.some((folder) => path === folder || path.startsWith(`${folder}/`));
  const violations: ImportViolation[] = [];
  const seen = new Set<string>();
  const queue: string[][] = list(start).map((file) => [file]);
  while (queue.length > 0) {
    const chain = queue.shift()!;
    const file = chain[chain.length - 1]!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importSpecifiers(read(file) ?? '')) {
      if (!specifier.startsWith('.')) {
        violations.push({ chain: [...chain, specifier] });
        continue;
      }
      const target = posix.join(posix.dirname(file), specifier).replace(/\.js$/, '.ts');
      if (!inside(target)) violations.push({ chain: [...chain, target] });
      else if (!seen.has(target)) queue.push([...chain, target]);
    }
  }
  return violations;
}
