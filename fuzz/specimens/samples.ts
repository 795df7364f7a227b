/**
 * The bundled sample platforms (corpus/samples/, shown by `npm start` on machines without
 * DMAR/IORT): an x86 laptop, an Arm server and an AMD desktop, as encoder models plus PCI
 * topologies. Values are modelled on real firmware (Intel client DMARs, EDK2-built Arm IORTs,
 * AMD client IVRSs) but invented.
 * `fuzz/build-specimens.ts` writes them as `<TABLE>.model.json` + `<TABLE>.bin` + `pci.json`.
 */
import type { DmarModel, IortModel, IvrsModel, MadtModel } from '../../src/encode/index.js';

const header = (signature: string, revision: number, oemTableId: string) => ({
  signature, revision, oemId: 'ACPIIO', oemTableId, oemRevision: 1, creatorId: 'AIOM', creatorRevision: 1,
});

const endpoint = (bus: number, device: number, fn: number, type = 1, enumerationId = 0) => ({ type, flags: 0, reserved: 0, enumerationId, startBusNumber: bus, path: [{ device, function: fn }] });

/** x86 laptop: iGPU unit, an INCLUDE_PCI_ALL unit with IOAPIC/HPET/ACPI-device scopes, RMRRs for xHCI, iGPU and a bridge. */
export const X86_LAPTOP_DMAR: DmarModel = {
  signature: 'DMAR',
  header: header('DMAR', 1, 'LAPTOP'),
  hostAddressWidth: 39,
  flags: 0x05,
  structures: [
    { kind: 'drhd', flags: 0, size: 0, segmentNumber: 0, registerBaseAddress: '0xfed90000', deviceScopes: [endpoint(0, 2, 0)] },
    {
      kind: 'drhd', flags: 1, size: 0, segmentNumber: 0, registerBaseAddress: '0xfed91000',
      deviceScopes: [endpoint(0xf0, 0x1f, 0, 3, 2), endpoint(0x00, 0x1f, 0, 4, 0), endpoint(0x00, 0x15, 0, 5, 1)],
    },
    { kind: 'rmrr', reserved: 0, segmentNumber: 0, baseAddress: '0x7a5e8000', limitAddress: '0x7a807fff', deviceScopes: [endpoint(0, 0x14, 0)] },
    { kind: 'rmrr', reserved: 0, segmentNumber: 0, baseAddress: '0x7c000000', limitAddress: '0x803fffff', deviceScopes: [endpoint(0, 2, 0)] },
    { kind: 'rmrr', reserved: 0, segmentNumber: 0, baseAddress: '0x7a400000', limitAddress: '0x7a4fffff', deviceScopes: [endpoint(0, 0x1c, 0, 2)] },
    { kind: 'andd', reserved: 0, acpiDeviceNumber: 1, objectName: '\\_SB.PCI0.I2C0' },
  ],
};

interface X86Madt {
  oemTableId: string;
  apicIds: number[];
  firstUid: number;
  ioApics: { id: number; address: number; gsiBase: number }[];
  /** Flags of the SCI (IRQ 9) override. */
  sciFlags: number;
}

/** An x86 MADT: local APICs, IOAPICs, the timer and SCI overrides, the LINT1 NMI. */
const x86Madt = (machine: X86Madt): MadtModel => ({
  signature: 'APIC',
  header: header('APIC', 5, machine.oemTableId),
  localInterruptControllerAddress: 0xfee00000,
  flags: 1,
  entries: [
    ...machine.apicIds.map((apicId, index) => ({ kind: 'local-apic', processorUid: index + machine.firstUid, apicId, flags: 1 })),
    ...machine.ioApics.map((ioApic) => ({ kind: 'io-apic', ioApicId: ioApic.id, ioApicAddress: ioApic.address, globalSystemInterruptBase: ioApic.gsiBase })),
    { kind: 'interrupt-override', bus: 0, source: 0, globalSystemInterrupt: 2, flags: 0 },
    { kind: 'interrupt-override', bus: 0, source: 9, globalSystemInterrupt: 9, flags: machine.sciFlags },
    { kind: 'local-apic-nmi', processorUid: 0xff, flags: 5, localApicLint: 1 },
  ],
});

