/**
 * A tiny byte builder for the DMAR and IORT tables of the region tests (docs/kernel-semantics.md §7
 * vectors). Only what those tests need; real encoding lives in src/encode.
 */
import { Bytes, fixChecksum } from './iort-builder.js';

function append(out: Bytes, values: Iterable<number>): Bytes {
  for (const value of values) out.u8(value);
  return out;
}

/** SDT header (checksum fixed up) + body. */
function table(signature: string, revision: number, body: Uint8Array): Uint8Array {
  const header = new Bytes().ascii(signature, false).u32(36 + body.length).u8(revision).u8(0).ascii('ACPIIO', false).ascii('REGIONS ', false).u32(1).ascii('TEST', false).u32(1);
  return fixChecksum(append(header, body).done());
}

// ── DMAR ────────────────────────────────────────────────────────────────────────────────────

export type ScopeKind = 'endpoint' | 'bridge' | 'ioapic' | 'hpet' | 'namespace';
const SCOPE_TYPES: Record<ScopeKind, number> = { endpoint: 1, bridge: 2, ioapic: 3, hpet: 4, namespace: 5 };

export interface ScopeSpec {
  kind: ScopeKind;
  bus: number;
  /** [device, function] per hop. */
  path: [number, number][];
  id?: number;
}

export interface DmarSpec {
  /** Address width in bits (stored as width − 1); default 39. */
  width?: number;
  /** Default: one INCLUDE_PCI_ALL DRHD on segment 0 at 0xfed90000. */
  drhds?: { flags?: number; segment?: number; base?: bigint; scopes?: ScopeSpec[] }[];
  rmrrs?: { segment?: number; base: bigint; end: bigint; scopes: ScopeSpec[] }[];
}

function scopeBytes(scope: ScopeSpec): number[] {
  const out = new Bytes().u8(SCOPE_TYPES[scope.kind]).u8(6 + 2 * scope.path.length).u16(0).u8(scope.id ?? 0).u8(scope.bus);
  for (const [device, fn] of scope.path) out.u8(device).u8(fn);
  return [...out.done()];
}

export function buildDmar(spec: DmarSpec): Uint8Array {
  const body = new Bytes().u8((spec.width ?? 39) - 1).u8(1).zeros(10);
  for (const drhd of spec.drhds ?? [{ flags: 1 }]) {
    const scopes = (drhd.scopes ?? []).flatMap(scopeBytes);
    append(body.u16(0).u16(16 + scopes.length).u8(drhd.flags ?? 0).u8(0).u16(drhd.segment ?? 0).u64(drhd.base ?? 0xfed90000n), scopes);
  }
  for (const rmrr of spec.rmrrs ?? []) {
    const scopes = rmrr.scopes.flatMap(scopeBytes);
    append(body.u16(1).u16(24 + scopes.length).u16(0).u16(rmrr.segment ?? 0).u64(rmrr.base).u64(rmrr.end), scopes);
  }
  return table('DMAR', 1, body.done());
}

// ── IORT ────────────────────────────────────────────────────────────────────────────────────

/** One ID mapping; `target` names a node by its key in the spec. */
export interface MappingSpec {
  input: number;
  /** Number of IDs minus one, as stored. */
  count: number;
  output: number;
  target: 'smmu' | 'its';
  single?: boolean;
}

export interface IortSpec {
  /** Table revision; default 5. */
  revision?: number;
  segment?: number;
  rc: MappingSpec[];
  /** SMMUv3 model (1 = HiSilicon Hi161x); default 0. */
  smmuModel?: number;
  smmu: MappingSpec[];
  its?: number[];
  rmrs?: { flags: number; mappings: MappingSpec[]; descriptors: { base: bigint; length: bigint }[] }[];
}

function mappingBytes(mapping: MappingSpec, offsets: { smmu: number; its: number }): Uint8Array {
  return new Bytes().u32(mapping.input).u32(mapping.count).u32(mapping.output).u32(offsets[mapping.target]).u32(mapping.single === true ? 1 : 0).done();
}

/**
 * Node order: ITS group, SMMUv3, root complex, then RMR nodes. The SMMUv3 node is revision 4
 * with all four GSIVs non-zero and flag bit 4 clear, so its ID mapping index is not in effect
 * under any reading (docs/kernel-semantics.md §7 A1).
 */
