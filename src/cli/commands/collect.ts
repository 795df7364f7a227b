/**
 * `acpi-iommu collect`: on a live machine, one archive (JSON) of what every other command needs —
 * the ACPI tables, the PCI topology with its IOMMU groups, the memory map and the kernel version
 * (src/node/archive.ts). `--root` reads another root (a mounted image, a test tree).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import type { Archive } from '../../node/archive.js';
import { EXIT_INPUT, EXIT_OK, type GlobalOptions } from '../shared/conventions.js';

interface CollectOptions extends GlobalOptions {
  output?: string;
  root?: string;
  force?: boolean;
}

/** Runs one part of the collection; a failure is recorded, never fatal. */
async function attempt<T>(source: string, archive: Archive, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    const { describeFileError } = await import('../../node/file-errors.js');
    archive.failures.push({ source, reason: describeFileError(error, source) });
    return null;
  }
}

async function runCollect(options: CollectOptions): Promise<number> {
  const root = options.root ?? '/';
  const [{ loadInputs }, { ARCHIVE_KIND, toBase64 }, { readPciTopology }, { topologyToJson }, { readMemoryMap }, { readFile }, { writeText }] = await Promise.all([
    import('../../node/inputs.js'),
    import('../../node/archive.js'),
    import('../../node/pci-json.js'),
    import('../../pci/json.js'),
    import('../../node/memmap.js'),
    import('node:fs/promises'),
    import('../shared/output.js'),
  ]);
  const { SCHEMA_VERSION } = await import('../shared/document.js');
  const archive: Archive = { schemaVersion: SCHEMA_VERSION, command: 'collect', kind: ARCHIVE_KIND, kernel: null, tables: [], topology: null, memoryMap: null, notes: [], failures: [] };
  const tablesPath = join(root, 'sys', 'firmware', 'acpi', 'tables');
  const loaded = await loadInputs([tablesPath]);
  archive.tables = loaded.tables.map((table) => ({ signature: table.signature, source: table.source, base64: toBase64(table.bytes) }));
  archive.failures.push(...loaded.failures.map((failure) => ({ source: failure.path, reason: failure.reason })));
  const sysfs = join(root, 'sys');
  const topology = await attempt(join(sysfs, 'bus', 'pci', 'devices'), archive, () => readPciTopology(sysfs));
  if (topology !== null) {
    archive.topology = topologyToJson(topology);
    archive.notes.push(...topology.notes);
    if (topology.groupsGuessed) archive.notes.push('no IOMMU groups under /sys/kernel/iommu_groups (IOMMU off, or not booted with it): the topology has none');
  }
  const memmap = await attempt(join(sysfs, 'firmware', 'memmap'), archive, () => readMemoryMap(join(sysfs, 'firmware', 'memmap')));
  if (memmap !== null) archive.memoryMap = memmap.entries.map((entry) => ({ start: `0x${entry.start.toString(16)}`, end: `0x${entry.end.toString(16)}`, type: entry.type }));
  const version = await attempt(join(root, 'proc', 'version'), archive, () => readFile(join(root, 'proc', 'version'), 'utf8'));
  archive.kernel = version === null ? null : version.trim();
  const text = `${JSON.stringify(archive, null, 2)}\n`;
  if (options.output === undefined || options.output === '-') await writeText([text]);
  else {
    // Like encode: atomically, never through a symbolic link, never over a file without --force.
    const [{ writeFileAtomic, OutputRefusedError }, { describeFileError }] = await Promise.all([import('../../node/write-atomic.js'), import('../../node/file-errors.js')]);
    try {
      await writeFileAtomic(options.output, new TextEncoder().encode(text), { force: options.force === true });
    } catch (error) {
      const reason = error instanceof OutputRefusedError ? error.message : `${options.output}: ${describeFileError(error, options.output)}`;
      process.stderr.write(`acpi-iommu collect: cannot write ${reason}\n`);
      return EXIT_INPUT;
    }
  }
  const signatures = archive.tables.map((table) => table.signature).join(', ') || 'none';
  process.stderr.write(`acpi-iommu collect: ${archive.tables.length} tables (${signatures}); topology ${archive.topology === null ? 'unreadable' : 'read'}; memory map ${archive.memoryMap === null ? 'unreadable' : 'read'}; kernel ${archive.kernel === null ? 'unknown' : 'read'}${options.output === undefined || options.output === '-' ? '' : ` → ${options.output}`}\n`);
  for (const failure of archive.failures) process.stderr.write(`acpi-iommu: ${failure.source}: ${failure.reason}\n`);
  return archive.tables.length === 0 ? EXIT_INPUT : EXIT_OK;
}

export function register(program: Command): void {
  program
    .command('collect')
    .description('on a live machine: write one JSON archive of its ACPI tables, PCI topology with IOMMU groups, memory map and kernel version, for a bug report; every command reads it (as input, --pci and --memmap)')
    .option('-o, --output <file>', 'write the archive here (default: stdout); written atomically, never through a symbolic link')
    .option('--force', 'replace an existing output file')
    .option('--root <dir>', 'read the machine under this root instead of / (a mounted image; tests)')
    .addHelpText('after', '\nRun as root: /sys/firmware/acpi/tables is readable by root only.\nExit: 0 written, 2 no table could be read (the archive is still written, listing why).')
    .action(async (_options: CollectOptions, self: Command) => {
      process.exitCode = await runCollect(self.optsWithGlobals<CollectOptions>());
    });
}
