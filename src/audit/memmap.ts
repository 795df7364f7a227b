/**
 * The platform memory map an audit compares reserved ranges with (platform-free): entries with
 * an inclusive end and the firmware's type name, from the E820 lines of a kernel log
 * (`BIOS-e820: [mem 0x…-0x…] reserved`), from JSON (`[{start, end, type}]`), or from
 * `/sys/firmware/memmap` (read by src/node/memmap.ts into the same shape).
 */

/** What the OS may do with a range. */
export type MemoryKind = 'ram' | 'reserved' | 'nvs' | 'acpi-data' | 'unusable' | 'persistent' | 'soft-reserved' | 'firmware' | 'unknown';

export interface MemoryMapEntry {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  /** As the source names it: `Reserved`, `ACPI NVS`, `System RAM`, `usable`… */
  type: string;
  kind: MemoryKind;
}

export interface MemoryMap {
  source: 'sysfs' | 'dmesg' | 'json';
  /** Sorted by start. */
  entries: MemoryMapEntry[];
  /** What the reader skipped or assumed. */
  notes: string[];
}

export class MemoryMapFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemoryMapFormatError';
  }
}

/** Kinds the OS hands out as ordinary memory (a reserved range must never overlap them). */
export const OS_MEMORY_KINDS: readonly MemoryKind[] = ['ram', 'persistent', 'soft-reserved'];

/**
 * Type names of /sys/firmware/memmap (`e820_type_to_string`), of the kernel log
 * (`e820_print_type`) and of the UEFI memory map, to kinds. Order matters: `unusable` before
 * `usable`, `soft reserved` before `reserved`.
 */
const KIND_PATTERNS: readonly [RegExp, MemoryKind][] = [
  [/unusable/i, 'unusable'],
  [/soft[ _-]?reserved/i, 'soft-reserved'],
  [/nvs|non-volatile/i, 'nvs'],
  [/persistent|pmem|pram/i, 'persistent'],
  [/acpi ?(data|tables?|reclaim)/i, 'acpi-data'],
  [/runtime ?services|mmio|memory ?mapped ?io/i, 'firmware'],
  [/reserved/i, 'reserved'],
  [/^(usable|system ram|ram)$|conventional|boot ?services|loader ?(code|data)/i, 'ram'],
];

export function memoryKind(type: string): MemoryKind {
  const text = type.trim();
  return KIND_PATTERNS.find(([pattern]) => pattern.test(text))?.[1] ?? 'unknown';
}

export function memoryMap(source: MemoryMap['source'], entries: readonly { start: bigint; end: bigint; type: string }[], notes: string[] = []): MemoryMap {
  const sorted = entries
    .map((entry) => ({ start: entry.start, end: entry.end, type: entry.type, kind: memoryKind(entry.type) }))
    .sort((left, right) => (left.start < right.start ? -1 : left.start > right.start ? 1 : 0));
  return { source, entries: sorted, notes };
}

const E820_MODERN = /BIOS-e820: \[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\] (.+?)\s*$/;
/** Before v3.x: `BIOS-e820: 0000000000000000 - 000000000009f800 (usable)`, end exclusive. */
const E820_LEGACY = /BIOS-e820: ([0-9a-fA-F]{8,16}) - ([0-9a-fA-F]{8,16}) \((.+)\)\s*$/;
const E820_LATER = /e820: (update|remove) \[mem|reserve setup_data: \[mem|user: \[mem/;

/** The `BIOS-e820` table of a kernel log (the firmware's map as the kernel first printed it). */
export function parseDmesgE820(text: string): MemoryMap {
  const entries: { start: bigint; end: bigint; type: string }[] = [];
  const notes: string[] = [];
  let later = 0;
  let secondTable: number | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (E820_LATER.test(line)) later++;
    const modern = E820_MODERN.exec(line);
    const legacy = modern === null ? E820_LEGACY.exec(line) : null;
    const match = modern ?? legacy;
    if (match === null) continue;
    const start = BigInt(modern === null ? `0x${match[1]}` : match[1]!);
    const end = BigInt(modern === null ? `0x${match[2]}` : match[2]!) - (modern === null ? 1n : 0n);
    if (secondTable !== undefined) continue;
    if (entries.length > 0 && start <= entries[entries.length - 1]!.start) {
      // A second boot in the same log: keep the first table.
      secondTable = index + 1;
      continue;
    }
    entries.push({ start, end, type: match[3]! });
  }
  if (entries.length === 0) throw new MemoryMapFormatError('no "BIOS-e820: [mem 0x…-0x…] type" lines (the kernel log of an x86 boot has them at the start)');
  if (later > 0) notes.push(`${later} later e820 line(s) (e820: update/remove, reserve setup_data, user:) not applied: the BIOS-e820 table is used`);
  if (secondTable !== undefined) notes.push(`a second BIOS-e820 table (line ${secondTable}) ignored: the first one is used`);
  return memoryMap('dmesg', entries, notes);
}

function addressField(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  if (typeof value !== 'string' || !/^(0x[0-9a-f]+|\d+)$/i.test(value.trim())) return undefined;
  return BigInt(value.trim());
}

/** `[{start, end, type}]` (end inclusive; numbers or "0x…" text), or `{entries: […]}`. */
export function memoryMapFromJson(value: unknown): MemoryMap {
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null && Array.isArray((value as { entries?: unknown }).entries) ? (value as { entries: unknown[] }).entries : undefined;
  if (list === undefined) throw new MemoryMapFormatError('expected a JSON array of {start, end, type} (end inclusive)');
  const problems: string[] = [];
  const entries: { start: bigint; end: bigint; type: string }[] = [];
  for (const [index, item] of list.entries()) {
    const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const start = addressField(record.start);
    const end = addressField(record.end);
    const type = record.type;
    if (start === undefined || end === undefined || typeof type !== 'string' || end < start) {
      problems.push(`[${index}] needs start ≤ end (numbers or "0x…" text, end inclusive) and a type text`);
      continue;
    }
    entries.push({ start, end, type });
  }
  if (problems.length > 0) throw new MemoryMapFormatError(problems.slice(0, 5).join('; '));
  if (entries.length === 0) throw new MemoryMapFormatError('the memory map is empty');
  return memoryMap('json', entries);
}

/** Kernel-log text (it has BIOS-e820 lines; its lines may start with `[`) or JSON. */
export function parseMemoryMapText(text: string): MemoryMap {
  const trimmed = text.trimStart();
  if (!text.includes('BIOS-e820') && (trimmed.startsWith('[') || trimmed.startsWith('{'))) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new MemoryMapFormatError(`not JSON (${(error as Error).message})`);
    }
    return memoryMapFromJson(value);
  }
  return parseDmesgE820(text);
}
