/**
 * Inputs for the command target: for each command, its table arguments (a mutated real,
 * sample or generated DMAR, IORT or IVRS beside the platform's APIC, as files or a folder), the
 * companion files it reads (models, `--pci` topologies, memory maps, guest RAM lists; JSON
 * mutated by mutate-json.ts), fake machine roots for collect, and option values from a list
 * that mixes good ones with hostile ones.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { jsonReplacer } from '../src/bytes/hex.js';
import { encodeTable, type TableModel } from '../src/encode/index.js';
import { topologyToJson } from '../src/pci/json.js';
import { ivrsModelArbitrary } from './arbitraries.js';
import { machineRoot, type PciJson } from './collect-root.js';
import { makeSeed, mutate, type Seed } from './mutate.js';
import { mutateJson } from './mutate-json.js';
import type { Random } from './prng.js';
import { seedsFor } from './seeds.js';
import { ARM_SERVER_APIC, ARM_SERVER_IORT, ARM_SERVER_PCI, X86_LAPTOP_APIC, X86_LAPTOP_DMAR, X86_LAPTOP_PCI } from './specimens/samples.js';
import type { CommandCase, CommandName } from './targets/commands.js';
import { IVRS_TOPOLOGY } from './targets/ivrs.js';

const text = (value: string) => new TextEncoder().encode(value);
const json = (value: unknown) => text(JSON.stringify(value, jsonReplacer));

const E820_LOG = readFileSync(resolve(import.meta.dirname, '..', 'examples', 'laptop-e820.log'), 'utf8');
const MEMMAP_JSON = [{ start: '0x0', end: '0x9fbff', type: 'System RAM' }, { start: '0x7a000000', end: '0x7a7fffff', type: 'Reserved' }, { start: '0x7c000000', end: '0x8fffffff', type: 'Reserved' }];
const GUEST_RAM = [{ start: '0x0', end: '0x7fffffff' }, { start: '0x100000000', size: '0x80000000' }];

/** Option values: `[sensible…, | hostile…]`; a hostile one is picked one time in six. */
const VALUES = {
  kernel: [['6.1', '5.4', '6.6.12', '4.19'], ['abc', '99999999999.1', '']],
  device: [['0000:00:14.0', '00:1f.6', '00:02.0', '0000:01:00.0', '\\_SB.ETH0'], ['ffff:ff:1f.7', 'zz', '', '0000:00:14.9']],
  group: [['1', '4', '0'], ['99', 'abc', '-1', '1e3']],
  aperture: [['48', '39', '64', '0x1000-0xfffff'], ['65', '0', 'abc', '0xffffffffffffffffff-0x1']],
  size: [['4G', '512M', '0x40000000', '1'], ['0', '-1', '18446744073709551616', '99999999999999999999999G', 'abc']],
  align: [['2M', '4K', '1G'], ['3', '0', 'x']],
  format: [['text', 'e820', 'dt', 'json'], ['xml']],
  rid: [['0x100', '0', '0xffff', '0x8'], ['0x10000', '-1', 'abc', '99999999999']],
  node: [['0x30', '0x48', '0x5c', '\\_SB.ETH0'], ['abc', '0xffffffff', '-5', '']],
  id: [['0', '1', '0xffffffff'], ['0x100000000', 'x']],
  segment: [['0', '1', '65535'], ['65536', 'abc']],
  pageSize: [['4096', '65536', '16384'], ['0', '3', 'abc']],
  guestRam: [['0x0-0x7fffffff', '0x0-0x7fffffff,0x100000000-0x27fffffff'], ['0x10-0x0', '', 'abc', '0x0-0xffffffffffffffffffff']],
  yesNo: [['yes', 'no'], ['maybe']],
  platform: [['intel', 'arm', 'amd'], ['riscv', 'AMD']],
  ciFormat: [['text', 'json', 'sarif', 'github'], ['xml', '', 'SARIF']],
  failOn: [['error', 'warning'], ['info', '']],
  ignore: [['dmar.rmrr.*', 'dmar.haw.invalid', 'ivrs.*', 'iort.*', 'audit.rmrr.misaligned', 'madt.*'], ['', '*', '.*', 'x'.repeat(300)]],
} satisfies Record<string, [string[], string[]]>;

function value(random: Random, [good, hostile]: readonly [readonly string[], readonly string[]]): string {
  return random.pick(random.chance(1 / 6) ? hostile : good);
}

type Platform = 'intel' | 'arm' | 'amd';
const SIGNATURE = { intel: 'DMAR', arm: 'IORT', amd: 'IVRS' } as const satisfies Record<Platform, string>;

/** What each platform's cases start from: its IOMMU table seeds, APIC, encoder model and PCI topology. */
interface PlatformSeeds {
  tables: Seed[];
  apic: Seed;
  model: TableModel;
  pci: PciJson;
}

