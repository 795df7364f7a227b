/**
 * Passthrough per kernel release (the version table decides the rule; docs/kernel-semantics.md §3.4,
 * §5.1) and what a user can do about a refusal (§8.1, §8.2, §4.3).
 */
import type { DeviceRegions } from '../regions/analysis.js';
import { kernelBehaviour, RELAX_RMRR_PATCH, type KernelBehaviour } from '../regions/kernel-versions.js';
import { evaluatePassthrough, RMRR_LOCKED_MESSAGE, V66_MESSAGE } from '../regions/passthrough.js';
import type { Platform } from '../regions/provider.js';
import type { RegionDescriptor } from '../regions/types.js';
import type { ReleaseVerdict, Unsettled } from './explain-model.js';
import { hex } from '../bytes/hex.js';
import { relaxedMembers, type GroupDoubts } from './explain-doubts.js';

/** A release range and the version whose rules stand for it. */
interface Probe {
  from?: string;
  to?: string;
  version: string | undefined;
}

const INTEL_PROBES: readonly Probe[] = [
  { to: 'v3.16', version: '3.16' },
  { from: 'v3.17', to: 'v5.2', version: '5.2' },
  { from: 'v5.3', to: 'v6.5', version: '6.5' },
  { from: 'v6.6', version: undefined },
];
/** Arm and AMD: only v6.6's require_direct refuses. */
const ARM_PROBES: readonly Probe[] = [
  { to: 'v6.5', version: '6.5' },
  { from: 'v6.6', version: undefined },
];

function releasesText(from: string | undefined, to: string | undefined): string {
  if (from === undefined) return to === undefined ? 'every release' : `up to ${to}`;
  return to === undefined ? `${from} and later` : `${from}–${to}`;
}

/** The group's members (each device's own list) under one kernel's rules; undefined: no IOMMU. */
export type MembersUnder = (kernel: KernelBehaviour) => DeviceRegions[] | undefined;

/**
 * `unsettled`: open questions; they make the verdict `unknown` wherever the kernel checks regions
 * at attach (the RMRR lock is Intel's alone; require_direct is every platform's).
 */
export function verdictFor(platform: Platform, members: DeviceRegions[] | undefined, kernel: KernelBehaviour, releases: string, unsettled?: Unsettled, doubts?: GroupDoubts): ReleaseVerdict {
  if (members === undefined) return { releases, outcome: 'no-iommu', refused: false, detail: 'no IOMMU for the device with these tables: nothing to assign through VFIO' };
  const checks = (platform === 'intel' && kernel.rmrrLocked) || kernel.requireDirect;
  if (!checks) return { releases, outcome: 'allowed', refused: false, detail: 'allowed: no reserved-region check at attach in these releases' };
  const verdict = evaluatePassthrough(members, kernel);
  // Regions the topology may add can only add refusals; a class that may be relaxable can lift one.
  const certainRefusal = verdict.kernel?.refused === true && unsettled?.classDecides !== true;
  if (unsettled !== undefined && !certainRefusal) return { releases, outcome: 'unknown', refused: false, detail: `unknown: ${unsettled.reasons.join('; ')}` };
  if (unsettled === undefined && doubts !== undefined) {
    // Refused even at best (unknown classes relaxable) is certain; allowed even at worst (guessed mates in the group) too.
    const best = evaluatePassthrough(relaxedMembers(members, doubts.classUnknown), kernel).kernel?.refused === true;
    const worst = evaluatePassthrough([...members, ...(doubts.mates(kernel) ?? [])], kernel).kernel?.refused === true;
    if (!best && worst) return { releases, outcome: 'unknown', refused: false, detail: `unknown: ${doubts.reasons.join('; ')}` };
  }
  if (verdict.kernel?.rule === 'require-direct') {
    const devices = verdict.directDevices.map((entry) => entry.device).join(', ');
    return { releases, outcome: 'refused', refused: true, detail: `refused: "${V66_MESSAGE}" (-EINVAL); direct region(s) on ${devices}` };
  }
  if (verdict.kernel?.rule === 'rmrr-locked') {
    return { releases, outcome: 'refused', refused: true, detail: `refused: "${RMRR_LOCKED_MESSAGE}" (-EPERM); RMRR-locked: ${verdict.rmrrLockedDevices.join(', ')}` };
  }
  return { releases, outcome: 'allowed', refused: false, detail: 'allowed: no region of the group blocks it' };
}