export const X86_LAPTOP_APIC = x86Madt({ oemTableId: 'LAPTOP', apicIds: [0, 2, 4, 6], firstUid: 1, ioApics: [{ id: 2, address: 0xfec00000, gsiBase: 0 }], sciFlags: 0x0d });

/** The laptop's PCI functions (src/pci/json.ts form). */
export const X86_LAPTOP_PCI = {
  devices: [
    { bdf: '0000:00:00.0', class: '0x060000', vendor: '0x8086', device: '0x9b61', group: 0 },
    { bdf: '0000:00:02.0', class: '0x030000', vendor: '0x8086', device: '0x9b41', group: 1 },
    { bdf: '0000:00:14.0', class: '0x0c0330', vendor: '0x8086', device: '0x02ed', group: 2 },
    { bdf: '0000:00:15.0', class: '0x0c8000', vendor: '0x8086', device: '0x02e8', group: 3 },
    { bdf: '0000:00:1c.0', class: '0x060400', vendor: '0x8086', device: '0x02b8', secondaryBus: 1, subordinateBus: 1, pcieType: 'root-port', group: 4 },
    { bdf: '0000:01:00.0', class: '0x028000', vendor: '0x8086', device: '0x2723', parent: '0000:00:1c.0', pcieType: 'endpoint', group: 4 },
    { bdf: '0000:00:1f.0', class: '0x060100', vendor: '0x8086', device: '0x0284', group: 5 },
    { bdf: '0000:00:1f.3', class: '0x040380', vendor: '0x8086', device: '0x02c8', group: 5 },
  ],
};

const fullRange = (target: number, base = 0) => ({ inputBase: base, idCount: 0xffff, outputBase: base, outputReference: { node: target }, flags: 0 });
const access = { cacheCoherency: 1, allocationHints: 0, reserved: 0, memoryAccessFlags: 3 };

/** Arm server: root complex → SMMUv3 → ITS group, a named component, and an RMR with remapping-permitted clear. */
export const ARM_SERVER_IORT: IortModel = {
  signature: 'IORT',
  header: header('IORT', 5, 'SERVER'),
  nodes: [
    { kind: 'its-group', revision: 1, identifier: 0, itsIdentifiers: [0] },
    {
      kind: 'smmu-v3', revision: 4, identifier: 1, baseAddress: '0x2b400000', flags: 0x1, vatosAddress: 0, model: 0,
      eventGsiv: 0, priGsiv: 0, gerrGsiv: 0, syncGsiv: 0, proximityDomain: 0, deviceIdMappingIndex: 0,
      idMappings: [{ inputBase: 0, idCount: 0, outputBase: 0x10000, outputReference: { node: 0 }, flags: 1 }, fullRange(0)],
    },
    {
      kind: 'root-complex', revision: 4, identifier: 2, memoryAccess: access, atsAttribute: 1, pciSegmentNumber: 0,
      memoryAddressSizeLimit: 48, pasidCapabilities: 0, flags: 0, idMappings: [fullRange(1)],
    },
    {
      kind: 'named-component', revision: 4, identifier: 3, nodeFlags: 0, memoryAccess: access, deviceMemoryAddressSizeLimit: 48,
      deviceName: '\\_SB.ETH0', idMappings: [{ inputBase: 0, idCount: 0, outputBase: 0x20000, outputReference: { node: 1 }, flags: 1 }],
    },
    {
      kind: 'rmr', revision: 3, identifier: 4, flags: 0x10,
      idMappings: [{ inputBase: 0x100, idCount: 0, outputBase: 0x100, outputReference: { node: 1 }, flags: 0 }],
      memoryRanges: [{ baseAddress: '0xe0000000', length: '0x100000', reserved: 0 }],
    },
  ],
};

export const ARM_SERVER_APIC: MadtModel = {
  signature: 'APIC',
  header: header('APIC', 5, 'SERVER'),
  localInterruptControllerAddress: 0,
  flags: 0,
  entries: [
    ...[0, 1, 2, 3].map((cpu) => ({
      kind: 'gicc', cpuInterfaceNumber: cpu, processorUid: cpu, flags: 1, parkingProtocolVersion: 0, performanceInterruptGsiv: 23,
      parkedAddress: 0, baseAddress: 0, gicvBaseAddress: 0, gichBaseAddress: 0, vgicMaintenanceInterrupt: 25,
      gicrBaseAddress: 0, mpidr: BigInt(cpu) << 8n, processorPowerEfficiencyClass: 0, speOverflowInterrupt: 0,
    })),
    { kind: 'gicd', gicId: 0, baseAddress: '0x30000000', systemVectorBase: 0, gicVersion: 3 },
    { kind: 'gicr', discoveryRangeBaseAddress: '0x30100000', discoveryRangeLength: 0x200000 },
    { kind: 'gic-its', translationId: 0, baseAddress: '0x30040000' },
  ],
};

