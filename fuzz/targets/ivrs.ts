/**
 * Fuzz target: an IVRS; its AMD region derivation runs on a fixed topology of IDs the
 * arbitraries and real tables often name (00:00.0 … 00:1f.3, bus 1), and the DMA aliases of
 * each device are read.
 */
import { parseIvrs, type IvrsTable } from '../../src/ivrs/index.js';
import { amdBootModel, amdDeviceList, amdDmaAlias, amdUnscopedRegions } from '../../src/ivrs/regions/index.js';
import type { PciTopology } from '../../src/pci/model.js';
import { checkDiagnostics, checkRegionSources, guard, parseChecked, type Violation } from '../invariants.js';
import type { TargetResult } from './common.js';

const IDS = [0x00, 0x02, 0x08, 0x10, 0x18, 0x20, 0xa0, 0xa3, 0xf8, 0xfa, 0xfb, 0x100, 0x101, 0x2a5];
/** Also the AMD topology of the command target's cases (fuzz/command-cases.ts). */
export const IVRS_TOPOLOGY: PciTopology = {
  devices: IDS.map((id) => ({ segment: 0, bus: id >> 8, device: (id >> 3) & 0x1f, function: id & 7, classCode: 0x020000, vendor: 0x1022, deviceId: 0x1000 })),
  groupsGuessed: true,
  notes: [],
};

function walk(table: IvrsTable, kinds: Set<string>): void {
  for (const block of table.blocks()) {
    kinds.add(`${block.kind}:${block.kind === 'unknown' ? (block.truncated ? `short-${block.type}` : 'other') : block.type}`);
    if (block.kind !== 'ivhd') continue;
    for (const entry of block.entries()) {
      kinds.add(`entry:${entry.kind}`);
      void [entry.uid, entry.hid, entry.cid, entry.payload, entry.raw];
    }
  }
}

export function run(bytes: Uint8Array): TargetResult {
  const violations: Violation[] = [];
  const kinds = new Set<string>();
  const table = parseChecked(violations, 'parseIvrs', () => parseIvrs(bytes), bytes.length);
  if (table === undefined) return { codes: [], kinds: [], violations };
  guard(violations, 'iterate blocks and entries', () => walk(table, kinds));
  const blocks = { IVRS: new Set(table.blockOffsets) };
  checkRegionSources(violations, guard(violations, 'amdUnscopedRegions', () => amdUnscopedRegions(table)) ?? [], blocks);
  const list = guard(violations, 'amdDeviceList', () => amdDeviceList(table, IVRS_TOPOLOGY));
  checkRegionSources(violations, list?.devices.flatMap((device) => device.regions) ?? [], blocks);
  checkDiagnostics(violations, list?.findings ?? [], bytes.length);
  const model = guard(violations, 'amdBootModel', () => amdBootModel(table));
  if (model !== undefined) guard(violations, 'amdDmaAlias', () => IVRS_TOPOLOGY.devices.forEach((device) => amdDmaAlias(model, device)));
  const codes = [...table.diagnostics, ...(list?.findings ?? [])].map((item) => item.code);
  return { codes, kinds: [...kinds], violations };
}
