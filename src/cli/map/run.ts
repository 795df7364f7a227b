/**
 * `acpi-iommu map`: the ID translation path of one device through the IORT, hop by hop —
 * towards its SMMU (stream ID, what the IOMMU sees) and towards its ITS group (device ID, what
 * MSIs carry), then to the ITS doorbells the MADT of the same input gives.
 */
import { writeJson, writeLines } from '../shared/output.js';
import type { IortTable, IortTranslation, IortWalk } from '../../iort/index.js';
import type { MadtTable } from '../../madt/index.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, type OutputOptions } from '../shared/conventions.js';
import { loadAndParse, onlyTables, printFailures, printNotes } from '../shared/tables.js';
import { hex } from '../../bytes/hex.js';
import { STOP_TEXT } from '../../iort/stop-text.js';
import { parseBdf } from '../../pci/bdf.js';

export interface MapOptions extends OutputOptions {
  rid?: string;
  segment?: string;
  node?: string;
  id?: string;
}

type Start = { segment: number; requesterId: number } | { nodeOffset: number; id?: number } | { deviceName: string; id?: number };

/** Parses 0x-prefixed hex or decimal; undefined when it is neither or out of u32 range. */
function parseId(text: string | undefined): number | undefined {
  if (text === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(text)) return undefined;
  const value = Number(text);
  return value <= 0xffff_ffff ? value : undefined;
}

function startOf(options: MapOptions): Start | string {
  const id = parseId(options.id);
  if (options.id !== undefined && id === undefined) return `--id takes a number (0x… or decimal), not "${options.id}"`;
  if (options.rid !== undefined) {
    // `01:00.0` or `0000:01:00.0` is the device itself: its requester ID, and its segment when given.
    const address = parseId(options.rid) === undefined ? parseBdf(options.rid) : undefined;
    const requesterId = address === undefined ? parseId(options.rid) : (address.bus << 8) | (address.device << 3) | address.function;
    const segment = options.segment !== undefined || address === undefined ? parseId(options.segment ?? '0') : address.segment;
    if (requesterId === undefined || requesterId > 0xffff) return `--rid takes a PCI address (01:00.0, 0000:01:00.0) or a 16-bit requester ID (bus << 8 | device << 3 | function, e.g. 0x100), not "${options.rid}"`;
    if (segment === undefined) return `--segment takes a number, not "${options.segment}"`;
    return { segment, requesterId };
  }
  if (options.node === undefined) return 'give --rid <requester ID> [--segment N], or --node <offset|ACPI name> [--id N]';
  const offset = parseId(options.node);
  const withId = id === undefined ? {} : { id };
  return offset === undefined ? { deviceName: options.node, ...withId } : { nodeOffset: offset, ...withId };
}

function walkLines(walk: IortWalk): string[] {
  const lines = walk.hops.map((hop) => {
    const input = hop.inputId === undefined ? 'single mapping' : `id ${hex(hop.inputId)} in [${hex(hop.inputRange[0])}, ${hex(hop.inputRange[1])}]`;
    const note = hop.offByOne === undefined ? '' : ` (Linux's off-by-one workaround: ${hop.offByOne})`;
    return `  ${hop.nodeKind} @${hex(hop.nodeOffset)}  mapping #${hop.mappingIndex} @${hex(hop.mappingOffset)}: ${input} → ${hex(hop.outputId)} at node @${hex(hop.targetOffset)}${note}`;
  });
  if (walk.final !== undefined) lines.push(`  ${walk.final.nodeKind} @${hex(walk.final.nodeOffset)}: ${walk.streamId !== undefined ? 'stream ID' : 'device ID'} ${hex(walk.final.id)}`);
  else lines.push(`  stops: ${STOP_TEXT[walk.stop]}`);
  for (const item of walk.diagnostics) lines.push(`  ${item.severity} ${item.code} ${item.message}`);
  return lines;
}

