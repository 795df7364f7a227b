/**
 * What a (possibly partial) PCI config space dump tells the topology: header type, bridge bus
 * numbers, and the PCIe device/port type. sysfs `config` gives unprivileged readers only the
 * first 64 bytes, so the PCIe capability is often out of reach; fields then stay undefined.
 */
import { PCIE_TYPE_BY_CODE, type PcieType } from './model.js';

export interface ConfigSpaceFacts {
  vendor?: number;
  deviceId?: number;
  headerType?: number;
  secondaryBus?: number;
  subordinateBus?: number;
  pcieType?: PcieType;
}

const CAP_PCIE = 0x10;
/** 48 capabilities at most fit in 256 bytes; a longer chain is a loop. */
const MAX_CAPABILITIES = 48;

export function parseConfigSpace(bytes: Uint8Array): ConfigSpaceFacts {
  const facts: ConfigSpaceFacts = {};
  const u8 = (at: number) => (at < bytes.length ? bytes[at] : undefined);
  const u16 = (at: number) => (at + 1 < bytes.length ? bytes[at]! | (bytes[at + 1]! << 8) : undefined);
  const vendor = u16(0x00);
  if (vendor === undefined || vendor === 0xffff) return facts;
  facts.vendor = vendor;
  const deviceId = u16(0x02);
  if (deviceId !== undefined) facts.deviceId = deviceId;
  const header = u8(0x0e);
  if (header === undefined) return facts;
  facts.headerType = header & 0x7f;
  if (facts.headerType === 1) {
    const secondary = u8(0x19);
    const subordinate = u8(0x1a);
    if (secondary !== undefined) facts.secondaryBus = secondary;
    if (subordinate !== undefined) facts.subordinateBus = subordinate;
  }
  const status = u16(0x06) ?? 0;
  if ((status & 0x10) === 0) return facts;
  let pointer = u8(facts.headerType === 2 ? 0x14 : 0x34) ?? 0;
  for (let count = 0; count < MAX_CAPABILITIES && pointer >= 0x40; count++) {
    const id = u8(pointer & 0xfc);
    if (id === undefined) break;
    if (id === CAP_PCIE) {
      const flags = u16((pointer & 0xfc) + 2);
      if (flags !== undefined) facts.pcieType = PCIE_TYPE_BY_CODE[(flags >> 4) & 0xf];
      break;
    }
    pointer = u8((pointer & 0xfc) + 1) ?? 0;
  }
  return facts;
}
