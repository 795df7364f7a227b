/**
 * One entry point over whatever tables are at hand: each IOMMU table gives its region provider
 * (a DMAR the Intel one, an IORT with the MADT of the same input set the Arm one, an IVRS the
 * AMD one), and the
 * region core groups and merges. With a topology the result has per-device and per-group lists;
 * without one, every region the tables can produce with the scope that claims it.
 */
import { dmarRegionProvider, type DmarTable } from './dmar/index.js';
import { iortRegionProvider, type ArmOptions, type IortTable } from './iort/index.js';
import { ivrsRegionProvider, type IvrsTable } from './ivrs/index.js';
import type { MadtTable } from './madt/index.js';
import type { PciTopology } from './pci/model.js';
import { analyzeWith, type RegionAnalysis } from './regions/analysis.js';
import { PLATFORMS, type Platform, type RegionProvider } from './regions/provider.js';
import type { RegionDescriptor } from './regions/types.js';

export interface RegionTables {
  dmar?: DmarTable | undefined;
  iort?: IortTable | undefined;
  madt?: MadtTable | undefined;
  ivrs?: IvrsTable | undefined;
}

/** Arm inputs, and the kernel version's rules (`kernel`, default current mainline) for every platform. */
export type AnalyzeOptions = ArmOptions;

const TABLE_OF: Readonly<Record<Platform, keyof RegionTables>> = { intel: 'dmar', arm: 'iort', amd: 'ivrs' };

/**
 * The platform the tables describe; `undefined` without a DMAR, IORT or IVRS. With several:
 * `prefer` if its table is there, else DMAR, then IORT, then IVRS.
 */
export function platformOf(tables: RegionTables, prefer?: Platform): Platform | undefined {
  if (prefer !== undefined && tables[TABLE_OF[prefer]] !== undefined) return prefer;
  return PLATFORMS.find((platform) => tables[TABLE_OF[platform]] !== undefined);
}

/** The provider of the platform the tables describe (`prefer` picks one when several are given); undefined without an IOMMU table. */
export function regionProvider(tables: RegionTables, prefer?: Platform, options: AnalyzeOptions = {}): RegionProvider | undefined {
  switch (platformOf(tables, prefer)) {
    case 'intel':
      return dmarRegionProvider(tables.dmar!, { kernel: options.kernel });
    case 'arm':
      return iortRegionProvider(tables.iort!, tables.madt, options);
    case 'amd':
      return ivrsRegionProvider(tables.ivrs!, { kernel: options.kernel });
    default:
      return undefined;
  }
}

function providerOf(tables: RegionTables, prefer: Platform | undefined, options: AnalyzeOptions): RegionProvider {
  const provider = regionProvider(tables, prefer, options);
  if (provider === undefined) throw new Error('no DMAR, IORT or IVRS table');
  return provider;
}

/** Per-device and per-group lists; the platform is inferred from the tables. Throws when they hold no IOMMU table. */
export function analyzeRegions(tables: RegionTables, topology: PciTopology, prefer?: Platform, options: AnalyzeOptions = {}): RegionAnalysis {
  return analyzeWith(providerOf(tables, prefer, options), topology);
}

/** Without a topology: every region with its provenance. Throws when the tables hold no IOMMU table. */
export function unscopedRegions(tables: RegionTables, prefer?: Platform, options: AnalyzeOptions = {}): RegionDescriptor[] {
  return providerOf(tables, prefer, options).unscopedRegions();
}
