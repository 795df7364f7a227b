/**
 * What `explain` tells a user to do, and its verdict per release (src/audit/explain-verdict.ts),
 * asserted in full on hand-built inputs: every advice line with the device, the regions (table,
 * structure, offset, range) and the class it names, and the verdict texts with the kernel's
 * messages. Expected texts by hand from docs/kernel-semantics.md §3.4, §5.1, §8 and the passthrough
 * messages (src/regions/passthrough.ts quotes the kernel).
 */
import { describe, expect, it } from 'vitest';
import { adviceFor, releaseVerdicts, verdictFor, type AdviceInput, type MembersUnder } from '../src/audit/explain-verdict.js';
import type { ReleaseVerdict } from '../src/audit/explain-model.js';
import type { GroupDoubts } from '../src/audit/explain-doubts.js';
import type { DeviceRegions } from '../src/regions/analysis.js';
import { kernelBehaviour } from '../src/regions/kernel-versions.js';
import { RMRR_LOCKED_MESSAGE, V66_MESSAGE } from '../src/regions/passthrough.js';
import type { RegionDescriptor } from '../src/regions/types.js';

const DEVICE = '0000:00:14.0';
const OTHER = '0000:00:14.2';

function region(type: RegionDescriptor['type'], table: RegionDescriptor['source']['table'], structure: string, offset: number | undefined, start: bigint, end: bigint, reason?: string): RegionDescriptor {
  return { start, end, type, prot: 3, source: { table, structure, ...(offset === undefined ? {} : { offset }) }, ...(reason === undefined ? {} : { reason }) };
}
const RMRR = region('direct', 'DMAR', 'RMRR', 0x40, 0x80000000n, 0x80000fffn, 'RMRR for this device');
const REFUSED: ReleaseVerdict = { releases: 'v6.6 and later', outcome: 'refused', refused: true, detail: 'refused' };
const ALLOWED: ReleaseVerdict = { releases: 'every release', outcome: 'allowed', refused: false, detail: 'allowed' };
const PATCH = 'Kernels with the intel_iommu=relax_rmrr patch (out-of-tree, not in mainline: github.com/kiler129/relax-intel-rmrr (patches/add-relaxable-rmrr-*.patch, for 5.x kernels; built into some Proxmox community kernels)) treat every RMRR as relaxable (try --relax-rmrr); the firmware may still use that memory (e.g. iLO/BMC shared memory), so only for devices that do not need it';
const HPE = 'Firmware: some servers can exclude a slot from RMRRs — HPE ProLiant Gen8/Gen9 per-slot RMRR exclusion in the BIOS or with conrep (HPE advisory c04781229)';

function input(overrides: Partial<AdviceInput>): AdviceInput {
  return {
    platform: 'intel', device: DEVICE, classCode: 0x0c0330, hasIommu: true, members: [], verdicts: [ALLOWED],
    rmrrTargets: ['segment 0x0000 endpoint 00:14.0', 'segment 0x0000 endpoint 00:1a.0'], oemId: 'INTEL ', isNamedComponent: false, relaxRmrr: false,
    ...overrides,
  };
}