export const ARM_SERVER_PCI = {
  devices: [
    { bdf: '0000:00:00.0', class: '0x060400', vendor: '0x13b5', device: '0x0100', secondaryBus: 1, subordinateBus: 1, pcieType: 'root-port', group: 0 },
    { bdf: '0000:01:00.0', class: '0x010802', vendor: '0x144d', device: '0xa808', parent: '0000:00:00.0', pcieType: 'endpoint', group: 0 },
    { bdf: '0000:00:01.0', class: '0x060400', vendor: '0x13b5', device: '0x0100', secondaryBus: 2, subordinateBus: 2, pcieType: 'root-port', group: 1 },
    { bdf: '0000:02:00.0', class: '0x020000', vendor: '0x8086', device: '0x1533', parent: '0000:00:01.0', pcieType: 'endpoint', group: 1 },
  ],
};

/** Requester ID of bus:device.function. */
const rid = (bus: number, device: number, fn: number) => (bus << 8) | (device << 3) | fn;

/**
 * AMD desktop IVRS, laid out as AMD client firmware does: an IVHD 0x11 and the same device
 * entries in an IVHD 0x40 (Linux uses the highest type present, 0x40). IOMMU at 00:00.2.
 * Entries: root complex, the bridges 00:01.0–00:08.2, the endpoint buses 01–04 as a range,
 * FCH SMBus and LPC, IOAPICs and HPET behind 00:14.0 / 00:00.1, and bus 05 (behind the FCH's
 * PCI bridge) aliased to 00:14.4. IVMDs: a unity R/W block for the xHCI (type 0x21) and an
 * exclusion range for the GPU's two functions (type 0x22), which Linux 6.1 maps 1:1 read/write.
 */
const AMD_DEVICE_ENTRIES = [
  { kind: 'select', deviceId: rid(0, 0, 0) },
  { kind: 'range-start', deviceId: rid(0, 1, 0) },
  { kind: 'range-end', deviceId: rid(0, 8, 2) },
  { kind: 'range-start', deviceId: rid(1, 0, 0) },
  { kind: 'range-end', deviceId: rid(4, 0x1f, 7) },
  { kind: 'select', deviceId: rid(0, 0x14, 0) },
  { kind: 'select', deviceId: rid(0, 0x14, 3) },
  { kind: 'alias-range-start', deviceId: rid(5, 0, 0), sourceDeviceId: rid(0, 0x14, 4) },
  { kind: 'range-end', deviceId: rid(5, 0x1f, 7) },
  { kind: 'special', dataSetting: 0xd7, handle: 0x21, sourceDeviceId: rid(0, 0x14, 0), variety: 1 },
  { kind: 'special', handle: 0x22, sourceDeviceId: rid(0, 0, 1), variety: 1 },
  { kind: 'special', handle: 0, sourceDeviceId: rid(0, 0x14, 0), variety: 2 },
];

const amdIvhd = (type: number) => ({
  type, flags: 0x30, deviceId: rid(0, 0, 2), capabilityOffset: 0x40, baseAddress: '0xfd200000', pciSegmentGroup: 0, info: 0,
  ...(type === 0x10 ? { featureReporting: 0x80048f6e } : { attributes: 0x48000, efrRegisterImage: '0x246577efa2254afa', efrRegisterImage2: '0x10' }),
  entries: AMD_DEVICE_ENTRIES,
});

export const AMD_DESKTOP_IVRS: IvrsModel = {
  signature: 'IVRS',
  header: header('IVRS', 2, 'DESKTOP'),
  ivinfo: { efrSupported: true, guestVirtualAddressSize: 2, physicalAddressSize: 48, virtualAddressSize: 64 },
  blocks: [
    amdIvhd(0x11),
    amdIvhd(0x40),
    { type: 0x21, flags: 0x7, deviceId: rid(3, 0, 3), auxiliaryData: 0, pciSegmentGroup: 0, startAddress: '0x9d900000', memoryLength: '0x100000' },
    { type: 0x22, flags: 0x8, deviceId: rid(1, 0, 0), auxiliaryData: rid(1, 0, 1), pciSegmentGroup: 0, startAddress: '0x9c000000', memoryLength: '0x20000' },
  ],
};

