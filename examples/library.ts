/**
 * Library example (shown in the README, run by test/examples.test.ts): parse a DMAR from bytes,
 * list its findings, and print what Linux would show in reserved_regions for each IOMMU group
 * of a PCI topology given as JSON. Apart from reading the two files, only the platform-free root
 * entry is used, so the same code runs in a browser or Deno.
 */
import { analyzeRegions, formatSysfs, parseDmar, topologyFromJson } from '../src/index.js';
import { readFileSync } from 'node:fs';

const dmar = parseDmar(new Uint8Array(readFileSync(process.argv[2] ?? 'corpus/samples/x86-laptop/DMAR.bin')));
console.log(`DMAR: ${dmar.hostAddressWidth}-bit host address width, ${dmar.diagnostics.length} finding(s)`);
for (const structure of dmar.structures()) {
  if (structure.kind !== 'rmrr') continue;
  const scopes = [...structure.deviceScopes()].map((scope) => `${scope.kind} ${scope.startBusNumber.toString(16)}:${scope.path.map((hop) => `${hop.device.toString(16)}.${hop.function}`).join('/')}`);
  console.log(`RMRR @0x${structure.offset.toString(16)}: 0x${structure.baseAddress.toString(16)}-0x${structure.limitAddress.toString(16)} for ${scopes.join(', ')}`);
}

const topology = topologyFromJson(JSON.parse(readFileSync(process.argv[3] ?? 'corpus/samples/x86-laptop/pci.json', 'utf8')));
const analysis = analyzeRegions({ dmar }, topology); // the DMAR makes it Intel VT-d
for (const group of analysis.groups) {
  process.stdout.write(`group ${group.group} (${group.devices.join(', ')}):\n${formatSysfs(group.regions)}`);
}
