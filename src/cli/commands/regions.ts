/**
 * `acpi-iommu regions`: IOMMU reserved regions per group as Linux prints them in
 * /sys/kernel/iommu_groups/N/reserved_regions. Also the shared loading step of `iova` and
 * `conflicts` (tables + topology → analysis). Heavy modules load inside the actions.
 */
import type { Command } from 'commander';
import { formatBdf, normaliseBdf } from '../../pci/bdf.js';
import type { InputFailure } from '../../node/index.js';
import type { PciTopology } from '../../pci/model.js';
import type { AnalyzeOptions, RegionTables } from '../../analyze.js';
import type { GroupRegions, KernelBehaviour, Platform, RegionAnalysis, RegionDescriptor, RegionProvider } from '../../regions/index.js';
import { PLATFORMS } from '../../regions/provider.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, INPUT_ARGUMENT_HELP, type OutputOptions } from '../shared/conventions.js';
import { writeJson, writeLines, writeText } from '../shared/output.js';

export interface RegionCommandOptions extends OutputOptions {
  pci?: string;
  device?: string;
  group?: string;
  sysfs?: boolean;
  preserveBootConfig?: string;
  pageSize?: string;
  platform?: string;
  /** `regions --kernel <version>` / `--relax-rmrr` (kernel-versions.ts). */
  kernel?: string;
  relaxRmrr?: boolean;
}

export interface RegionContext {
  /** The DMAR, IORT or IVRS input the regions come from. */
  source: string;
  platform: Platform;
  /** The region provider of that table. */
  provider: RegionProvider;
  tables: RegionTables;
  options: AnalyzeOptions;
  topology?: PciTopology;
  /** With a topology. */
  analysis?: RegionAnalysis;
  /** Without a topology: every region with its provenance. */
  unscoped?: RegionDescriptor[];
  /** Selected by --group / --device (all groups otherwise); only with a topology. */
  groups: readonly GroupRegions[];
  /** The normalised --device BDF. */
  device?: string;
  /** Set when --kernel or --relax-rmrr asked for a particular kernel's rules. */
  kernel?: KernelBehaviour;
  /** Inputs that could not be read (already printed on stderr; listed again in JSON). */
  failures: InputFailure[];
  /** The topology's path: --pci, or the archive given as the only input. */
  topologyPath?: string;
}

/** `acpi-iommu: <message>` on stderr; returns the exit code to use. */
export function fail(message: string, code = EXIT_INPUT): number {
  process.stderr.write(`acpi-iommu: ${message}\n`);
  return code;
}

/** `acpi-iommu: warning: <message>` on stderr; the command goes on. */
export function warn(message: string): void {
  process.stderr.write(`acpi-iommu: warning: ${message}\n`);
}

/** Said wherever kernel text is printed from groups the topology did not give. */
export const GUESSED_GROUPS_WARNING =
  'the topology has no IOMMU groups, so each device is put alone in a group: Linux may group devices together (ACS, bridges) and print different files. ' +
  'Capture the real groups with --pci /sys on the machine (it reads /sys/kernel/iommu_groups), or add "groups" to the JSON topology';

/** Options shared by regions, iova and conflicts. */
export function addTopologyOptions(command: Command): Command {
  return command
    .option('--pci <path>', 'PCI topology: a sysfs root (/sys) or its bus/pci/devices directory, or a JSON file')
    .option('--group <n>', 'only this IOMMU group (needs --pci)')
    .option('--device <bdf>', 'only the group of this PCI function, SSSS:BB:DD.F (needs --pci)')
    .option('--platform <intel|arm|amd>', 'which tables to use when more than one of DMAR, IORT and IVRS is given')
    .option('--preserve-boot-config <yes|no>', 'Arm: the host bridge _DSM #5 answer (RMRs reach PCI devices only with yes); default yes, reported as assumed')
    .option('--page-size <bytes>', 'Arm: kernel page size for rounding RMR descriptors; default 4096');
}

