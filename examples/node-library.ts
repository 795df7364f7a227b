/**
 * Library example for `acpi-iommu/node` (TypeDoc shows it; test/examples.test.ts runs it): load
 * every table of a folder (raw files, acpidump text, or /sys/firmware/acpi/tables), read a PCI
 * topology (a sysfs tree or its JSON form), and print each group's reserved_regions.
 */
import { analyzeRegions, formatSysfs, parseTable, platformOf, type RegionTables } from '../src/index.js';
import { loadInputs, readPciTopology } from '../src/node/index.js';

const folder = process.argv[2] ?? 'corpus/samples/x86-laptop';
const { tables, failures } = await loadInputs([folder]);
for (const failure of failures) console.error(`skipped ${failure.path}: ${failure.reason}`);

const parsed: RegionTables = {};
for (const { signature, bytes } of tables) {
  const table = parseTable(bytes);
  if (table === undefined) continue;
  console.log(`${signature}: ${table.diagnostics.length} finding(s)`);
  if (table.signature === 'DMAR') parsed.dmar = table;
  if (table.signature === 'IORT') parsed.iort = table;
  if (table.signature === 'APIC') parsed.madt = table;
}

const platform = platformOf(parsed);
if (platform === undefined) throw new Error('no DMAR or IORT among the inputs');
const analysis = analyzeRegions(parsed, await readPciTopology(`${folder}/pci.json`), platform);
for (const group of analysis.groups) process.stdout.write(`group ${group.group} (${group.devices.join(', ')}):\n${formatSysfs(group.regions)}`);
