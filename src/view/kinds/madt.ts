/** MADT (`APIC`) on the page: field spans from the parser's own field descriptors (src/madt/entries.ts). */
import { parseMadt, type MadtTable } from '../../madt/index.js';
import { MADT_FIELDS } from '../../madt/entries.js';
import type { FieldSpec } from '../../madt/entry-view.js';
import { MADT_FLAGS, MADT_LOCAL_INTERRUPT_CONTROLLER_ADDRESS } from '../../madt/layout.js';
import type { JsonItem, Span, TableKind } from './kind.js';

const TABLE: Record<string, Span> = {
  localInterruptControllerAddress: [MADT_LOCAL_INTERRUPT_CONTROLLER_ADDRESS, 4],
  flags: [MADT_FLAGS, 4],
  pcatCompat: [MADT_FLAGS, 4],
};

/** Bytes a descriptor covers inside a subtable of `length` bytes; derived fields have none. */
function specSpan(spec: FieldSpec, length: number): Span | undefined {
  switch (spec.read) {
    case 'number':
    case 'flag':
    case 'bits':
      return [spec.at, spec.width];
    case 'bigint':
      return [spec.at, 8];
    case 'array':
      return [spec.at, spec.width * spec.count];
    case 'bytes':
      return [spec.at, spec.count === 'rest' ? Math.max(0, length - spec.at) : spec.count];
    case 'string':
      return [spec.at, Math.max(0, length - spec.at)];
    case 'derived':
      return undefined;
  }
}

function entrySpans(item: JsonItem): Record<string, Span> {
  const length = typeof item.length === 'number' ? item.length : 0;
  const spans: Record<string, Span> = { type: [0, 1], length: [1, 1] };
  const fields: Readonly<Record<string, FieldSpec>> | undefined = (MADT_FIELDS as Record<string, Readonly<Record<string, FieldSpec>>>)[String(item.kind)];
  for (const [name, spec] of Object.entries(fields ?? {})) {
    const span = specSpan(spec, length);
    if (span !== undefined) spans[name] = span;
  }
  return spans;
}

export const MADT_KIND: TableKind<MadtTable> = {
  signature: 'APIC',
  title: 'MADT (APIC: GIC ITS, MSI frames, IOAPICs)',
  parse: parseMadt,
  regionKey: 'madt',
  fieldSpans: (item, arrayName) => (arrayName === undefined ? TABLE : entrySpans(item)),
};
