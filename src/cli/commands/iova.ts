/**
 * `acpi-iommu iova`: the IOVA ranges a VM can use after VFIO type1 (group-merged list) or
 * iommufd (per device) carve out the reserved regions (kernel-semantics §5).
 */
import type { Command } from 'commander';
import type { DeviceRegions, IovaRange, RegionDescriptor } from '../../regions/index.js';
import { EXIT_OK, INPUT_ARGUMENT_HELP } from '../shared/conventions.js';
import { addTopologyOptions, fail, loadRegionContext, type RegionCommandOptions, type RegionContext } from './regions.js';

interface IovaOptions extends RegionCommandOptions {
  aperture?: string;
}

const hex16 = (value: bigint) => `0x${value.toString(16).padStart(16, '0')}`;
const rangeText = (range: IovaRange) => `${hex16(range.start)}-${hex16(range.end)}`;

/** The aperture and how it was chosen, or an error message. */
async function chooseAperture(context: RegionContext, text: string | undefined): Promise<{ aperture: IovaRange; note: string } | string> {
  const { parseAperture, apertureFromBits } = await import('../../regions/index.js');
  if (text !== undefined) {
    const aperture = parseAperture(text);
    return aperture === undefined ? `--aperture takes a width in bits (e.g. 48) or 0xSTART-0xEND, not "${text}"` : { aperture, note: 'given with --aperture' };
  }
  const width = context.tables.dmar?.usableHostAddressWidth;
  if (context.platform === 'intel' && width !== undefined) {
    return { aperture: apertureFromBits(width), note: `${width}-bit from the DMAR host address width; the kernel uses the IOMMU's AGAW from its capability register, give --aperture if they differ` };
  }
  return { aperture: apertureFromBits(48), note: '48-bit assumed: the SMMU input address size is not in the tables, give --aperture' };
}

async function runIova(inputs: string[], options: IovaOptions): Promise<number> {
  const context = await loadRegionContext(inputs, options);
  if (typeof context === 'number') return context;
  const chosen = await chooseAperture(context, options.aperture);
  if (typeof chosen === 'string') return fail(chosen);
  const { vfioUsableIova, iommufdUsableIova, mergeRegions } = await import('../../regions/index.js');
  const { jsonReplacer } = await import('../../bytes/hex.js');
  const { aperture, note } = chosen;
  const results: { label: string; group?: number; devices: string[]; vfio: ReturnType<typeof vfioUsableIova>; iommufd: ReturnType<typeof iommufdUsableIova> }[] = [];
  if (context.analysis === undefined) {
    const regions: RegionDescriptor[] = context.unscoped!;
    const members: DeviceRegions[] = [{ device: 'any', regions, notes: [] }];
    results.push({ label: 'every region of the tables (no --pci: the worst case for a device they all apply to)', devices: [], vfio: vfioUsableIova(aperture, mergeRegions(regions)), iommufd: iommufdUsableIova(aperture, members) });
  } else {
    if (!context.analysis.iommuEnabled) return fail('the IOMMU would not be enabled with these tables: no group, no IOVA list');
    for (const group of context.groups) {
      const members = context.device === undefined ? group.members : group.members.filter((member) => member.device === context.device);
      results.push({ label: `group ${group.group}`, group: group.group, devices: group.devices, vfio: vfioUsableIova(aperture, group.regions), iommufd: iommufdUsableIova(aperture, members) });
    }
  }
  if (options.json === true) {
    const body = { source: context.source, platform: context.platform, aperture, apertureNote: note, groups: results };
    process.stdout.write(`${JSON.stringify(body, jsonReplacer, 2)}\n`);
    return EXIT_OK;
  }
  const lines = [`aperture ${rangeText(aperture)} (${note})`];
  for (const result of results) {
    lines.push(`${result.label}${result.devices.length > 0 ? `: ${result.devices.join(', ')}` : ''}`);
    lines.push(`  VFIO type1 usable IOVA${result.vfio.empty ? ': none (attach fails with -EINVAL)' : ':'}`);
    for (const range of result.vfio.ranges) lines.push(`    ${rangeText(range)}`);
    lines.push(`  MSI: ${result.vfio.msi.hardware ? 'hardware MSI window present (no SW MSI cookie)' : result.vfio.msi.swMsiBase !== undefined ? `SW MSI cookie at ${hex16(result.vfio.msi.swMsiBase)}` : 'no MSI region'}`);
    for (const device of result.iommufd.devices) {
      const same = device.ranges.length === result.vfio.ranges.length && device.ranges.every((range, index) => range.start === result.vfio.ranges[index]!.start && range.end === result.vfio.ranges[index]!.end);
      const refused = device.refused === undefined ? '' : ` — attach refused: ${device.refused}`;
      lines.push(`  iommufd ${device.device}: ${same ? 'same ranges' : device.ranges.map(rangeText).join(' ')}${refused}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

export function register(program: Command): void {
  const command = program
    .command('iova')
    .description('usable IOVA ranges after VFIO type1 / iommufd carve out the reserved regions (all but direct-relaxable)')
    .argument('<input...>', INPUT_ARGUMENT_HELP)
    .option('--aperture <bits|0xSTART-0xEND>', 'IOMMU aperture; default: the DMAR host address width, else 48 bits (noted)')
    .option('--json', 'print JSON; addresses as "0x…" strings');
  addTopologyOptions(command).action(async (inputs: string[], _options: IovaOptions, self: Command) => {
    process.exitCode = await runIova(inputs, self.optsWithGlobals<IovaOptions>());
  });
}
