/**
 * One entry point over whatever tables are at hand: a DMAR gives the Intel derivation, an IORT
 * (with the MADT of the same input set for ITS doorbells) the Arm one. With a topology the
 * result has per-device and per-group lists; without one, every region the tables can produce
 * with the scope that claims it.
 */
import type { DmarTable } from '../dmar/index.js';
import type { IortTable } from '../iort/index.js';
import type { MadtTable } from '../madt/index.js';
import type { PciTopology } from '../pci/model.js';
import type { RegionAnalysis } from './analysis.js';
import { analyzeArm, type ArmOptions } from './arm.js';
import { armUnscopedRegions } from './arm-unscoped.js';
import { analyzeIntel } from './intel.js';
import type { RegionDescriptor } from './types.js';
import { intelUnscopedRegions } from './unscoped.js';

export type Platform = 'intel' | 'arm';

export interface RegionTables {
  dmar?: DmarTable | undefined;
  iort?: IortTable | undefined;
  madt?: MadtTable | undefined;
}

/** Arm inputs, and the kernel version's rules (`kernel`, default current mainline) for both platforms. */
export type AnalyzeOptions = ArmOptions;

/** The platform the tables describe; `undefined` when neither DMAR nor IORT is there. Both: DMAR unless `prefer` says otherwise. */
export function platformOf(tables: RegionTables, prefer?: Platform): Platform | undefined {
  if (prefer === 'arm' && tables.iort !== undefined) return 'arm';
  if (prefer === 'intel' && tables.dmar !== undefined) return 'intel';
  if (tables.dmar !== undefined) return 'intel';
  return tables.iort !== undefined ? 'arm' : undefined;
}

export function analyzeRegions(tables: RegionTables, topology: PciTopology, platform: Platform, options: AnalyzeOptions = {}): RegionAnalysis {
  if (platform === 'intel') {
    if (tables.dmar === undefined) throw new Error('no DMAR table');
    return analyzeIntel(tables.dmar, topology, options.kernel);
  }
  if (tables.iort === undefined) throw new Error('no IORT table');
  return analyzeArm(tables.iort, tables.madt, topology, options);
}

/** Without a topology: every region with its provenance. */
export function unscopedRegions(tables: RegionTables, platform: Platform, options: AnalyzeOptions = {}): RegionDescriptor[] {
  if (platform === 'intel') {
    if (tables.dmar === undefined) throw new Error('no DMAR table');
    return intelUnscopedRegions(tables.dmar, options.kernel);
  }
  if (tables.iort === undefined) throw new Error('no IORT table');
  return armUnscopedRegions(tables.iort, tables.madt, options);
}
