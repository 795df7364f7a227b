/** The 36-byte SDT header every ACPI table starts with (ACPI §5.2.6); the same spans for every kind. */
import type { Span } from './kind.js';

export const SDT_HEADER_SPANS: Readonly<Record<string, Span>> = {
  signature: [0, 4],
  length: [4, 4],
  revision: [8, 1],
  checksum: [9, 1],
  oemId: [10, 6],
  oemTableId: [16, 8],
  oemRevision: [24, 4],
  creatorId: [28, 4],
  creatorRevision: [32, 4],
};
