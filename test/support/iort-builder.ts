/**
 * A small byte builder for IORT specimens (docs/spec.md §3). Nodes are laid out as
 * header, type-specific fixed part, ID mappings, then any trailing arrays; references between
 * nodes are given as node handles (indices) and resolved at build time. The checksum is fixed.
 */

export interface MappingSpec {
  inputBase?: number;
  /** Stored value: number of IDs minus one. */
  idCount?: number;
  outputBase?: number;
  /** A node handle, resolved to its table offset. */
  target?: number;
  /** A raw output reference (wins over `target`). */
  reference?: number;
  flags?: number;
}

export interface NodeSpec {
  type: number;
  revision?: number;
  identifier?: number;
  /** Bytes from offset 16 up to the ID array (type-specific fixed part and padding). */
  fixed?: Uint8Array;
  mappings?: MappingSpec[];
  /** Bytes after the ID array (e.g. RMR descriptors, SMMU interrupts). */
  tail?: Uint8Array;
  /** Overrides for malformed specimens; a shorter length cuts the node's bytes. */
  length?: number;
  mappingCount?: number;
  mappingOffset?: number;
  /** Patch `[relative offset, u32]` pairs into the finished node. */
  patch32?: [number, number][];
  /** Write `[relative offset, node handle]`: the handle's table offset as a u32 (PMCG node reference). */
  refs?: [number, number][];
}

export interface BuildOptions {
  revision?: number;
  nodeCount?: number;
  nodeArrayOffset?: number;
  /** Bytes between the header and the first node. */
  padding?: number;
  /** Header Length override. */
  length?: number;
  /** Bytes appended after the nodes (inside Length). */
  trailing?: number;
}

/** Little-endian byte writer. */
export class Bytes {
  private readonly data: number[] = [];
  u8(value: number): this {
    this.data.push(value & 0xff);
    return this;
  }
  u16(value: number): this {
    return this.u8(value).u8(value >>> 8);
  }
  u32(value: number): this {
    return this.u16(value & 0xffff).u16(value >>> 16);
  }
  u64(value: bigint): this {
    return this.u32(Number(value & 0xffff_ffffn)).u32(Number(value >> 32n));
  }
  ascii(text: string, nul = true): this {
    for (const char of text) this.u8(char.charCodeAt(0));
    return nul ? this.u8(0) : this;
  }
  zeros(count: number): this {
    for (let index = 0; index < count; index++) this.u8(0);
    return this;
  }
  truncate(size: number): this {
    this.data.length = Math.min(this.data.length, size);
    return this;
  }
  get size(): number {
    return this.data.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.data);
  }
}

export const TYPE = { its: 0, nc: 1, rc: 2, smmu: 3, smmuV3: 4, pmcg: 5, rmr: 6, iwb: 7 } as const;

export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value >>> 0, true);
}

export function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(offset, value, true);
}

export function fixChecksum(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 10) return bytes;
  bytes[9] = 0;
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  bytes[9] = (256 - sum) & 0xff;
  return bytes;
}

/** Node offsets of a layout, before writing. */
function layout(nodes: readonly NodeSpec[], first: number): number[] {
  const offsets: number[] = [];
  let cursor = first;
  for (const node of nodes) {
    offsets.push(cursor);
    cursor += node.length ?? naturalLength(node);
  }
  return offsets;
}

function naturalLength(node: NodeSpec): number {
  return 16 + (node.fixed?.length ?? 0) + 20 * (node.mappings?.length ?? 0) + (node.tail?.length ?? 0);
}

export function buildIort(nodes: readonly NodeSpec[], options: BuildOptions = {}): { bytes: Uint8Array; offsets: number[] } {
  const first = options.nodeArrayOffset ?? 48 + (options.padding ?? 0);
  const offsets = layout(nodes, 48 + (options.padding ?? 0));
  const out = new Bytes();
  out.ascii('IORT', false).u32(0).u8(options.revision ?? 5).u8(0).ascii('ACPIIO', false).ascii('SPECIMEN', false);
  out.u32(1).ascii('TEST', false).u32(1);
  out.u32(options.nodeCount ?? nodes.length).u32(first).u32(0).zeros(options.padding ?? 0);
  nodes.forEach((node, index) => {
    const start = out.size;
    const mappings = node.mappings ?? [];
    const fixedSize = node.fixed?.length ?? 0;
    out.u8(node.type).u16(node.length ?? naturalLength(node)).u8(node.revision ?? 0).u32(node.identifier ?? index);
    out.u32(node.mappingCount ?? mappings.length).u32(node.mappingOffset ?? (mappings.length > 0 ? 16 + fixedSize : 0));
    for (const byte of node.fixed ?? []) out.u8(byte);
    for (const mapping of mappings) {
      const reference = mapping.reference ?? (mapping.target === undefined ? 0 : offsets[mapping.target]!);
      out.u32(mapping.inputBase ?? 0).u32(mapping.idCount ?? 0).u32(mapping.outputBase ?? 0).u32(reference).u32(mapping.flags ?? 0);
    }
    for (const byte of node.tail ?? []) out.u8(byte);
    const wanted = start + (node.length ?? naturalLength(node));
    if (out.size < wanted) out.zeros(wanted - out.size);
    else out.truncate(wanted);
  });
  out.zeros(options.trailing ?? 0);
  const bytes = out.done();
  nodes.forEach((node, index) => {
    for (const [rel, value] of node.patch32 ?? []) writeU32(bytes, offsets[index]! + rel, value);
    for (const [rel, handle] of node.refs ?? []) writeU32(bytes, offsets[index]! + rel, offsets[handle]!);
  });
  writeU32(bytes, 4, options.length ?? bytes.length);
  return { bytes: fixChecksum(bytes), offsets };
}

