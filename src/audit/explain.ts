/**
 * `explain <device>`: everything the tables (and a topology, when given) say about one device —
 * the structures naming it, its ID walks, its regions and group under a kernel version, the
 * passthrough verdict per release, and what to do. Platform-free; the CLI renders it.
 */
import type { DmarTable } from '../dmar/index.js';
import { findRootComplex, mapId, type IortTable } from '../iort/index.js';
import type { IvrsTable } from '../ivrs/index.js';
import type { MadtTable } from '../madt/index.js';
import { dmaAliases } from '../pci/aliases.js';
import { buildTopology, TopologyIndex } from '../pci/topology.js';
import type { PciDevice, PciTopology } from '../pci/model.js';
import { analyzeRegions, platformOf } from '../analyze.js';
import type { Platform } from '../regions/provider.js';
import { armDeviceRegions, pciStreams, type StreamInfo } from '../iort/regions/arm.js';
import type { DeviceRegions, RegionAnalysis } from '../regions/analysis.js';
import { CURRENT_KERNEL, kernelBehaviour, type KernelBehaviour } from '../regions/kernel-versions.js';
import { mergeGroupRegions } from '../regions/merge.js';
import { formatSysfs } from '../regions/sysfs.js';
import type { RegionFinding } from '../regions/codes.js';
import { chainOf, findNamedComponentLoose, msiChain, namedComponentNames, namedComponentStreams, rmrStructures } from './explain-arm.js';
import { amdStructures } from './explain-amd.js';
import { describePciDevice, intelStructures, rmrrScopeTargets } from './explain-intel.js';
import type { ExplainTarget, Explanation, IdChain, NamingStructure } from './explain-model.js';
import { adviceFor, releaseVerdicts, verdictFor, type MembersUnder } from './explain-verdict.js';
import { unsettledInTopology, unsettledWithoutTopology } from './explain-unsettled.js';
import { unsettledAmdWithoutTopology, unsettledArmWithoutTopology } from './explain-mates.js';
import { hex } from '../bytes/hex.js';
import { classUnsettledRmrr, groupDoubts } from './explain-doubts.js';

export interface ExplainTables {
  dmar?: DmarTable | undefined;
  iort?: IortTable | undefined;
  madt?: MadtTable | undefined;
  ivrs?: IvrsTable | undefined;
}

export interface ExplainOptions {
  topology?: PciTopology | undefined;
  /** Default: current mainline. */
  kernel?: KernelBehaviour | undefined;
  preserveBootConfig?: boolean | undefined;
  pageSize?: number | undefined;
  platform?: Platform | undefined;
}

const UNKNOWN_CLASS = 0x000000;
const classUnknownReason = (topologyGiven: boolean) =>
  `relaxable: unknown (class unknown ${topologyGiven ? 'in the topology given' : 'without --pci'}): modelled as direct; direct-relaxable instead if the device is USB (0x0c03xx) or display (0x03xxxx)`;

/** Without a topology: the device alone on its bus (a root bus), class unknown — a bridge if a one-element BRIDGE scope names it. */
function lonelyTopology(target: Extract<ExplainTarget, { kind: 'pci' }>, dmar: DmarTable | undefined, platform: Platform): { topology: PciTopology; assumptions: string[] } {
  const { address } = target;
  const namedAsBridge = dmar !== undefined && [...dmar.structures()].some((structure) =>
    'deviceScopes' in structure && structure.segmentNumber === address.segment &&
    [...structure.deviceScopes()].some((scope) => scope.kind === 'bridge' && scope.startBusNumber === address.bus && scope.path.length === 1 && scope.path[0]!.device === address.device && scope.path[0]!.function === address.function));
  const classCode = namedAsBridge ? 0x060400 : UNKNOWN_CLASS;
  const device: PciDevice = { ...address, classCode, vendor: 0xffff, deviceId: 0xffff };
  const intel = platform === 'intel';
  const assumptions = [
    intel
      ? `no PCI topology (--pci): ${target.bdf} is taken as the only device, on root bus ${hex(address.bus, 2)} with no bridge above it; only one-element scope paths can be resolved`
      : `no PCI topology (--pci): ${target.bdf} is taken as the only device, on root bus ${hex(address.bus, 2)} with no bridge above it, so its only DMA alias is its own requester ID`,
    ...(!intel ? [] : [namedAsBridge ? 'class unknown: taken as a PCI bridge (0x060400) because a BRIDGE scope names it' : 'class unknown: the relaxable rule (USB 0x0c03xx, display 0x03xxxx) and the ISA-bridge region cannot be applied; RMRRs are shown as direct']),
    'IOMMU group: the device alone (real groups depend on ACS and bridges)',
  ];
  return { topology: buildTopology([device], new Map([[0, [target.bdf]]])), assumptions };
}

