/**
 * Guest memory layouts for VMMs (`acpi-iommu iova --format e820|dt|json`). Without a vIOMMU a
 * VMM maps guest RAM at IOVA = GPA, so every range VFIO carves out of the aperture (all regions
 * but direct-relaxable, docs/kernel-semantics.md §5.1) must stay out of guest RAM. Platform-free.
 *
 * Formats (one layout for the selected groups together: a VFIO container's usable list is the
 * intersection of its groups' lists):
 * - e820: one line per range of the aperture, in address order, exactly
 *   `e820: [mem 0x%016x-0x%016x] usable|reserved` (inclusive ends, as Linux prints its e820
 *   table); lines starting with `#` are comments (sources of each reserved range, the RAM plan).
 * - dt: a device-tree source with a `reserved-memory` node (#address-cells = #size-cells = 2,
 *   `ranges;`) holding one `iommu-resv@<hex start>` child per reserved range, each
 *   `reg = <start-hi start-lo size-hi size-lo>; no-map;`. Overlapping or touching regions are
 *   merged first so that unit addresses are unique. Comments are `/* … *\/`.
 * - JSON: `layoutJson()`; bigint as "0x…" through jsonReplacer.
 */
import type { IovaRange } from './iova.js';
import { blocksIova } from './iova.js';
import { explainRegion } from './render.js';
import { compareStarts, isMalformed, type RegionDescriptor, type RegionType } from './types.js';
import { hex } from '../bytes/hex.js';

/** A reserved range of the layout: overlapping or adjacent regions merged, clipped to the aperture. */
export interface ReservedSpan extends IovaRange {
  types: RegionType[];
  regions: RegionDescriptor[];
}

export interface VmmLayout {
  aperture: IovaRange;
  /** Non-relaxable regions, clipped to the aperture and merged; sorted. */
  reserved: ReservedSpan[];
  /** The aperture minus `reserved`: VFIO type1's usable list for the container. */
  usable: IovaRange[];
  /** The msi / sw-msi regions merged on their own (doorbell windows guest RAM must avoid). */
  msiWindows: ReservedSpan[];
  /** Regions left out: direct-relaxable (guest RAM may cover them) and malformed (end < start). */
  skipped: RegionDescriptor[];
}

const isMsi = (region: RegionDescriptor) => region.type === 'msi' || region.type === 'sw-msi';

/** Sorts, clips to `aperture` and merges overlapping or touching regions. */
function spans(aperture: IovaRange, regions: readonly RegionDescriptor[]): ReservedSpan[] {
  const clipped = regions
    .filter((region) => region.end >= aperture.start && region.start <= aperture.end)
    .map((region) => ({ region, start: region.start < aperture.start ? aperture.start : region.start, end: region.end > aperture.end ? aperture.end : region.end }))
    .sort(compareStarts);
  const result: ReservedSpan[] = [];
  for (const { region, start, end } of clipped) {
    const last = result[result.length - 1];
    if (last !== undefined && start <= last.end + 1n) {
      if (end > last.end) last.end = end;
      if (!last.types.includes(region.type)) last.types.push(region.type);
      last.regions.push(region);
    } else {
      result.push({ start, end, types: [region.type], regions: [region] });
    }
  }
  return result;
}

export function buildLayout(aperture: IovaRange, regions: readonly RegionDescriptor[]): VmmLayout {
  const blocking = regions.filter((region) => blocksIova(region) && !isMalformed(region));
  const reserved = spans(aperture, blocking);
  const usable: IovaRange[] = [];
  let cursor: bigint | undefined = aperture.start;
  for (const span of reserved) {
    if (cursor !== undefined && span.start > cursor) usable.push({ start: cursor, end: span.start - 1n });
    cursor = span.end >= aperture.end ? undefined : span.end + 1n;
  }
  if (cursor !== undefined) usable.push({ start: cursor, end: aperture.end });
  return {
    aperture: { ...aperture },
    reserved,
    usable,
    msiWindows: spans(aperture, blocking.filter(isMsi)),
    skipped: regions.filter((region) => !blocksIova(region) || isMalformed(region)),
  };
}