/** One verdict per release range (ranges with the same answer joined). */
export function releaseVerdicts(platform: Platform, relaxRmrr: boolean, membersUnder: MembersUnder, unsettled?: Unsettled, doubts?: GroupDoubts): ReleaseVerdict[] {
  const rows: { from?: string; to?: string; verdict: ReleaseVerdict }[] = [];
  for (const probe of platform === 'intel' ? INTEL_PROBES : ARM_PROBES) {
    const kernel = kernelBehaviour(probe.version, { relaxRmrr });
    const verdict = verdictFor(platform, membersUnder(kernel), kernel, '', unsettled, doubts);
    const last = rows[rows.length - 1];
    if (last !== undefined && last.verdict.outcome === verdict.outcome && last.verdict.detail === verdict.detail) {
      if (probe.to === undefined) delete last.to;
      else last.to = probe.to;
      continue;
    }
    const row: { from?: string; to?: string; verdict: ReleaseVerdict } = { verdict };
    if (probe.from !== undefined) row.from = probe.from;
    if (probe.to !== undefined) row.to = probe.to;
    rows.push(row);
  }
  return rows.map((row) => ({ ...row.verdict, releases: releasesText(row.from, row.to) }));
}

export interface AdviceInput {
  platform: Platform;
  device: string;
  /** The device's class code, when known. */
  classCode: number | undefined;
  hasIommu: boolean;
  /** Group members under current rules (with the asked relax_rmrr). */
  members: DeviceRegions[];
  verdicts: ReleaseVerdict[];
  /** RMRR scope targets of the whole table, for "another slot". */
  rmrrTargets: string[];
  oemId: string | undefined;
  isNamedComponent: boolean;
  relaxRmrr: boolean;
  /** Open questions without a topology (explain-unsettled.ts). */
  unsettled?: Unsettled | undefined;
}

const where = (region: RegionDescriptor) => `${region.source.table} ${region.source.structure} @${hex(region.source.offset ?? 0)} [${hex(region.start)}-${hex(region.end)}]`;

function intelAdvice(input: AdviceInput, blocking: { device: string; region: RegionDescriptor }[]): string[] {
  const advice: string[] = [];
  const others = [...new Set(blocking.map((entry) => entry.device).filter((device) => device !== input.device))];
  if (others.length > 0) {
    // Splitting the group frees the device only when no blocking region is its own.
    const ownBlocks = blocking.some((entry) => entry.device === input.device);
    const outcome = ownBlocks ? `would not free ${input.device}: its own RMRR blocks it too` : `would leave ${input.device} free of it`;
    const blocks = input.verdicts.some((verdict) => verdict.refused) ? 'a blocking' : 'a possibly blocking';
    advice.push(`VFIO assigns whole groups: ${others.join(', ')} in the same group carries ${blocks} RMRR; a slot or ACS setup that splits the group ${outcome}`);
  }
  advice.push(`Move the card to a slot no RMRR names. The RMRR scopes here name: ${input.rmrrTargets.join('; ')}`);
  const hpe = input.oemId?.trim().startsWith('HP') === true ? ' — this DMAR is from HP/HPE firmware' : '';
  advice.push(`Firmware: some servers can exclude a slot from RMRRs — HPE ProLiant Gen8/Gen9 per-slot RMRR exclusion in the BIOS or with conrep (HPE advisory c04781229)${hpe}`);
  const klass = input.classCode === undefined ? 'unknown (the inputs do not give it)' : `0x${input.classCode.toString(16).padStart(6, '0')}`;
  advice.push(`Only USB (class 0x0c03xx) and display (0x03xxxx) functions get relaxable RMRRs (exempt from the v3.17 lock; direct-relaxable from v5.3); this device's class is ${klass}`);
  if (!input.relaxRmrr) {
    advice.push(`Kernels with the intel_iommu=relax_rmrr patch (${RELAX_RMRR_PATCH.source.patch}) treat every RMRR as relaxable (try --relax-rmrr); the firmware may still use that memory (e.g. iLO/BMC shared memory), so only for devices that do not need it`);
  }
  return advice;
}