export type CaseSeeds = Record<Platform, PlatformSeeds> & { apic: Seed[] };

/** Table seeds for the three platforms: real tables (../shared) when present, samples, generated models. */
export function commandSeeds(seed: number, real = true): CaseSeeds {
  const x86Apic = makeSeed('sample/x86-laptop/APIC', encodeTable(X86_LAPTOP_APIC));
  const armApic = makeSeed('sample/arm-server/APIC', encodeTable(ARM_SERVER_APIC));
  // No AMD sample platform: a generated IVRS model to encode, and the IVRS target's topology.
  const [ivrsModel] = fc.sample(ivrsModelArbitrary, { numRuns: 1, seed });
  return {
    intel: { tables: seedsFor('dmar', { generated: 16, seed, real }), apic: x86Apic, model: X86_LAPTOP_DMAR, pci: X86_LAPTOP_PCI },
    arm: { tables: seedsFor('iort', { generated: 16, seed, real }), apic: armApic, model: ARM_SERVER_IORT, pci: ARM_SERVER_PCI },
    amd: { tables: seedsFor('ivrs', { generated: 16, seed, real }), apic: x86Apic, model: ivrsModel!, pci: topologyToJson(IVRS_TOPOLOGY) as unknown as PciJson },
    apic: [x86Apic, armApic],
  };
}

/** Bytes a header field is set to: the edges of 6-, 7- and 8-bit fields. */
const HEADER_VALUES = [0, 1, 0x3f, 0x40, 0x7f, 0x80, 0xfe, 0xff];
/** The SDT header plus each table's own fixed header (DMAR Host Address Width at 36, IORT counts at 36..47). */
const HEADER_BYTES = 48;

/** A seed's bytes, mutated most of the time; now and then one header byte set to an edge value, which every command reads. */
function tableBytes(seeds: readonly Seed[], random: Random, operators: string[]): Uint8Array {
  const seed = random.pick(seeds);
  if (!random.chance(0.75)) return seed.bytes;
  const mutated = mutate(seed, random, seeds);
  operators.push(...mutated.operators);
  if (random.chance(0.2) && mutated.bytes.length > 9) {
    const at = random.below(Math.min(HEADER_BYTES, mutated.bytes.length));
    if (at !== 9) {
      // Keep the checksum right so the edit is the only finding.
      mutated.bytes[9] = (mutated.bytes[9]! + mutated.bytes[at]! - (mutated.bytes[at] = random.pick(HEADER_VALUES))) & 0xff;
      operators.push('header-byte');
    }
  }
  return mutated.bytes;
}

function jsonFile(value: unknown, random: Random, operators: string[], probability = 0.5): Uint8Array {
  if (!random.chance(probability)) return json(value);
  const mutated = mutateJson(value, random);
  operators.push(...mutated.operators);
  return json(mutated.value);
}

/** `[flag, value]` half the time. */
function maybe(random: Random, flag: string, values: readonly [readonly string[], readonly string[]]): string[] {
  return random.chance(0.5) ? [flag, value(random, values)] : [];
}