// ── Guest RAM placement ─────────────────────────────────────────────────────────────────────

export const FOUR_GIB = 1n << 32n;
export const DEFAULT_RAM_ALIGNMENT = 2n << 20n;

export interface RamPlan {
  alignment: bigint;
  /** Lowest aligned usable address above every MSI window that starts below 4 GiB. */
  aboveMsi?: { base: bigint; limit: bigint };
  /** With a requested size: the lowest aligned block of that size inside one usable range. */
  size?: bigint;
  fit?: { base: bigint; end: bigint };
}

const alignUp = (value: bigint, alignment: bigint) => ((value + alignment - 1n) / alignment) * alignment;

/** The lowest aligned base ≥ `floor` with `size` bytes inside one usable range, and that range's end. */
function firstFit(usable: readonly IovaRange[], floor: bigint, size: bigint, alignment: bigint): { base: bigint; limit: bigint } | undefined {
  for (const range of usable) {
    if (range.end < floor) continue;
    const base = alignUp(range.start > floor ? range.start : floor, alignment);
    if (base + size - 1n <= range.end) return { base, limit: range.end };
  }
  return undefined;
}

/**
 * Where guest RAM can start on Arm: above the SW MSI window (0x8000000–0x80fffff) and any ITS
 * doorbell windows below 4 GiB; with `size`, the first gap from the bottom that holds it. Both
 * avoid every reserved range, not only the MSI windows, since VFIO_MAP_DMA fails on any.
 */
export function planGuestRam(layout: VmmLayout, options: { size?: bigint | undefined; alignment?: bigint | undefined } = {}): RamPlan {
  const alignment = options.alignment ?? DEFAULT_RAM_ALIGNMENT;
  if (alignment <= 0n) throw new RangeError('RAM alignment must be positive');
  let floor = layout.aperture.start;
  for (const window of layout.msiWindows) if (window.start < FOUR_GIB && window.end + 1n > floor) floor = window.end + 1n;
  const plan: RamPlan = { alignment };
  const aboveMsi = firstFit(layout.usable, floor, alignment, alignment);
  if (aboveMsi !== undefined) plan.aboveMsi = aboveMsi;
  if (options.size !== undefined) {
    if (options.size <= 0n) throw new RangeError('RAM size must be positive');
    plan.size = options.size;
    const fit = firstFit(layout.usable, layout.aperture.start, options.size, alignment);
    if (fit !== undefined) plan.fit = { base: fit.base, end: fit.base + options.size - 1n };
  }
  return plan;
}

/** `4G`, `512M`, `64k`, `2GiB`, `0x100000000` or plain bytes (binary units); undefined otherwise. */
export function parseSize(text: string): bigint | undefined {
  const match = /^(0x[0-9a-f]+|\d+)\s*(?:([kmgtp])(?:i?b)?|b)?$/i.exec(text.trim());
  if (match === null) return undefined;
  const units = 'kmgtp';
  const shift = match[2] === undefined ? 0n : 10n * BigInt(units.indexOf(match[2].toLowerCase()) + 1);
  return BigInt(match[1]!) << shift;
}

/** `4 GiB`, `128 MiB`, `0x1234 bytes` for messages. */
export function sizeText(bytes: bigint): string {
  for (const [unit, shift] of [['TiB', 40n], ['GiB', 30n], ['MiB', 20n], ['KiB', 10n]] as const) {
    if (bytes >= 1n << shift && bytes % (1n << shift) === 0n) return `${bytes >> shift} ${unit}`;
  }
  return `0x${bytes.toString(16)} bytes`;
}

