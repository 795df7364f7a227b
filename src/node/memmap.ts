/**
 * Reads a platform memory map for `audit --memmap`: `/sys/firmware/memmap` (entries `<n>/start`,
 * `<n>/end` — inclusive, hex — and `<n>/type`; a sysfs root holding `firmware/memmap` works
 * too), or a file: a kernel log with `BIOS-e820` lines, JSON `[{start, end, type}]`, or the
 * archive `acpi-iommu collect` writes.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileCapped, readTextCapped } from './read-capped.js';
import { MemoryMapFormatError, memoryMap, memoryMapFromJson, parseMemoryMapText, type MemoryMap } from '../audit/memmap.js';
import { archiveInBytes } from './archive.js';

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isDirectory(), () => false);
}

async function readSysfsMemmap(directory: string): Promise<MemoryMap> {
  const names = (await readdir(directory)).filter((name) => /^\d+$/.test(name)).sort((left, right) => Number(left) - Number(right));
  if (names.length === 0) throw new MemoryMapFormatError(`${directory}: no numbered entries (<n>/start, <n>/end, <n>/type)`);
  const entries: { start: bigint; end: bigint; type: string }[] = [];
  const notes: string[] = [];
  for (const name of names) {
    const read = (field: string) => readTextCapped(join(directory, name, field)).then((text) => text.trim(), () => undefined);
    const [start, end, type] = await Promise.all([read('start'), read('end'), read('type')]);
    const hex = (text: string | undefined) => (text !== undefined && /^(0x)?[0-9a-f]+$/i.test(text) ? BigInt(text.startsWith('0x') || text.startsWith('0X') ? text : `0x${text}`) : undefined);
    const first = hex(start);
    const last = hex(end);
    if (first === undefined || last === undefined || type === undefined || last < first) {
      notes.push(`${name}/: unreadable or inconsistent start/end/type, skipped`);
      continue;
    }
    entries.push({ start: first, end: last, type });
  }
  if (entries.length === 0) throw new MemoryMapFormatError(`${directory}: no readable entry`);
  return memoryMap('sysfs', entries, notes);
}

/** `--memmap <path>`: a memmap directory (or a sysfs root), else a file of kernel log or JSON. */
export async function readMemoryMap(path: string): Promise<MemoryMap> {
  if (await isDirectory(path)) {
    const nested = join(path, 'firmware', 'memmap');
    return readSysfsMemmap((await isDirectory(nested)) ? nested : path);
  }
  const bytes = await readFileCapped(path);
  const archive = archiveInBytes(bytes);
  if (archive === undefined) return parseMemoryMapText(new TextDecoder().decode(bytes));
  if (archive.memoryMap === null) throw new MemoryMapFormatError('the archive holds no memory map (collect could not read /sys/firmware/memmap)');
  return memoryMapFromJson(archive.memoryMap);
}
