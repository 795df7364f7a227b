/** `acpi-iommu view`: the page with the inputs (and topology) embedded, written and opened. */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { EXIT_INPUT, EXIT_OK, type GlobalOptions } from '../shared/conventions.js';
import { archiveTopologyOf, loadAndReport } from '../shared/tables.js';
import { fail } from '../commands/regions.js';
import { openInBrowser } from './open.js';
import { embedInputs, readPageTemplate } from './page.js';

export interface ViewOptions extends GlobalOptions {
  pci?: string;
  guestRam?: string;
  out?: string;
  force?: boolean;
  /** Commander's `--no-open` sets this to false. */
  open?: boolean;
}

export async function runView(paths: string[], options: ViewOptions): Promise<number> {
  const template = await readPageTemplate();
  if (template === undefined) return fail('the view page is not built (dist/view/index.html is missing); run npm run build');
  if (options.out !== undefined && options.force !== true && existsSync(options.out)) return fail(`${options.out} exists; choose another --out or add --force`);
  const inputs = paths.length === 0 ? undefined : await loadAndReport(paths, options.verbose);
  if (inputs !== undefined && inputs.parsed.length === 0) return fail('no DMAR, IORT, APIC or IVRS table in the inputs');
  if (options.pci === undefined) {
    // A collect archive given alone carries its own topology, as for regions.
    options = { ...options, pci: await archiveTopologyOf(paths) };
  }
  let pci: unknown;
  if (options.pci !== undefined) {
    const [{ readPciTopology }, { topologyToJson }] = await Promise.all([import('../../node/pci-json.js'), import('../../pci/json.js')]);
    try {
      pci = topologyToJson(await readPciTopology(options.pci));
    } catch (error) {
      return fail(`${options.pci}: ${(error as Error).message}`);
    }
  }
  let guestRam: string | undefined;
  if (options.guestRam !== undefined) {
    const { readGuestRam } = await import('../commands/conflicts.js');
    const ranges = await readGuestRam(options.guestRam);
    if (typeof ranges === 'string') return fail(ranges);
    // The page takes the range-list text form, which it also shows in its guest RAM field.
    guestRam = ranges.map((range) => `0x${range.start.toString(16)}-0x${range.end.toString(16)}`).join(',');
  }
  const files = (inputs?.parsed ?? []).map((input) => ({ name: input.source, signature: input.signature, bytes: input.bytes }));
  const out = options.out ?? join(await mkdtemp(join(tmpdir(), 'acpi-iommu-view-')), 'view.html');
  const { writeFileAtomic, OutputRefusedError } = await import('../../node/write-atomic.js');
  try {
    const page = new TextEncoder().encode(embedInputs(template, files, { pci, guestRam }));
    await writeFileAtomic(out, page, { force: options.force === true, inputs: paths.filter((path) => path !== '-') });
  } catch (error) {
    return fail(`cannot write ${error instanceof OutputRefusedError ? error.message : `${out}: ${(error as Error).message}`}`);
  }
  process.stdout.write(`wrote ${out} (${files.length === 0 ? 'empty page: drop tables on it' : files.map((file) => basename(file.name)).join(', ')})\n`);
  if (options.open !== false) {
    const problem = await openInBrowser(out);
    if (problem !== undefined) process.stderr.write(`acpi-iommu: ${problem}; open ${out} in a browser yourself\n`);
  }
  return inputs !== undefined && inputs.failures.length > 0 ? EXIT_INPUT : EXIT_OK;
}
