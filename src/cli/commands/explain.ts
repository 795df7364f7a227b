/**
 * `acpi-iommu explain <tables…> <device>`: for one PCI function (`SSSS:BB:DD.F`, `BB:DD.F`) or
 * IORT named component (`\_SB.ETH0`), the structures that name it, its ID walks, regions and
 * group, whether passthrough is refused and by which releases, and what to do.
 */
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_UNKNOWN, INPUT_ARGUMENT_HELP } from '../shared/conventions.js';
import { writeJson, writeLines } from '../shared/output.js';
import { addTopologyOptions, exitFor, fail, loadRegionContext, regionDocument, type RegionCommandOptions, type RegionContext } from './regions.js';

async function runExplain(args: string[], options: RegionCommandOptions): Promise<number> {
  if (args.length < 2) return fail('explain needs at least one table and a device: explain <table…> <device>');
  const inputs = args.slice(0, -1);
  const deviceText = args[args.length - 1]!;
  const audit = await import('../../audit/index.js');
  const target = audit.parseExplainTarget(deviceText);
  if (target === undefined) return fail(`"${deviceText}" is neither a PCI address (SSSS:BB:DD.F or BB:DD.F) nor an ACPI path (\\_SB.ETH0)`);
  if (options.group !== undefined || options.device !== undefined) return fail('explain takes the device as its last argument, not --group/--device');
  const context = await loadRegionContext(inputs, { ...options, platform: target.kind === 'named-component' ? 'arm' : options.platform });
  if (typeof context === 'number') return context;
  const explanation = audit.explainDevice(context.tables, target, { ...context.options, topology: context.topology, kernel: context.kernel, platform: context.platform });
  if (typeof explanation === 'string') return fail(explanation, EXIT_INPUT);
  if (options.json === true) {
    const { platform, ...body } = audit.explanationJson(explanation);
    await writeJson(await regionDocument('explain', { ...context, platform }, body));
  } else {
    const { describeKernel } = await import('../../regions/kernel-versions.js');
    const kernelLines = context.kernel === undefined ? [] : describeKernel(context.kernel, options.relaxRmrr === true, explanation.platform);
    const [first, ...rest] = audit.explanationLines(explanation, context.source);
    const name = await deviceName(context, target);
    if (name !== undefined) rest.unshift(`device: ${name} (pci.ids)`);
    const { wrapForTerminal } = await import('../shared/style.js');
    await writeLines(wrapForTerminal([first!, ...kernelLines, ...rest]));
  }
  return exitFor(context, VERDICT_EXIT[explanation.verdict.outcome]);
}

/** `Vendor — Device` from the system's pci.ids when the topology gives the IDs; undefined otherwise. */
async function deviceName(context: RegionContext, target: ReturnType<typeof import('../../audit/index.js').parseExplainTarget>): Promise<string | undefined> {
  if (target?.kind !== 'pci' || context.topology === undefined) return undefined;
  const { formatBdf } = await import('../../pci/bdf.js');
  const device = context.topology.devices.find((entry) => formatBdf(entry) === target.bdf);
  if (device === undefined || device.vendor === 0xffff) return undefined;
  const { lookupPciName, readPciIds } = await import('../../node/pci-ids.js');
  const text = await readPciIds();
  const found = text === undefined ? undefined : lookupPciName(text, device.vendor, device.deviceId);
  return found === undefined ? undefined : `${found.vendor}${found.device === undefined ? '' : ` — ${found.device}`}`;
}

/** The exit status is the verdict for the asked kernel (default: current mainline); see EXIT_HELP. */
const VERDICT_EXIT = { allowed: EXIT_OK, refused: EXIT_FINDINGS, 'no-iommu': EXIT_FINDINGS, unknown: EXIT_UNKNOWN } as const;

const EXIT_HELP = `
Exit status (the verdict for --kernel, default current mainline):
  0 allowed   1 refused, or the device has no IOMMU   2 bad input or usage   3 internal error
  4 unknown: the inputs cannot settle it (e.g. no --pci while an RMRR may cover the device); the output says what to give
`;

export function register(program: Command): void {
  const command = program
    .command('explain')
    .description('one device: which structures name it and how, its reserved regions, whether passthrough is refused (by release), and what to do')
    .argument('<input-and-device...>', `${INPUT_ARGUMENT_HELP}; then the device: SSSS:BB:DD.F, BB:DD.F (segment 0), or an IORT named component's ACPI path (\\_SB.ETH0)`)
    .option('--json', 'print JSON; addresses as "0x…" strings')
    .option('--kernel <version>', "that Linux release's rules (e.g. 5.2, 6.1, 6.6.12); default: current mainline")
    .option('--relax-rmrr', 'Intel: a kernel with the out-of-tree intel_iommu=relax_rmrr patch (every RMRR relaxable; 5.3+)')
    .addHelpText('after', EXIT_HELP);
  addTopologyOptions(command).action(async (args: string[], _options: RegionCommandOptions, self: Command) => {
    process.exitCode = await runExplain(args, self.optsWithGlobals<RegionCommandOptions>());
  });
}
