/** A fake `/sys/firmware/memmap` tree for audit tests: `<n>/start`, `<n>/end` (inclusive hex), `<n>/type`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeFakeMemmap(root: string, entries: readonly [start: string, end: string, type: string][]): string {
  entries.forEach(([start, end, type], index) => {
    const directory = join(root, String(index));
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'start'), `${start}\n`);
    writeFileSync(join(directory, 'end'), `${end}\n`);
    writeFileSync(join(directory, 'type'), `${type}\n`);
  });
  return root;
}