describe('advice without an IOMMU or without a block', () => {
  it('no IOMMU: a PCI function and a named component are told apart', () => {
    expect(adviceFor(input({ hasIommu: false }))).toEqual(['The tables give this device no IOMMU (see the findings): it has no group and VFIO cannot assign it']);
    expect(adviceFor(input({ hasIommu: false, isNamedComponent: true }))).toEqual(['Linux finds no StreamID for this named component (it only takes single mappings without an input ID): it has no IOMMU group, so there is nothing to assign or to reserve']);
  });

  it('unsettled with nothing blocking: only what would settle it', () => {
    expect(adviceFor(input({ unsettled: { reasons: ['r'], classDecides: false, missing: 'the PCI topology (--pci)' } }))).toEqual(['The verdict is unknown until you give the PCI topology (--pci)']);
  });

  it('nothing blocks: says so, and names the device\'s own relaxable table regions (not the kernel\'s, not a mate\'s)', () => {
    const own = region('direct-relaxable', 'DMAR', 'RMRR', 0x40, 0x80000000n, 0x80000fffn);
    const second = region('direct-relaxable', 'DMAR', 'RMRR', undefined, 0x90000000n, 0x90000fffn);
    const isa = region('direct-relaxable', 'kernel', 'ISA bridge (floppy workaround)', undefined, 0n, 0xffffffn);
    const members: DeviceRegions[] = [{ device: DEVICE, regions: [own, isa, second], notes: [] }, { device: OTHER, regions: [region('direct-relaxable', 'DMAR', 'RMRR', 0x60, 0xa0000000n, 0xa0000fffn)], notes: [] }];
    expect(adviceFor(input({ members }))).toEqual([
      `Nothing in these tables blocks assigning ${DEVICE} to a VM`,
      'Its DMAR RMRR @0x40 [0x80000000-0x80000fff], DMAR RMRR @0x0 [0x90000000-0x90000fff] is relaxable: VFIO leaves it out of the reserved IOVA ranges, so once assigned the device loses the identity mapping the firmware asked for',
    ]);
    expect(adviceFor(input({ members: [{ device: DEVICE, regions: [isa], notes: [] }] }))).toEqual([`Nothing in these tables blocks assigning ${DEVICE} to a VM`]);
    expect(adviceFor(input({ members: [{ device: OTHER, regions: [own], notes: [] }] }))).toEqual([`Nothing in these tables blocks assigning ${DEVICE} to a VM`]);
  });
});

