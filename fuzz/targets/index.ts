/**
 * The fuzz targets (wasmparser's `fuzz_targets` layout): each exports a plain `run(bytes)`, the
 * full invariant suite; `fast` is the libFuzzer-style parse + cheap invariants (fast.ts).
 */
import { parseDmar } from '../../src/dmar/index.js';
import { parseIort } from '../../src/iort/index.js';
import { parseIvrs } from '../../src/ivrs/index.js';
import { parseMadt } from '../../src/madt/index.js';
import { run as runDmar } from './dmar.js';
import { run as runIort } from './iort.js';
import { run as runMadt } from './madt.js';
import { run as runIvrs } from './ivrs.js';
import type { TargetResult } from './common.js';
import { fastTarget } from './fast.js';

export type { TargetResult } from './common.js';

export const TARGETS: Readonly<Record<'dmar' | 'iort' | 'madt' | 'ivrs', { signature: string; run: Target; fast: Target }>> = {
  dmar: { signature: 'DMAR', run: runDmar, fast: fastTarget('parseDmar', parseDmar, (table) => table.structureOffsets, 2) },
  iort: { signature: 'IORT', run: runIort, fast: fastTarget('parseIort', parseIort, (table) => table.nodeOffsets, 1) },
  madt: { signature: 'APIC', run: runMadt, fast: fastTarget('parseMadt', parseMadt, (table) => table.entryOffsets, 1) },
  ivrs: { signature: 'IVRS', run: runIvrs, fast: fastTarget('parseIvrs', parseIvrs, (table) => table.blockOffsets, 1) },
};

type Target = (bytes: Uint8Array) => TargetResult;

export type TargetName = keyof typeof TARGETS;