// Type-specific fixed parts (offsets from docs/spec.md §3.6–3.13).

export function itsGroup(ids: number[], extra: Partial<NodeSpec> = {}): NodeSpec {
  const fixed = new Bytes().u32(ids.length);
  for (const id of ids) fixed.u32(id);
  return { type: TYPE.its, revision: 1, fixed: fixed.done(), ...extra };
}

export function memoryAccess(out: Bytes, cca = 1, hints = 0, flags = 3): Bytes {
  return out.u32(cca).u8(hints).u16(0).u8(flags);
}

/** Named component: flags, memory access, address limit, name; `padTo` pads the fixed part to that node offset. */
export function namedComponent(name: string, options: { flags?: number; limit?: number; padTo?: number } & Partial<NodeSpec> = {}): NodeSpec {
  const { flags = 0, limit = 48, padTo, ...extra } = options;
  const fixed = memoryAccess(new Bytes().u32(flags)).u8(limit).ascii(name);
  if (padTo !== undefined && 16 + fixed.size < padTo) fixed.zeros(padTo - 16 - fixed.size);
  return { type: TYPE.nc, revision: 4, fixed: fixed.done(), ...extra };
}

/** Root complex with the EDK2 40-byte layout (revision 4), or `size` 32/36 for older layouts. */
export function rootComplex(segment: number, options: { ats?: number; size?: 32 | 36 | 40; limit?: number; pasid?: number; flags?: number } & Partial<NodeSpec> = {}): NodeSpec {
  const { ats = 0, size = 40, limit = 64, pasid = 0, flags = 0, ...extra } = options;
  const fixed = memoryAccess(new Bytes()).u32(ats).u32(segment);
  if (size >= 36) fixed.u8(limit).u16(pasid).u8(0);
  if (size >= 40) fixed.u32(flags);
  return { type: TYPE.rc, revision: size === 32 ? 0 : size === 36 ? 1 : 4, fixed: fixed.done(), ...extra };
}

/** SMMUv1/v2 with the global interrupt array at 60 and context/PMU interrupts after the mappings. */
export function smmuV1V2(options: { base?: bigint; model?: number; context?: number[]; pmu?: number[]; mappingCount?: number } & Partial<NodeSpec> = {}): NodeSpec {
  const { base = 0x5000_0000n, model = 3, context = [], pmu = [], mappingCount = options.mappings?.length ?? 0, ...extra } = options;
  const tailStart = 76 + 20 * mappingCount;
  const fixed = new Bytes().u64(base).u64(0x10_0000n).u32(model).u32(0).u32(60);
  fixed.u32(context.length).u32(context.length > 0 ? tailStart : 0).u32(pmu.length).u32(pmu.length > 0 ? tailStart + 8 * context.length : 0);
  fixed.u32(32).u32(0).u32(33).u32(1);
  const tail = new Bytes();
  for (const gsiv of [...context, ...pmu]) tail.u32(gsiv).u32(1);
  return { type: TYPE.smmu, revision: 3, fixed: fixed.done(), tail: tail.done(), ...extra };
}

/** SMMUv3 (68-byte fixed part); default GSIVs all wired so the DeviceID index is not in effect. */
export function smmuV3(options: { flags?: number; gsivs?: [number, number, number, number]; model?: number; index?: number; proximity?: number } & Partial<NodeSpec> = {}): NodeSpec {
  const { flags = 1, gsivs = [100, 101, 102, 103], model = 0, index = 0, proximity = 0, ...extra } = options;
  const fixed = new Bytes().u64(0x900_0000n).u32(flags).u32(0).u64(0n).u32(model);
  for (const gsiv of gsivs) fixed.u32(gsiv);
  fixed.u32(proximity).u32(index);
  return { type: TYPE.smmuV3, revision: 4, fixed: fixed.done(), ...extra };
}

/** PMCG monitoring node `monitored` (a handle). */
export function pmcg(monitored: number, options: { gsiv?: number } & Partial<NodeSpec> = {}): NodeSpec {
  const { gsiv = 0, ...extra } = options;
  const fixed = new Bytes().u64(0x1000_0000n).u32(gsiv).u32(0).u64(0x1001_0000n);
  return { type: TYPE.pmcg, revision: 2, fixed: fixed.done(), refs: [[28, monitored]], ...extra };
}

/** RMR with descriptors after the mappings. */
export function rmr(ranges: [bigint, bigint][], options: { flags?: number } & Partial<NodeSpec> = {}): NodeSpec {
  const { flags = 0, ...extra } = options;
  const mappings = extra.mappings?.length ?? 0;
  const fixed = new Bytes().u32(flags).u32(ranges.length).u32(ranges.length > 0 ? 28 + 20 * mappings : 0);
  const tail = new Bytes();
  for (const [base, length] of ranges) tail.u64(base).u64(length).u32(0);
  return { type: TYPE.rmr, revision: 3, fixed: fixed.done(), tail: tail.done(), ...extra };
}

export function iwb(name: string, options: { index?: number } & Partial<NodeSpec> = {}): NodeSpec {
  const { index = 0, ...extra } = options;
  return { type: TYPE.iwb, revision: 1, fixed: new Bytes().u64(0x2f00_0000n).u16(index).ascii(name).done(), ...extra };
}