function parseAnalyzeOptions(options: RegionCommandOptions): AnalyzeOptions | string {
  const result: AnalyzeOptions = {};
  if (options.preserveBootConfig !== undefined) {
    const value = options.preserveBootConfig.toLowerCase();
    if (!['yes', 'no', 'true', 'false', '1', '0'].includes(value)) return `--preserve-boot-config takes yes or no, not "${options.preserveBootConfig}"`;
    result.preserveBootConfig = ['yes', 'true', '1'].includes(value);
  }
  if (options.pageSize !== undefined) {
    const size = Number(options.pageSize);
    if (!Number.isInteger(size) || size < 4096 || (size & (size - 1)) !== 0) return `--page-size takes a power of two ≥ 4096, not "${options.pageSize}"`;
    result.pageSize = size;
  }
  return result;
}

/** `--kernel <version>` / `--relax-rmrr` → that kernel's rules; undefined when neither is given; a string is the usage error. */
export async function kernelFromOptions(options: { kernel?: string; relaxRmrr?: boolean }): Promise<KernelBehaviour | undefined | string> {
  if (options.kernel === undefined && options.relaxRmrr !== true) return undefined;
  const { parseKernelVersion, kernelBehaviour } = await import('../../regions/kernel-versions.js');
  const version = options.kernel === undefined ? undefined : parseKernelVersion(options.kernel);
  if (options.kernel !== undefined && version === undefined) return `--kernel takes a Linux version like 5.2, 6.1 or 6.6.12, not "${options.kernel}"`;
  return kernelBehaviour(version, { relaxRmrr: options.relaxRmrr === true });
}

/** Loads the tables and the topology, runs the derivation, applies --group/--device. A number is an exit code (message printed). */
export async function loadRegionContext(inputs: readonly string[], options: RegionCommandOptions): Promise<RegionContext | number> {
  const analyzeOptions = parseAnalyzeOptions(options);
  if (typeof analyzeOptions === 'string') return fail(analyzeOptions);
  if (options.platform !== undefined && !(PLATFORMS as readonly string[]).includes(options.platform)) return fail(`--platform takes intel, arm or amd, not "${options.platform}"`);
  const [{ loadAndReport, onlyTables, archiveTopologyOf }, regions, { analyzeWith }] = await Promise.all([import('../shared/tables.js'), import('../../analyze.js'), import('../../regions/analysis.js')]);
  // A collect archive given alone carries its own topology.
  if (options.pci === undefined) options = { ...options, pci: await archiveTopologyOf(inputs) };
  const loaded = await loadAndReport(inputs, options.verbose);
  const picked = onlyTables(loaded.parsed, ['DMAR', 'IORT', 'APIC', 'IVRS']);
  if ('refusal' in picked) return fail(picked.refusal);
  const { DMAR: dmar, IORT: iort, APIC: apic, IVRS: ivrs } = picked.tables;
  const tables: RegionTables = {
    dmar: dmar?.table as RegionTables['dmar'],
    iort: iort?.table as RegionTables['iort'],
    madt: apic?.table as RegionTables['madt'],
    ivrs: ivrs?.table as RegionTables['ivrs'],
  };
  const kernel = await kernelFromOptions(options);
  if (typeof kernel === 'string') return fail(kernel);
  if (kernel !== undefined) analyzeOptions.kernel = kernel;
  const provider = regions.regionProvider(tables, options.platform as Platform | undefined, analyzeOptions);
  if (provider === undefined) return fail(`no DMAR, IORT or IVRS table in ${inputs.join(', ')}`);
  const context: RegionContext = { source: picked.tables[provider.table]!.source, platform: provider.platform, provider, tables, options: analyzeOptions, groups: [], failures: loaded.failures };
  if (kernel !== undefined) context.kernel = kernel;
  if (options.device !== undefined) {
    const device = normaliseBdf(options.device);
    if (device === undefined) return fail(`--device takes a PCI address like 0000:00:14.0, not "${options.device}"`);
    context.device = device;
  }
  if (options.pci === undefined) {
    if (options.group !== undefined || options.device !== undefined) return fail('--group and --device need a PCI topology (--pci)');
    context.unscoped = provider.unscopedRegions();
    return context;
  }
  try {
    const { readPciTopology } = await import('../../node/pci-json.js');
    context.topology = await readPciTopology(options.pci);
    context.topologyPath = options.pci;
  } catch (error) {
    return fail(`--pci ${options.pci}: ${error instanceof Error ? error.message : String(error)}`);
  }
  context.analysis = analyzeWith(provider, context.topology);
  return selectGroups(context, options.group);
}

