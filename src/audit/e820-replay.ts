/**
 * The e820 table Linux had when it parsed its IOMMU table (DMAR or IVRS), rebuilt from a kernel
 * log (platform-free: the log's own lines say which table the kernel read).
 * `arch_rmrr_sanity_check` asks the kernel's own `e820_table`, not the firmware's list: by then
 * x86 setup (arch/x86/kernel/setup.c) has changed it — `trim_bios_range`, `e820__reserve_setup_data`,
 * MTRR trimming, EFI fixes, `memmap=`. Every change goes through `__e820__range_update` ("e820:
 * update [mem a-b] old ==> new") or `e820__range_remove` ("e820: remove [mem a-b] type"), and a
 * full re-print follows many of them (`e820__print_table(who)`: "modified:", "user:",
 * "reserve setup_data:", "extended:"). Replay: the last full print, then every later update
 * and remove, up to the first line of the table's parse. What the log does not show
 * (`e820__range_add` without a print) cannot be replayed; `notes` say what was done.
 */

export interface E820Entry {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  /** As the kernel prints it (`usable`, `reserved`, `ACPI NVS`…). */
  type: string;
}

export interface E820Replay {
  entries: E820Entry[];
  notes: string[];
}

/** `e820__print_table(who)` callers: the memory_setup name, then later full re-prints. */
const TABLE_WHO = /(BIOS-e820|BIOS-88|BIOS-e801|Xen|extended|reserve setup_data|user|modified): (?:\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\] (.+?)|([0-9a-fA-F]{8,16}) - ([0-9a-fA-F]{8,16}) \((.+)\))\s*$/;
const UPDATE = /e820: update \[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\] (.+?) ==> (.+?)\s*$/;
const UPDATE_LEGACY = /e820 update range: ([0-9a-fA-F]{8,16}) - ([0-9a-fA-F]{8,16}) \((.+?)\) ==> \((.+?)\)\s*$/;
const REMOVE = /e820: remove \[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\]\s*(.*?)\s*$/;
const REMOVE_LEGACY = /e820 remove range: ([0-9a-fA-F]{8,16}) - ([0-9a-fA-F]{8,16})(?: \((.+?)\))?\s*$/;
/**
 * The first lines the kernel prints while reading each IOMMU table: `parse_dmar_table`
 * (dmar_table_init; the RMRR check runs right after) and, on AMD, `early_amd_iommu_init`
 * ("ivrs, add hid" for an IVHD ACPI-HID entry, "Using global IVHD EFR"). Not any "AMD-Vi:"
 * line: the command-line options print theirs at time 0 ("AMD-Vi: Unknown option").
 */
const TABLE_PARSES = [
  { table: 'DMAR', line: /DMAR: (Host address width|RMRR base)/, names: 'DMAR: Host address width / RMRR base' },
  { table: 'IVRS', line: /AMD-Vi: (ivrs, add hid|Using global IVHD EFR)/, names: 'AMD-Vi: ivrs, add hid / Using global IVHD EFR' },
] as const;

type Change = { action: 'update'; start: bigint; end: bigint; from: string; to: string } | { action: 'remove'; start: bigint; end: bigint; type: string | undefined };

/** Before v3.x the kernel printed exclusive ends without `0x`. */
const legacyRange = (first: string, last: string) => ({ start: BigInt(`0x${first}`), end: BigInt(`0x${last}`) - 1n });

function tableLine(line: string): { who: string; entry: E820Entry } | undefined {
  const match = TABLE_WHO.exec(line);
  if (match === null) return undefined;
  if (match[2] !== undefined) return { who: match[1]!, entry: { start: BigInt(match[2]), end: BigInt(match[3]!), type: match[4]! } };
  return { who: match[1]!, entry: { ...legacyRange(match[5]!, match[6]!), type: match[7]! } };
}

function changeLine(line: string): Change | undefined {
  const update = UPDATE.exec(line);
  if (update !== null) return { action: 'update', start: BigInt(update[1]!), end: BigInt(update[2]!), from: update[3]!, to: update[4]! };
  const legacyUpdate = UPDATE_LEGACY.exec(line);
  if (legacyUpdate !== null) return { action: 'update', ...legacyRange(legacyUpdate[1]!, legacyUpdate[2]!), from: legacyUpdate[3]!, to: legacyUpdate[4]! };
  const remove = REMOVE.exec(line);
  if (remove !== null) return { action: 'remove', start: BigInt(remove[1]!), end: BigInt(remove[2]!), type: remove[3] === '' ? undefined : remove[3] };
  const legacyRemove = REMOVE_LEGACY.exec(line);
  if (legacyRemove === null) return undefined;
  return { action: 'remove', ...legacyRange(legacyRemove[1]!, legacyRemove[2]!), type: legacyRemove[3] };
}

