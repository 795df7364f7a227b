/**
 * A PCI topology from `lspci -tv` / `lspci -tvnn` (pciutils ls-tree.c). The tree gives what the
 * bus numbers say: every function, the bridges with their `[secondary-subordinate]` bus ranges,
 * and the parent of each function; `-nn` (or `-n`) adds `[vendor:device]` to the functions that
 * are not bridges. It gives no class codes and no IOMMU groups (notes say so). Platform-free.
 *
 * ls-tree.c prints a domain as `-[0000:00]-` (several root buses: `-+-[0000:40]-` … `\-[0000:00]-`),
 * a function as `dd.f`, a bridge as `dd.f-[ss]-` or `dd.f-[ss-uu]-` (`dd.f-` when its secondary bus
 * is 0), one function on a bus as `--dd.f` and several as `+-dd.f` … `\-dd.f`. A line after the first
 * repeats the previous one's prefix with every `+`/`|` turned to `|` and all else to spaces, so the
 * first other character sits in the column of the sibling marker it continues.
 */
import { formatBdf } from './bdf.js';
import type { PciDevice, PciTopology } from './model.js';
import { buildTopology } from './topology.js';

/** Class code given to bridges: lspci draws a bus range only for bridge-class functions. */
const PCI_BRIDGE_CLASS = 0x060400;
/** Class code of the other functions: the tree has none (0x000000, "unclassified"), flagged classUnknown. */
const NO_CLASS = 0x000000;

const DOMAIN_START = /^-\+?-?\[[0-9a-f]{4}:[0-9a-f]{2}\]-/im;

/** True when the text starts like lspci -t output (`-[0000:00]-` or `-+-[0000:00]-`). */
export function looksLikeLspciTree(text: string): boolean {
  return DOMAIN_START.test(text.trimStart());
}

/** Where a sibling marker's column leads: a bus (its functions) or a bridge's list of buses. */
type Context =
  | { kind: 'bus'; segment: number; bus: number; parent: string | undefined }
  | { kind: 'buses'; segment: number | undefined; parent: string | undefined };

interface Reader {
  line: string;
  devices: PciDevice[];
  notes: string[];
  contexts: Map<number, Context>;
}

export function topologyFromLspciTree(text: string): PciTopology {
  const reader: Reader = { line: '', devices: [], notes: [], contexts: new Map() };
  text.split(/\r?\n/).forEach((line, index) => {
    const start = line.search(/[^ |]/);
    if (start < 0) return;
    reader.line = line.replace(/\s+$/, '');
    // Markers deeper than this line's start belong to subtrees that are finished.
    for (const column of reader.contexts.keys()) if (column > start) reader.contexts.delete(column);
    if (start === 0 && line.startsWith('-')) {
      bridgeBuses(reader, 0, { kind: 'buses', segment: undefined, parent: undefined });
      return;
    }
    const context = reader.contexts.get(start);
    if (context === undefined) reader.notes.push(`lspci -t line ${index + 1}: continues no branch above it; skipped`);
    else if (context.kind === 'bus') busContent(reader, start, context);
    else busList(reader, start, context);
  });
  const { devices, notes } = reader;
  if (devices.some((device) => device.classUnknown === true)) {
    notes.push('lspci -t gives no class codes: functions that are not bridges have class unknown (the relaxable-RMRR rule for USB and display cannot be applied to them)');
  }
  if (devices.some((device) => device.secondaryBus !== undefined)) notes.push('lspci -t draws bus ranges only for bridges: they are taken as PCI-to-PCI bridges (class 0x060400)');
  const topology = buildTopology(devices, undefined, notes);
  // The tree says which functions sit on a root bus: buildTopology's guess that one may not is void.
  const rooted = new Set(devices.filter((device) => device.parent === undefined).map((device) => `${formatBdf(device)}: upstream bridge unknown`));
  topology.notes = topology.notes.filter((note) => !rooted.has(note.slice(0, note.indexOf(';'))));
  return topology;
}

