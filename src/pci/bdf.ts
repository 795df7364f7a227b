/**
 * PCI addresses in the kernel's `SSSS:BB:DD.F` form (segment/domain, bus, device, function),
 * and the 16-bit requester ID (`bus << 8 | device << 3 | function`).
 */

export interface PciAddress {
  segment: number;
  bus: number;
  device: number;
  function: number;
}

const BDF_PATTERN = /^(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i;

/** `0000:00:1f.0`, also `00:1f.0` (segment 0). Undefined when the text is not a BDF. */
export function parseBdf(text: string): PciAddress | undefined {
  const match = BDF_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const address = {
    segment: parseInt(match[1] ?? '0', 16),
    bus: parseInt(match[2]!, 16),
    device: parseInt(match[3]!, 16),
    function: parseInt(match[4]!, 16),
  };
  return address.device > 0x1f ? undefined : address;
}

/** True when `text` is a full or short BDF. */
export function isBdf(text: string): boolean {
  return parseBdf(text) !== undefined;
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/** `SSSS:BB:DD.F`, lower-case, as sysfs names devices. */
export function formatBdf(address: PciAddress): string {
  return `${hex(address.segment, 4)}:${hex(address.bus, 2)}:${hex(address.device, 2)}.${address.function}`;
}

/** `BB:DD.F`, the kernel's short form in DMAR messages. */
export function formatShortBdf(address: Pick<PciAddress, 'bus' | 'device' | 'function'>): string {
  return `${hex(address.bus, 2)}:${hex(address.device, 2)}.${address.function}`;
}

/** `BB:DD`, a slot: every function of one device. */
export function formatSlot(address: Pick<PciAddress, 'bus' | 'device'>): string {
  return `${hex(address.bus, 2)}:${hex(address.device, 2)}`;
}

/** The normalised form of a BDF text, or undefined when it is not one. */
export function normaliseBdf(text: string): string | undefined {
  const address = parseBdf(text);
  return address === undefined ? undefined : formatBdf(address);
}

/** `devfn` as the kernel packs it: device << 3 | function. */
export function devfnOf(address: Pick<PciAddress, 'device' | 'function'>): number {
  return ((address.device & 0x1f) << 3) | (address.function & 0x7);
}

/** Requester ID (`PCI_DEVID`): bus << 8 | devfn. */
export function requesterId(address: Pick<PciAddress, 'bus' | 'device' | 'function'>): number {
  return ((address.bus & 0xff) << 8) | devfnOf(address);
}

/** The bus, device and function a requester ID (`PCI_DEVID`, as IVRS device IDs are) packs. */
export function addressOfRequesterId(id: number): Pick<PciAddress, 'bus' | 'device' | 'function'> {
  return { bus: (id >> 8) & 0xff, device: (id >> 3) & 0x1f, function: id & 7 };
}

/** `bb:dd.f` of a requester ID. */
export function formatRequesterId(id: number): string {
  return formatShortBdf(addressOfRequesterId(id));
}

/** Probe order: segment, bus, device, function ascending. */
export function compareAddresses(left: PciAddress, right: PciAddress): number {
  return left.segment - right.segment || left.bus - right.bus || left.device - right.device || left.function - right.function;
}
