/**
 * The view page in headless Chromium: tables given through `acpi-iommu view` (embedded) and
 * picked in an empty page, fields ↔ bytes both ways, diagnostics, and the regions drawn against
 * `regions --json` and the real kernel's reserved_regions. Screenshots go to test/artifacts/view
 * (git-ignored; looked at, never compared).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_SKIP_REASON, HAVE_BROWSER, launchBrowser } from './support/browser-page.js';
import { runCli } from './support/cli.js';
import { archiveBytes, laptopArchive, LAPTOP_SAMPLE } from './support/collect-archive.js';
import { freshViewPage } from './support/view-page-build.js';
import { VIEW_IVRS_OFFSETS, viewIvrsBytes, viewIvrsTopology } from './support/ivrs-view-fixture.js';
import { topologyToJson } from '../src/pci/json.js';
import { CORPUS_ROOT, HAVE_SHARED, REPO_ROOT, SKIP_REASON } from './support/shared.js';

const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts', 'view');
const SAMPLES = join(REPO_ROOT, 'corpus', 'samples');
const KERNEL = join(CORPUS_ROOT, 'kernel');
const REAL = join(CORPUS_ROOT, 'real');

interface Drawn { start: string; end: string; type: string }

let browser: Browser;
let scratch: string;

describe.skipIf(!HAVE_BROWSER)(`view page (${HAVE_BROWSER ? 'headless Chromium' : BROWSER_SKIP_REASON})`, () => {
  beforeAll(async () => {
    // The page of the current sources: the CLI embeds into dist/view/index.html.
    expect(freshViewPage()).toBeUndefined();
    mkdirSync(ARTIFACTS, { recursive: true });
    scratch = mkdtempSync(join(tmpdir(), 'acpi-iommu-view-test-'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  /** `acpi-iommu view … --no-open --out <scratch file>`; returns the file. */
  async function viewFile(name: string, args: string[]): Promise<string> {
    const out = join(scratch, `${name}.html`);
    const result = await runCli(['view', ...args, '--no-open', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return out;
  }

  async function open(file: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`file://${file}`);
    await page.waitForSelector('#loaded');
    return { page, errors };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  function drawn(page: Page, row: string): Promise<Drawn[]> {
    return page.$$eval(`[data-row="${row}"] rect.region`, (rects) => rects.map((rect) => ({ start: rect.getAttribute('data-start')!, end: rect.getAttribute('data-end')!, type: rect.getAttribute('data-type')! })));
  }

  async function regionsJson(args: string[]): Promise<any> {
    const result = await runCli(['regions', '--json', ...args]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  }

  /** Every group row of the page equals `regions --json` for the same inputs. */
  async function expectGroupsAsCli(page: Page, args: string[]): Promise<number> {
    const json = await regionsJson(args);
    expect(json.groups.length).toBeGreaterThan(0);
    for (const group of json.groups) {
      expect({ group: group.group, regions: await drawn(page, `group-${group.group}`) }).toEqual({
        group: group.group,
        regions: group.regions.map((region: Drawn) => ({ start: region.start, end: region.end, type: region.type })),
      });
    }
    return json.groups.length;
  }

  /** The kernel's expected/<g>.reserved_regions of a shared case, as the page draws them; returns the groups compared. */
  async function expectKernelGroups(page: Page, dir: string, groups: number): Promise<number> {
    let compared = 0;
    for (let group = 0; group < groups; group++) {
      const path = join(dir, 'expected', `${group}.reserved_regions`);
      if (!existsSync(path)) continue;
      const kernel = readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
        const [start, end, type] = line.split(' ');
        return { start: `0x${BigInt(start!).toString(16)}`, end: `0x${BigInt(end!).toString(16)}`, type };
      });
      expect({ group, regions: await drawn(page, `group-${group}`) }).toEqual({ group, regions: kernel });
      compared++;
    }
    return compared;
  }

  /** Drops the file at `path` on the page's drop zone under `name`, as a user would. */
  async function drop(page: Page, path: string, name: string): Promise<void> {
    // Runs in the page; the test's own compile has no DOM types.
    await page.evaluate(([data, fileName]) => {
      const web = globalThis as any;
      const transfer = new web.DataTransfer();
      transfer.items.add(new web.File([new Uint8Array(data)], fileName));
      web.document.getElementById('drop').dispatchEvent(new web.DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [[...readFileSync(path)], name] as const);
  }

  /** Bytes lit in the hex view of table `t`. */
  function litBytes(page: Page, table = 't0'): Promise<number[]> {
    return page.$$eval(`#${table} .b.sel`, (cells) => cells.map((cell) => Number(cell.getAttribute('data-o'))));
  }

  it('links fields and bytes both ways (bundled sample laptop, picked in the empty page)', async () => {
    const { page, errors } = await open(await viewFile('empty', []));
    expect(await page.textContent('#loaded')).toBe('No tables loaded yet.');
    await page.setInputFiles('#file-input', [join(SAMPLES, 'x86-laptop', 'DMAR.bin'), join(SAMPLES, 'x86-laptop', 'pci.json')]);
    await page.waitForSelector('#address-map');
    expect(await page.textContent('#loaded')).toContain('PCI topology with 8 functions');

    // Field → bytes: the first DRHD (0x30) has its Register Base Address at +8, 8 bytes.
    await page.click('[data-field="t.structures.0:registerBaseAddress"]');
    expect(await litBytes(page)).toEqual([0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f]);
    expect(await page.textContent('#t0-detail')).toContain('registerBaseAddress = 0xfed90000');

    // Byte → field: 0xb8 is the Base Address of the RMRR at 0xb0 (README's dump: 0x7a400000).
    await page.click('#t0 [data-o="184"]');
    const detail = await page.textContent('#t0-detail');
    expect(detail).toContain('baseAddress = 0x7a400000');
    expect(detail).toContain('in @0x00b0 RMRR');
    expect(await page.getAttribute('#t0 .tree .current', 'data-field')).toMatch(/:baseAddress$/);

    // Keyboard in the tree: ↓ from the DRHD's last field reaches its endpoint scope (dump: @0x0040 ENDPOINT).
    await page.focus('[data-field="t.structures.0:registerBaseAddress"]');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.textContent)).toBe('@0x0040 ENDPOINT');

    // Keyboard: Enter on the hex view picks the cursor byte; → moves it.
    await page.focus('#t0 .hex');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    expect(await page.textContent('#t0-detail')).toContain('baseAddress = 0x7a400000');

    await expectGroupsAsCli(page, [join(SAMPLES, 'x86-laptop'), '--pci', join(SAMPLES, 'x86-laptop', 'pci.json')]);

    // Keyboard focus on a region says where it came from and why it has its type (README's explain of 01:00.0).
    await page.focus('[data-row="group-4"] rect.region[data-type="direct"]');
    const said = await page.textContent('#map-explain');
    expect(said).toContain('0x7a400000–0x7a4fffff direct: DMAR RMRR @0xb0 [bridge 00:1c.0 @0xc8');
    expect(said).toContain('neither USB (0x0c03xx) nor display (0x03xxxx): not relaxable');

    // Guest RAM: the overlaps listed are those of `conflicts --json`.
    await page.fill('#guest-ram', '0x0-0x7fffffff');
    await page.press('#guest-ram', 'Enter');
    await page.waitForSelector('#ram-conflicts li');
    const conflicts = await runCli(['conflicts', '--json', join(SAMPLES, 'x86-laptop'), '--pci', join(SAMPLES, 'x86-laptop', 'pci.json'), '--guest-ram', '0x0-0x7fffffff']);
    const expected = JSON.parse(conflicts.stdout) as { conflicts: { overlap: { start: string; end: string } }[]; blocking: number };
    const listed = await page.$$eval('#ram-conflicts li', (items) => items.map((item) => ({ text: item.textContent ?? '', blocking: item.classList.contains('blocking') })));
    expect(listed.map((item) => /overlaps (0x[0-9a-f]+)–(0x[0-9a-f]+)/.exec(item.text)!.slice(1, 3))).toEqual(expected.conflicts.map((conflict) => [conflict.overlap.start, conflict.overlap.end]));
    expect(listed.filter((item) => item.blocking).length).toBe(expected.blocking);
    expect(await page.getAttribute('[data-row="guest-ram"] rect', 'class')).toBe('ram conflict');
    await shoot(page, 'sample-laptop');
    expect(errors).toEqual([]);
  });

  it('lists diagnostics by offset and marks their bytes (hermetic malformed DMAR)', async () => {
    const file = join(REPO_ROOT, 'corpus', 'malformed', 'dmar-rmrr-base-after-limit.bin');
    const expected = JSON.parse(readFileSync(file.replace(/\.bin$/, '.expected.json'), 'utf8')) as { diagnostics: { code: string; offset: number }[] };
    const { page, errors } = await open(await viewFile('malformed', [file]));
    const listed = await page.$$eval('#t0 .diag-item', (items) => items.map((item) => item.textContent ?? ''));
    const offsets = listed.map((text) => Number.parseInt(text.slice(2, 6), 16));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    for (const item of expected.diagnostics) expect(listed.some((text) => text.includes(item.code) && text.startsWith(`0x${item.offset.toString(16).padStart(4, '0')}`))).toBe(true);

    const index = listed.findIndex((text) => text.includes('dmar.rmrr.base-after-limit'));
    await page.click(`#t0 [data-diag="${index}"]`);
    expect(await page.getAttribute('#t0 [data-o="120"]', 'class')).toMatch(/\bsel\b.*\bdiag\b/);
    expect(await page.textContent('#t0-detail')).toContain('dmar.rmrr.base-after-limit');
    await shoot(page, 'malformed-dmar');
    expect(errors).toEqual([]);
  });

  it('lights the ID path of a requester in the IORT graph (bundled Arm server)', async () => {
    const dir = join(SAMPLES, 'arm-server');
    const { page, errors } = await open(await viewFile('arm-server', [dir, '--pci', join(dir, 'pci.json')]));
    // 00:01.0 is RID 0x8; the root complex maps IDs 0–0xffff 1:1 to the SMMUv3 at 0x48, which maps them 1:1 to the ITS group at 0x30.
    await page.fill('#rid-input', '0000:00:01.0');
    expect(await page.textContent('#rid-result')).toBe('RID 0x0008: stream ID 0x8 at smmu-v3 @0x0048; ITS device ID 0x8 at its-group @0x0030');
    const litNodes = await page.$$eval('#iort-graph .gnode.lit', (nodes) => nodes.map((node) => node.getAttribute('data-gnode')).sort());
    expect(litNodes).toEqual(['180', '48', '72']);
    expect(await page.$$eval('#iort-graph .edge.lit', (edges) => edges.length)).toBe(2);
    const dump = await runCli(['dump', '--json', join(dir, 'IORT.bin')]);
    const mappings = (JSON.parse(dump.stdout).tables[0].table.nodes as { idMappings: unknown[] }[]).reduce((sum, node) => sum + node.idMappings.length, 0);
    expect(await page.$$eval('#iort-graph .mapping-list li', (items) => items.length)).toBe(mappings);
    await page.fill('#rid-input', 'nonsense');
    expect(await page.textContent('#rid-result')).toContain('is not a PCI address');
    await expectGroupsAsCli(page, [dir, '--pci', join(dir, 'pci.json')]);
    await shoot(page, 'arm-server');
    expect(errors).toEqual([]);
  });

  it('draws IVHD entries and IVMD blocks, linked to their bytes (hermetic IVRS from encodeTable)', async () => {
    const ivrs = join(scratch, 'IVRS.bin');
    const pci = join(scratch, 'ivrs-pci.json');
    writeFileSync(ivrs, viewIvrsBytes());
    writeFileSync(pci, JSON.stringify(topologyToJson(viewIvrsTopology())));
    const { page, errors } = await open(await viewFile('ivrs-hermetic', [ivrs, '--pci', pci]));
    expect(await page.textContent('#loaded')).toBe(`Loaded: IVRS (${ivrs}); PCI topology with 6 functions.`);

    // The drawing, line by line, as the fixture was written (ivrs-view-fixture.ts).
    const lines = await page.$$eval('#ivrs-units button.ivrs-line', (buttons) => buttons.map((button) => button.textContent ?? ''));
    expect(lines).toEqual([
      '@0x0030 IVHD type 0x10 segment 0x0000, IOMMU 00:00.2 at 0xfed80000 — not used: Linux uses type 0x40',
      '@0x0048 all device IDs',
      '@0x004c IVHD type 0x40 segment 0x0000, IOMMU 00:00.2 at 0xfd200000',
      '@0x0074 select 00:00.0 → 0000:00:00.0',
      '@0x0078…@0x007c range 00:02.0–00:02.7 → 0000:00:02.0',
      '@0x0080…@0x0088 range 01:00.0–01:00.1, DMA arrives as 00:14.4 → 0000:01:00.0',
      '@0x008c alias 02:00.0: its DMA arrives as 00:14.4 → 0000:02:00.0',
      '@0x0094 select 00:03.0, extended data 0x80000000 → 0000:00:03.0',
      '@0x009c IOAPIC 0x21 at 00:14.0 → no function of the topology gets its IOMMU here',
      '@0x00a4 HPET 0x0 at 00:14.0 → no function of the topology gets its IOMMU here',
      '@0x00ac ACPI HID AMDI0020 CID PNP0501 UID ID00 at 00:14.5 → no function of the topology gets its IOMMU here',
      '@0x00c6 IVMD type 0x22 segment 0x0000, devices 00:02.0–00:02.7: 0x9d000000 + 0x1000 (unity read write) — Linux maps 0x9d000000–0x9d000fff direct → 0000:00:02.0',
      '@0x00e6 IVMD type 0x21 segment 0x0000, device 00:03.0: 0xa0000000 + 0x100000 (exclusion) — Linux maps 0xa0000000–0xa00fffff direct → 0000:00:03.0',
    ]);

    // Keyboard: Enter on an IVMD line shows its 32 bytes and its node in the tree.
    await page.focus(`#ivrs-units [data-ivrs="${VIEW_IVRS_OFFSETS.ivmdRange}"]`);
    await page.keyboard.press('Enter');
    expect(await litBytes(page)).toEqual(Array.from({ length: 32 }, (_, index) => VIEW_IVRS_OFFSETS.ivmdRange + index));
    expect(await page.getAttribute('#t0 .tree .current', 'data-node')).toBe('t.blocks.2');

    // Field → bytes: the IVMD Start Address is the u64 at +16.
    await page.click('[data-field="t.blocks.2:startAddress"]');
    const start = VIEW_IVRS_OFFSETS.ivmdRange + 16;
    expect(await litBytes(page)).toEqual(Array.from({ length: 8 }, (_, index) => start + index));
    expect(await page.textContent('#t0-detail')).toContain('startAddress = 0x9d000000');
    // Byte → field: a byte inside the second IVMD's Start Address.
    await page.click(`#t0 [data-o="${VIEW_IVRS_OFFSETS.ivmdSelect + 19}"]`);
    const detail = await page.textContent('#t0-detail');
    expect(detail).toContain('startAddress = 0xa0000000');
    expect(detail).toContain('in @0x00e6 IVMD');

    // Groups (ivrs-model.ts topology: one per function): each IVMD's window as direct, then the MSI and HyperTransport windows.
    const fixed = [{ start: '0xfee00000', end: '0xfeefffff', type: 'msi' }, { start: '0xfd00000000', end: '0xffffffffff', type: 'reserved' }];
    expect(await drawn(page, 'group-0')).toEqual(fixed);
    expect(await drawn(page, 'group-1')).toEqual([{ start: '0x9d000000', end: '0x9d000fff', type: 'direct' }, ...fixed]);
    expect(await drawn(page, 'group-2')).toEqual([{ start: '0xa0000000', end: '0xa00fffff', type: 'direct' }, ...fixed]);
    expect(await drawn(page, 'group-3')).toEqual(fixed);
    expect(await drawn(page, 'group-4')).toEqual(fixed);
    expect(await expectGroupsAsCli(page, [ivrs, '--pci', pci])).toBe(5);
    await shoot(page, 'ivrs-hermetic');
    expect(errors).toEqual([]);
  });

  it('takes real tables dropped on the empty page (Dell Latitude E6230 DMAR)', async ({ skip }) => {
    if (!HAVE_SHARED) skip(SKIP_REASON);
    const { page, errors } = await open(await viewFile('drop', []));
    await drop(page, join(REAL, 'linuxhw', 'Dell_Latitude-E6230_CA3D50C521D1', 'DMAR.bin'), 'DMAR.bin');
    await page.waitForSelector('#dmar-scopes');
    expect(await page.textContent('#loaded')).toBe('Loaded: DMAR (DMAR.bin); no PCI topology.');
    // `dump` of this table: RMRR @0x68 [0xdbd41000, 0xdbd60fff] names 00:1d.0, 00:1a.0 and 00:14.0.
    const scopes = await page.textContent('#dmar-scopes');
    expect(scopes).toContain('RMRR @0x0068 segment 0x0000 0xdbd41000–0xdbd60fff');
    expect(scopes).toContain('endpoint 00:1d.0 @0x0080');
    await shoot(page, 'dropped-dell');
    expect(errors).toEqual([]);
  });

  it('opens a collect archive: dropped on the empty page, and given to view alone (archive of the sample laptop)', async () => {
    const archive = join(scratch, 'machine.json');
    writeFileSync(archive, archiveBytes(await laptopArchive()));
    const sampleArgs = [LAPTOP_SAMPLE, '--pci', join(LAPTOP_SAMPLE, 'pci.json')];

    const dropped = await open(await viewFile('archive-drop', []));
    await drop(dropped.page, archive, 'machine.json');
    await dropped.page.waitForSelector('#address-map');
    expect(await dropped.page.textContent('#loaded')).toBe('Loaded: DMAR (machine.json#DMAR), APIC (machine.json#APIC); PCI topology with 8 functions.');
    expect(await expectGroupsAsCli(dropped.page, sampleArgs)).toBe(6);
    await shoot(dropped.page, 'archive-dropped');
    expect(dropped.errors).toEqual([]);

    // `acpi-iommu view machine.json`: the archive's tables and topology embedded, no --pci needed.
    const given = await open(await viewFile('archive-given', [archive]));
    expect(await given.page.textContent('#loaded')).toBe(`Loaded: DMAR (${archive}#DMAR), APIC (${archive}#APIC); PCI topology with 8 functions.`);
    expect(await expectGroupsAsCli(given.page, sampleArgs)).toBe(6);
    expect(given.errors).toEqual([]);
  });

  it('refuses to overwrite a page without --force, replaces it with --force', async () => {
    const out = join(scratch, 'taken.html');
    writeFileSync(out, 'mine');
    const refused = await runCli(['view', join(SAMPLES, 'x86-laptop'), '--no-open', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = await runCli(['view', join(SAMPLES, 'x86-laptop'), '--no-open', '--out', out, '--force', '--guest-ram', '0x0-0x7fffffff,0x100000000-0x17fffffff']);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"guestRam":"0x0-0x7fffffff,0x100000000-0x17fffffff"');
    const { page, errors } = await open(out);
    expect(await page.$$eval('[data-row="guest-ram"] rect', (rects) => rects.map((rect) => rect.getAttribute('data-start')))).toEqual(['0x0', '0x100000000']);
    expect(errors).toEqual([]);
  });

  describe.skipIf(!HAVE_SHARED)(`real tables and kernel cases${HAVE_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
    it('draws the groups the real kernel printed (x86-laptop-latitude-e6230, DMAR + sysfs)', async () => {
      const dir = join(KERNEL, 'x86-laptop-latitude-e6230');
      const args = [join(dir, 'DMAR.bin'), '--pci', join(dir, 'sysfs')];
      const { page, errors } = await open(await viewFile('kernel-e6230', args));
      await expectKernelGroups(page, dir, await expectGroupsAsCli(page, args));
      await shoot(page, 'kernel-e6230');
      expect(errors).toEqual([]);
    });

    it('draws the groups the real kernel printed on AMD (amd-basic, IVRS + sysfs)', async () => {
      const dir = join(KERNEL, 'amd-basic');
      const args = [join(dir, 'IVRS.bin'), '--pci', join(dir, 'sysfs')];
      const { page, errors } = await open(await viewFile('kernel-amd-basic', args));
      const kase = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { groups_expected: number[]; devices_without_group: string[]; input_description: { ivmd: { start: string; length: string }[] } };
      expect(await expectKernelGroups(page, dir, await expectGroupsAsCli(page, args))).toBe(kase.groups_expected.length);

      // The IVMDs the case was built from, in table order, in the drawing and in the tree.
      const ivmds = await page.$$eval('#ivrs-units button.ivmd', (buttons) => buttons.map((button) => button.textContent ?? ''));
      expect(ivmds.length).toBe(kase.input_description.ivmd.length);
      kase.input_description.ivmd.forEach((ivmd, index) => expect(ivmds[index]).toContain(`${ivmd.start} + ${ivmd.length}`));
      // A device the kernel left without a group gets no IOMMU from any entry (here: the IOMMU's own function).
      const entries = await page.$$eval('#ivrs-units button.entry', (buttons) => buttons.map((button) => button.textContent ?? ''));
      for (const device of kase.devices_without_group) expect(entries.some((text) => text.includes(`→ ${device}`))).toBe(false);

      // The first IVMD follows the first IVHD (IVRS header 48 bytes; the IVHD's Length is the u16 at +2): its Start Address at +16.
      const bytes = readFileSync(join(dir, 'IVRS.bin'));
      const ivmd = 48 + bytes.readUInt16LE(50);
      const blocks = await page.$$eval('#t0 .tree [data-node^="t.blocks."]', (nodes) => nodes.map((node) => node.getAttribute('data-node')).filter((id) => /^t\.blocks\.\d+$/.test(id ?? '')));
      await page.click(`[data-field="${blocks[1]}:startAddress"]`);
      expect(await litBytes(page)).toEqual(Array.from({ length: 8 }, (_, index) => ivmd + 16 + index));
      expect(await page.textContent('#t0-detail')).toContain(`startAddress = ${kase.input_description.ivmd[0]!.start}`);
      await page.click(`#t0 [data-o="${ivmd + 20}"]`);
      expect(await page.textContent('#t0-detail')).toContain(`in @0x${ivmd.toString(16).padStart(4, '0')} IVMD`);
      await shoot(page, 'kernel-amd-basic');
      expect(errors).toEqual([]);
    });

    it('draws the Arm RMR case as regions --json does (arm64-rmr-flags-descriptors)', async () => {
      const dir = join(KERNEL, 'arm64-rmr-flags-descriptors');
      const args = [join(dir, 'IORT.bin'), '--pci', join(dir, 'sysfs')];
      const { page, errors } = await open(await viewFile('kernel-arm-rmr', args));
      await expectGroupsAsCli(page, args);
      await shoot(page, 'kernel-arm-rmr');
      expect(errors).toEqual([]);
    });

    it('stays fast on the largest real IORT: the hex view keeps only visible rows in the DOM', async () => {
      const dir = join(REAL, 'linux-surface', 'surface_pro_x_sq1');
      const started = performance.now();
      const { page, errors } = await open(await viewFile('surface-pro-x', [join(dir, 'IORT.bin'), join(dir, 'APIC.bin')]));
      const loaded = performance.now() - started;
      console.info(`[view] surface_pro_x_sq1 IORT (6467 bytes) + APIC: page written and shown in ${loaded.toFixed(0)} ms`);
      const iort = (await page.$$eval('section.table-panel', (panels) => panels.map((panel) => panel.id)))[0]!;
      const cells = await page.$$eval(`#${iort} .b`, (nodes) => nodes.length);
      expect(cells).toBeGreaterThan(0);
      expect(cells).toBeLessThan(2000);
      // Scroll to the end: the last byte appears and still links to its field.
      await page.$eval(`#${iort} .hex`, (hex) => { hex.scrollTop = hex.scrollHeight; });
      await page.click(`#${iort} [data-o="6466"]`);
      expect(await page.textContent(`#${iort}-detail`)).toMatch(/bytes 0x19/);
      // Without a topology the drawn regions are the unscoped list of regions --json.
      const json = await regionsJson([join(dir, 'IORT.bin'), join(dir, 'APIC.bin')]);
      const all = await page.$$eval('#address-map rect.region', (rects) => rects.map((rect) => `${rect.getAttribute('data-start')} ${rect.getAttribute('data-end')} ${rect.getAttribute('data-type')}`));
      expect(all.sort()).toEqual(json.regions.map((region: Drawn) => `${region.start} ${region.end} ${region.type}`).sort());
      expect(loaded).toBeLessThan(15_000);
      await shoot(page, 'surface-pro-x-iort');
      expect(errors).toEqual([]);
    });
  });
});