/** The device's group; none when the IOMMU is off (analyzeRegions then has no groups). */
function groupOf(analysis: RegionAnalysis, bdf: string): { members: DeviceRegions[]; number: number } | undefined {
  const group = analysis.groups.find((entry) => entry.devices.includes(bdf));
  if (group === undefined || !group.members.some((member) => member.device === bdf)) return undefined;
  return { members: group.members, number: group.group };
}

function explainPci(tables: ExplainTables, target: Extract<ExplainTarget, { kind: 'pci' }>, options: ExplainOptions, kernel: KernelBehaviour): Explanation | string {
  const platform = platformOf(tables, options.platform);
  if (platform === undefined) return 'no DMAR, IORT or IVRS table given';
  const lonely = options.topology === undefined ? lonelyTopology(target, tables.dmar, platform) : undefined;
  const topology = options.topology ?? lonely!.topology;
  const index = new TopologyIndex(topology);
  const device = index.get(target.bdf);
  if (device === undefined) return `${target.bdf} is not in the PCI topology`;
  const armOptions = { preserveBootConfig: options.preserveBootConfig, pageSize: options.pageSize };
  // Without a topology, or from one that gives no class (lspci -t).
  const isClassUnknown = (item: PciDevice) => platform === 'intel' && item.classCode === UNKNOWN_CLASS && (lonely !== undefined || item.classUnknown === true);
  const classUnknown = isClassUnknown(device);
  const derived = new Map<KernelBehaviour, RegionAnalysis>();
  const derive = (asked: KernelBehaviour) => {
    const known = derived.get(asked);
    if (known !== undefined) return known;
    const result = analyzeRegions(tables, topology, platform, { ...armOptions, kernel: asked });
    // Every list the verdict and the advice read must say the same thing about an unknown class.
    for (const entry of result.devices) {
      const listed = index.get(entry.device);
      if (listed === undefined || !isClassUnknown(listed)) continue;
      for (const region of entry.regions) if (classUnsettledRmrr(region)) region.reason = classUnknownReason(lonely === undefined);
    }
    derived.set(asked, result);
    return result;
  };
  const analysis = derive(kernel);
  const entry = analysis.iommuEnabled ? analysis.devices.find((item) => item.device === target.bdf) : undefined;
  const structures: NamingStructure[] = [];
  const chains: IdChain[] = [];
  if (platform === 'intel') {
    structures.push(...intelStructures(tables.dmar!, index, device, kernel, lonely === undefined));
  } else if (platform === 'amd') {
    structures.push(...amdStructures(tables.ivrs!, device, kernel));
  } else {
    const iort = tables.iort!;
    const rc = findRootComplex(iort, device.segment);
    if (rc !== undefined) structures.push({ table: 'IORT', structure: 'root complex', offset: rc.offset, how: `PCI segment ${hex(device.segment, 4)}: the walk starts here with each DMA alias`, steps: [], certainty: 'certain' });
    if (rc !== undefined) {
      for (const alias of dmaAliases(index, device).aliases) chains.push(chainOf(iort, mapId(iort, rc.offset, alias.rid), `RID ${hex(alias.rid)} (${alias.reason}${alias.via === target.bdf ? '' : ` via ${alias.via}`})`, 'StreamID'));
    }
    const streams = pciStreams(iort, index, device);
    if (!('code' in streams)) {
      const msi = msiChain(iort, streams);
      if (msi !== undefined) chains.push(msi);
      structures.push(...rmrStructures(iort, streams, true, options.preserveBootConfig ?? true, kernel));
    }
  }
  const membersUnder: MembersUnder = (asked) => {
    const result = derive(asked);
    return groupOf(result, target.bdf)?.members;
  };
  const group = groupOf(analysis, target.bdf);
  const regions = entry?.regions ?? [];
  if (classUnknown) {
    const unknown = `[${device.classCode.toString(16).padStart(6, '0')}]`;
    for (const structure of structures) structure.steps = structure.steps.map((step) => step.replace(unknown, '[class unknown]'));
  }
  const findings = analysis.findings.filter((item) => item.device === target.bdf || (item.device === undefined && item.severity === 'error'));
  const relaxRmrr = options.kernel?.relaxRmrr === true;
  const current = kernelBehaviour(undefined, { relaxRmrr });
  const unsettled = lonely === undefined
    ? unsettledInTopology(topology, device, classUnknown && !relaxRmrr ? regions : [])
    : platform === 'intel' ? unsettledWithoutTopology(tables.dmar!, device, structures, classUnknown && !relaxRmrr ? regions : [])
    : platform === 'amd' ? unsettledAmdWithoutTopology(tables.ivrs!, device)
    : unsettledArmWithoutTopology(tables.iort!, device, options.preserveBootConfig ?? true);
  const doubts = lonely === undefined && unsettled === undefined
    ? groupDoubts({ topology, index, device, devicesUnder: (asked) => derive(asked).devices, members: membersUnder(current) ?? [], current, isClassUnknown })
    : undefined;
  const verdicts = releaseVerdicts(platform, relaxRmrr, membersUnder, unsettled, doubts);
  const verdict = verdictFor(platform, group?.members, kernel, kernel.label, unsettled, doubts);
  const open = unsettled ?? (doubts !== undefined && [...verdicts, verdict].some((item) => item.outcome === 'unknown')
    ? { reasons: doubts.reasons, classDecides: doubts.classUnknown.size > 0, missing: doubts.missing }
    : undefined);
  const guessedGroup = lonely === undefined && topology.groupsGuessed
    ? [`IOMMU group guessed: the topology gives no groups, so ${target.bdf} is not grouped with its slot's other functions or the devices behind a PCIe-to-PCI bridge, as Linux may do; capture the real groups with --pci /sys on the machine (it reads /sys/kernel/iommu_groups) or an acpi-iommu collect archive`]
    : [];
  const explanation: Explanation = {
    target,
    title: lonely === undefined ? describePciDevice(device) : `${target.bdf} (class unknown)`,
    platform,
    kernel,
    topologyGiven: lonely === undefined,
    assumptions: lonely === undefined ? [...analysis.assumptions, ...topology.notes, ...guessedGroup] : [...lonely.assumptions, ...analysis.assumptions.filter((text) => !text.startsWith('header types derived'))],
    notes: [],
    upstream: index.ancestors(device).reverse().map(describePciDevice),
    structures,
    chains,
    hasIommu: entry !== undefined,
    regions,
    passthrough: verdicts,
    verdict,
    ...(open === undefined ? {} : { unsettled: open }),
    advice: adviceFor({
      platform, device: target.bdf, classCode: classUnknown ? undefined : device.classCode, hasIommu: entry !== undefined, unsettled: open,
      members: membersUnder(current) ?? [], verdicts, rmrrTargets: tables.dmar === undefined ? [] : rmrrScopeTargets(tables.dmar),
      oemId: tables.dmar?.header?.oemId, isNamedComponent: false, relaxRmrr,
    }),
    findings,
  };
  if (group !== undefined) {
    const merged = analysis.groups.find((item) => item.group === group.number)!;
    explanation.group = { number: group.number, guessed: analysis.groupsGuessed, members: merged.devices, regions: merged.regions, sysfs: formatSysfs(merged.regions) };
  }
  return explanation;
}

