/**
 * IVRS through the command line: `dump` lists its blocks and device entries, `check` reports
 * its diagnostics, `encode` builds one from a model. Expected values come from the tables'
 * bytes as iasl reads them (../shared/corpus/expected-iasl), not from this program.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, HAVE_SHARED } from './support/shared.js';

const real = (path: string) => join(CORPUS_ROOT, 'real', path);
const ONEX = 'hhd-hwinfo/onexplayer-f1pro/IVRS.bin';
const LENOVO = 'linuxhw/Lenovo_ThinkPad-T14s-Gen-3-21CQ0045GE_930650D3950C/IVRS.bin';

describe.skipIf(!HAVE_SHARED)('acpi-iommu with IVRS tables', () => {
  it('dump lists IVHDs, IVMDs and device entries at their offsets', async () => {
    const result = await runCli(['dump', real(ONEX)]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^IVRS rev 2 len 496 /);
    // iasl: IVHD 0x10 at 48 (length 68), IVMD 0x21 at 0xc8 for device 0x60, an ACPI HID entry "AMDI0020" UID "\_SB.FUR0" at 348.
    expect(lines).toContain('  @0x0030 IVHD len 68  flags=0xb0 iotlbSupport coherent pprSupport deviceId=00:00.2 capabilityOffset=0x40 baseAddress=0xfd200000 pciSegmentGroup=0 info=0 featureReporting=2147782510');
    expect(lines.some((line) => line.startsWith('  @0x00c8 IVMD len 32  flags=0x7 unity readable writeable deviceId=00:0c.0 '))).toBe(true);
    expect(lines.some((line) => line.startsWith('    @0x015c ACPI-HID len 31 ') && line.includes('hid=AMDI0020') && line.includes('uid=\\_SB.FUR0'))).toBe(true);
  });

  it('dump shows requester IDs as bus:device.function (iasl: alias source 0xa5 = 00:14.5, special source 0xa0 = 00:14.0)', async () => {
    const lines = (await runCli(['dump', real(ONEX)])).stdout.split('\n');
    expect(lines).toContain('    @0x0050 ALIAS-RANGE-START len 8  deviceId=ff:00.0 dataSetting=0 sourceDeviceId=00:14.5');
    expect(lines).toContain('    @0x0064 SPECIAL len 8  deviceId=00:00.0 dataSetting=215 sourceDeviceId=00:14.0 handle=33 variety=1');
  });

  it('dump shows an IVMD range by its first and last device (amd-basic case.json: devid 00:02.0, aux 00:04.0)', async () => {
    const result = await runCli(['dump', join(CORPUS_ROOT, 'kernel', 'amd-basic', 'IVRS.bin')]);
    expect(result.stdout).toContain('@0x00b0 IVMD len 32  flags=0x3 unity readable deviceId=00:02.0 auxiliaryData=00:04.0 ');
  });

  it('dump --json carries the blocks with 64-bit values as hex strings', async () => {
    const result = await runCli(['dump', '--json', real(ONEX)]);
    const [item] = (JSON.parse(result.stdout) as { tables: { table: { blocks: { kind: string; offset: number; startAddress?: string }[] } }[] }).tables;
    const ivmd = item!.table.blocks.find((block) => block.offset === 0xc8)!;
    expect(ivmd).toMatchObject({ kind: 'ivmd', startAddress: '0x7d900000', memoryLength: '0x100000' });
  });

  it('check reports the unknown 0x51 block of a Lenovo table as info and exits 0', async () => {
    const result = await runCli(['check', real(LENOVO)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(':0x01c4: info ivrs.block.unknown block type 0x51 at 0x1c4 (Length 32)');
  });

  it('check exits 1 on a zero-length block', async () => {
    const bytes = new Uint8Array(readFileSync(real(ONEX)));
    bytes[0x30 + 2] = 0;
    bytes[0x30 + 3] = 0;
    const path = join(mkdtempSync(join(tmpdir(), 'acpi-iommu-ivrs-')), 'IVRS.bin');
    writeFileSync(path, bytes);
    const result = await runCli(['check', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(':0x0030: error ivrs.block.zero-length');
  });

  it('encode turns dump --json back into the same bytes', async () => {
    const json = (await runCli(['dump', '--json', real(ONEX)])).stdout;
    const work = mkdtempSync(join(tmpdir(), 'acpi-iommu-ivrs-'));
    writeFileSync(join(work, 'model.json'), json);
    const result = await runCli(['encode', join(work, 'model.json'), '-o', join(work, 'IVRS.bin')]);
    expect(result.stderr).toMatch(/^IVRS: 496 bytes → /);
    expect(result.code).toBe(0);
    expect(Buffer.compare(readFileSync(join(work, 'IVRS.bin')), readFileSync(real(ONEX)))).toBe(0);
  });
});
