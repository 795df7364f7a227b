/**
 * Synthetic tables for the scaling figures.
 * - DMAR: one INCLUDE_PCI_ALL DRHD plus `count` RMRRs, each 64 KiB, disjoint, with one
 *   endpoint scope (built with src/encode `encodeDmar`).
 * - IORT: `count` nodes in total — one ITS group, one SMMUv3 mapping all stream IDs to it, and
 *   `count − 2` named components each mapping one ID to a distinct stream ID of the SMMUv3
 *   (src/encode `encodeIort`). Table revision 5 (E.d).
 * - APIC (`encodeMadt`): a GIC distributor and one GIC ITS whose ID matches the IORT's ITS group, so Arm
 *   region derivation finds a doorbell.
 */
import { encodeDmar, encodeIort, encodeMadt, type DmarStructureModel, type IortNodeModel } from '../src/encode/index.js';

const RMRR_BASE = 0x8000_0000n;
const RMRR_SIZE = 0x1_0000n;

export function syntheticDmar(count: number): Uint8Array {
  const structures: DmarStructureModel[] = [
    { kind: 'drhd', flags: 1, segmentNumber: 0, registerBaseAddress: 0xfed9_0000n, registerSetPages: 1 },
  ];
  for (let index = 0; index < count; index++) {
    const base = RMRR_BASE + BigInt(index) * RMRR_SIZE;
    structures.push({
      kind: 'rmrr',
      segmentNumber: 0,
      baseAddress: base,
      limitAddress: base + RMRR_SIZE - 1n,
      deviceScopes: [{ kind: 'endpoint', startBusNumber: 0, path: [{ device: (index >> 3) & 31, function: index & 7 }] }],
    });
  }
  return encodeDmar({ header: { revision: 1, oemId: 'BENCH', oemTableId: 'SYNTH' }, hostAddressWidth: 48, interruptRemapping: true, structures });
}

export const SYNTHETIC_ITS_ID = 0;
export const SYNTHETIC_ITS_BASE = 0x0800_0000n + 0x4_0000n;

export function syntheticIort(count: number): Uint8Array {
  if (count < 2) throw new RangeError('an IORT here needs at least an ITS group and an SMMUv3');
  const nodes: IortNodeModel[] = [
    { kind: 'its-group', revision: 1, identifier: 0, itsIdentifiers: [SYNTHETIC_ITS_ID] },
    {
      kind: 'smmu-v3', revision: 4, identifier: 1, baseAddress: 0x0900_0000n, flags: 1,
      // Wired event/PRI/GERR/SYNC interrupts: the SMMU's own MSIs need no DeviceID mapping index.
      eventGsiv: 200, priGsiv: 201, gerrGsiv: 202, syncGsiv: 203, proximityDomain: 0, deviceIdMappingIndex: 0,
      idMappings: [{ inputBase: 0, idCount: 0xffff, outputBase: 0, outputReference: { node: 0 } }],
    },
  ];
  for (let index = 0; index < count - 2; index++) {
    nodes.push({
      kind: 'named-component', revision: 4, identifier: 2 + index, deviceMemoryAddressSizeLimit: 48,
      memoryAccess: { cacheCoherency: 1 }, deviceName: `\\_SB.DEV${index}`,
      idMappings: [{ inputBase: 0, idCount: 0, outputBase: index, outputReference: { node: 1 }, singleMapping: true }],
    });
  }
  return encodeIort({ header: { revision: 5, oemId: 'BENCH', oemTableId: 'SYNTH' }, nodes });
}

/** A GICv3 MADT: distributor + one ITS at SYNTHETIC_ITS_BASE (for Arm region derivation). */
export function syntheticArmMadt(): Uint8Array {
  return encodeMadt({
    header: { revision: 5, oemId: 'BENCH', oemTableId: 'SYNTH' },
    entries: [
      { kind: 'gicd', gicId: 0, baseAddress: 0x0800_0000n, systemVectorBase: 0, gicVersion: 3 },
      { kind: 'gic-its', translationId: SYNTHETIC_ITS_ID, baseAddress: SYNTHETIC_ITS_BASE },
    ],
  });
}