function doorbells(iort: IortTable, madt: MadtTable | undefined, translation: IortTranslation) {
  const reached = translation.results.find((result) => result.nodeKind === 'its-group');
  if (reached === undefined) return [];
  const group = iort.nodeAt(reached.nodeOffset);
  if (group === undefined || group.kind !== 'its-group') return [];
  const known = new Map(madt === undefined ? [] : [...madt.gicIts()].map((its) => [its.translationId, its]));
  return group.itsIdentifiers.map((identifier) => {
    const its = known.get(identifier);
    return { itsId: identifier, madtOffset: its?.offset, baseAddress: its?.baseAddress, translaterAddress: its?.translaterAddress };
  });
}

/** `--node` named nothing: say which nodes and named components there are to choose from. */
function missingNode(table: IortTable, start: Exclude<Start, { requesterId: number }>): string {
  const nodes = [...table.nodes()];
  const names = nodes.flatMap((node) => (node.kind === 'named-component' ? [node.deviceName] : []));
  const asked = 'nodeOffset' in start ? `no IORT node starts at ${hex(start.nodeOffset)}` : `no IORT named component is called ${start.deviceName}`;
  const offsets = nodes.map((node) => `${hex(node.offset)} ${node.kind}`).join(', ');
  return `--node: ${asked}; nodes: ${offsets || 'none'}; named components: ${names.join(', ') || 'none'}`;
}

export async function runMap(inputs: string[], options: MapOptions): Promise<number> {
  const start = startOf(options);
  if (typeof start === 'string') {
    process.stderr.write(`acpi-iommu: ${start}\n`);
    return EXIT_INPUT;
  }
  const loaded = await loadAndParse(inputs);
  printFailures(loaded.failures);
  printNotes(loaded, options.verbose === true);
  const picked = onlyTables(loaded.parsed, ['IORT', 'APIC']);
  if ('refusal' in picked) {
    process.stderr.write(`acpi-iommu: ${picked.refusal}\n`);
    return EXIT_INPUT;
  }
  const iort = picked.tables.IORT;
  if (iort === undefined) {
    process.stderr.write(`acpi-iommu: no IORT table in ${inputs.join(', ')}\n`);
    return EXIT_INPUT;
  }
  const madt = picked.tables.APIC?.table as MadtTable | undefined;
  const table = iort.table as IortTable;
  const { translate, IORT_IOMMU_TYPES, IORT_MSI_TYPES } = await import('../../iort/index.js');
  const iommu = translate(table, start, { typeMask: IORT_IOMMU_TYPES });
  const msi = translate(table, start, { typeMask: IORT_MSI_TYPES });
  if (iommu.stop === 'no-start-node' && !('requesterId' in start)) {
    process.stderr.write(`acpi-iommu: ${missingNode(table, start)}\n`);
    return EXIT_INPUT;
  }
  const bells = doorbells(table, madt, msi);
  if (options.json === true) {
    const { documentOf, failuresJson } = await import('../shared/document.js');
    await writeJson(documentOf('map', { source: iort.source, start, iommu, msi, doorbells: bells, failures: failuresJson(loaded.failures) }));
  } else {
    const lines = [`IORT ${iort.source}`, 'to the IOMMU (stream ID):', ...iommu.walks.flatMap(walkLines), 'to the ITS (MSI device ID):', ...msi.walks.flatMap(walkLines)];
    if (iommu.walks.length === 0) lines.splice(2, 0, `  stops: ${STOP_TEXT[iommu.stop]}`);
    if (msi.walks.length === 0) lines.push(`  stops: ${STOP_TEXT[msi.stop]}`);
    for (const bell of bells) {
      lines.push(bell.translaterAddress === undefined
        ? `  GIC ITS ${bell.itsId}: not described by ${madt === undefined ? 'a MADT (give the APIC table too)' : 'the MADT'}`
        : `  GIC ITS ${bell.itsId} (MADT @${hex(bell.madtOffset!)}): base ${hex(bell.baseAddress!)}, doorbell GITS_TRANSLATER ${hex(bell.translaterAddress)}`);
    }
    await writeLines(lines);
  }
  if (loaded.failures.length > 0) return EXIT_INPUT;
  return iommu.results.length > 0 || msi.results.length > 0 ? EXIT_OK : EXIT_FINDINGS;
}