function explainNamedComponent(tables: ExplainTables, target: Extract<ExplainTarget, { kind: 'named-component' }>, options: ExplainOptions, kernel: KernelBehaviour): Explanation | string {
  const iort = tables.iort;
  if (iort === undefined) return `${target.path} is an ACPI path: named components need an IORT`;
  const node = findNamedComponentLoose(iort, target.path);
  if (node === undefined) {
    const names = namedComponentNames(iort);
    return `no IORT named component ${target.path}${names.length === 0 ? ' (the IORT has none)' : `; the IORT has ${names.slice(0, 24).join(', ')}${names.length > 24 ? ', …' : ''}`}`;
  }
  const { chains, streams, notes } = namedComponentStreams(iort, node);
  const name = node.deviceName;
  const regionsUnder = (asked: KernelBehaviour, findings: RegionFinding[]) =>
    streams === undefined ? [] : armDeviceRegions(iort, tables.madt, streams as StreamInfo, { bdf: name, isPci: false }, { preserveBootConfig: true, pageSize: options.pageSize ?? 4096, kernel: asked }, findings);
  const findings: RegionFinding[] = [];
  const regions = regionsUnder(kernel, findings);
  const membersUnder: MembersUnder = (asked) => (streams === undefined ? undefined : [{ device: name, regions: regionsUnder(asked, []), notes: [] }]);
  if (streams !== undefined) chains.push(...[msiChain(iort, streams)].filter((chain) => chain !== undefined));
  const structures: NamingStructure[] = [
    { table: 'IORT', structure: 'named component', offset: node.offset, how: `its device name ${name} is the device's full ACPI path (compared as a whole, as Linux does)`, steps: [], certainty: 'certain' },
    ...(streams === undefined ? [] : rmrStructures(iort, streams, false, true, kernel)),
  ];
  const relaxRmrr = kernel.relaxRmrr;
  const verdicts = releaseVerdicts('arm', relaxRmrr, membersUnder);
  const explanation: Explanation = {
    target,
    title: `${name} (IORT named component @${hex(node.offset)})`,
    platform: 'arm',
    kernel,
    topologyGiven: false,
    assumptions: ['a platform device gets an IOMMU group of its own'],
    notes,
    upstream: [],
    structures,
    chains,
    hasIommu: streams !== undefined,
    regions,
    passthrough: verdicts,
    verdict: verdictFor('arm', membersUnder(kernel), kernel, kernel.label),
    advice: adviceFor({ platform: 'arm', device: name, classCode: undefined, hasIommu: streams !== undefined, members: membersUnder(kernelBehaviour()) ?? [], verdicts, rmrrTargets: [], oemId: undefined, isNamedComponent: true, relaxRmrr }),
    findings,
  };
  if (streams !== undefined) {
    const merged = mergeGroupRegions([{ device: name, regions }], { adjacent: kernel.adjacentMerge });
    explanation.group = { guessed: true, members: [name], regions: merged, sysfs: formatSysfs(merged) };
  }
  return explanation;
}

/** The explanation, or a message saying why there is none (unknown device, missing table). */
export function explainDevice(tables: ExplainTables, target: ExplainTarget, options: ExplainOptions = {}): Explanation | string {
  const kernel = options.kernel ?? CURRENT_KERNEL;
  return target.kind === 'pci' ? explainPci(tables, target, options, kernel) : explainNamedComponent(tables, target, options, kernel);
}
