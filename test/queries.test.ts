/**
 * Consistent queries across tables: structuresOfKind (DMAR), nodesOfKind (IORT), entriesOfKind
 * (MADT), each typed by kind; and from an RMRR / RMR to the devices it reaches. Expected values
 * come from the samples' hand-written models and PCI topologies (corpus/samples) and the kernel's
 * rules named beside them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  analyzeRegions, parseDmar, parseIort, parseMadt, rmrDevices, rmrrDevices, topologyFromJson,
  type GicItsEntry, type RmrNode, type RmrrStructure, type SmmuV3Node,
} from '../src/index.js';
import { REPO_ROOT } from './support/shared.js';

const sample = (machine: string, file: string) => readFileSync(join(REPO_ROOT, 'corpus', 'samples', machine, file));
const model = (machine: string, file: string) => JSON.parse(sample(machine, file).toString('utf8'));

describe('typed kind queries', () => {
  it('DMAR structuresOfKind yields the structures of that kind, typed', () => {
    const dmar = parseDmar(new Uint8Array(sample('x86-laptop', 'DMAR.bin')));
    const rmrrs = [...dmar.structuresOfKind('rmrr')];
    expectTypeOf(rmrrs).toEqualTypeOf<RmrrStructure[]>();
    const expected = model('x86-laptop', 'DMAR.model.json').structures.filter((s: { kind: string }) => s.kind === 'rmrr');
    expect(rmrrs.map((rmrr) => `0x${rmrr.baseAddress.toString(16)}`)).toEqual(expected.map((s: { baseAddress: string }) => s.baseAddress));
  });

  it('IORT nodesOfKind yields only that kind, typed, in table order', () => {
    const iort = parseIort(new Uint8Array(sample('arm-server', 'IORT.bin')));
    const smmus = [...iort.nodesOfKind('smmu-v3')];
    expectTypeOf(smmus).toEqualTypeOf<SmmuV3Node[]>();
    const rmrs = [...iort.nodesOfKind('rmr')];
    expectTypeOf(rmrs).toEqualTypeOf<RmrNode[]>();
    const kinds = model('arm-server', 'IORT.model.json').nodes.map((node: { kind: string }) => node.kind);
    expect(smmus.map((node) => node.kind)).toEqual(kinds.filter((kind: string) => kind === 'smmu-v3'));
    expect(rmrs).toHaveLength(kinds.filter((kind: string) => kind === 'rmr').length);
    expect(rmrs[0]!.memoryRanges().next().value!.baseAddress).toBe(0xe0000000n);
    expect([...iort.nodesOfKind('unknown')]).toEqual([]);
  });

  it('IORT nodesOfKind reports a node too short for its type as unknown, as nodes() does', () => {
    // One 16-byte node of type 4 (SMMUv3), far below SMMUv3's fixed fields: framed, but a view of kind 'unknown'.
    const bytes = new Uint8Array(48 + 16);
    bytes.set([...'IORT'].map((c) => c.charCodeAt(0)), 0);
    new DataView(bytes.buffer).setUint32(4, bytes.length, true);
    bytes[8] = 5;
    new DataView(bytes.buffer).setUint32(36, 1, true);
    new DataView(bytes.buffer).setUint32(40, 48, true);
    bytes[48] = 4;
    new DataView(bytes.buffer).setUint16(49, 16, true);
    const iort = parseIort(bytes);
    expect([...iort.nodes()].map((node) => node.kind)).toEqual(['unknown']);
    expect([...iort.nodesOfKind('smmu-v3')]).toEqual([]);
    expect([...iort.nodesOfKind('unknown')].map((node) => node.offset)).toEqual([48]);
  });

  it('MADT entriesOfKind yields that kind, typed', () => {
    const madt = parseMadt(new Uint8Array(sample('arm-server', 'APIC.bin')));
    const its = [...madt.entriesOfKind('gic-its')];
    expectTypeOf(its).toEqualTypeOf<GicItsEntry[]>();
    const expected = model('arm-server', 'APIC.model.json').entries.filter((entry: { kind: string }) => entry.kind === 'gic-its');
    expect(its).toHaveLength(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });
});

describe('from a range structure to the devices it reaches', () => {
  it('RMRR: endpoint scopes reach their function; a bridge scope reaches the bridge and what is below it', () => {
    const dmar = parseDmar(new Uint8Array(sample('x86-laptop', 'DMAR.bin')));
    const analysis = analyzeRegions({ dmar }, topologyFromJson(model('x86-laptop', 'pci.json')), 'intel');
    const reached = [...dmar.structuresOfKind('rmrr')].map((rmrr) => rmrrDevices(analysis, rmrr));
    // Scopes in the model: endpoint 00:14.0, endpoint 00:02.0, bridge 00:1c.0 (root port of bus 1 with 01:00.0).
    // intel_iommu_get_resv_regions: a device gets an RMRR when named or downstream of a named bridge.
    expect(reached).toEqual([['0000:00:14.0'], ['0000:00:02.0'], ['0000:00:1c.0', '0000:01:00.0']]);
  });

  it('RMR: the PCI function whose StreamID the RMR maps', () => {
    const iort = parseIort(new Uint8Array(sample('arm-server', 'IORT.bin')));
    const madt = parseMadt(new Uint8Array(sample('arm-server', 'APIC.bin')));
    const analysis = analyzeRegions({ iort, madt }, topologyFromJson(model('arm-server', 'pci.json')), 'arm');
    // The RMR maps StreamID 0x100 on the SMMUv3; the root complex maps RIDs 1:1, and RID 0x100 is 01:00.0.
    expect([...iort.nodesOfKind('rmr')].map((rmr) => rmrDevices(analysis, rmr))).toEqual([['0000:01:00.0']]);
  });
});
