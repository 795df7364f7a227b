/**
 * The platform memory map an audit compares reserved ranges with (platform-free): entries with
 * an inclusive end and the firmware's type name, from the E820 lines of a kernel log
 * (`BIOS-e820: [mem 0x…-0x…] reserved` and the kernel's later changes, e820-replay.ts), from
 * JSON (`[{start, end, type}]`), or from `/sys/firmware/memmap` (read by src/node/memmap.ts).
 * Each says which view it is: the firmware's (what /sys/firmware/memmap keeps) or the kernel's
 * own `e820_table`, the one `arch_rmrr_sanity_check` asks.
 */
import { replayDmesgE820 } from './e820-replay.js';

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

export type MemoryMapView = 'firmware' | 'kernel' | 'unknown';

export interface MemoryMap {
  source: 'sysfs' | 'dmesg' | 'json';
  /** Which table this is; Linux checks RMRRs against the kernel's. */
  view: MemoryMapView;
  /** Why the view is what it is, and what would settle it. */
  viewNote: string;
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

const VIEW_NOTES: Record<MemoryMapView, string> = {
  firmware: "the firmware's map (/sys/firmware/memmap is e820_table_firmware): Linux checks RMRRs against its own e820 table, which setup may have changed since (first page, MTRR trimming, EFI fixes, memmap=); the boot's kernel log settles it",
  kernel: "the kernel's e820 table when DMAR was parsed, rebuilt from the log's BIOS-e820 table and the e820 changes after it",
  unknown: 'not said which map this is (JSON without "view": "firmware" or "kernel"); judged as if it were the kernel\'s e820 table',
};

const DEFAULT_VIEWS: Record<MemoryMap['source'], MemoryMapView> = { sysfs: 'firmware', dmesg: 'kernel', json: 'unknown' };

export function memoryMap(source: MemoryMap['source'], entries: readonly { start: bigint; end: bigint; type: string }[], notes: string[] = [], view: MemoryMapView = DEFAULT_VIEWS[source]): MemoryMap {
  const sorted = entries
    .map((entry) => ({ start: entry.start, end: entry.end, type: entry.type, kind: memoryKind(entry.type) }))
    .sort((left, right) => (left.start < right.start ? -1 : left.start > right.start ? 1 : 0));
  return { source, view, viewNote: VIEW_NOTES[view], entries: sorted, notes };
}

/** The kernel's e820 table when it parsed its DMAR or IVRS, rebuilt from a kernel log (e820-replay.ts). */
export function parseDmesgE820(text: string): MemoryMap {
  const replay = replayDmesgE820(text);
  if (replay === undefined) throw new MemoryMapFormatError('no "BIOS-e820: [mem 0x…-0x…] type" lines (the kernel log of an x86 boot has them at the start)');
  return memoryMap('dmesg', replay.entries, replay.notes);
}

function addressField(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  if (typeof value !== 'string' || !/^(0x[0-9a-f]+|\d+)$/i.test(value.trim())) return undefined;
  return BigInt(value.trim());
}

/** `[{start, end, type}]` (end inclusive; numbers or "0x…" text), or `{entries: […], view?: "firmware" | "kernel"}`. */
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
  const view = Array.isArray(value) ? undefined : (value as { view?: unknown }).view;
  if (view !== undefined && view !== 'firmware' && view !== 'kernel') throw new MemoryMapFormatError('"view" must be "firmware" or "kernel"');
  return memoryMap('json', entries, [], view ?? 'unknown');
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
