/** Type 4 — ACPI Name-space Device Declaration (VT-d §8.7, docs/spec.md §2.8). No scopes. */
import type { CheckContext } from './check-context.js';
import { ANDD } from './layout.js';
import { StructureView } from './structure.js';

export class AnddStructure extends StructureView<'andd'> {
  readonly kind = 'andd' as const;

  /** The three reserved bytes at +4, as a little-endian 24-bit number. */
  get reserved(): number {
    return this.reader.uint(this.offset + ANDD.reserved, 3) ?? 0;
  }

  /** Referenced by namespace device scopes through their Enumeration ID. */
  get acpiDeviceNumber(): number {
    return this.u8(ANDD.acpiDeviceNumber);
  }

  /** The ACPI path up to the first NUL (or every name byte when there is none), as Latin-1. */
  get objectName(): string {
    return this.name().text;
  }

  /** False when no NUL lies inside the structure (Linux then fails the DMAR parse). */
  get objectNameTerminated(): boolean {
    return this.name().terminated;
  }

  private name(): { text: string; terminated: boolean } {
    return this.reader.cString(this.offset + ANDD.objectName, this.offset + this.length);
  }

  toJSON() {
    const { reserved, acpiDeviceNumber, objectName, objectNameTerminated } = this;
    return { ...this.headerJson(), reserved, acpiDeviceNumber, objectName, objectNameTerminated };
  }
}

/** dmar_parse_one_andd(): a name without NUL inside Length − 8 bytes fails the whole parse. */
export function checkAndd(context: CheckContext, offset: number, length: number): void {
  if (context.reader.terminatedLength(offset + ANDD.objectName, offset + length) < 0) {
    context.diagnostics.add('dmar.andd.unterminated', offset, 'ANDD object name has no NUL inside the structure; Linux ("ANDD object name is not NUL-terminated") then fails the whole DMAR parse and leaves the IOMMU off', length);
  }
}