/** IOAPIC IDs 0x21 (FCH) and 0x22 (root complex), as the IVRS special entries name them. */
export const AMD_DESKTOP_APIC = x86Madt({
  oemTableId: 'DESKTOP', apicIds: [0, 1, 2, 3], firstUid: 0,
  ioApics: [{ id: 0x21, address: 0xfec00000, gsiBase: 0 }, { id: 0x22, address: 0xfec01000, gsiBase: 24 }], sciFlags: 0x0f,
});

/** The desktop's PCI functions; each root port and its dummy host bridge share a group, as on AMD. */
export const AMD_DESKTOP_PCI = {
  devices: [
    { bdf: '0000:00:00.0', class: '0x060000', vendor: '0x1022', device: '0x14d8', group: 0 },
    { bdf: '0000:00:01.0', class: '0x060000', vendor: '0x1022', device: '0x14da', group: 1 },
    { bdf: '0000:00:01.1', class: '0x060400', vendor: '0x1022', device: '0x14db', secondaryBus: 1, subordinateBus: 1, pcieType: 'root-port', group: 1 },
    { bdf: '0000:01:00.0', class: '0x030000', vendor: '0x1002', device: '0x744c', parent: '0000:00:01.1', pcieType: 'endpoint', group: 2 },
    { bdf: '0000:01:00.1', class: '0x040300', vendor: '0x1002', device: '0xab30', parent: '0000:00:01.1', pcieType: 'endpoint', group: 2 },
    { bdf: '0000:00:02.0', class: '0x060000', vendor: '0x1022', device: '0x14da', group: 3 },
    { bdf: '0000:00:02.1', class: '0x060400', vendor: '0x1022', device: '0x14db', secondaryBus: 2, subordinateBus: 2, pcieType: 'root-port', group: 3 },
    { bdf: '0000:02:00.0', class: '0x010802', vendor: '0x144d', device: '0xa80c', parent: '0000:00:02.1', pcieType: 'endpoint', group: 4 },
    { bdf: '0000:00:08.0', class: '0x060000', vendor: '0x1022', device: '0x14da', group: 5 },
    { bdf: '0000:00:08.1', class: '0x060400', vendor: '0x1022', device: '0x14dd', secondaryBus: 3, subordinateBus: 3, pcieType: 'root-port', group: 5 },
    { bdf: '0000:03:00.3', class: '0x0c0330', vendor: '0x1022', device: '0x15b6', parent: '0000:00:08.1', pcieType: 'endpoint', group: 6 },
    { bdf: '0000:00:08.2', class: '0x060400', vendor: '0x1022', device: '0x14dd', secondaryBus: 4, subordinateBus: 4, pcieType: 'root-port', group: 7 },
    { bdf: '0000:04:00.0', class: '0x010601', vendor: '0x1022', device: '0x7901', parent: '0000:00:08.2', pcieType: 'endpoint', group: 8 },
    { bdf: '0000:00:14.0', class: '0x0c0500', vendor: '0x1022', device: '0x790b', group: 9 },
    { bdf: '0000:00:14.3', class: '0x060100', vendor: '0x1022', device: '0x790e', group: 9 },
  ],
};

export interface SamplePlatform {
  folder: string;
  tables: Record<string, DmarModel | IortModel | IvrsModel | MadtModel>;
  pci: unknown;
}

export const SAMPLE_PLATFORMS: readonly SamplePlatform[] = [
  { folder: 'x86-laptop', tables: { DMAR: X86_LAPTOP_DMAR, APIC: X86_LAPTOP_APIC }, pci: X86_LAPTOP_PCI },
  { folder: 'arm-server', tables: { IORT: ARM_SERVER_IORT, APIC: ARM_SERVER_APIC }, pci: ARM_SERVER_PCI },
  { folder: 'amd-desktop', tables: { IVRS: AMD_DESKTOP_IVRS, APIC: AMD_DESKTOP_APIC }, pci: AMD_DESKTOP_PCI },
];
