/**
 * Library example for Arm (TypeDoc shows it; test/examples.test.ts runs it): parse an IORT and the
 * MADT beside it, query nodes by kind, translate a PCI requester ID to its SMMU stream ID, and
 * list the devices each RMR reaches. Only the platform-free root entry is used past reading files.
 */
import { analyzeRegions, formatSysfs, parseIort, parseMadt, rmrDevices, topologyFromJson, translate } from '../src/index.js';
import { readFileSync } from 'node:fs';

const folder = process.argv[2] ?? 'corpus/samples/arm-server';
const iort = parseIort(new Uint8Array(readFileSync(`${folder}/IORT.bin`)));
const madt = parseMadt(new Uint8Array(readFileSync(`${folder}/APIC.bin`)));

for (const smmu of iort.nodesOfKind('smmu-v3')) console.log(`SMMUv3 @0x${smmu.offset.toString(16)}: registers at 0x${smmu.baseAddress.toString(16)}`);
for (const its of madt.entriesOfKind('gic-its')) console.log(`GIC ITS ${its.translationId}: 0x${its.baseAddress?.toString(16) ?? '?'}`);

// 01:00.0 on segment 0 has requester ID 0x100; the root complex and SMMU mappings give its stream ID.
const walk = translate(iort, { segment: 0, requesterId: 0x100 });
console.log(`RID 0x100 -> ${walk.results.map((hop) => `${hop.nodeKind} @0x${hop.nodeOffset.toString(16)} stream ID 0x${hop.id.toString(16)}`).join(', ')}`);

const analysis = analyzeRegions({ iort, madt }, topologyFromJson(JSON.parse(readFileSync(`${folder}/pci.json`, 'utf8'))), 'arm');
for (const rmr of iort.nodesOfKind('rmr')) console.log(`RMR with ${rmr.descriptorCount} range(s) reaches ${rmrDevices(analysis, rmr).join(', ')}`);
for (const group of analysis.groups) process.stdout.write(`group ${group.group}:\n${formatSysfs(group.regions)}`);
