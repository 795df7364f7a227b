/**
 * `acpi-iommu iova`: the IOVA ranges a VM can use after VFIO type1 (group-merged list) or
 * iommufd (per device) carve out the reserved regions (docs/kernel-semantics.md §5). `--format
 * e820|dt|json` prints one guest layout for the selected groups instead (src/regions/layouts.ts
 * documents the formats), with where guest RAM can start (`--ram-size`, `--ram-align`).
 */
import type { Command } from 'commander';
import type { DeviceRegions, IovaRange, RegionDescriptor } from '../../regions/index.js';
import { EXIT_OK, INPUT_ARGUMENT_HELP } from '../shared/conventions.js';
import { writeJson, writeLines } from '../shared/output.js';
import { addTopologyOptions, exitFor, fail, loadRegionContext, regionDocument, type RegionCommandOptions, type RegionContext } from './regions.js';
import { hex } from '../../bytes/hex.js';

interface IovaOptions extends RegionCommandOptions {
  aperture?: string;
  format?: string;
  ramSize?: string;
  ramAlign?: string;
}

const FORMATS = ['text', 'e820', 'dt', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** The format, the parsed RAM options, or an error message. */
async function layoutOptions(options: IovaOptions): Promise<{ format: Format; size?: bigint; alignment?: bigint } | string> {
  const format = (options.format ?? (options.json === true ? 'json' : 'text')) as Format;
  if (!FORMATS.includes(format)) return `--format takes ${FORMATS.join(', ')}, not "${options.format}"`;
  if (options.json === true && options.format !== undefined && options.format !== 'json') return `--json and --format ${options.format} ask for two formats; give one`;
  const { parseSize } = await import('../../regions/layouts.js');
  const result: { format: Format; size?: bigint; alignment?: bigint } = { format };
  for (const [name, text, key] of [['--ram-size', options.ramSize, 'size'], ['--ram-align', options.ramAlign, 'alignment']] as const) {
    if (text === undefined) continue;
    const value = parseSize(text);
    if (value === undefined || value === 0n) return `${name} takes a size like 4G, 512M or 0x40000000, not "${text}"`;
    if (value >= 1n << 64n) return `${name} ${text} is beyond a 64-bit address space`;
    if (key === 'alignment' && (value & (value - 1n)) !== 0n) return `--ram-align takes a power of two, not "${text}"`;
    result[key] = value;
  }
  return result;
}

const rangeText = (range: IovaRange) => `${hex(range.start, 16)}-${hex(range.end, 16)}`;
/** The scope without --pci. */
const EVERY_REGION = 'every region of the tables (no --pci: the worst case for a device they all apply to)';

/** The aperture and how it was chosen, or an error message. */
async function chooseAperture(context: RegionContext, text: string | undefined): Promise<{ aperture: IovaRange; note: string } | string> {
  const { parseAperture, apertureFromBits } = await import('../../regions/index.js');
  if (text !== undefined) {
    const aperture = parseAperture(text);
    return aperture === undefined ? `--aperture takes a width in bits (e.g. 48) or 0xSTART-0xEND, not "${text}"` : { aperture, note: 'given with --aperture' };
  }
  const { bits, note } = context.provider.aperture;
  return { aperture: apertureFromBits(bits), note };
}

async function runIova(inputs: string[], options: IovaOptions): Promise<number> {
  const wanted = await layoutOptions(options);
  if (typeof wanted === 'string') return fail(wanted);
  const context = await loadRegionContext(inputs, options);
  if (typeof context === 'number') return context;
  const chosen = await chooseAperture(context, options.aperture);
  if (typeof chosen === 'string') return fail(chosen);
  if (context.analysis?.iommuEnabled === false) return fail('the IOMMU would not be enabled with these tables: no group, no IOVA list');
  if (wanted.format === 'e820' || wanted.format === 'dt') return printLayout(context, chosen, wanted);
  const { vfioUsableIova, iommufdUsableIova, mergeRegions } = await import('../../regions/index.js');
  const { aperture, note } = chosen;
  const results: { label: string; group?: number; devices: string[]; vfio: ReturnType<typeof vfioUsableIova>; iommufd: ReturnType<typeof iommufdUsableIova> }[] = [];
  if (context.analysis === undefined) {
    const regions: RegionDescriptor[] = context.unscoped!;
    const members: DeviceRegions[] = [{ device: 'any', regions, notes: [] }];
    results.push({ label: EVERY_REGION, devices: [], vfio: vfioUsableIova(aperture, mergeRegions(regions)), iommufd: iommufdUsableIova(aperture, members) });
  } else {
    for (const group of context.groups) {
      const members = context.device === undefined ? group.members : group.members.filter((member) => member.device === context.device);
      results.push({ label: `group ${group.group}`, group: group.group, devices: group.devices, vfio: vfioUsableIova(aperture, group.regions), iommufd: iommufdUsableIova(aperture, members) });
    }
  }
  if (wanted.format === 'json') {
    // One document for --json and --format json: per-group VFIO/iommufd lists and the combined guest layout.
    const layouts = await import('../../regions/layouts.js');
    const layout = layouts.buildLayout(aperture, selectedRegions(context));
    const ram = context.platform === 'arm' || wanted.size !== undefined ? layouts.planGuestRam(layout, wanted) : undefined;
    const { aperture: _same, ...combined } = layouts.layoutJson(layout, ram);
    const body = { groupsGuessed: context.analysis?.groupsGuessed ?? null, aperture, apertureNote: note, scope: scopeText(context), groups: results, ...combined };
    await writeJson(await regionDocument('iova', context, body));
    return exitFor(context, EXIT_OK);
  }
  const ram = wanted.size === undefined ? undefined : await ramPlan(context, aperture, wanted);
  const lines = [`aperture ${rangeText(aperture)} (${note})`];
  for (const result of results) {
    lines.push(`${result.label}${result.devices.length > 0 ? `: ${result.devices.join(', ')}` : ''}`);
    lines.push(`  VFIO type1 usable IOVA${result.vfio.empty ? ': none (attach fails with -EINVAL)' : ':'}`);
    for (const range of result.vfio.ranges) lines.push(`    ${rangeText(range)}`);
    lines.push(`  MSI: ${result.vfio.msi.hardware ? 'hardware MSI window present (no SW MSI cookie)' : result.vfio.msi.swMsiBase !== undefined ? `SW MSI cookie at ${hex(result.vfio.msi.swMsiBase, 16)}` : 'no MSI region'}`);
    for (const device of result.iommufd.devices) {
      const same = device.ranges.length === result.vfio.ranges.length && device.ranges.every((range, index) => range.start === result.vfio.ranges[index]!.start && range.end === result.vfio.ranges[index]!.end);
      const refused = device.refused === undefined ? '' : ` — attach refused: ${device.refused}`;
      lines.push(`  iommufd ${device.device}: ${same ? 'same ranges' : device.ranges.map(rangeText).join(' ')}${refused}`);
    }
  }
  if (ram !== undefined) lines.push(...(await import('../../regions/layouts.js')).ramPlanLines(ram));
  await writeLines(lines);
  return exitFor(context, EXIT_OK);
}

/** Every region of the tables without --pci, else those of the selected groups together. */
function selectedRegions(context: RegionContext): RegionDescriptor[] {
  return context.analysis === undefined ? context.unscoped! : context.groups.flatMap((group) => group.regions);
}

/** The RAM plan over every selected group's regions (text and --json with --ram-size). */
async function ramPlan(context: RegionContext, aperture: IovaRange, wanted: { size?: bigint; alignment?: bigint }) {
  const { buildLayout, planGuestRam } = await import('../../regions/layouts.js');
  return planGuestRam(buildLayout(aperture, selectedRegions(context)), wanted);
}

/** Which regions a layout covers, in words. */
function scopeText(context: RegionContext): string {
  return context.analysis === undefined ? EVERY_REGION : `group${context.groups.length === 1 ? '' : 's'} ${context.groups.map((group) => `${group.group} (${group.devices.join(', ')})`).join(', ')}`;
}

/** `--format e820|dt`: one layout for every selected group together (a VFIO container). */
async function printLayout(context: RegionContext, chosen: { aperture: IovaRange; note: string }, options: { format: Format; size?: bigint; alignment?: bigint }): Promise<number> {
  const layouts = await import('../../regions/layouts.js');
  const scope = scopeText(context);
  const layout = layouts.buildLayout(chosen.aperture, selectedRegions(context));
  const ram = context.platform === 'arm' || options.size !== undefined ? layouts.planGuestRam(layout, options) : undefined;
  const relaxed = [...new Set(layout.skipped.filter((region) => region.type === 'direct-relaxable').map((region) => `left usable (direct-relaxable, VFIO does not carve it out): ${rangeText(region)} ${region.source.structure}`))];
  const comments = [
    `acpi-iommu iova --format ${options.format}: ${context.source} (${context.platform}), ${scope}`,
    `aperture ${rangeText(chosen.aperture)} (${chosen.note})`,
    'reserved = every region but direct-relaxable (VFIO type1 / iommufd carve them out); without a vIOMMU guest RAM (GPA = IOVA) must avoid them',
    ...relaxed,
    ...(ram === undefined ? [] : layouts.ramPlanLines(ram)),
  ];
  await writeLines(options.format === 'e820' ? layouts.e820Lines(layout, comments) : layouts.deviceTreeLines(layout, comments));
  return exitFor(context, EXIT_OK);
}

export function register(program: Command): void {
  const command = program
    .command('iova')
    .description('usable IOVA ranges after VFIO type1 / iommufd carve out the reserved regions (all but direct-relaxable)')
    .argument('<input...>', INPUT_ARGUMENT_HELP)
    .option('--aperture <bits|0xSTART-0xEND>', 'IOMMU aperture; default: the DMAR host address width, else 48 bits (noted)')
    .option('--json', 'print JSON; addresses as "0x…" strings')
    .option('--format <text|e820|dt|json>', 'text (default, per group), or one guest layout for the selected groups: e820 lines, a device-tree reserved-memory node, or its JSON')
    .option('--ram-size <size>', 'guest RAM size (4G, 512M, bytes): also name the first gap that holds it')
    .option('--ram-align <size>', 'alignment of the suggested guest RAM base; default 2M');
  addTopologyOptions(command).action(async (inputs: string[], _options: IovaOptions, self: Command) => {
    process.exitCode = await runIova(inputs, self.optsWithGlobals<IovaOptions>());
  });
}