/** One generated case for `command`, and the mutation operators used. */
export function commandCase(command: CommandName, seeds: CaseSeeds, random: Random): { item: CommandCase; operators: string[] } {
  const operators: string[] = [];
  // map follows IORT ID mappings only; every other command reads all three IOMMU tables.
  const platform: Platform = command === 'map' ? 'arm' : random.pick(['intel', 'arm', 'amd'] as const);
  const own = seeds[platform];
  const table = tableBytes(own.tables, random, operators);
  const apic = random.chance(0.85) ? own.apic.bytes : tableBytes(seeds.apic, random, operators);
  const withApic = random.chance(0.8);
  const files: Record<string, Uint8Array> = {};
  const flag = (name: string) => (random.chance(0.5) ? [name] : []);
  /** The tables as two files, or (dump, check, report, view: commands that read folders) a folder holding them one level down. */
  const tableArgs = (folders = false): string[] => {
    if (folders && random.chance(0.3)) {
      const inner = random.chance(0.5) ? 'tables/' : 'tables/sub/';
      files[`${inner}${SIGNATURE[platform]}`] = table;
      if (withApic) files[`${inner}APIC`] = apic;
      return ['@tables'];
    }
    files.table = table;
    if (withApic) files.apic = apic;
    return withApic ? ['@table', '@apic'] : ['@table'];
  };
  const withPci = (): string[] => {
    if (!random.chance(0.7)) return [];
    files['pci.json'] = jsonFile(own.pci, random, operators);
    return ['--pci', '@pci.json'];
  };
  /** A function of the platform's own topology most of the time (the paths past "not in the topology"), else any value. */
  const device = (): string => (random.chance(0.6) ? random.pick(own.pci.devices).bdf : value(random, VALUES.device));
  const ciOptions = (): string[] => [
    ...(random.chance(0.3) ? ['--json'] : maybe(random, '--format', VALUES.ciFormat)),
    ...maybe(random, '--fail-on', VALUES.failOn),
    ...(random.chance(0.4) ? ['--ignore', value(random, VALUES.ignore), ...maybe(random, '--ignore', VALUES.ignore)] : []),
  ];
  let args: string[];
  switch (command) {
    case 'dump':
      args = [...flag('--json'), ...flag('-r'), ...tableArgs(true)];
      break;
    case 'check':
      args = [...ciOptions(), ...flag('--quiet'), ...flag('--strict'), ...flag('-r'), ...tableArgs(true)];
      break;
    case 'report':
      args = [...flag('--json'), ...flag('-r'), ...withPci(), ...tableArgs(true)];
      break;
    case 'view': {
      if (random.chance(0.2)) files['view.html'] = text('<p>a page the user had</p>\n');
      const guestRam = random.chance(0.3) ? ['--guest-ram', value(random, VALUES.guestRam)] : [];
      args = [...(random.chance(0.9) ? tableArgs(true) : []), ...withPci(), ...guestRam, '--no-open', '--out', '@view.html', ...flag('--force')];
      break;
    }
    case 'collect': {
      const tables: Record<string, Uint8Array> = random.chance(0.9) ? { [SIGNATURE[platform]]: table } : {};
      if (withApic) tables.APIC = apic;
      Object.assign(files, machineRoot(tables, own.pci, MEMMAP_JSON, random, operators));
      args = ['--root', '@root', ...(random.chance(0.5) ? ['-o', '@archive.json'] : [])];
      break;
    }
    case 'regions': {
      const pci = withPci();
      const scoped = pci.length > 0 ? [...maybe(random, '--group', VALUES.group), ...(random.chance(0.5) ? ['--device', device()] : [])] : [];
      args = [...tableArgs(), ...pci, ...scoped, ...random.pick([[], ['--json'], ['--sysfs']]), ...maybe(random, '--kernel', VALUES.kernel), ...flag('--relax-rmrr'),
        ...maybe(random, '--page-size', VALUES.pageSize), ...maybe(random, '--preserve-boot-config', VALUES.yesNo), ...maybe(random, '--platform', VALUES.platform)];
      break;
    }
    case 'iova':
      args = [...tableArgs(), ...withPci(), ...maybe(random, '--platform', VALUES.platform), ...maybe(random, '--aperture', VALUES.aperture), ...(random.chance(0.5) ? ['--json'] : maybe(random, '--format', VALUES.format)),
        ...maybe(random, '--ram-size', VALUES.size), ...maybe(random, '--ram-align', VALUES.align)];
      break;
    case 'conflicts': {
      let ram = value(random, VALUES.guestRam);
      if (random.chance(0.4)) {
        files['guest-ram.json'] = jsonFile(GUEST_RAM, random, operators);
        ram = '@guest-ram.json';
      }
      args = [...tableArgs(), '--guest-ram', ram, ...withPci(), ...flag('--json')];
      break;
    }
    case 'map':
      args = [...tableArgs(), ...(random.chance(0.5) ? ['--rid', value(random, VALUES.rid)] : ['--node', value(random, VALUES.node), ...maybe(random, '--id', VALUES.id)]),
        ...maybe(random, '--segment', VALUES.segment), ...flag('--json')];
      break;
    case 'audit': {
      const memmap: string[] = [];
      if (random.chance(0.6)) {
        const asJson = random.chance(0.5);
        const log = asJson ? jsonFile(MEMMAP_JSON, random, operators) : tableBytes([makeSeed('e820', text(E820_LOG))], random, operators);
        files[asJson ? 'memmap.json' : 'memmap.log'] = log;
        memmap.push('--memmap', asJson ? '@memmap.json' : '@memmap.log');
      }
      args = [...tableArgs(), ...memmap, ...maybe(random, '--kernel', VALUES.kernel), ...ciOptions()];
      break;
    }
    case 'explain':
      args = [...tableArgs(), device(), ...withPci(), ...flag('--json'), ...maybe(random, '--kernel', VALUES.kernel), ...flag('--relax-rmrr'), ...maybe(random, '--platform', VALUES.platform)];
      break;
    case 'encode':
      files['model.json'] = jsonFile(own.model, random, operators, 0.85);
      args = ['@model.json', ...flag('--strict'), ...(random.chance(0.5) ? ['-o', '@out.bin'] : [])];
      break;
  }
  return { item: { command, args, files }, operators };
}