export function buildIort(spec: IortSpec): Uint8Array {
  const its = spec.its ?? [0];
  const itsNode = new Bytes().u8(0).u16(20 + 4 * its.length).u8(1).u32(0).u32(0).u32(0).u32(its.length);
  for (const id of its) itsNode.u32(id);
  const itsOffset = 48;
  const smmuOffset = itsOffset + itsNode.size;
  const smmuLength = 68 + 20 * spec.smmu.length;
  const rcOffset = smmuOffset + smmuLength;
  const rcLength = 36 + 20 * spec.rc.length;
  const targets = { smmu: smmuOffset, its: itsOffset };

  const smmuNode = new Bytes().u8(4).u16(smmuLength).u8(4).u32(1).u32(spec.smmu.length).u32(68);
  smmuNode.u64(0x09050000n).u32(0).u32(0).u64(0n).u32(spec.smmuModel ?? 0).u32(0x6a).u32(0x6b).u32(0x6c).u32(0x6d).u32(0).u32(0);
  for (const mapping of spec.smmu) append(smmuNode, mappingBytes(mapping, targets));

  const rcNode = new Bytes().u8(2).u16(rcLength).u8(2).u32(2).u32(spec.rc.length).u32(36);
  rcNode.u32(1).u8(0).u16(0).u8(3).u32(0).u32(spec.segment ?? 0).u8(64).u8(0).u16(0);
  for (const mapping of spec.rc) append(rcNode, mappingBytes(mapping, targets));

  const nodes = [itsNode, smmuNode, rcNode];
  let identifier = 3;
  for (const rmr of spec.rmrs ?? []) {
    const mappingOffset = 28;
    const descriptorOffset = mappingOffset + 20 * rmr.mappings.length;
    const length = descriptorOffset + 20 * rmr.descriptors.length;
    const node = new Bytes().u8(6).u16(length).u8(3).u32(identifier++).u32(rmr.mappings.length).u32(rmr.mappings.length > 0 ? mappingOffset : 0);
    node.u32(rmr.flags).u32(rmr.descriptors.length).u32(rmr.descriptors.length > 0 ? descriptorOffset : 0);
    for (const mapping of rmr.mappings) append(node, mappingBytes(mapping, targets));
    for (const descriptor of rmr.descriptors) node.u64(descriptor.base).u64(descriptor.length).u32(0);
    nodes.push(node);
  }
  const body = new Bytes().u32(nodes.length).u32(48).u32(0);
  for (const node of nodes) append(body, node.done());
  return table('IORT', spec.revision ?? 5, body.done());
}

// ── MADT ────────────────────────────────────────────────────────────────────────────────────

/** A MADT holding only GIC ITS entries (type 0x0F, 20 bytes). */
export function buildMadtWithIts(entries: { id: number; base: bigint }[]): Uint8Array {
  const body = new Bytes().u32(0).u32(0);
  for (const entry of entries) body.u8(0x0f).u8(20).u16(0).u32(entry.id).u64(entry.base).u32(0);
  return table('APIC', 5, body.done());
}

/**
 * docs/kernel-semantics.md §7 vector T4: a GPU and its audio function behind root port 00:01.0
 * (secondary bus 3), each named by its own RMRR through a two-hop endpoint path. Used by the
 * vector test and, under older kernels, by the kernel-version test.
 */
export const T4_VECTOR = {
  dmar: {
    rmrrs: [
      { base: 0x9d000000n, end: 0x9d7fffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[1, 0], [0, 0]] }] },
      { base: 0x9d800000n, end: 0x9dffffffn, scopes: [{ kind: 'endpoint', bus: 0, path: [[1, 0], [0, 1]] }] },
    ],
  } satisfies DmarSpec,
  devices: [
    { bdf: '0000:00:01.0', class: '0x060400', secondaryBus: 3, subordinateBus: 3 },
    { bdf: '0000:03:00.0', class: '0x030000', parent: '0000:00:01.0' },
    { bdf: '0000:03:00.1', class: '0x040300', parent: '0000:00:01.0' },
  ],
};