export function ramPlanLines(plan: RamPlan): string[] {
  const lines: string[] = [];
  lines.push(plan.aboveMsi === undefined
    ? `guest RAM: no ${sizeText(plan.alignment)}-aligned usable address above the MSI windows below 4 GiB`
    : `guest RAM: lowest base above the MSI windows below 4 GiB: ${hex(plan.aboveMsi.base)} (${sizeText(plan.alignment)} aligned; usable up to ${hex(plan.aboveMsi.limit)})`);
  if (plan.size !== undefined) {
    lines.push(plan.fit === undefined
      ? `guest RAM: no usable gap holds ${sizeText(plan.size)}`
      : `guest RAM: first gap holding ${sizeText(plan.size)}: base ${hex(plan.fit.base)}, end ${hex(plan.fit.end)}`);
  }
  return lines;
}

// ── Output formats ──────────────────────────────────────────────────────────────────────────


/** One comment per distinct source of a span: `direct: DMAR RMRR @0x40 [...] for ...`. */
function spanSources(span: ReservedSpan): string[] {
  return [...new Set(span.regions.map((region) => `${region.type}: ${explainRegion(region)}`))];
}

export function formatE820(layout: VmmLayout, comments: readonly string[] = []): string {
  return `${e820Lines(layout, comments).join('\n')}\n`;
}

/** The lines of `formatE820`, for output streamed line by line. */
export function e820Lines(layout: VmmLayout, comments: readonly string[] = []): string[] {
  const lines = comments.map((text) => `# ${text}`);
  const entries = [...layout.usable.map((range) => ({ range, reserved: undefined as ReservedSpan | undefined })), ...layout.reserved.map((span) => ({ range: span as IovaRange, reserved: span }))];
  entries.sort((a, b) => compareStarts(a.range, b.range));
  for (const { range, reserved } of entries) {
    if (reserved !== undefined) for (const source of spanSources(reserved)) lines.push(`#   ${source}`);
    lines.push(`e820: [mem ${hex(range.start, 16)}-${hex(range.end, 16)}] ${reserved === undefined ? 'usable' : 'reserved'}`);
  }
  return lines;
}

const cells = (value: bigint) => `0x${(value >> 32n).toString(16)} 0x${(value & 0xffff_ffffn).toString(16)}`;
const comment = (text: string) => `/* ${text.replace(/\*\//g, '* /')} */`;
/** A `reg` size must fit two cells; a span of 2^64 bytes is split in two. */
const MAX_REG_SIZE = 1n << 63n;

export function formatDeviceTree(layout: VmmLayout, comments: readonly string[] = []): string {
  return `${deviceTreeLines(layout, comments).join('\n')}\n`;
}

/** The lines of `formatDeviceTree`, for output streamed line by line. */
export function deviceTreeLines(layout: VmmLayout, comments: readonly string[] = []): string[] {
  const lines = ['/dts-v1/;', '', ...comments.map(comment), '/ {', '\t#address-cells = <2>;', '\t#size-cells = <2>;', '', '\treserved-memory {', '\t\t#address-cells = <2>;', '\t\t#size-cells = <2>;', '\t\tranges;'];
  for (const span of layout.reserved) {
    lines.push('');
    for (const source of spanSources(span)) lines.push(`\t\t${comment(source)}`);
    for (let start = span.start; start <= span.end; start += MAX_REG_SIZE) {
      const size = span.end - start + 1n > MAX_REG_SIZE ? MAX_REG_SIZE : span.end - start + 1n;
      lines.push(`\t\tiommu-resv@${start.toString(16)} {`, `\t\t\treg = <${cells(start)} ${cells(size)}>;`, '\t\t\tno-map;', '\t\t};');
      if (start + size - 1n >= span.end) break;
    }
  }
  lines.push('\t};', '};');
  return lines;
}

export function layoutJson(layout: VmmLayout, ram?: RamPlan) {
  const range = (item: IovaRange) => ({ start: item.start, end: item.end });
  return {
    aperture: range(layout.aperture),
    reserved: layout.reserved.map((span) => ({ ...range(span), types: span.types, sources: spanSources(span) })),
    usable: layout.usable.map(range),
    msiWindows: layout.msiWindows.map((span) => ({ ...range(span), types: span.types })),
    ram: ram ?? null,
  };
}