function armAdvice(input: AdviceInput, blocking: { device: string; region: RegionDescriptor }[]): string[] {
  const nodes = [...new Set(blocking.map((entry) => `@${hex(entry.region.source.offset ?? 0)}`))];
  const advice = [`Firmware: set flags bit 0 (remapping permitted) on RMR ${nodes.join(', ')} if the device tolerates remapping; its ranges then become direct-relaxable and no longer block assignment`];
  if (!input.isNamedComponent) advice.push('RMRs reach PCI devices only while the host bridge asks to keep its boot configuration (_DSM function 5); see --preserve-boot-config');
  advice.push('Before v6.6 the kernel does not refuse assignment for direct regions; before v6.0 it ignores RMR nodes altogether');
  return advice;
}

function amdAdvice(_input: AdviceInput, blocking: { device: string; region: RegionDescriptor }[]): string[] {
  const blocks = [...new Set(blocking.map((entry) => `${entry.region.source.structure} @${hex(entry.region.source.offset ?? 0)}`))];
  const advice = [`Firmware: ${blocks.join(', ')} asks for an identity mapping of the device's IDs; only a firmware change that drops or narrows the IVMD removes the direct region (docs/kernel-semantics.md §6)`];
  if (blocking.some((entry) => entry.region.source.structure === 'IVMD (all devices)')) advice.push('An all-devices IVMD (type 0x20) reaches every device the IOMMU handles: no slot avoids it');
  else advice.push('A device-range or one-device IVMD follows the requester ID: a slot outside its device-ID range avoids it');
  advice.push('Before v6.6 the kernel does not refuse assignment for direct regions; the range stays reserved in the IOVA space either way');
  return advice;
}

export function adviceFor(input: AdviceInput): string[] {
  if (!input.hasIommu) {
    return input.isNamedComponent
      ? ['Linux finds no StreamID for this named component (it only takes single mappings without an input ID): it has no IOMMU group, so there is nothing to assign or to reserve']
      : ['The tables give this device no IOMMU (see the findings): it has no group and VFIO cannot assign it'];
  }
  const blocking = input.members.flatMap((member) => member.regions.filter((region) => region.type === 'direct').map((region) => ({ device: member.device, region })));
  const refused = input.verdicts.some((verdict) => verdict.refused);
  const settle = input.unsettled === undefined ? [] : [`The verdict is unknown until you give ${input.unsettled.missing}`];
  if (input.unsettled !== undefined && !refused && blocking.length === 0) return settle;
  if (!refused && input.unsettled === undefined) {
    const relaxable = input.members.find((member) => member.device === input.device)?.regions.filter((region) => region.type === 'direct-relaxable' && region.source.table !== 'kernel') ?? [];
    const advice = [`Nothing in these tables blocks assigning ${input.device} to a VM`];
    if (relaxable.length > 0) advice.push(`Its ${relaxable.map(where).join(', ')} is relaxable: VFIO leaves it out of the reserved IOVA ranges, so once assigned the device loses the identity mapping the firmware asked for`);
    return advice;
  }
  const lines = blocking.map((entry) => `${where(entry.region)} on ${entry.device} — ${entry.region.reason ?? ''}`);
  const head = lines.length > 0 ? [`${refused ? 'Blocking' : 'May block'}: ${lines.join('; ')}`] : [];
  const platformAdvice = input.platform === 'intel' ? intelAdvice : input.platform === 'amd' ? amdAdvice : armAdvice;
  return [...settle, ...head, ...platformAdvice(input, blocking)];
}