function selectGroups(context: RegionContext, groupOption: string | undefined): RegionContext | number {
  const groups = context.analysis!.groups;
  if (groupOption !== undefined) {
    const number = Number(groupOption);
    const group = /^\d+$/.test(groupOption) ? groups.find((entry) => entry.group === number) : undefined;
    if (group === undefined) {
      if (!context.analysis!.iommuEnabled) return { ...context, groups: [] };
      return fail(`group ${groupOption} does not exist (groups: ${groups.map((entry) => entry.group).join(', ') || 'none'})`);
    }
    context.groups = [group];
  } else if (context.device !== undefined) {
    const group = groups.find((entry) => entry.devices.includes(context.device!));
    if (group === undefined && context.analysis!.iommuEnabled) return fail(`${context.device} is in no IOMMU group${context.topology?.devices.some((device) => context.device === formatBdf(device)) ? '' : ' (not in the topology)'}`);
    context.groups = group === undefined ? [] : [group];
  } else {
    context.groups = groups;
  }
  return context;
}

/** An unreadable input makes the run exit 2 even when the rest gave an answer (it may have changed it). */
export function exitFor(context: RegionContext, code: number): number {
  return context.failures.length > 0 ? EXIT_INPUT : code;
}

/** Why no group exists: the IOMMU-off findings, one per line. */
export function iommuOffReason(analysis: RegionAnalysis): string {
  const reasons = analysis.findings.filter((item) => item.severity === 'error').map((item) => item.message);
  return `the IOMMU would not be enabled with these tables, so no group has reserved_regions:\n  ${reasons.join('\n  ')}`;
}

/**
 * The JSON document of regions, iova, conflicts and explain: the shared head (schemaVersion,
 * command, source, platform, topology, unreadable inputs) and the command's body.
 */
export async function regionDocument<T extends object>(command: string, context: RegionContext, body: T) {
  const { documentOf, failuresJson } = await import('../shared/document.js');
  return documentOf(command, { source: context.source, platform: context.platform, topology: context.topologyPath ?? null, ...body, failures: failuresJson(context.failures) });
}

function tableLabel(context: RegionContext): string {
  if (context.platform === 'intel') return `DMAR ${context.source}: Intel VT-d`;
  if (context.platform === 'amd') return `IVRS ${context.source}: AMD-Vi`;
  return `IORT ${context.source}: Arm SMMU${context.tables.madt === undefined ? ' (no MADT: no ITS doorbells)' : ''}`;
}

/** Each group's reserved_regions lines, under a `# group N` header when there are several. */
function* sysfsPieces(groups: readonly GroupRegions[], line: (region: RegionDescriptor) => string): Generator<string> {
  for (const group of groups) {
    if (groups.length > 1) yield `# group ${group.group}\n`;
    for (const region of group.regions) yield line(region);
  }
}