/** The parts of `entry` outside [start, end]. */
function outside(entry: E820Entry, start: bigint, end: bigint): E820Entry[] {
  const parts: E820Entry[] = [];
  if (entry.start < start) parts.push({ ...entry, end: entry.end < start - 1n ? entry.end : start - 1n });
  if (entry.end > end) parts.push({ ...entry, start: entry.start > end + 1n ? entry.start : end + 1n });
  return parts;
}

/** `__e820__range_update` / `e820__range_remove` on entries of the named type (any type for a remove without one). */
function apply(entries: readonly E820Entry[], change: Change): E820Entry[] {
  const result: E820Entry[] = [];
  for (const entry of entries) {
    const hit = entry.start <= change.end && entry.end >= change.start && (change.action === 'update' ? entry.type === change.from : change.type === undefined || entry.type === change.type);
    if (!hit) {
      result.push(entry);
      continue;
    }
    result.push(...outside(entry, change.start, change.end));
    if (change.action === 'update') {
      result.push({ start: entry.start > change.start ? entry.start : change.start, end: entry.end < change.end ? entry.end : change.end, type: change.to });
    }
  }
  return sanitize(result);
}

/** `e820__update_table`: sorted, adjacent entries of one type joined. */
function sanitize(entries: readonly E820Entry[]): E820Entry[] {
  const sorted = [...entries].sort((left, right) => (left.start < right.start ? -1 : left.start > right.start ? 1 : 0));
  const result: E820Entry[] = [];
  for (const entry of sorted) {
    const last = result[result.length - 1];
    if (last !== undefined && last.type === entry.type && last.end + 1n === entry.start) last.end = entry.end;
    else result.push({ ...entry });
  }
  return result;
}

/**
 * Undefined when the log has no `BIOS-e820` table. A second boot in the same log (a new
 * BIOS-e820 table after other lines) ends the replay.
 */
export function replayDmesgE820(text: string): E820Replay | undefined {
  let current: E820Entry[] = [];
  let printing: { who: string; entries: E820Entry[] } | undefined;
  let firmwareSeen = false;
  let applied = 0;
  let reprints: string[] = [];
  const notes: string[] = [];
  let stoppedAt: string | undefined;
  const finishPrint = () => {
    if (printing === undefined) return;
    current = printing.entries;
    if (printing.who !== 'BIOS-e820' && printing.who !== 'BIOS-88' && printing.who !== 'BIOS-e801' && printing.who !== 'Xen') reprints.push(printing.who);
    printing = undefined;
  };
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const table = tableLine(line);
    if (table !== undefined) {
      const restart = printing === undefined || printing.who !== table.who || table.entry.start <= printing.entries[printing.entries.length - 1]!.start;
      if (restart) {
        finishPrint();
        const firmware = table.who === 'BIOS-e820' || table.who === 'BIOS-88' || table.who === 'BIOS-e801' || table.who === 'Xen';
        if (firmware && firmwareSeen) {
          notes.push(`a second ${table.who} table (line ${index + 1}, a later boot) ends the replay`);
          break;
        }
        if (!firmware && !firmwareSeen) continue;
        firmwareSeen ||= firmware;
        if (firmware) {
          applied = 0;
          reprints = [];
        }
        printing = { who: table.who, entries: [] };
      }
      printing!.entries.push(table.entry);
      continue;
    }
    if (!firmwareSeen) continue;
    finishPrint();
    const parse = TABLE_PARSES.find((item) => item.line.test(line));
    if (parse !== undefined) {
      stoppedAt = `the ${parse.table} parse (line ${index + 1})`;
      break;
    }
    const change = changeLine(line);
    if (change === undefined) continue;
    current = apply(current, change);
    applied++;
  }
  finishPrint();
  if (!firmwareSeen) return undefined;
  const changed = applied > 0 || reprints.length > 0;
  if (reprints.length > 0) notes.push(`later full maps taken in log order: ${reprints.join(', ')}`);
  if (applied > 0) notes.push(`${applied} e820 update/remove line(s) applied`);
  const parseLines = TABLE_PARSES.map((item) => item.names).join('; ');
  notes.push(stoppedAt === undefined ? `no line of a DMAR or IVRS parse (${parseLines}) in the log: every e820 line was replayed` : `replayed up to ${stoppedAt}`);
  if (!changed) notes.push('the log shows no change after BIOS-e820 (a log filtered before the kernel\'s "e820: update/remove" lines would hide them)');
  return { entries: sanitize(current), notes };
}
