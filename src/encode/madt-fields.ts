/**
 * What the MADT encoder writes for each subtable type: `name:width@offset` per field, in the
 * names `parseMadt(...).toJSON()` uses (ACPI §5.2.12; docs/spec.md §4). Width is 1, 2, 4 or 8
 * bytes; `bN` is an N-byte blob, `aW*N` an array of N W-byte numbers, `z` a NUL-terminated
 * string. Derived values of the JSON (booleans, doorbell addresses) are not written: the raw
 * word they come from is.
 */

const VERSIONED_WINDOW = 'version:1@2 address:8@3 size:2@11';

const SPECS: Readonly<Record<number, string>> = {
  0x00: 'processorUid:1@2 apicId:1@3 flags:4@4',
  0x01: 'ioApicId:1@2 ioApicAddress:4@4 globalSystemInterruptBase:4@8',
  0x02: 'bus:1@2 source:1@3 globalSystemInterrupt:4@4 flags:2@8',
  0x03: 'flags:2@2 globalSystemInterrupt:4@4',
  0x04: 'processorUid:1@2 flags:2@3 localApicLint:1@5',
  0x05: 'localApicAddress:8@4',
  0x06: 'ioSapicId:1@2 globalSystemInterruptBase:4@4 ioSapicAddress:8@8',
  0x07: 'processorId:1@2 localSapicId:1@3 localSapicEid:1@4 flags:4@8 processorUid:4@12 processorUidString:z@16',
  0x08: 'flags:2@2 interruptType:1@4 processorId:1@5 processorEid:1@6 ioSapicVector:1@7 globalSystemInterrupt:4@8 platformInterruptSourceFlags:4@12',
  0x09: 'x2apicId:4@4 flags:4@8 processorUid:4@12',
  0x0a: 'flags:2@2 processorUid:4@4 localX2apicLint:1@8',
  0x0b:
    'cpuInterfaceNumber:4@4 processorUid:4@8 flags:4@12 parkingProtocolVersion:4@16 performanceInterruptGsiv:4@20 ' +
    'parkedAddress:8@24 baseAddress:8@32 gicvBaseAddress:8@40 gichBaseAddress:8@48 vgicMaintenanceInterrupt:4@56 ' +
    'gicrBaseAddress:8@60 mpidr:8@68 processorPowerEfficiencyClass:1@76 speOverflowInterrupt:2@78 trbeInterrupt:2@80 ' +
    'iaffid:2@82 irsId:4@84',
  0x0c: 'gicId:4@4 baseAddress:8@8 systemVectorBase:4@16 gicVersion:1@20',
  0x0d: 'msiFrameId:4@4 baseAddress:8@8 flags:4@16 spiCount:2@20 spiBase:2@22',
  0x0e: 'flags:1@2 discoveryRangeBaseAddress:8@4 discoveryRangeLength:4@12',
  0x0f: 'flags:1@2 translationId:4@4 baseAddress:8@8',
  0x10: 'mailboxVersion:2@2 mailboxAddress:8@8 resetVector:8@16',
  0x11: 'version:1@2 processorId:4@3 coreId:4@7 flags:4@11',
  0x12: `${VERSIONED_WINDOW} cascade:a1*2@13 cascadeMap:a4*2@15`,
  0x13: `${VERSIONED_WINDOW} cascade:a1*8@13`,
  0x14: 'version:1@2 cascade:1@3 node:1@4 nodeMap:8@5',
  0x15: 'version:1@2 messageAddress:8@3 start:4@11 count:4@15',
  0x16: `${VERSIONED_WINDOW} id:2@13 gsiBase:2@15`,
  0x17: `${VERSIONED_WINDOW} cascade:1@13`,
  0x18: 'version:1@2 flags:4@4 hartId:8@8 processorUid:4@16 externalInterruptControllerId:4@20 imsicAddress:8@24 imsicSize:4@32',
  0x19: 'version:1@2 flags:4@4 numIds:2@8 numGuestIds:2@10 guestIndexBits:1@12 hartIndexBits:1@13 groupIndexBits:1@14 groupIndexShift:1@15',
  0x1a: 'version:1@2 aplicId:1@3 flags:4@4 hardwareId:b8@8 numIdcs:2@16 numSources:2@18 gsiBase:4@20 baseAddress:8@24 size:4@32',
  0x1b: 'version:1@2 plicId:1@3 hardwareId:b8@4 numIrqs:2@12 maxPriority:2@14 flags:4@16 size:4@20 baseAddress:8@24 gsiBase:4@32',
  0x1c: 'gicVersion:1@2 irsId:4@4 flags:4@8 configFrameBaseAddress:8@16 setlpiFrameBaseAddress:8@24',
  0x1d: 'flags:1@2 itsId:4@4 baseAddress:8@8',
  0x1e: 'linkedItsId:4@4 translateFrameId:4@8 baseAddress:8@16',
};

/** Lengths a type is defined with, shortest first, where there is more than one (spec §4.2). */
export const MADT_FORMS: Readonly<Record<number, readonly number[]>> = {
  0x0b: [40, 76, 80, 82, 88],
  0x10: [16, 24],
};

export type MadtFieldKind = 'uint' | 'blob' | 'array' | 'string';

export interface MadtField {
  name: string;
  kind: MadtFieldKind;
  at: number;
  /** Bytes of one number (uint, array) or of the whole blob. */
  width: number;
  /** Elements of an array. */
  count: number;
}

function parseField(text: string): MadtField {
  const match = /^(\w+):(?:(\d)|b(\d+)|a(\d)\*(\d+)|(z))@(\d+)$/.exec(text);
  if (match === null) throw new Error(`bad MADT field spec ${text}`);
  const [, name, width, blob, elementWidth, count, string, at] = match;
  const base = { name: name!, at: Number(at), count: Number(count ?? 1) };
  if (width !== undefined) return { ...base, kind: 'uint', width: Number(width) };
  if (blob !== undefined) return { ...base, kind: 'blob', width: Number(blob) };
  if (elementWidth !== undefined) return { ...base, kind: 'array', width: Number(elementWidth) };
  return { ...base, kind: string === undefined ? 'uint' : 'string', width: 0 };
}

const FIELDS = new Map<number, readonly MadtField[]>(
  Object.entries(SPECS).map(([type, spec]) => [Number(type), spec.split(/\s+/).map(parseField)]),
);

/**
 * The fields of a subtable type. OEM types (≥ 0x80) carry `oemData` after the 2-byte header,
 * reserved types (no layout known) their `payload`, as the parser exposes them.
 */
export function madtFields(type: number): readonly MadtField[] {
  if (type >= 0x80) return [{ name: 'oemData', kind: 'blob', width: -1, at: 2, count: 1 }];
  return FIELDS.get(type) ?? [{ name: 'payload', kind: 'blob', width: -1, at: 2, count: 1 }];
}