async function runRegions(inputs: string[], options: RegionCommandOptions): Promise<number> {
  const context = await loadRegionContext(inputs, options);
  if (typeof context === 'number') return context;
  const render = await import('../../regions/index.js');
  const analysis = context.analysis;
  const kernel = context.kernel;
  if (options.sysfs === true) {
    if (analysis === undefined) return fail('--sysfs needs a PCI topology (--pci)');
    if (kernel !== undefined && !kernel.reservedRegionsFile) return fail(`${kernel.label} has no reserved_regions file (it appeared in v4.11)`, EXIT_FINDINGS);
    if (!analysis.iommuEnabled) return fail(iommuOffReason(analysis), EXIT_FINDINGS);
    if (analysis.groupsGuessed) warn(GUESSED_GROUPS_WARNING);
    await writeText(sysfsPieces(context.groups, render.formatSysfsLine));
    return exitFor(context, EXIT_OK);
  }
  if (options.json === true) {
    const kernelJson = kernel === undefined ? {} : { kernel: { label: kernel.label, version: kernel.version?.text ?? null, relaxRmrr: kernel.relaxRmrr, reservedRegionsFile: kernel.reservedRegionsFile, notes: render.describeKernel(kernel, options.relaxRmrr === true, context.platform) } };
    const body =
      analysis === undefined
        ? { ...kernelJson, regions: context.unscoped!.map(render.regionJson) }
        : {
            ...kernelJson,
            iommuEnabled: analysis.iommuEnabled,
            groupsGuessed: analysis.groupsGuessed,
            assumptions: analysis.assumptions,
            diagnostics: analysis.findings,
            groups: context.groups.map((group) => render.groupJson(group, render.formatSysfs(group.regions), kernel)),
            devices: analysis.devices.filter((entry) => context.device === undefined || entry.device === context.device).map(render.deviceJson),
          };
    await writeJson(await regionDocument('regions', context, body));
    return exitFor(context, EXIT_OK);
  }
  const lines = [tableLabel(context)];
  if (kernel !== undefined) {
    lines.push(...render.describeKernel(kernel, options.relaxRmrr === true, context.platform));
    if (!kernel.reservedRegionsFile) lines.push(`note: ${kernel.label} has no reserved_regions file (it appeared in v4.11); the lists below are what the driver would report from v4.11`);
  }
  if (analysis === undefined) {
    lines.push('no PCI topology (--pci): every region the tables produce, with the scope that claims it');
    for (const region of context.unscoped!) lines.push(`  ${render.regionLine(region)}`);
  } else {
    const topology = context.topology!;
    lines.push(`topology ${options.pci}: ${topology.devices.length} PCI functions, groups ${render.groupsOrigin(analysis)}`);
    lines.push(...render.renderFindings(analysis), ...topology.notes.map((note) => `note: ${note}`));
    if (!analysis.iommuEnabled) lines.push('no IOMMU groups: the IOMMU would not be enabled (see the errors above)');
    const describe = (bdf: string) => {
      const device = topology.devices.find((entry) => formatBdf(entry) === bdf);
      return device === undefined ? bdf : `${bdf} [${device.classCode.toString(16).padStart(6, '0')}]`;
    };
    for (const group of context.groups) lines.push(...render.renderGroup(group, describe, kernel));
    const own = context.device === undefined ? undefined : analysis.devices.find((entry) => entry.device === context.device);
    if (own !== undefined) lines.push(...render.renderDevice(own));
  }
  await writeLines(lines);
  return exitFor(context, EXIT_OK);
}

export function register(program: Command): void {
  const command = program
    .command('regions')
    .description('IOMMU reserved regions per group, exactly as Linux prints /sys/kernel/iommu_groups/N/reserved_regions')
    .argument('<input...>', `${INPUT_ARGUMENT_HELP}; a DMAR, an IORT (+ the APIC of the same set), or an IVRS`)
    .option('--sysfs', "print only the kernel's reserved_regions text (with --group: that group's file, byte for byte)")
    .option('--json', 'print JSON with provenance; addresses as "0x…" strings')
    .option('--kernel <version>', "that Linux release's rules where they changed (e.g. 5.2, 6.1, 6.6.12); default: current mainline")
    .option('--relax-rmrr', 'Intel: a kernel with the out-of-tree intel_iommu=relax_rmrr patch (every RMRR relaxable; 5.3+)');
  addTopologyOptions(command).action(async (inputs: string[], _options: RegionCommandOptions, self: Command) => {
    process.exitCode = await runRegions(inputs, self.optsWithGlobals<RegionCommandOptions>());
  });
}
