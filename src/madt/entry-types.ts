/** Entry view types, one per kind, derived from the field maps (types only). */
import type { MADT_FIELDS } from './entries.js';
import type { EntryView } from './entry-view.js';

type Fields = typeof MADT_FIELDS;

/** The view of one kind, e.g. `MadtEntryOf<'gic-its'>`. */
export type MadtEntryOf<K extends keyof Fields> = EntryView<K, Fields[K]>;
/** Any MADT entry, discriminated by `kind`. */
export type MadtEntry = { [K in keyof Fields]: MadtEntryOf<K> }[keyof Fields];

export type LocalApicEntry = MadtEntryOf<'local-apic'>;
export type IoApicEntry = MadtEntryOf<'io-apic'>;
export type InterruptOverrideEntry = MadtEntryOf<'interrupt-override'>;
export type NmiSourceEntry = MadtEntryOf<'nmi-source'>;
export type LocalApicNmiEntry = MadtEntryOf<'local-apic-nmi'>;
export type LocalApicOverrideEntry = MadtEntryOf<'local-apic-override'>;
export type IoSapicEntry = MadtEntryOf<'io-sapic'>;
export type LocalSapicEntry = MadtEntryOf<'local-sapic'>;
export type PlatformInterruptSourcesEntry = MadtEntryOf<'platform-interrupt-sources'>;
export type LocalX2apicEntry = MadtEntryOf<'local-x2apic'>;
export type LocalX2apicNmiEntry = MadtEntryOf<'local-x2apic-nmi'>;
export type GiccEntry = MadtEntryOf<'gicc'>;
export type GicdEntry = MadtEntryOf<'gicd'>;
export type GicMsiFrameEntry = MadtEntryOf<'gic-msi-frame'>;
export type GicrEntry = MadtEntryOf<'gicr'>;
export type GicItsEntry = MadtEntryOf<'gic-its'>;
export type MultiprocessorWakeupEntry = MadtEntryOf<'multiprocessor-wakeup'>;
export type CorePicEntry = MadtEntryOf<'core-pic'>;
export type LioPicEntry = MadtEntryOf<'lio-pic'>;
export type HtPicEntry = MadtEntryOf<'ht-pic'>;
export type EioPicEntry = MadtEntryOf<'eio-pic'>;
export type MsiPicEntry = MadtEntryOf<'msi-pic'>;
export type BioPicEntry = MadtEntryOf<'bio-pic'>;
export type LpcPicEntry = MadtEntryOf<'lpc-pic'>;
export type RintcEntry = MadtEntryOf<'rintc'>;
export type ImsicEntry = MadtEntryOf<'imsic'>;
export type AplicEntry = MadtEntryOf<'aplic'>;
export type PlicEntry = MadtEntryOf<'plic'>;
export type Gicv5IrsEntry = MadtEntryOf<'gicv5-irs'>;
export type Gicv5ItsConfigFrameEntry = MadtEntryOf<'gicv5-its-config-frame'>;
export type Gicv5ItsTranslateFrameEntry = MadtEntryOf<'gicv5-its-translate-frame'>;
export type OemEntry = MadtEntryOf<'oem'>;
export type UnknownEntry = MadtEntryOf<'unknown'>;
