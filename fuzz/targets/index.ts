/** The fuzz targets (wasmparser's `fuzz_targets` layout): each exports a plain `run(bytes)`. */
import { run as runDmar } from './dmar.js';
import { run as runIort } from './iort.js';
import { run as runMadt } from './madt.js';
import { run as runIvrs } from './ivrs.js';
import type { TargetResult } from './common.js';

export type { TargetResult } from './common.js';

export const TARGETS: Readonly<Record<'dmar' | 'iort' | 'madt' | 'ivrs', { signature: string; run: (bytes: Uint8Array) => TargetResult }>> = {
  dmar: { signature: 'DMAR', run: runDmar },
  iort: { signature: 'IORT', run: runIort },
  madt: { signature: 'APIC', run: runMadt },
  ivrs: { signature: 'IVRS', run: runIvrs },
};

export type TargetName = keyof typeof TARGETS;
