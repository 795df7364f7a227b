/**
 * The default command (`report`) takes paths, so `acpi-iommu regoins x` would report on a file
 * named "regoins". A first argument that looks like a command word and is no path is refused
 * as an unknown command instead (issue 13 item 7).
 */
import { existsSync } from 'node:fs';

/** The message for an unknown command, or undefined when `first` is a command, an option or a path. */
export function unknownCommand(first: string | undefined, commands: readonly string[]): string | undefined {
  if (first === undefined || first === 'help' || commands.includes(first)) return undefined;
  if (!/^[a-z][a-z0-9-]*$/i.test(first) || existsSync(first)) return undefined;
  const near = commands.filter((name) => distance(name, first.toLowerCase()) <= 2);
  const hint = near.length === 0 ? '' : ` (did you mean ${near.join(' or ')}?)`;
  return `unknown command '${first}'${hint}; the commands are ${commands.join(', ')} (a path to report on must exist)`;
}

/** Levenshtein distance; names are a dozen letters, so the table is tiny. */
function distance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[right.length]!;
}
