/**
 * The parsed SDT header (src/bytes/sdt-header.ts) reads every field from the caller's bytes when
 * asked, as the structure views do: the numbers are the header's bytes (ACPI §5.2.6 offsets:
 * Length at 4, Revision 8, Checksum 9, OEM Revision 24, Creator Revision 32), and once the buffer
 * is detached after parsing they read as 0, like every other view, without throwing.
 */
import { describe, expect, it } from 'vitest';
import { parseDmar } from '../src/dmar/index.js';
import { dmar, drhd } from './support/dmar-builder.js';

describe('SDT header fields read on demand', () => {
  it('the numbers are the header bytes, written here by hand', () => {
    const bytes = dmar({ structures: [drhd({ flags: 1 })] }).bytes;
    bytes.set([0x11, 0x22, 0x33, 0x44], 24);
    bytes.set([0x55, 0x66, 0x77, 0x88], 32);
    const header = parseDmar(bytes).header!;
    // 48-byte header + one 16-byte DRHD.
    expect([header.length, header.oemRevision, header.creatorRevision]).toEqual([64, 0x44332211, 0x88776655]);
    expect([header.revision, header.checksum]).toEqual([bytes[8], bytes[9]]);
  });

  it('after the buffer is detached the numbers read 0 and toJSON does not throw', () => {
    const bytes = dmar({ structures: [drhd({ flags: 1 })] }).bytes.slice();
    const table = parseDmar(bytes);
    expect(table.header!.length).toBe(64);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    expect([table.header!.length, table.header!.revision, table.header!.checksum, table.header!.oemRevision, table.header!.creatorRevision]).toEqual([0, 0, 0, 0, 0]);
    expect(() => JSON.stringify(table.header)).not.toThrow();
  });
});
