/**
 * `acpi-iommu/node`: the Node-only input layer — files, directories, sysfs, acpidump text and
 * stdin. The platform-free library is the package root.
 *
 * ## Example: load a folder of tables and a PCI topology, print each group's reserved_regions
 * (examples/node-library.ts, run by the tests)
 *
 * {@includeCode ../../examples/node-library.ts}
 *
 * @packageDocumentation
 */

// ── Table inputs ────────────────────────────────────────────────────────────────────────────
export { loadInputs, readLiveTables, STDIN_PATH, type LoadedInputs, type InputFailure } from './inputs.js';
export { classifyContent, tablesFromContent, type LoadedTable, type ContentKind } from './content.js';
export { parseAcpidumpText, DUMP_CODES, type AcpidumpText, type DumpedTable, type DumpDiagnostic, type DumpCode, type DumpSeverity } from './acpidump-text.js';
export { describeFileError } from './file-errors.js';
export { packageVersion, packagePath } from './package-info.js';

// ── PCI topology from sysfs (src/node/pci-*.ts) ─────────────────────────────────────────────
export { readPciSysfs, locatePciSysfs, SysfsTopologyError } from './pci-sysfs.js';
export { readPciJson, readPciTopology } from './pci-json.js';

// ── Platform memory map for `audit` (src/node/memmap.ts) ────────────────────────────────────
export { readMemoryMap } from './memmap.js';