describe('Intel advice when a region blocks', () => {
  it('own RMRR: the block, the slot move with every RMRR target, firmware, class, the patch', () => {
    const members: DeviceRegions[] = [{ device: DEVICE, regions: [RMRR, region('reserved', 'kernel', 'x', undefined, 0n, 0n)], notes: [] }];
    expect(adviceFor(input({ members, verdicts: [ALLOWED, REFUSED] }))).toEqual([
      `Blocking: DMAR RMRR @0x40 [0x80000000-0x80000fff] on ${DEVICE} — RMRR for this device`,
      'Move the card to a slot no RMRR names. The RMRR scopes here name: segment 0x0000 endpoint 00:14.0; segment 0x0000 endpoint 00:1a.0',
      HPE,
      'Only USB (class 0x0c03xx) and display (0x03xxxx) functions get relaxable RMRRs (exempt from the v3.17 lock; direct-relaxable from v5.3); this device\'s class is 0x0c0330',
      PATCH,
    ]);
  });

  it('HP firmware is named; the class is padded to six digits or said unknown; no patch line with relax_rmrr', () => {
    const members: DeviceRegions[] = [{ device: DEVICE, regions: [RMRR], notes: [] }];
    const advice = adviceFor(input({ members, verdicts: [REFUSED], oemId: ' HPE   ', classCode: 0x030000, relaxRmrr: true }));
    expect(advice.slice(2)).toEqual([
      `${HPE} — this DMAR is from HP/HPE firmware`,
      'Only USB (class 0x0c03xx) and display (0x03xxxx) functions get relaxable RMRRs (exempt from the v3.17 lock; direct-relaxable from v5.3); this device\'s class is 0x030000',
    ]);
    const unknown = adviceFor(input({ members, verdicts: [REFUSED], oemId: undefined, classCode: undefined }));
    expect(unknown[2]).toBe(HPE);
    expect(unknown[3]).toMatch(/this device's class is unknown \(the inputs do not give it\)$/);
  });

  it('a mate\'s RMRR: splitting the group frees the device unless its own blocks too; "possibly" until a refusal is certain', () => {
    const mate = { ...RMRR, source: { ...RMRR.source, offset: 0x60 }, reason: undefined };
    const onlyMate: DeviceRegions[] = [{ device: DEVICE, regions: [], notes: [] }, { device: OTHER, regions: [mate], notes: [] }];
    expect(adviceFor(input({ members: onlyMate, verdicts: [REFUSED] })).slice(0, 2)).toEqual([
      `Blocking: DMAR RMRR @0x60 [0x80000000-0x80000fff] on ${OTHER} — `,
      `VFIO assigns whole groups: ${OTHER} in the same group carries a blocking RMRR; a slot or ACS setup that splits the group would leave ${DEVICE} free of it`,
    ]);
    const both: DeviceRegions[] = [{ device: DEVICE, regions: [RMRR], notes: [] }, { device: OTHER, regions: [mate, mate], notes: [] }];
    const unsettled = { reasons: ['r'], classDecides: true, missing: 'the classes' };
    expect(adviceFor(input({ members: both, verdicts: [ALLOWED], unsettled })).slice(0, 3)).toEqual([
      'The verdict is unknown until you give the classes',
      `May block: DMAR RMRR @0x40 [0x80000000-0x80000fff] on ${DEVICE} — RMRR for this device; DMAR RMRR @0x60 [0x80000000-0x80000fff] on ${OTHER} — ; DMAR RMRR @0x60 [0x80000000-0x80000fff] on ${OTHER} — `,
      `VFIO assigns whole groups: ${OTHER} in the same group carries a possibly blocking RMRR; a slot or ACS setup that splits the group would not free ${DEVICE}: its own RMRR blocks it too`,
    ]);
  });

  it('several mates are joined; one refused release makes the block certain; a direct region of its own is not "relaxable"', () => {
    const mate = (device: string) => ({ device, regions: [{ ...RMRR, reason: 'r' }], notes: [] });
    const advice = adviceFor(input({ members: [{ device: DEVICE, regions: [], notes: [] }, mate(OTHER), mate('0000:00:14.3')], verdicts: [ALLOWED, REFUSED] }));
    expect(advice[1]).toBe(`VFIO assigns whole groups: ${OTHER}, 0000:00:14.3 in the same group carries a blocking RMRR; a slot or ACS setup that splits the group would leave ${DEVICE} free of it`);
    expect(adviceFor(input({ members: [{ device: DEVICE, regions: [RMRR], notes: [] }], verdicts: [ALLOWED] }))).toEqual([`Nothing in these tables blocks assigning ${DEVICE} to a VM`]);
  });

  it('refused without a direct region in the group: no "Blocking" line', () => {
    expect(adviceFor(input({ verdicts: [REFUSED] }))[0]).toBe('Move the card to a slot no RMRR names. The RMRR scopes here name: segment 0x0000 endpoint 00:14.0; segment 0x0000 endpoint 00:1a.0');
  });
});

describe('Arm and AMD advice', () => {
  const rmr = (offset: number) => region('direct', 'IORT', 'RMR', offset, 0x80000000n, 0x8000ffffn, 'RMR');

  it('Arm: each RMR node once; the boot-configuration line only for PCI devices', () => {
    const members: DeviceRegions[] = [{ device: DEVICE, regions: [rmr(0xd8), rmr(0xd8), rmr(0x120)], notes: [] }];
    const after = [
      'RMRs reach PCI devices only while the host bridge asks to keep its boot configuration (_DSM function 5); see --preserve-boot-config',
      'Before v6.6 the kernel does not refuse assignment for direct regions; before v6.0 it ignores RMR nodes altogether',
    ];
    const advice = adviceFor(input({ platform: 'arm', members, verdicts: [REFUSED] }));
    expect(advice.slice(1)).toEqual(['Firmware: set flags bit 0 (remapping permitted) on RMR @0xd8, @0x120 if the device tolerates remapping; its ranges then become direct-relaxable and no longer block assignment', ...after]);
    expect(adviceFor(input({ platform: 'arm', members, verdicts: [REFUSED], isNamedComponent: true })).slice(2)).toEqual([after[1]]);
  });

  it('AMD: each IVMD once; all-devices IVMDs cannot be avoided by a slot, others can', () => {
    const ivmd = (structure: string, offset: number) => region('direct', 'IVRS', structure, offset, 0x80000000n, 0x80000fffn, 'IVMD');
    const last = 'Before v6.6 the kernel does not refuse assignment for direct regions; the range stays reserved in the IOVA space either way';
    const one: DeviceRegions[] = [{ device: DEVICE, regions: [ivmd('IVMD (one device)', 0xa0), ivmd('IVMD (one device)', 0xa0), ivmd('IVMD (device range)', 0xc0)], notes: [] }];
    expect(adviceFor(input({ platform: 'amd', members: one, verdicts: [REFUSED] })).slice(1)).toEqual([
      'Firmware: IVMD (one device) @0xa0, IVMD (device range) @0xc0 asks for an identity mapping of the device\'s IDs; only a firmware change that drops or narrows the IVMD removes the direct region (docs/kernel-semantics.md §6)',
      'A device-range or one-device IVMD follows the requester ID: a slot outside its device-ID range avoids it',
      last,
    ]);
    const all: DeviceRegions[] = [{ device: DEVICE, regions: [ivmd('IVMD (one device)', 0xa0), ivmd('IVMD (all devices)', 0xc0)], notes: [] }];
    expect(adviceFor(input({ platform: 'amd', members: all, verdicts: [REFUSED] })).slice(2)).toEqual(['An all-devices IVMD (type 0x20) reaches every device the IOMMU handles: no slot avoids it', last]);
  });
});

describe('verdicts', () => {
  const locked: DeviceRegions[] = [{ device: DEVICE, regions: [RMRR], notes: [] }];
  const relaxable: DeviceRegions[] = [{ device: DEVICE, regions: [{ ...RMRR, type: 'direct-relaxable' }], notes: [] }];
  const rmr: DeviceRegions[] = [{ device: DEVICE, regions: [region('direct', 'IORT', 'RMR', 0xd8, 0x80000000n, 0x8000ffffn)], notes: [] }];

  it('no IOMMU, no check at attach, each rule\'s refusal with the kernel\'s message and errno', () => {
    const k = kernelBehaviour;
    expect(verdictFor('intel', undefined, k('6.1'), 'r')).toEqual({ releases: 'r', outcome: 'no-iommu', refused: false, detail: 'no IOMMU for the device with these tables: nothing to assign through VFIO' });
    expect(verdictFor('intel', locked, k('3.16'), 'r')).toEqual({ releases: 'r', outcome: 'allowed', refused: false, detail: 'allowed: no reserved-region check at attach in these releases' });
    expect(verdictFor('intel', locked, k('5.2'), 'r')).toEqual({ releases: 'r', outcome: 'refused', refused: true, detail: `refused: "${RMRR_LOCKED_MESSAGE}" (-EPERM); RMRR-locked: ${DEVICE}` });
    expect(verdictFor('intel', locked, k(undefined), 'r')).toEqual({ releases: 'r', outcome: 'refused', refused: true, detail: `refused: "${V66_MESSAGE}" (-EINVAL); direct region(s) on ${DEVICE}` });
    expect(verdictFor('intel', relaxable, k('5.2'), 'r')).toEqual({ releases: 'r', outcome: 'allowed', refused: false, detail: 'allowed: no region of the group blocks it' });
    // The RMRR lock is Intel's alone: an Arm RMR does not lock before v6.6.
    expect(verdictFor('arm', rmr, k('6.5'), 'r').outcome).toBe('allowed');
    expect(verdictFor('arm', rmr, k(undefined), 'r').outcome).toBe('refused');
  });

  it('every device and reason is named, joined', () => {
    const two: DeviceRegions[] = [...locked, { device: OTHER, regions: [RMRR], notes: [] }];
    expect(verdictFor('intel', two, kernelBehaviour('5.2'), 'r').detail).toBe(`refused: "${RMRR_LOCKED_MESSAGE}" (-EPERM); RMRR-locked: ${DEVICE}, ${OTHER}`);
    expect(verdictFor('intel', two, kernelBehaviour(undefined), 'r').detail).toBe(`refused: "${V66_MESSAGE}" (-EINVAL); direct region(s) on ${DEVICE}, ${OTHER}`);
    const doubts: GroupDoubts = { classUnknown: new Set(), mates: () => [{ device: OTHER, regions: [RMRR], notes: [] }], reasons: ['one', 'two'], missing: 'groups' };
    expect(verdictFor('intel', relaxable, kernelBehaviour(undefined), 'r', undefined, doubts).detail).toBe('unknown: one; two');
  });

  it('open questions: unknown unless the refusal is certain (a class that decides cannot make it certain)', () => {
    const unsettled = { reasons: ['a', 'b'], classDecides: false, missing: 'm' };
    expect(verdictFor('intel', relaxable, kernelBehaviour(undefined), 'r', unsettled)).toEqual({ releases: 'r', outcome: 'unknown', refused: false, detail: 'unknown: a; b' });
    expect(verdictFor('intel', locked, kernelBehaviour(undefined), 'r', unsettled).outcome).toBe('refused');
    expect(verdictFor('intel', locked, kernelBehaviour(undefined), 'r', { ...unsettled, classDecides: true }).outcome).toBe('unknown');
  });

  it('group doubts: unknown only when the best case allows and the worst refuses', () => {
    const doubts = (classUnknown: string[], mates: DeviceRegions[]): GroupDoubts => ({ classUnknown: new Set(classUnknown), mates: () => mates, reasons: ['guessed'], missing: 'groups' });
    const current = kernelBehaviour(undefined);
    expect(verdictFor('intel', relaxable, current, 'r', undefined, doubts([], locked.map((entry) => ({ ...entry, device: OTHER }))))).toEqual({ releases: 'r', outcome: 'unknown', refused: false, detail: 'unknown: guessed' });
    expect(verdictFor('intel', locked, current, 'r', undefined, doubts([DEVICE], []))).toMatchObject({ outcome: 'unknown' });
    expect(verdictFor('intel', locked, current, 'r', undefined, doubts([], []))).toMatchObject({ outcome: 'refused' });
    expect(verdictFor('intel', relaxable, current, 'r', undefined, doubts([], []))).toMatchObject({ outcome: 'allowed' });
    // Open questions decide before group doubts: a certain refusal stays refused whatever the doubts say.
    const unsettled = { reasons: ['u'], classDecides: false, missing: 'm' };
    expect(verdictFor('intel', locked, current, 'r', unsettled, doubts([DEVICE], locked.map((entry) => ({ ...entry, device: OTHER }))))).toMatchObject({ outcome: 'refused' });
    // Mates unknown under a kernel (MembersUnder may answer undefined): the members alone decide.
    const none: GroupDoubts = { classUnknown: new Set(), mates: () => undefined, reasons: ['guessed'], missing: 'groups' };
    expect(verdictFor('intel', relaxable, current, 'r', undefined, none)).toMatchObject({ outcome: 'allowed' });
  });

  it('per release: ranges with one answer joined, named "up to", "from–to", "and later", "every release"', () => {
    const lockedUnder: MembersUnder = () => locked;
    expect(releaseVerdicts('intel', false, lockedUnder).map((verdict) => [verdict.releases, verdict.outcome])).toEqual([
      ['up to v3.16', 'allowed'], ['v3.17–v6.5', 'refused'], ['v6.6 and later', 'refused'],
    ]);
    const relaxableUnder: MembersUnder = () => relaxable;
    expect(releaseVerdicts('intel', false, relaxableUnder).map((verdict) => [verdict.releases, verdict.outcome, verdict.detail])).toEqual([
      ['up to v3.16', 'allowed', 'allowed: no reserved-region check at attach in these releases'],
      ['v3.17 and later', 'allowed', 'allowed: no region of the group blocks it'],
    ]);
    expect(releaseVerdicts('arm', false, () => undefined).map((verdict) => [verdict.releases, verdict.outcome])).toEqual([['every release', 'no-iommu']]);
    expect(releaseVerdicts('amd', false, () => rmr).map((verdict) => [verdict.releases, verdict.outcome])).toEqual([['up to v6.5', 'allowed'], ['v6.6 and later', 'refused']]);
  });

  it('relax_rmrr is asked of every probed kernel (the patch needs device_rmrr_is_relaxable, v5.3 on)', () => {
    const seen = (relax: boolean) => {
      const labels: string[] = [];
      releaseVerdicts('intel', relax, (kernel) => {
        labels.push(`${kernel.label}${kernel.relaxRmrr ? ' relax' : ''}`);
        return locked;
      });
      return labels;
    };
    expect(seen(true)).toEqual(['Linux 3.16', 'Linux 5.2', 'Linux 6.5 relax', 'current Linux relax']);
    expect(seen(false)).toEqual(['Linux 3.16', 'Linux 5.2', 'Linux 6.5', 'current Linux']);
  });
});