/** After a domain or a bridge: `-` then one bus, or `+-[dddd:bb]-` … for several. */
function bridgeBuses(reader: Reader, at: number, owner: Extract<Context, { kind: 'buses' }>, secondary?: number): void {
  if (reader.line[at] !== '-') return;
  const next = at + 1;
  // `+-[dddd:bb]-` opens one of several buses; `+-dd.f` is one of several functions on the only bus.
  if (/^[+\\]-\[/.test(reader.line.slice(next))) {
    busList(reader, next, owner);
    return;
  }
  const header = /^\[([0-9a-f]{4}):([0-9a-f]{2})\]-/i.exec(reader.line.slice(next));
  if (header !== null) {
    busContent(reader, next + header[0].length, { kind: 'bus', segment: Number.parseInt(header[1]!, 16), bus: Number.parseInt(header[2]!, 16), parent: owner.parent });
  } else if (owner.segment !== undefined && secondary !== undefined) {
    busContent(reader, next, { kind: 'bus', segment: owner.segment, bus: secondary, parent: owner.parent });
  }
}

/** `+-[dddd:bb]-` or `\-[dddd:bb]-` at `at`: one of several buses of a domain or bridge. */
function busList(reader: Reader, at: number, owner: Extract<Context, { kind: 'buses' }>): void {
  const header = /^[+\\]-\[([0-9a-f]{4}):([0-9a-f]{2})\]-/i.exec(reader.line.slice(at));
  if (header === null) return;
  reader.contexts.set(at, owner);
  busContent(reader, at + header[0].length, { kind: 'bus', segment: Number.parseInt(header[1]!, 16), bus: Number.parseInt(header[2]!, 16), parent: owner.parent });
}

/** A bus's functions: `--dd.f` (one), `+-dd.f` / `\-dd.f` (one of several), or nothing (empty bus). */
function busContent(reader: Reader, at: number, bus: Extract<Context, { kind: 'bus' }>): void {
  const marker = reader.line.slice(at, at + 2);
  if (marker === '+-' || marker === '\\-') reader.contexts.set(at, bus);
  else if (marker !== '--') return;
  device(reader, at + 2, bus);
}

/** `dd.f`, then a bridge's bus range and buses, or the `  name [vvvv:dddd]` of any other function. */
function device(reader: Reader, at: number, bus: Extract<Context, { kind: 'bus' }>): void {
  const rest = reader.line.slice(at);
  const slot = /^([0-9a-f]{2})\.([0-7])/i.exec(rest);
  if (slot === null) return;
  const address = { segment: bus.segment, bus: bus.bus, device: Number.parseInt(slot[1]!, 16), function: Number.parseInt(slot[2]!, 16) };
  const bdf = formatBdf(address);
  const after = rest.slice(slot[0].length);
  const range = /^-\[([0-9a-f]{2})(?:-([0-9a-f]{2}))?\]-/i.exec(after);
  const parent = bus.parent === undefined ? {} : { parent: bus.parent };
  if (range !== null || after.startsWith('--')) {
    const secondary = range === null ? undefined : Number.parseInt(range[1]!, 16);
    const subordinate = range === null ? undefined : Number.parseInt(range[2] ?? range[1]!, 16);
    reader.devices.push({ ...address, ...parent, classCode: PCI_BRIDGE_CLASS, vendor: 0xffff, deviceId: 0xffff, ...(secondary === undefined ? {} : { secondaryBus: secondary, subordinateBus: subordinate }) });
    if (secondary === undefined) reader.notes.push(`${bdf}: lspci printed no bus number for this bridge; the functions below it are skipped`);
    else bridgeBuses(reader, at + slot[0].length + range![0].length, { kind: 'buses', segment: bus.segment, parent: bdf }, secondary);
    return;
  }
  const ids = /\[?([0-9a-f]{4}):([0-9a-f]{4})\]?\s*$/i.exec(after);
  reader.devices.push({
    ...address, ...parent, classCode: NO_CLASS, classUnknown: true,
    vendor: ids === null ? 0xffff : Number.parseInt(ids[1]!, 16), deviceId: ids === null ? 0xffff : Number.parseInt(ids[2]!, 16),
  });
}
