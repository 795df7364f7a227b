/** Human lines and the JSON shape of an explanation (platform-free; JSON keeps bigint for `jsonReplacer`). */
import { regionJson, regionLine } from '../regions/render.js';
import type { Explanation, NamingStructure } from './explain-model.js';
import { hex } from '../bytes/hex.js';

const PLATFORM_NAMES = { intel: 'Intel VT-d', arm: 'Arm SMMU', amd: 'AMD-Vi' } as const;


function structureLines(structure: NamingStructure): string[] {
  const tag = structure.certainty === 'certain' ? '' : structure.certainty === 'assumed' ? ' (under the assumptions above)' : ' (needs the topology)';
  return [`  ${structure.table} ${structure.structure} @${hex(structure.offset)}${tag}: ${structure.how}`, ...structure.steps.map((step) => `      ${step}`)];
}

export function explanationLines(explanation: Explanation, source: string): string[] {
  const platform = PLATFORM_NAMES[explanation.platform];
  const lines = [`explain ${explanation.title} — ${platform} (${source}); rules of ${explanation.kernel.label}${explanation.kernel.relaxRmrr ? ' with intel_iommu=relax_rmrr' : ''}`];
  for (const assumption of explanation.assumptions) lines.push(`assumed: ${assumption}`);
  for (const note of explanation.notes) lines.push(`note: ${note}`);
  if (explanation.target.kind === 'pci') lines.push(`upstream: ${explanation.upstream.length === 0 ? 'none (on a root bus)' : explanation.upstream.join(' → ')}`);
  lines.push('named by:');
  if (explanation.structures.length === 0) lines.push('  no structure names it');
  for (const structure of explanation.structures) lines.push(...structureLines(structure));
  if (explanation.chains.length > 0) {
    lines.push('ID walks:');
    for (const chain of explanation.chains) {
      lines.push(`  ${chain.start}: ${chain.result}`);
      for (const step of chain.steps) lines.push(`      ${step}`);
    }
  }
  lines.push(`regions (the device's own list, driver order):${explanation.hasIommu ? '' : ' none — no IOMMU'}`);
  for (const region of explanation.regions) lines.push(`  ${regionLine(region)}`);
  const group = explanation.group;
  if (group !== undefined) {
    const number = group.number === undefined ? 'own group' : `group ${group.number}`;
    lines.push(`${number}${group.guessed ? ' (guessed)' : ''}: ${group.members.join(', ')}`);
    lines.push(`  reserved_regions${explanation.kernel.reservedRegionsFile ? '' : ` (no such file before v4.11; as v4.11 would print it)`}:`);
    for (const line of group.sysfs.split('\n').filter((text) => text.length > 0)) lines.push(`    ${line}`);
  }
  lines.push('passthrough (VFIO / iommufd):');
  for (const verdict of explanation.passthrough) lines.push(`  ${verdict.releases}: ${verdict.detail}`);
  if (explanation.kernel.version !== undefined || explanation.kernel.relaxRmrr) lines.push(`  → ${explanation.verdict.releases}: ${explanation.verdict.detail}`);
  if (explanation.unsettled !== undefined) lines.push(`  to settle "unknown": give ${explanation.unsettled.missing}`);
  lines.push('what you can do:');
  for (const advice of explanation.advice) lines.push(`  - ${advice}`);
  if (explanation.findings.length > 0) {
    lines.push('findings:');
    for (const item of explanation.findings) lines.push(`  ${item.severity}: ${item.message} [${item.code}]`);
  }
  return lines;
}

export function explanationJson(explanation: Explanation) {
  const { kernel, regions, group, findings, ...rest } = explanation;
  return {
    ...rest,
    diagnostics: findings,
    kernel: { label: kernel.label, version: kernel.version?.text ?? null, relaxRmrr: kernel.relaxRmrr },
    regions: regions.map(regionJson),
    group: group === undefined ? null : { ...group, regions: group.regions.map(regionJson) },
  };
}
