/**
 * `acpi-iommu conflicts`: a guest RAM layout (IOVA = GPA without a vIOMMU) against every
 * device's reserved regions; any overlap with a region VFIO carves out makes
 * VFIO_IOMMU_MAP_DMA fail with -EINVAL (docs/kernel-semantics.md §5.3).
 */
import type { Command } from 'commander';
import type { IovaRange, RegionOwner } from '../../regions/index.js';
import { EXIT_FINDINGS, EXIT_OK, INPUT_ARGUMENT_HELP } from '../shared/conventions.js';
import { writeJson, writeLines } from '../shared/output.js';
import { addTopologyOptions, exitFor, fail, loadRegionContext, regionDocument, type RegionCommandOptions } from './regions.js';
import { hex } from '../../bytes/hex.js';

interface ConflictOptions extends RegionCommandOptions {
  guestRam?: string;
}

const rangeText = (range: IovaRange) => `${hex(range.start, 16)}-${hex(range.end, 16)}`;

/** `0x0-0x7fffffff,…` or a JSON file of ranges. */
export async function readGuestRam(value: string): Promise<IovaRange[] | string> {
  const { parseRangeList, rangesFromJson } = await import('../../regions/index.js');
  const { stat } = await import('node:fs/promises');
  const { readTextCapped } = await import('../../node/read-capped.js');
  try {
    const isFile = await stat(value).then((info) => info.isFile(), () => false);
    if (isFile) return rangesFromJson(JSON.parse(await readTextCapped(value)));
    const ranges = parseRangeList(value);
    return ranges.length > 0 ? ranges : 'no range given';
  } catch (error) {
    return `--guest-ram ${value}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function runConflicts(inputs: string[], options: ConflictOptions): Promise<number> {
  if (options.guestRam === undefined) return fail('conflicts needs --guest-ram');
  const ram = await readGuestRam(options.guestRam);
  if (typeof ram === 'string') return fail(ram);
  const context = await loadRegionContext(inputs, options);
  if (typeof context === 'number') return context;
  const { findConflicts, explainRegion, sysfsTypeName } = await import('../../regions/index.js');
  let owners: RegionOwner[];
  if (context.analysis === undefined) {
    owners = [{ regions: context.unscoped! }];
  } else {
    owners = context.groups.flatMap((group) =>
      group.members.filter((member) => context.device === undefined || member.device === context.device).map((member) => ({ device: member.device, group: group.group, regions: member.regions })),
    );
  }
  const conflicts = findConflicts(ram, owners);
  const blocking = conflicts.filter((conflict) => conflict.blocking);
  if (options.json === true) {
    await writeJson(await regionDocument('conflicts', context, { guestRam: ram, conflicts, blocking: blocking.length }));
    return exitFor(context, blocking.length > 0 ? EXIT_FINDINGS : EXIT_OK);
  }
  const lines = [`guest RAM ${ram.map(rangeText).join(', ')} against ${context.analysis === undefined ? 'every region of the tables (no --pci)' : `${owners.length} device(s)`}`];
  if (conflicts.length === 0) lines.push('no overlap: every RAM range can be mapped 1:1');
  for (const conflict of conflicts) {
    const who = [conflict.device, conflict.group === undefined ? undefined : `group ${conflict.group}`].filter((part) => part !== undefined).join(', ');
    const effect = conflict.blocking ? 'VFIO_IOMMU_MAP_DMA fails (-EINVAL)' : 'relaxable: not carved out by VFIO/iommufd';
    lines.push(`${rangeText(conflict.overlap)} RAM ${rangeText(conflict.ram)} ∩ ${sysfsTypeName(conflict.region.type)} ${rangeText(conflict.region)}${who === '' ? '' : ` (${who})`}: ${effect} — ${explainRegion(conflict.region)}`);
  }
  await writeLines(lines);
  return exitFor(context, blocking.length > 0 ? EXIT_FINDINGS : EXIT_OK);
}

export function register(program: Command): void {
  const command = program
    .command('conflicts')
    .description('guest RAM ranges that overlap reserved regions (exit 1 when one would make VFIO DMA mapping fail)')
    .argument('<input...>', INPUT_ARGUMENT_HELP)
    .option('--guest-ram <ranges|file.json>', 'guest RAM as 0x0-0x7fffffff,0x100000000-0x27fffffff or a JSON file of {start, end|size}')
    .option('--json', 'print JSON; addresses as "0x…" strings');
  addTopologyOptions(command).action(async (inputs: string[], _options: ConflictOptions, self: Command) => {
    process.exitCode = await runConflicts(inputs, self.optsWithGlobals<ConflictOptions>());
  });
}
