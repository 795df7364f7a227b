/**
 * One computation over whole machines, run unchanged in every runtime (Node, Chromium, Deno, Bun) so
 * their outputs can be compared byte for byte. Uses only the platform-free root entry. Each machine
 * is the set of tables in one folder; the text holds every table's decoded form and findings, the
 * cross-table checks, the strict lint, the topology-free regions and, with a PCI topology, the
 * per-group reserved_regions text.
 */
import {
  analyzeRegions, crossCheck, formatSysfs, groupJson, lintTables, parseTable, platformOf, toJsonText, topologyFromJson,
  unscopedRegions, type RegionTables,
} from '../../src/index.js';

export interface ProbeMachine {
  name: string;
  /** Table bytes, base64, keyed by file name. */
  tables: Record<string, string>;
  /** A topology in the JSON form topologyFromJson reads. */
  pci?: unknown;
}

function decodeBase64(text: string): Uint8Array {
  // atob exists in every runtime tested (Node ≥16, browsers, Deno, Bun); Buffer does not.
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function probeMachine(machine: ProbeMachine): unknown {
  const tables: RegionTables = {};
  const decoded: Record<string, unknown> = {};
  for (const [file, base64] of Object.entries(machine.tables)) {
    const table = parseTable(decodeBase64(base64));
    decoded[file] = table?.toJSON() ?? 'unsupported signature';
    if (table?.signature === 'DMAR') tables.dmar = table;
    if (table?.signature === 'IORT') tables.iort = table;
    if (table?.signature === 'APIC') tables.madt = table;
  }
  const platform = platformOf(tables);
  const result: Record<string, unknown> = { name: machine.name, decoded, cross: crossCheck(tables), lint: lintTables(tables), platform };
  if (platform !== undefined) result.unscoped = unscopedRegions(tables, platform);
  if (platform !== undefined && machine.pci !== undefined) {
    const analysis = analyzeRegions(tables, topologyFromJson(machine.pci), platform);
    result.groups = analysis.groups.map((group) => groupJson(group, formatSysfs(group.regions)));
    result.findings = analysis.findings;
  }
  return result;
}

/** The text every runtime must produce identically. */
export function probe(machines: readonly ProbeMachine[]): string {
  return toJsonText(machines.map(probeMachine));
}
